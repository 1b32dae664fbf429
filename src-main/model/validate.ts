/**
 * Validation of a model file: every problem at once, each with its path (`reactions[1].rate`),
 * and inside expressions the character position and a suggestion for a mistyped name.
 *
 * The schema (zod) and the checks of meaning (ids, names, cycles, ranges) both run on every
 * input: the checks of meaning read the raw input defensively, so a wrong field type in one
 * place does not hide an unknown name in another.
 */
import type { z } from 'zod';
import { RESERVED_NAMES, type Expr } from './expr/ast.ts';
import { checkNames, closestName, freeNames } from './expr/names.ts';
import { tryParseExpr } from './expr/parse.ts';
import { findJsonSyntaxError } from './json-errors.ts';
import type { ModelProblem } from './problems.ts';
import { modelSchema, type Model } from './schema.ts';

export interface ValidationResult {
  /** The model with defaults filled in, or null when there is any problem. */
  model: Model | null;
  problems: ModelProblem[];
}

type Raw = Record<string, unknown>;
type EntityKind = 'parameter' | 'species' | 'rule' | 'ode' | 'observable' | 'reaction' | 'event';

interface Entity {
  kind: EntityKind;
  id: string;
  path: string;
}

/** Sections in file order, for sorting problems the way a reader meets them. */
const SECTION_ORDER: readonly string[] = ['format', 'name', 'description', 'source', 'timeUnits', 'parameters', 'species', 'rules', 'odes', 'reactions', 'observables', 'events', 'layout'];

function isObject(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function rawArray(root: Raw, key: string): unknown[] {
  const v = root[key];
  return Array.isArray(v) ? v : [];
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `parameters[0].prior.sd` from ['parameters', 0, 'prior', 'sd']. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && IDENT.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    if (!Object.hasOwn(v, seg)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

/** What a zod schema node looks like from here (zod 4's `def`, typed loosely on purpose). */
interface SchemaDef {
  type: string;
  innerType?: { def: SchemaDef };
  element?: { def: SchemaDef };
  shape?: Record<string, { def: SchemaDef }>;
  options?: { def: SchemaDef }[];
  discriminator?: string;
  valueType?: { def: SchemaDef };
  in?: { def: SchemaDef };
  values?: unknown[];
}

function unwrap(def: SchemaDef): SchemaDef {
  let d = def;
  for (let guard = 0; guard < 20; guard++) {
    if ((d.type === 'optional' || d.type === 'default' || d.type === 'nullable' || d.type === 'prefault') && d.innerType) d = d.innerType.def;
    else if (d.type === 'pipe' && d.in) d = d.in.def;
    else break;
  }
  return d;
}

/** For a discriminated union, the option matching the raw object's discriminator. */
function pickOption(def: SchemaDef, raw: unknown): SchemaDef | null {
  if (def.type !== 'union' || !def.discriminator || !def.options || !isObject(raw)) return null;
  const tag = raw[def.discriminator];
  for (const o of def.options) {
    const lit = o.def.shape?.[def.discriminator]?.def;
    if (lit && lit.values?.includes(tag)) return unwrap(o.def);
  }
  return null;
}

/** The field names allowed in the object at `path`, for "did you mean" on unknown fields. */
function allowedKeysAt(root: unknown, path: readonly PropertyKey[]): string[] {
  let def: SchemaDef | null = unwrap((modelSchema as unknown as { def: SchemaDef }).def);
  for (let k = 0; k <= path.length && def; k++) {
    if (def.type === 'union') def = pickOption(def, valueAt(root, path.slice(0, k)));
    if (!def || k === path.length) break;
    const seg = path[k];
    if (def.type === 'array' && def.element) def = unwrap(def.element.def);
    else if (def.type === 'object' && def.shape && typeof seg === 'string' && Object.hasOwn(def.shape, seg)) def = unwrap(def.shape[seg].def);
    else if (def.type === 'record' && def.valueType) def = unwrap(def.valueType.def);
    else def = null;
  }
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `text ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v} ${String(v)}`;
}

/** One or more problems from one zod issue, with messages a modeller can act on. */
function fromZodIssue(issue: z.core.$ZodIssue, root: unknown): ModelProblem[] {
  const path = issue.path;
  const here = valueAt(root, path);
  const at = formatPath(path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeysAt(root, path);
      return issue.keys.map((key) => {
        const p: ModelProblem = { path: formatPath([...path, key]), message: `unknown field "${key}"${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}` };
        const s = closestName(key, allowed);
        if (s) p.suggestion = s;
        return p;
      });
    }
    case 'invalid_union': {
      if ('discriminator' in issue && issue.discriminator) {
        const options = (issue as { options?: unknown[] }).options ?? [];
        const list = options.map((o) => JSON.stringify(o)).join(', ');
        const p: ModelProblem = here === undefined
          ? { path: at, message: `is missing: must be one of ${list}` }
          : { path: at, message: `must be one of ${list} (found ${typeName(here)})` };
        if (typeof here === 'string') {
          const s = closestName(here, options.map(String));
          if (s) p.suggestion = s;
        }
        return [p];
      }
      if (here === undefined) return [{ path: at, message: 'is required (a number or an expression)' }];
      return [{ path: at, message: `must be a number or an expression in quotes (found ${typeName(here)})` }];
    }
    case 'invalid_type':
      if (here === undefined) return [{ path: at, message: `is required (${issue.expected})` }];
      return [{ path: at, message: `must be ${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`} (found ${typeName(here)})` }];
    case 'invalid_key': {
      const key = path[path.length - 1];
      return [{ path: at, message: `"${String(key)}" is not a valid id: an id is a letter or _ followed by letters, digits or _` }];
    }
    default:
      return [{ path: at, message: issue.message }];
  }
}

/** What a kind of entity is called in messages. */
const KIND_LABEL: Readonly<Record<EntityKind, string>> = {
  parameter: 'a parameter', species: 'a species', rule: 'a rule', ode: 'an ode', observable: 'an observable', reaction: 'a reaction', event: 'an event',
};

type Context = 'initial' | 'dynamic' | 'eventTime';

/** Which kinds each kind of expression may use, and how to say it when another is used. */
const CONTEXT_KINDS: Readonly<Record<Context, ReadonlySet<EntityKind>>> = {
  initial: new Set(['parameter']),
  dynamic: new Set(['parameter', 'species', 'ode', 'rule']),
  eventTime: new Set(['parameter']),
};
const CONTEXT_RULE: Readonly<Record<Context, string>> = {
  initial: 'initial values may use only parameters and t',
  dynamic: 'expressions may use parameters, species, odes, rules and t',
  eventTime: 'event times may use only parameters',
};

/**
 * Checks a model file already parsed from JSON (or built in code). Returns the model (with
 * defaults filled in) when there is no problem, and every problem found.
 */
export function validateModel(input: unknown): ValidationResult {
  const problems: ModelProblem[] = [];
  if (!isObject(input)) {
    return { model: null, problems: [{ path: '', message: `a model must be a JSON object (found ${typeName(input)})` }] };
  }
  const parsed = modelSchema.safeParse(input);
  if (!parsed.success) for (const issue of parsed.error.issues) problems.push(...fromZodIssue(issue, input));
  checkMeaning(input, problems);
  sortProblems(problems);
  return { model: parsed.success && problems.length === 0 ? parsed.data : null, problems: dedupe(problems) };
}

/** Parses JSON text (syntax errors with line:column) and validates the model. */
export function parseModelJson(text: string): ValidationResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a BOM from Windows editors is not an error
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    const found = findJsonSyntaxError(body);
    const message = found
      ? `invalid JSON at line ${found.line}, column ${found.column}: ${found.message}`
      : `invalid JSON: ${err instanceof Error ? err.message : String(err)}`;
    return { model: null, problems: [{ path: '', message }] };
  }
  return validateModel(value);
}

function sortKey(path: string): [number, number] {
  const m = /^([A-Za-z]+)(?:\[(\d+)\])?/.exec(path);
  if (!m) return [-1, 0];
  const rank = SECTION_ORDER.indexOf(m[1]);
  return [rank < 0 ? SECTION_ORDER.length : rank, m[2] === undefined ? -1 : Number(m[2])];
}

function sortProblems(problems: ModelProblem[]): void {
  const keyed = problems.map((p, i) => ({ p, i, k: sortKey(p.path) }));
  keyed.sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.i - b.i);
  for (let i = 0; i < keyed.length; i++) problems[i] = keyed[i].p;
}

function dedupe(problems: ModelProblem[]): ModelProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.pos ?? ''}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The checks of meaning, on the raw input (fields of the wrong type are skipped: zod reports them). */
function checkMeaning(root: Raw, problems: ModelProblem[]): void {
  const entities = new Map<string, Entity>();
  const byKind = new Map<EntityKind, Set<string>>();
  for (const k of Object.keys(KIND_LABEL) as EntityKind[]) byKind.set(k, new Set());

  // When a section or an id is malformed, the set of names is incomplete: unknown-name checks
  // would then report every use of the missing names, burying the one real problem.
  let namesComplete = true;
  const register = (kind: EntityKind, item: unknown, path: string): void => {
    if (!isObject(item) || typeof item.id !== 'string') {
      if (kind !== 'event' || !isObject(item) || item.id !== undefined) namesComplete = false;
      return;
    }
    const id = item.id;
    const idPath = `${path}.id`;
    // Reserved ids are reported and not registered: `t` in an expression still means time.
    if (RESERVED_NAMES.has(id)) {
      problems.push({ path: idPath, message: `"${id}" is a reserved name (t, time, the functions and the constants pi and e); choose another id` });
      return;
    }
    if (id === '__proto__') {
      problems.push({ path: idPath, message: '"__proto__" cannot be used as an id (it cannot be a key in JSON objects such as "from" or "assign")' });
      return;
    }
    const previous = entities.get(id);
    if (previous) {
      problems.push({ path: idPath, message: `duplicate id "${id}": already the id of ${KIND_LABEL[previous.kind]} (${previous.path})` });
      return;
    }
    entities.set(id, { kind, id, path });
    byKind.get(kind)?.add(id);
  };

  const sections: [string, EntityKind][] = [
    ['parameters', 'parameter'], ['species', 'species'], ['rules', 'rule'], ['odes', 'ode'],
    ['observables', 'observable'], ['reactions', 'reaction'], ['events', 'event'],
  ];
  for (const [key, kind] of sections) {
    if (root[key] !== undefined && !Array.isArray(root[key])) namesComplete = false;
    rawArray(root, key).forEach((item, i) => register(kind, item, `${key}[${i}]`));
  }

  const known = new Map<Context, Set<string>>();
  const notAllowed = new Map<Context, Map<string, string>>();
  for (const ctx of ['initial', 'dynamic', 'eventTime'] as Context[]) {
    const allowed = CONTEXT_KINDS[ctx];
    const k = new Set<string>();
    const na = new Map<string, string>();
    for (const e of entities.values()) {
      if (allowed.has(e.kind)) k.add(e.id);
      else if (e.kind === 'observable') na.set(e.id, 'is an observable: observables cannot be used in expressions');
      else if (e.kind === 'reaction' || e.kind === 'event') na.set(e.id, `is ${KIND_LABEL[e.kind]}, not a quantity`);
      else na.set(e.id, `is ${KIND_LABEL[e.kind]}: ${CONTEXT_RULE[ctx]}`);
    }
    if (ctx === 'eventTime') na.set('t', `cannot be used here: ${CONTEXT_RULE[ctx]}`);
    else k.add('t');
    known.set(ctx, k);
    notAllowed.set(ctx, na);
  }

  /** Parses and checks the names of a number-or-expression field; returns the tree when it parsed. */
  const checkExpr = (value: unknown, path: string, ctx: Context): Expr | null => {
    if (typeof value !== 'string' || value.length === 0) return null;
    const r = tryParseExpr(value);
    if (r.error) {
      problems.push({ path, message: r.error.message, pos: r.error.pos });
      return null;
    }
    if (!namesComplete) return r.expr;
    for (const p of checkNames(r.expr, known.get(ctx) as Set<string>, { notAllowed: notAllowed.get(ctx) })) {
      const mp: ModelProblem = { path, message: p.message, pos: p.pos };
      if (p.suggestion) mp.suggestion = p.suggestion;
      problems.push(mp);
    }
    return r.expr;
  };
  const positiveNumber = (value: unknown, path: string, what: string): void => {
    if (typeof value === 'number' && Number.isFinite(value) && !(value > 0)) problems.push({ path, message: `${what} must be > 0 (found ${value})` });
  };

  // Parameters: a value or a prior; ranges in the right order.
  rawArray(root, 'parameters').forEach((item, i) => {
    if (!isObject(item)) return;
    const path = `parameters[${i}]`;
    if (item.value === undefined && item.prior === undefined) {
      problems.push({ path, message: 'needs a "value" (fixed) or a "prior" (unknown, to be inferred)' });
    }
    const prior = item.prior;
    if (!isObject(prior)) return;
    const { low, high } = prior;
    if (typeof low === 'number' && typeof high === 'number' && !(low < high)) {
      problems.push({ path: `${path}.prior.high`, message: `must be greater than low (${low})` });
    }
  });

  rawArray(root, 'species').forEach((item, i) => {
    if (!isObject(item)) return;
    const path = `species[${i}].initial`;
    if (typeof item.initial === 'number' && item.initial < 0) problems.push({ path, message: `must be ≥ 0 (found ${item.initial})` });
    checkExpr(item.initial, path, 'initial');
  });

  // Rules: names, then cycles among them.
  const ruleDeps: { id: string; path: string; deps: string[] }[] = [];
  const ruleIds = byKind.get('rule') as Set<string>;
  rawArray(root, 'rules').forEach((item, i) => {
    if (!isObject(item)) return;
    const path = `rules[${i}].expr`;
    const expr = checkExpr(item.expr, path, 'dynamic');
    if (expr && typeof item.id === 'string') ruleDeps.push({ id: item.id, path, deps: [...freeNames(expr)].filter((n) => ruleIds.has(n)) });
  });
  for (const cycle of findRuleCycles(ruleDeps)) {
    const first = ruleDeps.find((r) => r.id === cycle[0]);
    problems.push({ path: first?.path ?? 'rules', message: `rules form a cycle: ${[...cycle, cycle[0]].join(' → ')}` });
  }

  rawArray(root, 'odes').forEach((item, i) => {
    if (!isObject(item)) return;
    checkExpr(item.initial, `odes[${i}].initial`, 'initial');
    checkExpr(item.derivative, `odes[${i}].derivative`, 'dynamic');
  });

  const species = byKind.get('species') as Set<string>;
  const checkStateTarget = (key: string, path: string, allowed: ReadonlySet<EntityKind>, what: string, candidates: Iterable<string>): void => {
    const e = entities.get(key);
    if (e && allowed.has(e.kind)) return;
    if (!e && !namesComplete) return;
    if (e) {
      problems.push({ path, message: `"${key}" is ${KIND_LABEL[e.kind]}: ${what}` });
      return;
    }
    const p: ModelProblem = { path, message: `unknown ${allowed.size === 1 ? 'species' : 'target'} "${key}": ${what}` };
    const s = closestName(key, candidates);
    if (s) p.suggestion = s;
    problems.push(p);
  };

  const speciesOnly: ReadonlySet<EntityKind> = new Set(['species']);
  rawArray(root, 'reactions').forEach((item, i) => {
    if (!isObject(item)) return;
    for (const side of ['from', 'to']) {
      const st = item[side];
      if (!isObject(st)) continue;
      for (const key of Object.keys(st)) {
        checkStateTarget(key, formatPath([`reactions`, i, side, key]), speciesOnly, 'reactions change only species', species);
      }
    }
    checkExpr(item.rate, `reactions[${i}].rate`, 'dynamic');
  });

  rawArray(root, 'observables').forEach((item, i) => {
    if (!isObject(item)) return;
    checkExpr(item.expr, `observables[${i}].expr`, 'dynamic');
    const noise = item.noise;
    if (!isObject(noise)) return;
    for (const field of ['sd', 'sigma', 'dispersion', 'n']) {
      if (!Object.hasOwn(noise, field)) continue;
      const path = `observables[${i}].noise.${field}`;
      const v = noise[field];
      if (field === 'n') {
        if (typeof v === 'number' && Number.isFinite(v) && !(Number.isInteger(v) && v > 0)) {
          problems.push({ path, message: `the number of trials must be a positive integer (found ${v})` });
        }
      } else {
        positiveNumber(v, path, field);
      }
      checkExpr(v, path, 'dynamic');
    }
  });

  const targets: ReadonlySet<EntityKind> = new Set(['species', 'ode', 'parameter']);
  const targetIds = [...entities.values()].filter((e) => targets.has(e.kind)).map((e) => e.id);
  rawArray(root, 'events').forEach((item, i) => {
    if (!isObject(item)) return;
    const path = `events[${i}]`;
    checkExpr(item.at, `${path}.at`, 'eventTime');
    checkExpr(item.every, `${path}.every`, 'eventTime');
    positiveNumber(item.every, `${path}.every`, 'the interval');
    if (typeof item.count === 'number' && item.count > 1 && item.every === undefined) {
      problems.push({ path: `${path}.count`, message: 'needs "every" (the interval between occurrences) to repeat the event' });
    }
    const assign = item.assign;
    if (!isObject(assign)) return;
    for (const key of Object.keys(assign)) {
      const p = formatPath(['events', i, 'assign', key]);
      checkStateTarget(key, p, targets, 'events can assign only species, odes or parameters', targetIds);
      checkExpr(assign[key], p, 'dynamic');
    }
  });
}

/**
 * Cycles among rules, each as its list of ids, starting at the rule that comes first in the file.
 * Uses Kahn's algorithm: rules left over after removing every acyclic one lie on or behind cycles.
 */
export function findRuleCycles(rules: readonly { id: string; deps: readonly string[] }[]): string[][] {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const order = topologicalOrder(rules.map((r) => r.deps.map((d) => index.get(d)).filter((d): d is number => d !== undefined)));
  const done = new Set(order);
  const cycles: string[][] = [];
  const reported = new Set<number>();
  for (let start = 0; start < rules.length; start++) {
    if (done.has(start) || reported.has(start)) continue;
    // Walk unresolved dependencies until a rule repeats: that stretch is a cycle.
    const seenAt = new Map<number, number>();
    const walk: number[] = [];
    let cur: number | undefined = start;
    while (cur !== undefined && !seenAt.has(cur)) {
      seenAt.set(cur, walk.length);
      walk.push(cur);
      // A left-over rule always has a left-over dependency (else Kahn's algorithm would have taken it).
      cur = rules[cur].deps.map((d) => index.get(d)).find((d) => d !== undefined && !done.has(d));
    }
    if (cur === undefined) continue;
    const cycle = walk.slice(seenAt.get(cur));
    if (cycle.some((c) => reported.has(c))) continue;
    for (const c of cycle) reported.add(c);
    const first = cycle.indexOf(Math.min(...cycle));
    cycles.push([...cycle.slice(first), ...cycle.slice(0, first)].map((c) => rules[c].id));
  }
  return cycles;
}

/**
 * Indices in an order where each comes after its dependencies (`deps[i]`: indices that i uses),
 * ties in index order; indices on or behind a cycle are left out.
 */
export function topologicalOrder(deps: readonly (readonly number[])[]): number[] {
  const n = deps.length;
  const pending = new Int32Array(n);
  const users: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    const unique = new Set(deps[i]);
    pending[i] = unique.size;
    for (const d of unique) users[d].push(i);
  }
  const order: number[] = [];
  // Smallest index first, for a stable, file-like order (n is small: a linear scan is fine).
  const ready: number[] = [];
  for (let i = 0; i < n; i++) if (pending[i] === 0) ready.push(i);
  while (ready.length > 0) {
    let best = 0;
    for (let j = 1; j < ready.length; j++) if (ready[j] < ready[best]) best = j;
    const i = ready.splice(best, 1)[0];
    order.push(i);
    for (const u of users[i]) if (--pending[u] === 0) ready.push(u);
  }
  return order;
}
