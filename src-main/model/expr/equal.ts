/** Structural equality of expressions. */
import type { Expr } from './ast.ts';

/**
 * True when both trees have the same shape, operators, names and numbers (compared with
 * Object.is, so 0 and -0 differ and NaN equals NaN); positions are ignored.
 */
export function exprEquals(a: Expr, b: Expr): boolean {
  // An explicit stack: trees need not be shallow.
  const stack: [Expr, Expr][] = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop() as [Expr, Expr];
    if (x === y) continue;
    switch (x.kind) {
      case 'num':
        if (y.kind !== 'num' || !Object.is(x.value, y.value)) return false;
        break;
      case 'name':
        if (y.kind !== 'name' || x.name !== y.name) return false;
        break;
      case 'unary':
        if (y.kind !== 'unary' || x.op !== y.op) return false;
        stack.push([x.arg, y.arg]);
        break;
      case 'binary':
        if (y.kind !== 'binary' || x.op !== y.op) return false;
        stack.push([x.left, y.left], [x.right, y.right]);
        break;
      case 'call':
        if (y.kind !== 'call' || x.fn !== y.fn || x.args.length !== y.args.length) return false;
        for (let i = 0; i < x.args.length; i++) stack.push([x.args[i], y.args[i]]);
        break;
    }
  }
  return true;
}
