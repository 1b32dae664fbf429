/**
 * Names in expressions: which ones an expression uses, whether they are known, and the closest
 * known name for a typo. Resolution is by Set/Map only: `constructor`, `__proto__` or `toString`
 * are ordinary unknown names, never properties of some object.
 */
import { CONSTANTS, type Expr, type ExprProblem } from './ast.ts';

const CONSTANT_NAMES: ReadonlySet<string> = new Set(Object.keys(CONSTANTS));

/** True for `pi` and `e`, which every expression may use. */
export function isConstantName(name: string): boolean {
  return CONSTANT_NAMES.has(name);
}

/** Calls `visit` on every node of the tree, parents before children, left to right. */
export function walkExpr(expr: Expr, visit: (node: Expr) => void): void {
  // An explicit stack: trees from other sources (SBML import) need not respect the parser's depth bound.
  const stack: Expr[] = [expr];
  while (stack.length > 0) {
    const node = stack.pop() as Expr;
    visit(node);
    switch (node.kind) {
      case 'unary':
        stack.push(node.arg);
        break;
      case 'binary':
        stack.push(node.right, node.left);
        break;
      case 'call':
        for (let i = node.args.length - 1; i >= 0; i--) stack.push(node.args[i]);
        break;
      default:
        break;
    }
  }
}

/** The names an expression refers to (including `t`, excluding the constants pi and e), in order of first use. */
export function freeNames(expr: Expr): Set<string> {
  const names = new Set<string>();
  walkExpr(expr, (node) => {
    if (node.kind === 'name' && !CONSTANT_NAMES.has(node.name)) names.add(node.name);
  });
  return names;
}

/** True when the expression uses `name` (e.g. `t`). */
export function usesName(expr: Expr, name: string): boolean {
  let found = false;
  walkExpr(expr, (node) => {
    if (node.kind === 'name' && node.name === name) found = true;
  });
  return found;
}

/**
 * Optimal-string-alignment distance (Damerau–Levenshtein with adjacent transpositions, each
 * substring edited once): `bta`→`beta` is 1, `gamam`→`gamma` is 1.
 */
export function damerauLevenshtein(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  const w = m + 1;
  const d = new Array<number>((n + 1) * w);
  for (let i = 0; i <= n; i++) d[i * w] = i;
  for (let j = 0; j <= m; j++) d[j] = j;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1, d[(i - 1) * w + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * w + j - 2] + 1);
      d[i * w + j] = v;
    }
  }
  return d[n * w + m];
}

/**
 * The candidate closest to `name`, or null when none is close enough to be a plausible typo.
 * A match differing only in case wins; otherwise the smallest distance, at most 1 for names of
 * up to 5 characters and 2 beyond (one-letter names get no suggestion: every other one-letter
 * name would be "close"). Ties go to the earlier candidate.
 */
export function closestName(name: string, candidates: Iterable<string>): string | null {
  const lower = name.toLowerCase();
  const limit = name.length <= 1 ? 0 : name.length <= 5 ? 1 : 2;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    if (candidate.toLowerCase() === lower) return candidate;
    const dist = damerauLevenshtein(lower, candidate.toLowerCase());
    if (dist <= limit && dist < bestDistance) {
      best = candidate;
      bestDistance = dist;
    }
  }
  return best;
}

export interface CheckNamesOptions {
  /**
   * Names that exist in the model but may not be used here, with the reason, e.g.
   * `S` → `species cannot be used in initial values (only parameters)`.
   */
  notAllowed?: ReadonlyMap<string, string>;
}

/**
 * One problem per use of a name that is not in `known` (constants pi and e are always known; `t`
 * only when `known` has it). Unknown names get the closest known name as a suggestion.
 */
export function checkNames(expr: Expr, known: ReadonlySet<string>, options: CheckNamesOptions = {}): ExprProblem[] {
  const problems: ExprProblem[] = [];
  walkExpr(expr, (node) => {
    if (node.kind !== 'name') return;
    const name = node.name;
    if (known.has(name) || CONSTANT_NAMES.has(name)) return;
    const reason = options.notAllowed?.get(name);
    if (reason !== undefined) {
      problems.push({ message: `"${name}" ${reason}`, pos: node.pos, name });
      return;
    }
    const problem: ExprProblem = { message: `unknown name "${name}"`, pos: node.pos, name };
    // `time` is reserved for clarity but the language spells time `t`.
    const suggestion = name === 'time' && known.has('t') ? 't' : closestName(name, known);
    if (suggestion !== null) problem.suggestion = suggestion;
    problems.push(problem);
  });
  return problems;
}
