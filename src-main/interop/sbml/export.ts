/**
 * Model → SBML Level 3 Version 2 core. Everything lives in one compartment of size 1 and species
 * have hasOnlySubstanceUnits="true", so SBML's symbols mean amounts and kinetic laws are the
 * model's fluxes unchanged. Rules and observables become assignment rules on non-constant
 * parameters, odes become rate rules, events become `time >= at` triggers. What SBML core cannot
 * hold (priors, noise, descriptions, layout, repeats) goes into the sgnn annotation.
 */
import type { Expr } from '../../model/expr/ast.ts';
import { parseExpr } from '../../model/expr/parse.ts';
import { priorMedian } from '../../simulate/priors.ts';
import type { Model, ModelEvent } from '../../model/schema.ts';
import type { SgnnAnnotation } from './annotation.ts';
import { writeAnnotation } from './annotation.ts';
import { SbmlError } from './errors.ts';
import { bin, namesIn, num, ref } from './expr-tools.ts';
import { mathml } from './mathml-write.ts';
import { escapeXml } from './xml.ts';

export const SBML_L3V2_NS = 'http://www.sbml.org/sbml/level3/version2/core';

function expr(value: number | string, where: string, id: string): Expr {
  if (typeof value === 'number') return num(value);
  try {
    return parseExpr(value);
  } catch (err) {
    throw new SbmlError(where, id, `cannot export the expression "${value}": ${err instanceof Error ? err.message : String(err)}`);
  }
}

function attr(name: string, value: string | number | boolean): string {
  return ` ${name}="${escapeXml(String(value))}"`;
}

/** A valid SId from free text (the model's name), for the SBML model id. */
function toSid(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(s) ? s : `_${s}`;
}

/** Write a model as SBML L3V2 (a string of XML); throws SbmlError for what SBML cannot express. */
export function exportSbml(model: Model): string {
  const ids = new Set<string>([
    ...model.parameters.map((p) => p.id), ...model.species.map((s) => s.id), ...model.rules.map((r) => r.id),
    ...model.odes.map((o) => o.id), ...model.reactions.map((r) => r.id), ...model.observables.map((o) => o.id),
    ...(model.events ?? []).flatMap((e) => (e.id ? [e.id] : [])),
  ]);
  const fresh = (base: string): string => {
    let id = base;
    for (let i = 2; ids.has(id); i++) id = `${base}_${i}`;
    ids.add(id);
    return id;
  };
  const compartment = fresh('default');
  const modelSid = toSid(model.name);

  const annotation: SgnnAnnotation = {
    format: 'sgnn-sbml/1',
    model: { name: model.name },
    compartment,
    items: {},
    observables: model.observables.map((o) => (o.noise ? { id: o.id, noise: o.noise } : { id: o.id })),
    eventParameters: [],
    parameterOrder: model.parameters.map((p) => p.id),
    repeats: [],
    unnamedEvents: [],
    helpers: [],
    frozenTimes: {},
  };
  if (model.description !== undefined) annotation.model.description = model.description;
  if (model.source !== undefined) annotation.model.source = model.source;
  if (model.timeUnits !== undefined) annotation.model.timeUnits = model.timeUnits;
  if (model.layout !== undefined) annotation.model.layout = model.layout;
  const note = (id: string, fields: { description?: string; units?: string; prior?: unknown; noValue?: boolean }): void => {
    const kept = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    if (Object.keys(kept).length > 0) annotation.items[id] = kept;
  };

  const eventTargets = new Set((model.events ?? []).flatMap((e) => Object.keys(e.assign)));

  const params: string[] = [];
  for (const p of model.parameters) {
    const constant = !eventTargets.has(p.id);
    if (!constant) annotation.eventParameters.push(p.id);
    // Other tools need a value to simulate: a parameter known only by its prior gets the prior's median.
    const value = p.value ?? (p.prior ? priorMedian(p.prior) : undefined);
    note(p.id, { description: p.description, units: p.units, prior: p.prior, noValue: p.value === undefined ? true : undefined });
    params.push(`<parameter${attr('id', p.id)}${value === undefined ? '' : attr('value', value)}${attr('constant', constant)}/>`);
  }
  for (const r of model.rules) {
    note(r.id, { description: r.description });
    params.push(`<parameter${attr('id', r.id)}${attr('constant', false)}/>`);
  }
  for (const o of model.observables) {
    note(o.id, { description: o.description, units: o.units });
    params.push(`<parameter${attr('id', o.id)}${attr('constant', false)}/>`);
  }
  const initialAssignments: string[] = [];
  for (const o of model.odes) {
    note(o.id, { description: o.description });
    const v = typeof o.initial === 'number' ? attr('value', o.initial) : '';
    if (typeof o.initial === 'string') initialAssignments.push(`<initialAssignment${attr('symbol', o.id)}>${mathml(expr(o.initial, 'ode', o.id))}</initialAssignment>`);
    params.push(`<parameter${attr('id', o.id)}${v}${attr('constant', false)}/>`);
  }

  const species: string[] = [];
  for (const s of model.species) {
    note(s.id, { description: s.description, units: s.units });
    const v = typeof s.initial === 'number' ? attr('initialAmount', s.initial) : '';
    if (typeof s.initial === 'string') initialAssignments.push(`<initialAssignment${attr('symbol', s.id)}>${mathml(expr(s.initial, 'species', s.id))}</initialAssignment>`);
    species.push(`<species${attr('id', s.id)}${attr('compartment', compartment)}${v}${attr('hasOnlySubstanceUnits', true)}${attr('boundaryCondition', false)}${attr('constant', false)}/>`);
  }

  const rules: string[] = [];
  for (const r of model.rules) rules.push(`<assignmentRule${attr('variable', r.id)}>${mathml(expr(r.expr, 'rule', r.id))}</assignmentRule>`);
  for (const o of model.observables) rules.push(`<assignmentRule${attr('variable', o.id)}>${mathml(expr(o.expr, 'observable', o.id))}</assignmentRule>`);
  for (const o of model.odes) rules.push(`<rateRule${attr('variable', o.id)}>${mathml(expr(o.derivative, 'ode', o.id))}</rateRule>`);

  const speciesIds = new Set(model.species.map((s) => s.id));
  const reactions: string[] = [];
  for (const r of model.reactions) {
    note(r.id, { description: r.description });
    const rate = expr(r.rate, 'reaction', r.id);
    const refs = (side: Record<string, number> | undefined): string =>
      Object.entries(side ?? {}).map(([s, k]) => `<speciesReference${attr('species', s)}${attr('stoichiometry', k)}${attr('constant', true)}/>`).join('');
    const involved = new Set([...Object.keys(r.from ?? {}), ...Object.keys(r.to ?? {})]);
    // Species the rate reads without being changed are modifiers: SBML validators expect them declared.
    const modifiers = [...namesIn(rate)].filter((n) => speciesIds.has(n) && !involved.has(n));
    reactions.push(`<reaction${attr('id', r.id)}${attr('reversible', false)}>`
      + (r.from && Object.keys(r.from).length > 0 ? `<listOfReactants>${refs(r.from)}</listOfReactants>` : '')
      + (r.to && Object.keys(r.to).length > 0 ? `<listOfProducts>${refs(r.to)}</listOfProducts>` : '')
      + (modifiers.length > 0 ? `<listOfModifiers>${modifiers.map((s) => `<modifierSpeciesReference${attr('species', s)}/>`).join('')}</listOfModifiers>` : '')
      + `<kineticLaw>${mathml(rate)}</kineticLaw></reaction>`);
  }

  const events: string[] = [];
  (model.events ?? []).forEach((e, i) => {
    // SBML re-evaluates a trigger all the time, the model evaluates `at` once at the start: when
    // `at` reads a parameter that events change, freeze its start value in a constant helper.
    const at = expr(e.at, 'event', e.id ?? `#${i + 1}`);
    let frozen: Expr | undefined;
    if ([...namesIn(at)].some((n) => eventTargets.has(n))) {
      const helper = fresh(`${e.id ?? `event_${i + 1}`}_time`);
      annotation.helpers.push(helper);
      params.push(`<parameter${attr('id', helper)}${attr('constant', true)}/>`);
      initialAssignments.push(`<initialAssignment${attr('symbol', helper)}>${mathml(at)}</initialAssignment>`);
      frozen = ref(helper);
    }
    const written = writeEvent(e, i, fresh, annotation, frozen);
    if (frozen) annotation.frozenTimes[e.id ?? annotation.unnamedEvents[annotation.unnamedEvents.length - 1]] = e.at;
    events.push(...written);
  });

  const section = (tag: string, items: string[]): string => (items.length > 0 ? `<${tag}>${items.join('')}</${tag}>` : '');
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<sbml xmlns="${SBML_L3V2_NS}" level="3" version="2">`,
    `<model${attr('id', modelSid)}${attr('name', model.name)}>`,
    writeAnnotation(annotation),
    section('listOfCompartments', [`<compartment${attr('id', compartment)}${attr('spatialDimensions', 3)}${attr('size', 1)}${attr('constant', true)}/>`]),
    section('listOfSpecies', species),
    section('listOfParameters', params),
    section('listOfInitialAssignments', initialAssignments),
    section('listOfRules', rules),
    section('listOfReactions', reactions),
    section('listOfEvents', events),
    '</model>',
    '</sbml>',
    '',
  ];
  return lines.filter((l) => l !== '').join('\n') + '\n';
}

function writeEvent(e: ModelEvent, index: number, fresh: (base: string) => string, annotation: SgnnAnnotation, frozenAt: Expr | undefined): string[] {
  const label = e.id ?? `#${index + 1}`;
  const at = frozenAt ?? expr(e.at, 'event', label);
  const assign = Object.entries(e.assign).map(([target, v]) =>
    `<eventAssignment${attr('variable', target)}>${mathml(expr(v, 'event', label))}</eventAssignment>`).join('');
  const one = (id: string, time: Expr): string =>
    `<event${attr('id', id)}${attr('useValuesFromTriggerTime', true)}>`
    // initialValue="false": an event due at the start time fires then, as in the model's simulator.
    + `<trigger${attr('initialValue', false)}${attr('persistent', true)}>${mathml(bin('>=', ref('t'), time), true)}</trigger>`
    + `<listOfEventAssignments>${assign}</listOfEventAssignments></event>`;
  const baseId = e.id ?? fresh(`event_${index + 1}`);
  if (e.id === undefined) annotation.unnamedEvents.push(baseId);
  if (e.every === undefined) {
    if (e.description !== undefined) annotation.items[baseId] = { description: e.description };
    return [one(baseId, at)];
  }
  if (e.count === undefined) {
    throw new SbmlError('event', label, 'repeats without end (every without count); SBML core has no periodic trigger, give a count');
  }
  const every = expr(e.every, 'event', label);
  if ([...namesIn(every)].some((n) => annotation.eventParameters.includes(n))) {
    throw new SbmlError('event', label, 'its interval "every" reads a parameter that events change; SBML triggers cannot freeze it');
  }
  const members: string[] = [];
  const out: string[] = [];
  for (let k = 0; k < e.count; k++) {
    const id = k === 0 ? baseId : fresh(`${baseId}_${k + 1}`);
    members.push(id);
    out.push(one(id, k === 0 ? at : bin('+', at, bin('*', num(k), every))));
  }
  const repeat: SgnnAnnotation['repeats'][number] = { id: baseId, every: e.every, count: e.count, members };
  if (e.description !== undefined) repeat.description = e.description;
  annotation.repeats.push(repeat);
  return out;
}
