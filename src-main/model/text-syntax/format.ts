/**
 * JSON → text for the model text syntax: canonical, one statement per line, columns aligned
 * within each section. Whatever cannot be written bare is quoted, so nothing is lost.
 */
import type { Model, ModelEvent, Noise, Observable, Prior, Reaction } from '../schema.ts';
import { NOISE_ARGS, PRIOR_ARGS, formatKey, formatNumber, formatUnits, isBareSafe, quote, type ArgTable, type ExprSlot } from './lexical.ts';

// Columns wider than this are not padded, so that one long cell does not push every line right.
const ALIGN_CAP = 36;

/** Formats a model (JSON, zod defaults applied or not) as canonical text. */
export function formatModelText(model: Model): string {
  const header = [`model ${quote(model.name)}`];
  if (model.description !== undefined) header.push(`description ${quote(model.description)}`);
  if (model.source !== undefined) header.push(`source ${quote(model.source)}`);
  if (model.timeUnits !== undefined) header.push(`time_units ${quote(model.timeUnits)}`);

  const sections: string[][] = [header];
  const add = (rows: string[][]): void => {
    if (rows.length > 0) sections.push(alignRows(rows));
  };
  add((model.parameters ?? []).map((p) => [
    `parameter ${p.id}`,
    p.value === undefined ? '' : `= ${formatNumber(p.value)}`,
    p.prior === undefined ? '' : `~ ${formatPrior(p.prior)}`,
    annotations(p.units, p.description),
  ]));
  add((model.species ?? []).map((s) => [`species ${s.id}`, `= ${expr(s.initial, 'line')}`, annotations(s.units, s.description)]));
  add((model.rules ?? []).map((r) => [`rule ${r.id}`, `= ${expr(r.expr, 'line', true)}`, annotations(undefined, r.description)]));
  add((model.odes ?? []).map((o) => [
    `ode ${o.id}'`, `= ${expr(o.derivative, 'line', true)}`, `; initial ${expr(o.initial, 'line')}`, annotations(undefined, o.description),
  ]));
  add((model.reactions ?? []).map(reactionRow));
  add((model.observables ?? []).map(observableRow));
  if (model.events !== undefined) {
    if (model.events.length === 0) sections.push(['events none']);
    else add(model.events.map(eventRow));
  }
  if (model.layout !== undefined) {
    const entries = Object.entries(model.layout);
    if (entries.length === 0) sections.push(['layout none']);
    else add(entries.map(([k, p]) => [`layout ${formatKey(k)}`, formatNumber(p.x), formatNumber(p.y)]));
  }
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

function expr(v: number | string, slot: ExprSlot, textOnly = false): string {
  if (typeof v === 'number') return formatNumber(v);
  return isBareSafe(v, slot, textOnly) ? v : quote(v);
}

function annotations(units: string | undefined, description: string | undefined): string {
  const parts: string[] = [];
  if (units !== undefined) parts.push(formatUnits(units));
  if (description !== undefined) parts.push(quote(description));
  return parts.join(' ');
}

// Named arguments always: `gamma(shape=2, rate=1)` says which parameterisation is meant.
function formatArgs(dist: string, values: Record<string, unknown>, table: ArgTable | undefined): string {
  const names = table ? table.fields.filter((f) => values[f] !== undefined) : Object.keys(values).filter((k) => k !== 'dist');
  if (names.length === 0) return dist;
  const args = names.map((f) => `${f}=${expr(values[f] as number | string, 'arg')}`);
  return `${dist}(${args.join(', ')})`;
}

function formatPrior(prior: Prior): string {
  const table: ArgTable | undefined = Object.hasOwn(PRIOR_ARGS, prior.dist) ? PRIOR_ARGS[prior.dist] : undefined;
  return formatArgs(prior.dist, prior, table);
}

function formatNoise(noise: Noise): string {
  const table: ArgTable | undefined = Object.hasOwn(NOISE_ARGS, noise.dist) ? NOISE_ARGS[noise.dist] : undefined;
  return formatArgs(noise.dist, noise, table);
}

// Absent side: nothing written; an explicitly empty `{}` side: `∅` (both mean source or sink).
function side(s: Record<string, number> | undefined): string {
  if (s === undefined) return '';
  const terms = Object.entries(s).map(([id, n]) => (n === 1 ? id : `${formatNumber(n)} ${id}`));
  return terms.length === 0 ? '∅' : terms.join(' + ');
}

function reactionRow(r: Reaction): string[] {
  const to = side(r.to);
  return [`${r.id}:`, side(r.from), to === '' ? '->' : `-> ${to}`, `; ${expr(r.rate, 'line', true)}`, annotations(undefined, r.description)];
}

function observableRow(o: Observable): string[] {
  return [`observable ${o.id}`, `= ${expr(o.expr, 'line', true)}`, o.noise === undefined ? '' : `~ ${formatNoise(o.noise)}`, annotations(o.units, o.description)];
}

function eventRow(e: ModelEvent): string[] {
  let timing = e.id === undefined ? 'event at ' : `event ${e.id} at `;
  timing += expr(e.at, e.id === undefined ? 'timing-first' : 'timing');
  if (e.every !== undefined) timing += ` every ${expr(e.every, 'timing')}`;
  if (e.count !== undefined) timing += ` count ${formatNumber(e.count)}`;
  const assigns = Object.entries(e.assign).map(([k, v]) => `${k} = ${expr(v, 'assign')}`);
  return [`${timing}: ${assigns.join(', ')}`, annotations(undefined, e.description)];
}

/** Pads each column to its widest cell (up to ALIGN_CAP); columns empty on every row vanish. */
function alignRows(rows: string[][]): string[] {
  const columns = Math.max(...rows.map((r) => r.length));
  const widths: number[] = [];
  for (let c = 0; c < columns; c++) {
    const cells = rows.map((r) => r[c] ?? '');
    widths.push(cells.some((x) => x !== '') ? Math.max(0, ...cells.map((x) => x.length).filter((n) => n <= ALIGN_CAP)) : -1);
  }
  return rows.map((r) => {
    const cells: string[] = [];
    for (let c = 0; c < columns; c++) {
      if (widths[c] < 0) continue;
      const cell = r[c] ?? '';
      cells.push(c === columns - 1 ? cell : cell.padEnd(widths[c]));
    }
    return cells.join(' ').trimEnd();
  });
}
