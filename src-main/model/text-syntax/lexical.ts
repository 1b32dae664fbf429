/**
 * Vocabulary shared by the text syntax's parser and formatter: distribution argument tables,
 * number and string literals, and when an expression may be written bare rather than quoted.
 * Keeping both directions on the same predicates is what makes the round trip lossless.
 */
import type { NoiseDist, PriorDist } from '../schema.ts';

/** Argument names of each prior, in positional order; the first `required` are mandatory. */
export const PRIOR_ARGS = {
  uniform: { fields: ['low', 'high'], required: 2 },
  loguniform: { fields: ['low', 'high'], required: 2 },
  normal: { fields: ['mean', 'sd', 'low', 'high'], required: 2 },
  lognormal: { fields: ['mu', 'sigma'], required: 2 },
  gamma: { fields: ['shape', 'rate'], required: 2 },
  beta: { fields: ['a', 'b'], required: 2 },
  exponential: { fields: ['rate'], required: 1 },
  halfnormal: { fields: ['sd'], required: 1 },
} as const satisfies Record<PriorDist, { fields: readonly string[]; required: number }>;

/** Argument names of each observation noise, in positional order; all are mandatory. */
export const NOISE_ARGS = {
  normal: { fields: ['sd'], required: 1 },
  lognormal: { fields: ['sigma'], required: 1 },
  poisson: { fields: [], required: 0 },
  negbinomial: { fields: ['dispersion'], required: 1 },
  binomial: { fields: ['n'], required: 1 },
} as const satisfies Record<NoiseDist, { fields: readonly string[]; required: number }>;

export interface ArgTable {
  readonly fields: readonly string[];
  readonly required: number;
}

export const IDENT_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Accepts what JSON and JS print for finite numbers (`1`, `-0.5`, `1e+21`) plus `.5` and `1.`.
const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** True when `s`, written bare in an expression slot, would be read back as a JSON number. */
export function isNumberLiteral(s: string): boolean {
  return NUMBER_RE.test(s);
}

/** Shortest text that reads back as exactly `n` (String() loses the sign of -0). */
export function formatNumber(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}

/** A JSON string literal: every string (quotes, newlines, lone surrogates) survives it. */
export function quote(s: string): string {
  return JSON.stringify(s);
}

/**
 * Where an expression stands decides what ends it when written bare:
 * `line` ends only at the statement's punctuation; `arg` also at a top-level `,` or `)`;
 * `assign` also at a top-level `,`; `timing` (event times) also at the words `every`/`count`;
 * `timing-first` is `at`'s slot in an event without id, which must not begin with the word `at`.
 */
export type ExprSlot = 'line' | 'arg' | 'assign' | 'timing' | 'timing-first';

/** Characters that never occur in an expression, so they end a bare one wherever they stand. */
export const HARD_STOPS: ReadonlySet<string> = new Set(['"', '#', ';', '~', '[', ']', ':', '\n', '\r']);

/**
 * Whether the expression string `s` can be written bare in `slot` and read back identically.
 * Deliberately conservative: anything doubtful is quoted, which is always exact. In `textOnly`
 * fields (rates, rules, derivatives, observables) a number-like string needs no quotes.
 */
export function isBareSafe(s: string, slot: ExprSlot, textOnly = false): boolean {
  if (s.length === 0 || s !== s.trim() || s.startsWith('=') || (!textOnly && isNumberLiteral(s))) return false;
  let depth = 0;
  for (const c of s) {
    if (HARD_STOPS.has(c)) return false;
    if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
    else if (c === ',' && depth === 0 && slot !== 'line' && slot !== 'timing' && slot !== 'timing-first') return false;
  }
  if (depth !== 0) return false;
  if ((slot === 'timing' || slot === 'timing-first') && /\b(?:every|count)\b/.test(s)) return false;
  if (slot === 'timing-first' && /^at\b/.test(s)) return false;
  return true;
}

/** Units written bare inside `[...]` when that reads back identically, else as a quoted string. */
export function formatUnits(u: string): string {
  const bare = u.length > 0 && u === u.trim() && !/["#[\]\n\r]/.test(u);
  return `[${bare ? u : quote(u)}]`;
}

/** Layout keys are free strings; identifiers are written bare. */
export function formatKey(k: string): string {
  return IDENT_RE.test(k) ? k : quote(k);
}

/** JSON-path-like segment for a record key, matching how problems name fields. */
export function keyPath(k: string): string {
  return IDENT_RE.test(k) ? `.${k}` : `[${quote(k)}]`;
}
