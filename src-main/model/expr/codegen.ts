/**
 * Expression tree → JavaScript source, to be compiled with `new Function` (compile.ts).
 *
 * Why `new Function` is safe here: the source is generated only from a parsed, validated tree.
 * User text never reaches it: numbers are printed from doubles, operators and functions come from
 * fixed tables, and every name goes through the caller's resolver, which maps it to a generated
 * identifier (`y[0]`, `p[3]`, `r2`). A name that the resolver does not know is a bug and throws.
 *
 * Semantics match evaluate.ts: comparisons and logic give 1 or 0; a value is true when `!== 0`.
 */
import type { Expr, FunctionName } from './ast.ts';

/** Maps a name (a model id, `t`, or an internal local) to a JS expression; throws for unknown names. */
export type NameResolver = (name: string) => string;

const MATH_FUNCTIONS: ReadonlyMap<FunctionName, string> = new Map<FunctionName, string>([
  ['exp', 'Math.exp'], ['log', 'Math.log'], ['log10', 'Math.log10'], ['sqrt', 'Math.sqrt'],
  ['abs', 'Math.abs'], ['sin', 'Math.sin'], ['cos', 'Math.cos'], ['tan', 'Math.tan'],
  ['floor', 'Math.floor'], ['ceil', 'Math.ceil'], ['min', 'Math.min'], ['max', 'Math.max'],
  ['pow', 'Math.pow'],
]);

const COMPARISONS: ReadonlyMap<string, string> = new Map([
  ['<', '<'], ['<=', '<='], ['>', '>'], ['>=', '>='], ['==', '==='], ['!=', '!=='],
]);

/** A JS literal for a double: exact (shortest round-trip form), parenthesised when negative. */
export function jsNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '(-Infinity)';
  if (Object.is(value, -0)) return '(-0)';
  return value < 0 ? `(${String(value)})` : String(value);
}

/** A power with a small integer exponent, as multiplications when the base is cheap to repeat. */
function power(base: Expr, exponent: Expr, resolve: NameResolver): string {
  const b = emit(base, resolve);
  if (exponent.kind === 'num' && (base.kind === 'name' || base.kind === 'num')) {
    if (exponent.value === 2) return `(${b} * ${b})`;
    if (exponent.value === 3) return `(${b} * ${b} * ${b})`;
  }
  return `Math.pow(${b}, ${emit(exponent, resolve)})`;
}

function emit(expr: Expr, resolve: NameResolver): string {
  switch (expr.kind) {
    case 'num':
      return jsNumber(expr.value);
    case 'name':
      if (expr.name === 'pi') return 'Math.PI';
      if (expr.name === 'e') return 'Math.E';
      return resolve(expr.name);
    case 'unary': {
      const a = emit(expr.arg, resolve);
      return expr.op === '-' ? `(-${a})` : `(${a} === 0 ? 1 : 0)`;
    }
    case 'binary': {
      if (expr.op === '^') return power(expr.left, expr.right, resolve);
      const a = emit(expr.left, resolve);
      const b = emit(expr.right, resolve);
      const cmp = COMPARISONS.get(expr.op);
      if (cmp !== undefined) return `(${a} ${cmp} ${b} ? 1 : 0)`;
      if (expr.op === '&&') return `(${a} !== 0 && ${b} !== 0 ? 1 : 0)`;
      if (expr.op === '||') return `(${a} !== 0 || ${b} !== 0 ? 1 : 0)`;
      return `(${a} ${expr.op} ${b})`;
    }
    case 'call': {
      if (expr.fn === 'if') {
        const [c, a, b] = expr.args.map((x) => emit(x, resolve));
        return `(${c} !== 0 ? ${a} : ${b})`;
      }
      if (expr.fn === 'pow') return power(expr.args[0], expr.args[1], resolve);
      const fn = MATH_FUNCTIONS.get(expr.fn) as string;
      return `${fn}(${expr.args.map((x) => emit(x, resolve)).join(', ')})`;
    }
  }
}

/** JS source of an expression: an expression (not a statement), fully parenthesised. */
export function codegenExpr(expr: Expr, resolve: NameResolver): string {
  return emit(expr, resolve);
}

/**
 * Compiles one expression to a function of an array of values, `vars[i]` ↦ `values[i]` (for
 * previews and tests; the simulators use the whole-model functions of compile.ts).
 */
export function compileExpr(expr: Expr, vars: readonly string[]): (values: ArrayLike<number>) => number {
  const index = new Map(vars.map((v, i) => [v, i]));
  const source = codegenExpr(expr, (name) => {
    const i = index.get(name);
    if (i === undefined) throw new Error(`compileExpr: no value for the name "${name}"`);
    return `v[${i}]`;
  });
  // Safe: the source comes from the tree only (see the file comment).
  return new Function('v', `"use strict"; return ${source};`) as (values: ArrayLike<number>) => number;
}
