/**
 * Symbolic differentiation, algebraic simplification and substitution on expression trees. The
 * stiff ODE solver's Jacobian is generated from these (compile.ts).
 *
 * Simplification is the usual symbolic one: `x*0 → 0` and `0/x → 0` hold for finite x only (with
 * x infinite or NaN the generated code would otherwise give NaN). Constant folding keeps a node
 * unfolded when its value would not be finite, so trees never hold NaN or Infinity literals.
 * New nodes take the position of the node they were derived from.
 */
import type { BinaryOp, Expr, FunctionName } from './ast.ts';
import { exprEquals } from './equal.ts';
import { applyBinary, applyCall, applyUnary } from './evaluate.ts';

function num(value: number, pos: number): Expr {
  return { kind: 'num', value, pos };
}

function isNum(e: Expr, value: number): boolean {
  return e.kind === 'num' && e.value === value;
}

function folded(value: number, pos: number): Expr | null {
  return Number.isFinite(value) ? num(value, pos) : null;
}

/** −a, simplified. */
export function neg(a: Expr, pos = a.pos): Expr {
  if (a.kind === 'num') return num(-a.value, pos);
  if (a.kind === 'unary' && a.op === '-') return a.arg;
  return { kind: 'unary', op: '-', arg: a, pos };
}

/** A binary node, simplified (folding, neutral and absorbing elements, signs). */
export function binary(op: BinaryOp, a: Expr, b: Expr, pos = a.pos): Expr {
  if (a.kind === 'num' && b.kind === 'num') {
    // A non-finite result stays as written (`1/0`, `0/0`): the rules below assume finite values.
    return folded(applyBinary(op, a.value, b.value), pos) ?? { kind: 'binary', op, left: a, right: b, pos };
  }
  switch (op) {
    case '+':
      if (isNum(a, 0)) return b;
      if (isNum(b, 0)) return a;
      if (b.kind === 'unary' && b.op === '-') return binary('-', a, b.arg, pos);
      if (b.kind === 'num' && b.value < 0) return binary('-', a, num(-b.value, b.pos), pos);
      if (a.kind === 'unary' && a.op === '-') return binary('-', b, a.arg, pos);
      break;
    case '-':
      if (isNum(b, 0)) return a;
      if (isNum(a, 0)) return neg(b, pos);
      if (b.kind === 'unary' && b.op === '-') return binary('+', a, b.arg, pos);
      if (b.kind === 'num' && b.value < 0) return binary('+', a, num(-b.value, b.pos), pos);
      if (exprEquals(a, b)) return num(0, pos);
      break;
    case '*':
      if (isNum(a, 0) || isNum(b, 0)) return num(0, pos);
      if (isNum(a, 1)) return b;
      if (isNum(b, 1)) return a;
      if (isNum(a, -1)) return neg(b, pos);
      if (isNum(b, -1)) return neg(a, pos);
      if (a.kind === 'unary' && a.op === '-') return neg(binary('*', a.arg, b, pos), pos);
      if (b.kind === 'unary' && b.op === '-') return neg(binary('*', a, b.arg, pos), pos);
      // Constants first, so `2*(3*x)` and `(x*2)*3` meet as `6*x`.
      if (b.kind === 'num' && a.kind !== 'num') return binary('*', b, a, pos);
      if (a.kind === 'num' && b.kind === 'binary' && b.op === '*' && b.left.kind === 'num') {
        return binary('*', binary('*', a, b.left, pos), b.right, pos);
      }
      break;
    case '/':
      if (isNum(a, 0)) return num(0, pos);
      if (isNum(b, 1)) return a;
      if (isNum(b, -1)) return neg(a, pos);
      if (a.kind === 'unary' && a.op === '-') return neg(binary('/', a.arg, b, pos), pos);
      break;
    case '^':
      if (isNum(b, 1)) return a;
      if (isNum(b, 0)) return num(1, pos);
      break;
    default:
      break;
  }
  return { kind: 'binary', op, left: a, right: b, pos };
}

/** A call node, simplified (folding; `if` with a constant condition or equal branches). */
export function call(fn: FunctionName, args: Expr[], pos: number): Expr {
  if (fn === 'if') {
    const [c, a, b] = args;
    if (c.kind === 'num') return c.value !== 0 ? a : b;
    if (exprEquals(a, b)) return a;
  } else if (args.every((x) => x.kind === 'num')) {
    const f = folded(applyCall(fn, args.map((x) => (x as { value: number }).value)), pos);
    if (f) return f;
  }
  return { kind: 'call', fn, args, pos };
}

/** Simplifies bottom-up: constant folding, x*0, x*1, x+0, 0/x, x^1, x^0, --x, if on a constant. */
export function simplify(expr: Expr): Expr {
  switch (expr.kind) {
    case 'num':
    case 'name':
      return expr;
    case 'unary': {
      const arg = simplify(expr.arg);
      if (expr.op === '-') return neg(arg, expr.pos);
      if (arg.kind === 'num') return num(applyUnary('!', arg.value), expr.pos);
      return arg === expr.arg ? expr : { kind: 'unary', op: '!', arg, pos: expr.pos };
    }
    case 'binary':
      return binary(expr.op, simplify(expr.left), simplify(expr.right), expr.pos);
    case 'call':
      return call(expr.fn, expr.args.map(simplify), expr.pos);
  }
}

/** Replaces every use of a name in `values` by its expression (once: replacements are not searched again). */
export function substitute(expr: Expr, values: ReadonlyMap<string, Expr>): Expr {
  switch (expr.kind) {
    case 'num':
      return expr;
    case 'name':
      return values.get(expr.name) ?? expr;
    case 'unary': {
      const arg = substitute(expr.arg, values);
      return arg === expr.arg ? expr : { ...expr, arg };
    }
    case 'binary': {
      const left = substitute(expr.left, values);
      const right = substitute(expr.right, values);
      return left === expr.left && right === expr.right ? expr : { ...expr, left, right };
    }
    case 'call': {
      const args = expr.args.map((a) => substitute(a, values));
      return args.every((a, i) => a === expr.args[i]) ? expr : { ...expr, args };
    }
  }
}

/** d(a^b) from a, b and their derivatives. */
function derivePower(base: Expr, exponent: Expr, da: Expr, db: Expr, pos: number): Expr {
  // Simplified so that `x^-1` gives `-x^-2`, not `-1 * x^(-1 - 1)`.
  const a = simplify(base);
  const b = simplify(exponent);
  if (isNum(db, 0)) {
    // Constant exponent: b·a^(b−1)·a'. Avoids log(a), which is NaN for a < 0 (e.g. x^2 at x = −1).
    if (isNum(da, 0)) return num(0, pos);
    return binary('*', binary('*', b, binary('^', a, binary('-', b, num(1, pos), pos), pos), pos), da, pos);
  }
  // General case: a^b·(b'·log(a) + b·a'/a).
  const inner = binary('+', binary('*', db, call('log', [a], pos), pos), binary('/', binary('*', b, da, pos), a, pos), pos);
  return binary('*', binary('^', a, b, pos), inner, pos);
}

/** d/dx of min(args) or max(args): the derivative of the argument that is selected (first on ties). */
function deriveMinMax(fn: 'min' | 'max', args: Expr[], name: string, pos: number): Expr {
  const first = args[0];
  const rest = args.length === 2 ? args[1] : call(fn, args.slice(1), pos);
  const dFirst = derive(first, name);
  const dRest = args.length === 2 ? derive(args[1], name) : deriveMinMax(fn, args.slice(1), name, pos);
  if (exprEquals(dFirst, dRest)) return dFirst;
  return call('if', [binary(fn === 'min' ? '<=' : '>=', first, rest, pos), dFirst, dRest], pos);
}

/**
 * The derivative of `expr` with respect to the name `name`, simplified. Other names are constants.
 * Piecewise functions differentiate piecewise: if(c,a,b) → if(c,a',b'), abs → if(a<0,−a',a'),
 * min/max → the selected argument's derivative; comparisons, logic, floor and ceil → 0.
 */
export function derive(expr: Expr, name: string): Expr {
  const pos = expr.pos;
  switch (expr.kind) {
    case 'num':
      return num(0, pos);
    case 'name':
      return num(expr.name === name ? 1 : 0, pos);
    case 'unary':
      return expr.op === '-' ? neg(derive(expr.arg, name), pos) : num(0, pos);
    case 'binary': {
      const a = expr.left;
      const b = expr.right;
      switch (expr.op) {
        case '+':
        case '-':
          return binary(expr.op, derive(a, name), derive(b, name), pos);
        case '*': {
          const da = derive(a, name);
          const db = derive(b, name);
          return binary('+', binary('*', da, b, pos), binary('*', a, db, pos), pos);
        }
        case '/': {
          const da = derive(a, name);
          const db = derive(b, name);
          if (isNum(db, 0)) return binary('/', da, b, pos);
          // (a'·b − a·b')/b²
          const top = binary('-', binary('*', da, b, pos), binary('*', a, db, pos), pos);
          return binary('/', top, binary('^', b, num(2, pos), pos), pos);
        }
        case '^':
          return derivePower(a, b, derive(a, name), derive(b, name), pos);
        default:
          return num(0, pos);
      }
    }
    case 'call': {
      const args = expr.args;
      if (expr.fn === 'if') return call('if', [args[0], derive(args[1], name), derive(args[2], name)], pos);
      if (expr.fn === 'min' || expr.fn === 'max') return deriveMinMax(expr.fn, args, name, pos);
      if (expr.fn === 'pow') return derivePower(args[0], args[1], derive(args[0], name), derive(args[1], name), pos);
      if (expr.fn === 'floor' || expr.fn === 'ceil') return num(0, pos);
      const a = args[0];
      const da = derive(a, name);
      if (isNum(da, 0)) return num(0, pos);
      switch (expr.fn) {
        case 'exp':
          return binary('*', call('exp', [a], pos), da, pos);
        case 'log':
          return binary('/', da, a, pos);
        case 'log10':
          return binary('/', da, binary('*', a, num(Math.LN10, pos), pos), pos);
        case 'sqrt':
          return binary('/', da, binary('*', num(2, pos), call('sqrt', [a], pos), pos), pos);
        case 'abs':
          return call('if', [binary('<', a, num(0, pos), pos), neg(da, pos), da], pos);
        case 'sin':
          return binary('*', call('cos', [a], pos), da, pos);
        case 'cos':
          return neg(binary('*', call('sin', [a], pos), da, pos), pos);
        case 'tan':
          return binary('/', da, binary('^', call('cos', [a], pos), num(2, pos), pos), pos);
      }
    }
  }
}
