import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkSbmlL3v2 } from '../../../src-main/interop/sbml/check.ts';
import { SbmlError } from '../../../src-main/interop/sbml/errors.ts';
import { exportSbml } from '../../../src-main/interop/sbml/export.ts';
import { importSbml } from '../../../src-main/interop/sbml/import.ts';
import { simulateSbml } from '../../../src-main/interop/sbml/simulate.ts';
import { compileModel } from '../../../src-main/model/compile.ts';
import type { Model } from '../../../src-main/model/schema.ts';
import { validateModel } from '../../../src-main/model/validate.ts';
import { simulate } from '../../../src-main/simulate/simulate.ts';

const templatesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources/models');
const templates = readdirSync(templatesDir).filter((f) => f.endsWith('.json')).sort();

function load(file: string): Model {
  const { model, problems } = validateModel(JSON.parse(readFileSync(path.join(templatesDir, file), 'utf8')));
  if (!model) throw new Error(`${file}: ${problems.map((p) => p.message).join('; ')}`);
  return model;
}

describe('exportSbml', () => {
  it('finds the templates', () => {
    expect(templates.length).toBeGreaterThan(0);
  });

  for (const file of templates) {
    it(`${file}: writes SBML L3V2 that passes the offline checks and imports back to the same model`, () => {
      const model = load(file);
      const xml = exportSbml(model);
      expect(checkSbmlL3v2(xml)).toEqual([]);
      const back = importSbml(xml);
      expect(back.warnings).toEqual([]);
      expect(back.model).toEqual(model);
    });
  }

  it('simulates the exported SIR identically through simulateSbml', () => {
    const model = load('sir.json');
    const ids = model.species.map((s) => s.id);
    const viaSbml = simulateSbml(exportSbml(model), { start: 0, duration: 30, steps: 30, columns: ids, ode: { rtol: 1e-8, atol: 1e-10 } });
    const compiled = compileModel(model);
    const times = Float64Array.from({ length: 31 }, (_, k) => k);
    const direct = simulate(compiled, { times, ode: { rtol: 1e-8, atol: 1e-10 } });
    // Concentrations in the export's size-1 compartment equal amounts.
    const conc = simulateSbml(exportSbml(model), { start: 0, duration: 30, steps: 30, columns: ids, concentrations: ids, ode: { rtol: 1e-8, atol: 1e-10 } });
    expect(conc.rows).toEqual(viaSbml.rows);
    for (let k = 0; k < 31; k++) {
      for (let j = 0; j < ids.length; j++) expect(viaSbml.rows[k][j + 1]).toBe(direct.states[k * compiled.stateIds.length + j]);
    }
  });

  it('keeps odes, events, unnamed events and parameters known only by a prior', () => {
    const model: Model = {
      format: 'sgnn-model/1',
      name: 'Van der Pol + dose',
      parameters: [{ id: 'mu', prior: { dist: 'uniform', low: 0.5, high: 2 } }, { id: 'dose', value: 2 }, { id: 'boost', value: 1 }],
      species: [{ id: 'X', initial: 'dose * 2' }],
      rules: [],
      odes: [{ id: 'u', initial: 2, derivative: 'v' }, { id: 'v', initial: 0, derivative: 'mu * (1 - u^2) * v - u' }],
      reactions: [{ id: 'clear', from: { X: 1 }, rate: '0.1 * X' }],
      observables: [{ id: 'obs', expr: 'u + X', noise: { dist: 'normal', sd: 0.1 } }],
      events: [{ at: 'dose', assign: { X: 'X + dose * boost', boost: 'boost * 2' } }],
    };
    const xml = exportSbml(model);
    expect(checkSbmlL3v2(xml)).toEqual([]);
    // Other tools get a value for mu: the prior's median.
    expect(xml).toContain('<parameter id="mu" value="1.25" constant="true"/>');
    expect(xml).toContain('<parameter id="boost" value="1" constant="false"/>');
    expect(importSbml(xml).model).toEqual(model);
  });

  it('freezes an event time that reads a parameter the event changes (SBML would re-trigger)', () => {
    const model: Model = {
      format: 'sgnn-model/1', name: 'm', parameters: [{ id: 'T', value: 1 }], species: [{ id: 'X', initial: 0 }], rules: [], odes: [], reactions: [], observables: [],
      events: [{ id: 'kick', at: 'T', assign: { X: 'X + 1', T: 'T + 1' } }],
    };
    const xml = exportSbml(model);
    expect(checkSbmlL3v2(xml)).toEqual([]);
    expect(xml).toContain('<parameter id="kick_time" constant="true"/>');
    expect(importSbml(xml).model).toEqual(model);
    const out = simulateSbml(xml, { start: 0, duration: 3, steps: 3, columns: ['X', 'T'] });
    expect(out.rows.map((r) => r.slice(1))).toEqual([[0, 1], [1, 2], [1, 2], [1, 2]]);
  });

  it('refuses an event that repeats without end, naming it', () => {
    const model: Model = {
      format: 'sgnn-model/1', name: 'm', parameters: [], species: [{ id: 'X', initial: 0 }], rules: [], odes: [], reactions: [], observables: [],
      events: [{ id: 'pulse', at: 0, every: 1, assign: { X: 'X + 1' } }],
    };
    expect(() => exportSbml(model)).toThrow(SbmlError);
    expect(() => exportSbml(model)).toThrow(/<event> "pulse": repeats without end/);
  });
});

describe('checkSbmlL3v2', () => {
  it('reports missing attributes, duplicate ids, bad references and undefined names', () => {
    const xml = `<?xml version="1.0"?><sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2"><model id="m">
<listOfCompartments><compartment id="c" size="1"/></listOfCompartments>
<listOfSpecies><species id="S" compartment="nowhere" hasOnlySubstanceUnits="true" boundaryCondition="false" constant="false"/></listOfSpecies>
<listOfParameters><parameter id="S" value="1" constant="true"/><parameter id="k" value="1" constant="true"/></listOfParameters>
<listOfRules><assignmentRule variable="k"><math xmlns="http://www.w3.org/1998/Math/MathML"><ci> q </ci></math></assignmentRule></listOfRules>
</model></sbml>`;
    const problems = checkSbmlL3v2(xml);
    expect(problems).toEqual(expect.arrayContaining([
      '<compartment id="c"> lacks required attribute constant',
      'id "S" is used by <species> and <parameter>',
      'species "S": compartment "nowhere" is not a compartment',
      '<assignmentRule> variable "k" must be a non-constant compartment, species or parameter',
      '<ci> q </ci> is not defined',
    ]));
  });
});
