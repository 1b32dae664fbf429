/**
 * SGNN Studio's own annotation on the SBML <model>: what SBML core cannot say (priors, noise
 * models, descriptions, layout, repeating events) so that export → import gives back the model.
 * Other tools ignore it, as SBML requires of unknown annotations.
 */
import type { Model, ModelEvent, Noise, Prior } from '../../model/schema.ts';
import type { XmlElement } from './xml.ts';
import { child } from './xml.ts';

export const SGNN_ANNOTATION_NS = 'https://sgnn.studio/ns/sbml-annotation/1';

export interface SgnnAnnotation {
  format: 'sgnn-sbml/1';
  model: { name: string; description?: string; source?: string; timeUnits?: string; layout?: Model['layout'] };
  /** The compartment the export added to hold every species (not part of the model). */
  compartment: string;
  /** Descriptions and units of any element, priors of parameters, by model id. */
  items: Record<string, { description?: string; units?: string; prior?: Prior; noValue?: boolean }>;
  /** Assignment rules that are the model's observables, in the model's order. */
  observables: { id: string; noise?: Noise }[];
  /** Parameters that events assign (SBML needs constant="false"; they stay parameters here). */
  eventParameters: string[];
  /** The model's parameter order (event-assigned parameters come back from a different list). */
  parameterOrder: string[];
  /** Repeating events, written to SBML as one event per occurrence (`members`). */
  /** Constant parameters the export added (event times frozen at the start). */
  helpers: string[];
  /** The model's `at` of events whose time was frozen in a helper, by SBML event id. */
  frozenTimes: Record<string, number | string>;
  /** Ids given in SBML to events that had none in the model. */
  unnamedEvents: string[];
  repeats: { id: string; every: number | string; count: number; members: string[]; description?: string }[];
}

/** The annotation's XML (one element holding JSON). */
export function writeAnnotation(a: SgnnAnnotation): string {
  // JSON inside XML text: escape the characters XML reserves.
  const json = JSON.stringify(a).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<annotation><sgnn xmlns="${SGNN_ANNOTATION_NS}">${json}</sgnn></annotation>`;
}

/** The annotation on a <model>, if present and readable. */
export function readAnnotation(modelEl: XmlElement): SgnnAnnotation | null {
  const ann = child(modelEl, 'annotation');
  const el = ann?.children.find((c) => c.name === 'sgnn' && c.attrs.xmlns === SGNN_ANNOTATION_NS);
  if (!el) return null;
  try {
    const a = JSON.parse(el.texts.join('')) as SgnnAnnotation;
    return a.format === 'sgnn-sbml/1' ? a : null;
  } catch {
    return null;
  }
}

/** Restore what the annotation records onto an imported model. */
export function applyAnnotation(model: Model, a: SgnnAnnotation, warnings: string[]): Model {
  const m: Model = structuredClone(model);
  m.name = a.model.name;
  if (a.model.description !== undefined) m.description = a.model.description;
  if (a.model.source !== undefined) m.source = a.model.source;
  else delete m.source;
  if (a.model.timeUnits !== undefined) m.timeUnits = a.model.timeUnits;
  if (a.model.layout !== undefined) m.layout = a.model.layout;

  const helpers = new Set(a.helpers ?? []);
  m.rules = m.rules.filter((r) => !helpers.has(r.id));
  const ci = m.parameters.findIndex((p) => p.id === a.compartment);
  if (ci >= 0) m.parameters.splice(ci, 1);

  // Event-assigned parameters came back as odes with derivative 0: make them parameters again.
  for (const id of a.eventParameters ?? []) {
    const i = m.odes.findIndex((o) => o.id === id);
    if (i < 0 || m.odes[i].derivative !== '0' || typeof m.odes[i].initial !== 'number') continue;
    m.parameters.push({ id, value: m.odes[i].initial as number });
    m.odes.splice(i, 1);
  }
  const order = new Map((a.parameterOrder ?? []).map((id, i) => [id, i]));
  const rank = (id: string): number => order.get(id) ?? order.size;
  m.parameters = m.parameters.map((p, i) => ({ p, i })).sort((x, y) => rank(x.p.id) - rank(y.p.id) || x.i - y.i).map((x) => x.p);
  for (const o of a.observables ?? []) {
    const i = m.rules.findIndex((r) => r.id === o.id);
    if (i < 0) {
      warnings.push(`annotation: observable "${o.id}" has no assignment rule in the file; dropped`);
      continue;
    }
    m.observables.push(o.noise ? { id: o.id, expr: m.rules[i].expr, noise: o.noise } : { id: o.id, expr: m.rules[i].expr });
    m.rules.splice(i, 1);
  }
  if (m.events) {
    for (const r of a.repeats ?? []) {
      const idx = r.members.map((id) => m.events?.findIndex((e) => e.id === id) ?? -1);
      if (idx.some((i) => i < 0)) {
        warnings.push(`annotation: repeating event "${r.id}" is missing some of its occurrences in the file; kept as separate events`);
        continue;
      }
      const first = m.events[idx[0]];
      const merged: ModelEvent = { id: r.id, at: first.at, every: r.every, count: r.count, assign: first.assign };
      if (r.description !== undefined) merged.description = r.description;
      const drop = new Set(idx.slice(1));
      m.events = m.events.map((e, i) => (i === idx[0] ? merged : e)).filter((_, i) => !drop.has(i));
    }
  }
  const frozen = a.frozenTimes ?? {};
  for (const e of m.events ?? []) if (e.id !== undefined && Object.hasOwn(frozen, e.id)) e.at = frozen[e.id];
  const unnamed = new Set(a.unnamedEvents ?? []);
  for (const e of m.events ?? []) if (e.id !== undefined && unnamed.has(e.id)) delete e.id;
  const items = a.items ?? {};
  const attach = (x: { id?: string; description?: string; units?: string; prior?: Prior; value?: number }, fields: ('description' | 'units' | 'prior')[]): void => {
    const it = x.id === undefined ? undefined : Object.hasOwn(items, x.id) ? items[x.id] : undefined;
    if (!it) return;
    for (const f of fields) if (it[f] !== undefined) (x as Record<string, unknown>)[f] = it[f];
    if (it.noValue && fields.includes('prior')) delete x.value;
  };
  for (const p of m.parameters) attach(p, ['prior', 'description', 'units']);
  for (const s of m.species) attach(s, ['description', 'units']);
  for (const r of m.rules) attach(r, ['description']);
  for (const o of m.odes) attach(o, ['description']);
  for (const r of m.reactions) attach(r, ['description']);
  for (const o of m.observables) attach(o, ['description', 'units']);
  for (const e of m.events ?? []) attach(e, ['description']);
  return m;
}
