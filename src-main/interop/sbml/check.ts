/**
 * Offline checks of SBML L3V2 core rules that a validator such as libSBML would apply to what
 * exportSbml writes: well-formed XML, the core namespace, required attributes, unique SIds,
 * references that resolve, rule targets that are not constant, MathML in its namespace with
 * every <ci> defined. Not a full validator: units and MathML typing are not checked.
 */
import { XMLValidator } from 'fast-xml-parser';
import { MATHML_NS } from './mathml-write.ts';
import { SBML_L3V2_NS } from './export.ts';
import type { XmlElement } from './xml.ts';
import { child, listOf, parseXml } from './xml.ts';

const REQUIRED: Record<string, string[]> = {
  compartment: ['id', 'constant'],
  species: ['id', 'compartment', 'hasOnlySubstanceUnits', 'boundaryCondition', 'constant'],
  parameter: ['id', 'constant'],
  reaction: ['id', 'reversible'],
  speciesReference: ['species', 'constant'],
  modifierSpeciesReference: ['species'],
  assignmentRule: ['variable'],
  rateRule: ['variable'],
  initialAssignment: ['symbol'],
  event: ['useValuesFromTriggerTime'],
  trigger: ['initialValue', 'persistent'],
  eventAssignment: ['variable'],
  localParameter: ['id'],
};
const BOOLEAN_ATTRS = new Set(['constant', 'hasOnlySubstanceUnits', 'boundaryCondition', 'reversible', 'useValuesFromTriggerTime', 'initialValue', 'persistent']);
const SID = /^[A-Za-z_][A-Za-z0-9_]*$/;

function walk(el: XmlElement, visit: (e: XmlElement) => void): void {
  visit(el);
  for (const c of el.children) walk(c, visit);
}

/** Problems found (empty when the document passes every check). */
export function checkSbmlL3v2(xml: string): string[] {
  const problems: string[] = [];
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return [`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`];
  const root = parseXml(xml);
  if (root.name !== 'sbml' || root.attrs.xmlns !== SBML_L3V2_NS || root.attrs.level !== '3' || root.attrs.version !== '2') {
    problems.push(`root must be <sbml xmlns="${SBML_L3V2_NS}" level="3" version="2">`);
  }
  const model = child(root, 'model');
  if (!model) return [...problems, 'no <model>'];

  const ids = new Map<string, string>();
  walk(model, (e) => {
    for (const req of REQUIRED[e.name] ?? []) if (e.attrs[req] === undefined) problems.push(`<${e.name}${e.attrs.id ? ` id="${e.attrs.id}"` : ''}> lacks required attribute ${req}`);
    for (const [k, v] of Object.entries(e.attrs)) {
      if (BOOLEAN_ATTRS.has(k) && v !== 'true' && v !== 'false') problems.push(`<${e.name}> ${k}="${v}" is not a boolean`);
    }
    if (e.name === 'math' && e.attrs.xmlns !== MATHML_NS) problems.push('<math> is not in the MathML namespace');
    if (e.name === 'localParameter' || e.name === 'math' || e.attrs.id === undefined) return;
    const id = e.attrs.id;
    if (!SID.test(id)) problems.push(`<${e.name}> id "${id}" is not a valid SId`);
    if (ids.has(id)) problems.push(`id "${id}" is used by <${ids.get(id)}> and <${e.name}>`);
    ids.set(id, e.name);
  });

  const kindOf = (id: string): string | undefined => ids.get(id);
  const nonConstant = new Set<string>();
  for (const list of [['listOfCompartments', 'compartment'], ['listOfSpecies', 'species'], ['listOfParameters', 'parameter']]) {
    for (const e of listOf(model, list[0], list[1])) if (e.attrs.constant === 'false') nonConstant.add(e.attrs.id);
  }
  for (const s of listOf(model, 'listOfSpecies', 'species')) {
    if (kindOf(s.attrs.compartment) !== 'compartment') problems.push(`species "${s.attrs.id}": compartment "${s.attrs.compartment}" is not a compartment`);
  }
  const ruled = new Set<string>();
  for (const r of child(model, 'listOfRules')?.children ?? []) {
    const v = r.attrs.variable;
    if (!nonConstant.has(v)) problems.push(`<${r.name}> variable "${v}" must be a non-constant compartment, species or parameter`);
    if (ruled.has(v)) problems.push(`"${v}" is the variable of two rules`);
    ruled.add(v);
    if (!child(r, 'math')) problems.push(`<${r.name}> "${v}" has no <math>`);
  }
  for (const ia of listOf(model, 'listOfInitialAssignments', 'initialAssignment')) {
    const k = kindOf(ia.attrs.symbol);
    if (k !== 'compartment' && k !== 'species' && k !== 'parameter' && k !== 'speciesReference') problems.push(`initialAssignment symbol "${ia.attrs.symbol}" is undefined`);
  }
  for (const r of listOf(model, 'listOfReactions', 'reaction')) {
    for (const list of ['listOfReactants', 'listOfProducts', 'listOfModifiers']) {
      for (const sr of child(r, list)?.children ?? []) {
        if (kindOf(sr.attrs.species) !== 'species') problems.push(`reaction "${r.attrs.id}": "${sr.attrs.species}" is not a species`);
      }
    }
    if (!child(r, 'kineticLaw') || !child(child(r, 'kineticLaw') as XmlElement, 'math')) problems.push(`reaction "${r.attrs.id}" has no kinetic law math`);
  }
  for (const ev of listOf(model, 'listOfEvents', 'event')) {
    const trig = child(ev, 'trigger');
    if (!trig || !child(trig, 'math')) problems.push(`event "${ev.attrs.id}" has no trigger math`);
    for (const ea of listOf(ev, 'listOfEventAssignments', 'eventAssignment')) {
      if (!nonConstant.has(ea.attrs.variable)) problems.push(`event "${ev.attrs.id}" assigns "${ea.attrs.variable}", which is not a non-constant compartment, species or parameter`);
    }
  }
  // Every <ci> names something defined (local parameters count within their own kinetic law).
  const checkMath = (math: XmlElement, locals: ReadonlySet<string>): void => {
    walk(math, (m) => {
      if (m.name !== 'ci') return;
      const name = m.texts.join('').trim();
      if (!ids.has(name) && !locals.has(name)) problems.push(`<ci> ${name} </ci> is not defined`);
    });
  };
  const noLocals: ReadonlySet<string> = new Set();
  walk(model, (e) => {
    if (e.name === 'kineticLaw') {
      const locals = new Set(listOf(e, 'listOfLocalParameters', 'localParameter').map((lp) => lp.attrs.id));
      const math = child(e, 'math');
      if (math) checkMath(math, locals);
    } else if (e.name !== 'functionDefinition') {
      for (const c of e.children) if (c.name === 'math' && e.name !== 'kineticLaw') checkMath(c, noLocals);
    }
  });
  return problems;
}
