import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SbmlError } from '../../../src-main/interop/sbml/errors.ts';
import { importSbml } from '../../../src-main/interop/sbml/import.ts';
import { parseSbmlSettings } from '../../../src-main/interop/sbml/settings.ts';
import { simulateSbml } from '../../../src-main/interop/sbml/simulate.ts';
import { validateModel } from '../../../src-main/model/validate.ts';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/sbml');
const features = readFileSync(path.join(fixtures, 'features-l3v2.xml'), 'utf8');

const MATH = 'xmlns="http://www.w3.org/1998/Math/MathML"';
const TIME = '<csymbol encoding="text" definitionURL="http://www.sbml.org/sbml/symbols/time"> t </csymbol>';

/** A minimal L3V2 document around the given model content (one compartment c, species A). */
function doc(inner: string, { species = '', root = '' } = {}): string {
  return `<?xml version="1.0"?><sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2"${root}><model id="m">
<listOfCompartments><compartment id="c" size="1" constant="true"/></listOfCompartments>
<listOfSpecies><species id="A" compartment="c" initialAmount="1" hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>${species}</listOfSpecies>
${inner}</model></sbml>`;
}
const decay = `<listOfParameters><parameter id="k" value="1" constant="true"/></listOfParameters>
<listOfReactions><reaction id="r" reversible="false"><listOfReactants><speciesReference species="A" stoichiometry="1" constant="true"/></listOfReactants>
<kineticLaw><math ${MATH}><apply><times/><ci> k </ci><ci> A </ci></apply></math></kineticLaw></reaction></listOfReactions>`;

describe('importSbml', () => {
  it('converts a mix of features into a valid model', () => {
    const { model, sbml, warnings } = importSbml(features);
    expect(validateModel(model).problems).toEqual([]);
    expect(warnings).toEqual([]);
    // Reserved ids are renamed deterministically and the mapping kept.
    expect(sbml.renamed).toEqual({ time: 'time_', exp: 'exp_', pi: 'pi_' });
    expect(model.parameters).toEqual([{ id: 'C', value: 2 }, { id: 'time_', value: 0.5 }, { id: 'decay_k', value: 0.5 }]);
    // Species hold amounts: initialConcentration 1 in a compartment of size 2.
    expect(model.species).toEqual([{ id: 'S', initial: 'C' }, { id: 'P', initial: 0 }]);
    expect(model.rules).toEqual([{ id: 'pi_', expr: 'if(t < 1, 1, exp_)' }, { id: 'exp_', expr: '4 * time_' }]);
    // Function inlined, local parameter prefixed, concentration reference S / C.
    expect(model.reactions).toEqual([{ id: 'decay', rate: 'C * (decay_k * (S / C))', from: { S: 1 }, to: { P: 1 } }]);
    // The event assigns a concentration: the amount is 4 * C.
    expect(model.events).toEqual([{ id: 'dose', at: 1, assign: { S: '4 * C' } }]);
    expect(sbml.symbols.S).toEqual({ kind: 'species', modelId: 'S', role: 'species', compartment: 'C', hasOnlySubstanceUnits: false, holds: 'amount' });
  });

  it('simulates the mix as SBML means it (analytic solution)', () => {
    const out = simulateSbml(features, { start: 0, duration: 2, steps: 4, columns: ['S', 'P', 'pi', 'time', 'exp', 'C', 'decay'], amounts: ['P'] });
    expect(out.header).toEqual(['time', 'S', 'P', 'pi', 'time', 'exp', 'C', 'decay']);
    const conc = (t: number): number => (t < 1 ? Math.exp(-0.5 * t) : 4 * Math.exp(-0.5 * (t - 1)));
    for (const row of out.rows) {
      const t = row[0];
      expect(row[1]).toBeCloseTo(conc(t), 8);
      expect(row[3]).toBe(t < 1 ? 1 : 2);
      expect(row.slice(4, 7)).toEqual([0.5, 2, 2]);
      expect(row[7]).toBeCloseTo(2 * 0.5 * conc(t), 8);
    }
    // P gains what S loses (amounts): before the event 2·(1 − e^{−t/2}).
    expect(out.rows[1][2]).toBeCloseTo(2 * (1 - Math.exp(-0.25)), 8);
  });

  it('reports species as amounts or concentrations as asked', () => {
    const xml = doc(decay).replace('<compartment id="c" size="1"', '<compartment id="c" size="4"');
    const amount = simulateSbml(xml, { start: 0, duration: 1, steps: 1, columns: ['A'], amounts: ['A'] });
    const conc = simulateSbml(xml, { start: 0, duration: 1, steps: 1, columns: ['A'], concentrations: ['A'] });
    expect(amount.rows[0][1]).toBe(1);
    expect(conc.rows[0][1]).toBe(0.25);
    // d[A]/dt = -k [A] / c... with kinetic law k·[A] (amount/time): amount' = −[A] = −amount/4.
    expect(amount.rows[1][1]).toBeCloseTo(Math.exp(-0.25), 9);
  });

  it('turns parameters changed by rate rules or events into odes, and initial assignments into rules', () => {
    const xml = doc(`<listOfParameters><parameter id="p" value="1" constant="false"/><parameter id="q" value="0" constant="false"/><parameter id="k" value="2" constant="true"/><parameter id="k2" constant="true"/></listOfParameters>
<listOfInitialAssignments><initialAssignment symbol="k2"><math ${MATH}><apply><times/><ci> k </ci><ci> A </ci></apply></math></initialAssignment></listOfInitialAssignments>
<listOfRules><rateRule variable="p"><math ${MATH}><ci> k </ci></math></rateRule></listOfRules>
<listOfEvents><event id="ev" useValuesFromTriggerTime="true"><trigger initialValue="false" persistent="true"><math ${MATH}><apply><gt/>${TIME}<ci> k </ci></apply></math></trigger>
<listOfEventAssignments><eventAssignment variable="q"><math ${MATH}><ci> p </ci></math></eventAssignment></listOfEventAssignments></event></listOfEvents>`);
    const { model } = importSbml(xml);
    expect(model.parameters).toEqual([{ id: 'c', value: 1 }, { id: 'k', value: 2 }]);
    expect(model.odes).toEqual([{ id: 'p', initial: 1, derivative: 'k' }, { id: 'q', initial: 0, derivative: '0' }]);
    // k2 = k·[A] at time 0 (A is 1 in a compartment of size 1): a constant over parameters.
    expect(model.rules).toEqual([{ id: 'k2', expr: 'k * (1 / c)' }]);
    expect(model.events).toEqual([{ id: 'ev', at: 'k', assign: { q: 'p' } }]);
    const out = simulateSbml(xml, { start: 0, duration: 3, steps: 3, columns: ['p', 'q', 'k2'] });
    expect(out.rows.map((r) => r.slice(1))).toEqual([[1, 0, 2], [3, 0, 2], [5, 5, 2], [7, 5, 2]].map((r) => r.map((v) => expect.closeTo(v, 9))));
  });

  it('drops an event whose trigger is true at time 0 when initialValue is true', () => {
    const xml = doc(`<listOfParameters><parameter id="q" value="0" constant="false"/></listOfParameters>
<listOfEvents><event useValuesFromTriggerTime="true"><trigger initialValue="true" persistent="true"><math ${MATH}><apply><geq/>${TIME}<cn> 0 </cn></apply></math></trigger>
<listOfEventAssignments><eventAssignment variable="q"><cn> 1 </cn></eventAssignment></listOfEventAssignments></event></listOfEvents>`.replace('<cn> 1 </cn></eventAssignment>', `<math ${MATH}><cn> 1 </cn></math></eventAssignment>`));
    const { model, warnings } = importSbml(xml);
    expect(model.events).toBeUndefined();
    expect(warnings[0]).toMatch(/never fires/);
  });

  it('reads Level 2 (kinetic-law parameters, defaults)', () => {
    const xml = `<?xml version="1.0"?><sbml xmlns="http://www.sbml.org/sbml/level2/version4" level="2" version="4"><model id="l2">
<listOfCompartments><compartment id="cell" size="2"/></listOfCompartments>
<listOfSpecies><species id="X" compartment="cell" initialConcentration="3"/><species id="Y" compartment="cell" initialAmount="0" boundaryCondition="true"/></listOfSpecies>
<listOfReactions><reaction id="deg"><listOfReactants><speciesReference species="X"/></listOfReactants><listOfModifiers><modifierSpeciesReference species="Y"/></listOfModifiers>
<kineticLaw><math ${MATH}><apply><times/><ci> cell </ci><ci> k </ci><ci> X </ci></apply></math><listOfParameters><parameter id="k" value="0.1"/></listOfParameters></kineticLaw></reaction></listOfReactions>
</model></sbml>`;
    const { model } = importSbml(xml);
    expect(model.species).toEqual([{ id: 'X', initial: '3 * cell' }, { id: 'Y', initial: 0 }]);
    expect(model.parameters).toEqual([{ id: 'cell', value: 2 }, { id: 'deg_k', value: 0.1 }]);
    const out = simulateSbml(xml, { start: 0, duration: 10, steps: 1, columns: ['X'] });
    expect(out.rows[1][1]).toBeCloseTo(3 * Math.exp(-1), 9);
  });

  it('refuses unsupported constructs with a message naming the element, its id and why', () => {
    const refuse = (xml: string, pattern: RegExp): void => {
      let err: unknown;
      try {
        importSbml(xml);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SbmlError);
      expect((err as Error).message).toMatch(pattern);
    };
    refuse(doc(`${decay}<listOfRules><algebraicRule metaid="ar1"><math ${MATH}><ci> A </ci></math></algebraicRule></listOfRules>`), /<algebraicRule> "ar1": algebraic rules/);
    refuse(doc(decay.replace('reversible="false"', 'reversible="false" fast="true"')), /<reaction> "r": is fast="true"/);
    const event = (body: string): string => doc(`${decay}<listOfEvents><event id="e1" useValuesFromTriggerTime="true">${body}<listOfEventAssignments><eventAssignment variable="A"><math ${MATH}><cn> 1 </cn></math></eventAssignment></listOfEventAssignments></event></listOfEvents>`);
    const timeTrigger = `<trigger initialValue="true" persistent="true"><math ${MATH}><apply><geq/>${TIME}<cn> 1 </cn></apply></math></trigger>`;
    refuse(event(`${timeTrigger}<delay><math ${MATH}><cn> 1 </cn></math></delay>`), /<event> "e1": has a <delay>/);
    refuse(event(`${timeTrigger}<priority><math ${MATH}><cn> 1 </cn></math></priority>`), /<event> "e1": has a <priority>/);
    refuse(event(`<trigger initialValue="true" persistent="true"><math ${MATH}><apply><lt/><ci> A </ci><cn> 0.5 </cn></apply></math></trigger>`), /<trigger> "e1": only triggers of the form time >= expr/);
    refuse(event(`<trigger initialValue="true" persistent="true"><math ${MATH}><apply><geq/>${TIME}<ci> A </ci></apply></math></trigger>`), /<trigger> "e1": only triggers/);
    refuse(doc(decay, { root: ' xmlns:comp="http://www.sbml.org/sbml/level3/version1/comp/version1" comp:required="true"' }), /package "comp"/);
    refuse(doc(decay.replace('<ci> k </ci>', '<ci> kk </ci>')), /<kineticLaw> "r": uses "kk", which the model does not define/);
    refuse(doc(`${decay}<listOfRules><rateRule variable="A"><math ${MATH}><cn> 1 </cn></math></rateRule></listOfRules>`), /<rateRule> "A": sets a species that reactions also change/);
    refuse('<sbml level="1" version="2"><model/></sbml>', /Level 1 is not supported/);
    refuse('<sbml><model>', /not well-formed XML/);
    refuse(doc(decay.replace('<ci> k </ci>', `<apply><csymbol encoding="text" definitionURL="http://www.sbml.org/sbml/symbols/delay"> d </csymbol><ci> A </ci><cn> 1 </cn></apply>`)), /<kineticLaw> "r": the delay csymbol/);
  });

  it('ignores layout-like packages with a warning', () => {
    const { warnings } = importSbml(doc(decay, { root: ' xmlns:layout="http://www.sbml.org/sbml/level3/version1/layout/version1" layout:required="false"' }));
    expect(warnings).toEqual(['SBML package "layout" ignored (it does not change the model\'s mathematics)']);
  });
});

describe('parseSbmlSettings', () => {
  it('reads the suite settings format', () => {
    const s = parseSbmlSettings('start: 0\nduration: 5.0\nsteps: 50\nvariables: S1, S2\nabsolute: 1.000000e-007\nrelative: 0.0001\namount: S1\nconcentration: S2\n');
    expect(s).toEqual({ start: 0, duration: 5, steps: 50, variables: ['S1', 'S2'], absolute: 1e-7, relative: 1e-4, amount: ['S1'], concentration: ['S2'] });
    expect(() => parseSbmlSettings('start: 0\nsteps: 5')).toThrow(/"duration" is missing/);
  });
});
