/**
 * Expression → text with the fewest parentheses the parser needs: `parseExpr(formatExpr(e))`
 * gives back `e` (positions aside) for every tree the parser can produce. Numbers print in the
 * shortest form that reads back as the same double.
 */
import type { BinaryOp, Expr } from './ast.ts';

/** Binding strength of each form; mirrors the parser's levels in parse.ts. */
const PREC_OR = 1;
const PREC_AND = 2;
const PREC_EQ = 3;
const PREC_REL = 4;
const PREC_ADD = 5;
const PREC_MUL = 6;
const PREC_UNARY = 7;
const PREC_POW = 8;
const PREC_ATOM = 9;

const BINARY_PREC: ReadonlyMap<BinaryOp, number> = new Map<BinaryOp, number>([
  ['||', PREC_OR], ['&&', PREC_AND], ['==', PREC_EQ], ['!=', PREC_EQ],
  ['<', PREC_REL], ['<=', PREC_REL], ['>', PREC_REL], ['>=', PREC_REL],
  ['+', PREC_ADD], ['-', PREC_ADD], ['*', PREC_MUL], ['/', PREC_MUL], ['^', PREC_POW],
]);

/**
 * A number's text. Negative numbers (made by simplification; the parser never makes them) print
 * with a sign and bind like a unary minus; non-finite ones as the division that makes them.
 */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return '0/0';
  if (value === Infinity) return '1/0';
  if (value === -Infinity) return '-1/0';
  if (Object.is(value, -0)) return '-0';
  // String() gives the shortest round-tripping form (ECMAScript Number::toString), e.g. 1e+21, 5e-324.
  return String(value);
}

function precedence(e: Expr): number {
  switch (e.kind) {
    case 'num':
      if (!Number.isFinite(e.value)) return PREC_MUL;
      return e.value < 0 || Object.is(e.value, -0) ? PREC_UNARY : PREC_ATOM;
    case 'name':
    case 'call':
      return PREC_ATOM;
    case 'unary':
      return PREC_UNARY;
    case 'binary':
      return BINARY_PREC.get(e.op) as number;
  }
}

function wrap(text: string, parens: boolean): string {
  return parens ? `(${text})` : text;
}

/** Formats an expression as text in the expression language. */
export function formatExpr(expr: Expr): string {
  switch (expr.kind) {
    case 'num':
      return formatNumber(expr.value);
    case 'name':
      return expr.name;
    case 'call':
      return `${expr.fn}(${expr.args.map(formatExpr).join(', ')})`;
    case 'unary': {
      const arg = formatExpr(expr.arg);
      // Unary operators nest freely (`--x`, `-!x`); a power binds tighter so needs nothing either.
      return expr.op + wrap(arg, precedence(expr.arg) < PREC_UNARY);
    }
    case 'binary': {
      const p = BINARY_PREC.get(expr.op) as number;
      const lp = precedence(expr.left);
      const rp = precedence(expr.right);
      if (expr.op === '^') {
        // Right-associative and tighter than unary: `(-a)^b`, `(a^b)^c`, but `a^b^c` and `a^-b`.
        const left = wrap(formatExpr(expr.left), lp <= PREC_POW);
        const right = wrap(formatExpr(expr.right), rp < PREC_UNARY);
        return `${left}^${right}`;
      }
      const left = wrap(formatExpr(expr.left), lp < p);
      const right = wrap(formatExpr(expr.right), rp <= p);
      return `${left} ${expr.op} ${right}`;
    }
  }
}
