/**
 * The meaning of each operator and function on numbers, and a tree-walking evaluator. Generated
 * code (codegen.ts) must agree with these; constant folding (simplify) uses them directly.
 * Truth: a value is true when it is not 0 (so NaN is true); comparisons and logic give 1 or 0.
 */
import type { BinaryOp, Expr, FunctionName, UnaryOp } from './ast.ts';
import { CONSTANTS } from './ast.ts';

const CONSTANT_VALUES: ReadonlyMap<string, number> = new Map(Object.entries(CONSTANTS));

/** The value of a unary operator. */
export function applyUnary(op: UnaryOp, a: number): number {
  return op === '-' ? -a : a === 0 ? 1 : 0;
}

/** The value of a binary operator. */
export function applyBinary(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    case '^': return Math.pow(a, b);
    case '<': return a < b ? 1 : 0;
    case '<=': return a <= b ? 1 : 0;
    case '>': return a > b ? 1 : 0;
    case '>=': return a >= b ? 1 : 0;
    case '==': return a === b ? 1 : 0;
    case '!=': return a !== b ? 1 : 0;
    case '&&': return a !== 0 && b !== 0 ? 1 : 0;
    case '||': return a !== 0 || b !== 0 ? 1 : 0;
  }
}

/** The value of a function call on evaluated arguments (`if` included: all three are given). */
export function applyCall(fn: FunctionName, args: readonly number[]): number {
  switch (fn) {
    case 'exp': return Math.exp(args[0]);
    case 'log': return Math.log(args[0]);
    case 'log10': return Math.log10(args[0]);
    case 'sqrt': return Math.sqrt(args[0]);
    case 'abs': return Math.abs(args[0]);
    case 'sin': return Math.sin(args[0]);
    case 'cos': return Math.cos(args[0]);
    case 'tan': return Math.tan(args[0]);
    case 'floor': return Math.floor(args[0]);
    case 'ceil': return Math.ceil(args[0]);
    case 'min': return Math.min(...args);
    case 'max': return Math.max(...args);
    case 'pow': return Math.pow(args[0], args[1]);
    case 'if': return args[0] !== 0 ? args[1] : args[2];
  }
}

/**
 * Evaluates by walking the tree: slow, for one-off values (validation, previews of a single
 * number). `lookup` gives the value of every name except the constants pi and e; it should
 * throw for names it does not know.
 */
export function evaluateExpr(expr: Expr, lookup: (name: string) => number): number {
  switch (expr.kind) {
    case 'num':
      return expr.value;
    case 'name': {
      const c = CONSTANT_VALUES.get(expr.name);
      return c !== undefined ? c : lookup(expr.name);
    }
    case 'unary':
      return applyUnary(expr.op, evaluateExpr(expr.arg, lookup));
    case 'binary':
      return applyBinary(expr.op, evaluateExpr(expr.left, lookup), evaluateExpr(expr.right, lookup));
    case 'call':
      if (expr.fn === 'if') {
        return evaluateExpr(expr.args[0], lookup) !== 0 ? evaluateExpr(expr.args[1], lookup) : evaluateExpr(expr.args[2], lookup);
      }
      return applyCall(expr.fn, expr.args.map((a) => evaluateExpr(a, lookup)));
  }
}
