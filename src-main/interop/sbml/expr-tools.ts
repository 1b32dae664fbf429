/**
 * Small helpers over the expression AST used by SBML conversion: node builders, substitution,
 * name collection and constant folding (so generated initial values stay readable). Nodes built here carry `pos: 0`: they come from XML, not text.
 */
import type { BinaryOp, Expr, FunctionName, UnaryOp } from '../../model/expr/ast.ts';
import { evaluateExpr } from '../../model/expr/evaluate.ts';
import { formatExpr } from '../../model/expr/format.ts';

/** Model-language text of an expression (the project's canonical printer). */
export function printExpr(e: Expr): string {
  return formatExpr(e);
}

export function num(value: number): Expr {
  return { kind: 'num', value, pos: 0 };
}
export function ref(name: string): Expr {
  return { kind: 'name', name, pos: 0 };
}
export function bin(op: BinaryOp, left: Expr, right: Expr): Expr {
  return { kind: 'binary', op, left, right, pos: 0 };
}
export function un(op: UnaryOp, arg: Expr): Expr {
  return { kind: 'unary', op, arg, pos: 0 };
}
export function call(fn: FunctionName, args: Expr[]): Expr {
  return { kind: 'call', fn, args, pos: 0 };
}

/** Left-associated chain `a op b op c`; `empty` when there are no operands. */
export function chain(op: BinaryOp, args: Expr[], empty: Expr): Expr {
  if (args.length === 0) return empty;
  return args.slice(1).reduce((acc, a) => bin(op, acc, a), args[0]);
}

/** Replace names by expressions (`map` returns undefined to keep a name). */
export function substitute(e: Expr, map: (name: string) => Expr | undefined): Expr {
  switch (e.kind) {
    case 'num':
      return e;
    case 'name':
      return map(e.name) ?? e;
    case 'unary':
      return { ...e, arg: substitute(e.arg, map) };
    case 'binary':
      return { ...e, left: substitute(e.left, map), right: substitute(e.right, map) };
    case 'call':
      return { ...e, args: e.args.map((a) => substitute(a, map)) };
  }
}

/** Every name used in an expression (including `t`). */
export function namesIn(e: Expr, into: Set<string> = new Set()): Set<string> {
  switch (e.kind) {
    case 'num':
      break;
    case 'name':
      into.add(e.name);
      break;
    case 'unary':
      namesIn(e.arg, into);
      break;
    case 'binary':
      namesIn(e.left, into);
      namesIn(e.right, into);
      break;
    case 'call':
      for (const a of e.args) namesIn(a, into);
      break;
  }
  return into;
}

const LOGIC_OPS: ReadonlySet<BinaryOp> = new Set(['<', '<=', '>', '>=', '==', '!=', '&&', '||']);

/** True for nodes whose value is a truth value (comparisons and logic). */
export function isBoolean(e: Expr): boolean {
  if (e.kind === 'binary') return LOGIC_OPS.has(e.op);
  if (e.kind === 'unary') return e.op === '!';
  return false;
}

/** Evaluate with `lookup` giving names' values (undefined: the name is unknown → throws). */
export function evaluate(e: Expr, lookup: (name: string) => number | undefined): number {
  return evaluateExpr(e, (name) => {
    const v = lookup(name);
    if (v === undefined) throw new Error(`no value for "${name}"`);
    return v;
  });
}

/** True when the expression has no names at all (so it can be folded to a number). */
export function isConstant(e: Expr): boolean {
  return namesIn(e).size === 0;
}

/**
 * Fold arithmetic on literal numbers only (`2 * 3` → 6, `x * 1` left alone), so that generated
 * expressions such as an initial amount `1e-5 * 1` stay readable without changing any value
 * computed from names.
 */
export function foldConstants(e: Expr): Expr {
  switch (e.kind) {
    case 'num':
    case 'name':
      return e;
    case 'unary': {
      const arg = foldConstants(e.arg);
      if (e.op === '-' && arg.kind === 'num') return num(-arg.value);
      return { ...e, arg };
    }
    case 'binary': {
      const left = foldConstants(e.left);
      const right = foldConstants(e.right);
      const out: Expr = { ...e, left, right };
      // x·1 and 1·x are exactly x for every double, so dropping the 1 changes no value.
      if (e.op === '*' && left.kind === 'num' && left.value === 1) return right;
      if ((e.op === '*' || e.op === '/') && right.kind === 'num' && right.value === 1) return left;
      if (left.kind === 'num' && right.kind === 'num' && !LOGIC_OPS.has(e.op)) {
        const v = evaluate(out, () => undefined);
        if (Number.isFinite(v)) return num(v);
      }
      return out;
    }
    case 'call':
      return { ...e, args: e.args.map(foldConstants) };
  }
}
