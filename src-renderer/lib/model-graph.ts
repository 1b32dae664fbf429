/**
 * Model ⇄ diagram: species are boxes; each reaction is one arrow from the species it consumes to the
 * species it produces, or from a source (∅) / to a sink (∅) node of its own. Plain TS, no Svelte:
 * the canvas component only renders what this returns and calls the edit functions below.
 */
import type { Model, Reaction } from '../../src-main/model/schema.ts';

export interface GraphNode {
  id: string;
  kind: 'species' | 'source' | 'sink';
  label: string;
  /** For species: its initial value as text; for sources/sinks: the reaction. */
  detail: string;
  x: number;
  y: number;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  reaction: string;
  rate: string;
  /** Species that change the rate without being consumed (e.g. I in S + I -> 2 I). */
  modifiers: string[];
}

export const SOURCE_PREFIX = 'source:';
export const SINK_PREFIX = 'sink:';
const GAP = 180;

/** Net change of each species in a reaction (to − from). */
export function netChange(r: Pick<Reaction, 'from' | 'to'>): Map<string, number> {
  const net = new Map<string, number>();
  for (const [s, k] of Object.entries(r.from ?? {})) net.set(s, (net.get(s) ?? 0) - k);
  for (const [s, k] of Object.entries(r.to ?? {})) net.set(s, (net.get(s) ?? 0) + k);
  return net;
}

/** The arrow of a reaction: first consumed species (or its source) → first produced species (or its sink). */
export function reactionEnds(r: Reaction): { source: string; target: string; modifiers: string[] } {
  const net = netChange(r);
  const consumed = [...net].filter(([, d]) => d < 0).map(([s]) => s);
  const produced = [...net].filter(([, d]) => d > 0).map(([s]) => s);
  const modifiers = Object.keys(r.from ?? {}).filter((s) => !consumed.includes(s));
  return {
    source: consumed[0] ?? SOURCE_PREFIX + r.id,
    target: produced[0] ?? SINK_PREFIX + r.id,
    modifiers,
  };
}

/** Nodes and edges for a model; positions from `layout`, else a left-to-right default. */
export function modelToGraph(model: Model): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const layout = model.layout ?? {};
  const nodes: GraphNode[] = model.species.map((s, i) => ({
    id: s.id, kind: 'species', label: s.id, detail: String(s.initial),
    x: layout[s.id]?.x ?? 100 + i * GAP, y: layout[s.id]?.y ?? 200,
  }));
  const pos = new Map(nodes.map((n) => [n.id, n]));
  const edges: GraphEdge[] = [];
  for (const r of model.reactions) {
    const { source, target, modifiers } = reactionEnds(r);
    for (const [end, kind, anchor, dx] of [[source, 'source', target, -GAP * 0.7], [target, 'sink', source, GAP * 0.7]] as const) {
      if (pos.has(end)) continue;
      const a = pos.get(anchor);
      const node: GraphNode = {
        id: end, kind, label: '∅', detail: r.id,
        x: layout[end]?.x ?? (a ? a.x + dx : 100), y: layout[end]?.y ?? (a ? a.y + 90 : 320),
      };
      nodes.push(node);
      pos.set(end, node);
    }
    edges.push({ id: r.id, source, target, reaction: r.id, rate: r.rate, modifiers });
  }
  return { nodes, edges };
}

/** Every id used in a model (parameters, species, rules, odes, observables, reactions). */
export function usedIds(model: Model): Set<string> {
  return new Set([
    ...model.parameters.map((p) => p.id), ...model.species.map((s) => s.id), ...model.rules.map((r) => r.id),
    ...model.odes.map((o) => o.id), ...model.observables.map((o) => o.id), ...model.reactions.map((r) => r.id),
  ]);
}

/** The first of `base`, `base2`, `base3`… not used in the model. */
export function freshId(model: Model, base: string): string {
  const used = usedIds(model);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}${i}`)) return `${base}${i}`;
}

/** A new species box at (x, y). */
export function addSpecies(model: Model, x: number, y: number, id?: string): Model {
  const sid = id ?? freshId(model, nextLetter(model));
  return { ...model, species: [...model.species, { id: sid, initial: 0 }], layout: { ...model.layout, [sid]: { x, y } } };
}

function nextLetter(model: Model): string {
  const used = usedIds(model);
  for (const c of 'ABCDEFGHJKLMNOPQSTUVWXYZ') if (!used.has(c)) return c;
  return 'X';
}

/**
 * A new flow between two nodes (species ids, or source:/sink: ids for an inflow/outflow): a
 * first-order reaction with a new rate parameter (prior LogNormal(0, 1)).
 */
export function addFlow(model: Model, source: string, target: string): { model: Model; reaction: string } {
  const fromSpecies = model.species.some((s) => s.id === source) ? source : null;
  const toSpecies = model.species.some((s) => s.id === target) ? target : null;
  if (!fromSpecies && !toSpecies) throw new Error('a flow needs a species at one end at least');
  const rid = freshId(model, fromSpecies && toSpecies ? `${fromSpecies}_to_${toSpecies}` : fromSpecies ? `loss_${fromSpecies}` : `inflow_${toSpecies}`);
  const withParam: Model = { ...model };
  const k = freshId(model, `k_${rid}`);
  withParam.parameters = [...model.parameters, { id: k, value: 1, prior: { dist: 'lognormal', mu: 0, sigma: 1 } }];
  const reaction: Reaction = {
    id: rid,
    ...(fromSpecies ? { from: { [fromSpecies]: 1 } } : {}),
    ...(toSpecies ? { to: { [toSpecies]: 1 } } : {}),
    rate: fromSpecies ? `${k} * ${fromSpecies}` : k,
  };
  const layout = { ...model.layout };
  // Keep a dropped source/sink where the user put it.
  for (const [end, prefix] of [[source, SOURCE_PREFIX], [target, SINK_PREFIX]] as const) {
    if (end.startsWith(prefix) && layout[end]) {
      layout[prefix + rid] = layout[end];
      delete layout[end];
    }
  }
  return { model: { ...withParam, reactions: [...model.reactions, reaction], layout }, reaction: rid };
}

/** Move nodes (from a drag); positions rounded to whole pixels. */
export function moveNodes(model: Model, moves: Record<string, { x: number; y: number }>): Model {
  const layout = { ...model.layout };
  for (const [id, p] of Object.entries(moves)) layout[id] = { x: Math.round(p.x), y: Math.round(p.y) };
  return { ...model, layout };
}

/** Remove a species (and the reactions that touch it) or a reaction. */
export function removeElement(model: Model, id: string): Model {
  const layout = { ...model.layout };
  delete layout[id];
  if (model.species.some((s) => s.id === id)) {
    const reactions = model.reactions.filter((r) => !(id in (r.from ?? {})) && !(id in (r.to ?? {})));
    return { ...model, species: model.species.filter((s) => s.id !== id), reactions, layout };
  }
  delete layout[SOURCE_PREFIX + id];
  delete layout[SINK_PREFIX + id];
  return { ...model, reactions: model.reactions.filter((r) => r.id !== id), layout };
}

/**
 * Auto-layout: species in layers by the longest chain of flows from the species with no inflow
 * (left to right, 180 px apart), rows within a layer; sources and sinks next to their species.
 */
export function autoLayout(model: Model): Model {
  const ids = model.species.map((s) => s.id);
  const succ = new Map(ids.map((id) => [id, new Set<string>()]));
  for (const r of model.reactions) {
    const { source, target } = reactionEnds(r);
    if (succ.has(source) && succ.has(target) && source !== target) succ.get(source)!.add(target);
  }
  const layer = new Map<string, number>(ids.map((id) => [id, 0]));
  // Longest path with a bound on passes (cycles such as SIRS simply stop growing).
  for (let pass = 0; pass < ids.length; pass++) {
    let changed = false;
    for (const [a, targets] of succ) for (const b of targets) {
      if (layer.get(b)! < layer.get(a)! + 1 && layer.get(a)! + 1 < ids.length) {
        layer.set(b, layer.get(a)! + 1);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const rows = new Map<number, number>();
  const layout: Record<string, { x: number; y: number }> = {};
  for (const id of ids) {
    const l = layer.get(id)!;
    const row = rows.get(l) ?? 0;
    rows.set(l, row + 1);
    layout[id] = { x: 100 + l * GAP, y: 200 + row * 140 };
  }
  return { ...model, layout };
}
