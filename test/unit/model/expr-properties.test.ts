/**
 * Property tests of the expression pipeline on random trees: text round trip, generated code
 * against a reference tree-walking evaluator written here, and symbolic derivatives against
 * central finite differences.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, type BinaryOp, type Expr, type FunctionName } from '../../../src-main/model/expr/ast.ts';
import { compileExpr } from '../../../src-main/model/expr/codegen.ts';
import { derive, simplify, substitute } from '../../../src-main/model/expr/derive.ts';
import { exprEquals } from '../../../src-main/model/expr/equal.ts';
import { formatExpr } from '../../../src-main/model/expr/format.ts';
import { parseExpr } from '../../../src-main/model/expr/parse.ts';

const BINARY_OPS: BinaryOp[] = ['+', '-', '*', '/', '^', '<', '<=', '>', '>=', '==', '!=', '&&', '||'];
const FUNCTION_LIST = Object.entries(FUNCTIONS) as [FunctionName, number][];
const VARS = ['x', 'y', 't', 'k_1'];

/** Random trees of at most `depth` levels, built level by level (each level reuses the one below). */
function arbExpr(leaf: fc.Arbitrary<Expr>, depth: number, ops = BINARY_OPS, fns = FUNCTION_LIST): fc.Arbitrary<Expr> {
  let level: fc.Arbitrary<Expr> = leaf;
  for (let d = 0; d < depth; d++) {
    const sub = level;
    const unary = fc.record({ op: fc.constantFrom('-' as const, '!' as const), arg: sub }).map(({ op, arg }): Expr => ({ kind: 'unary', op, arg, pos: 0 }));
    const bin = fc.record({ op: fc.constantFrom(...ops), left: sub, right: sub }).map(({ op, left, right }): Expr => ({ kind: 'binary', op, left, right, pos: 0 }));
    const call = fc.constantFrom(...fns).chain(([fn, arity]) => {
      const n = arity >= 0 ? fc.constant(arity) : fc.integer({ min: -arity, max: 4 });
      return n.chain((len) => fc.array(sub, { minLength: len, maxLength: len })).map((args): Expr => ({ kind: 'call', fn, args, pos: 0 }));
    });
    level = fc.oneof({ weight: 2, arbitrary: leaf }, { weight: 1, arbitrary: unary }, { weight: 3, arbitrary: bin }, { weight: 2, arbitrary: call });
  }
  return level;
}

const arbNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 0, max: 1000 }),
  fc.constantFrom(0.1, 0.5, 2.5e-3, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, 123456789.123),
  fc.double({ min: 0, max: Number.MAX_VALUE, noNaN: true }).map((v) => (v === 0 ? 0 : v)),
);
const arbLeaf: fc.Arbitrary<Expr> = fc.oneof(
  arbNumber.map((value): Expr => ({ kind: 'num', value, pos: 0 })),
  fc.constantFrom(...VARS, 'pi', 'e').map((name): Expr => ({ kind: 'name', name, pos: 0 })),
);

/** The reference: what each operator means, written independently of src-main/model/expr/evaluate.ts. */
function reference(e: Expr, env: ReadonlyMap<string, number>): number {
  switch (e.kind) {
    case 'num': return e.value;
    case 'name':
      if (e.name === 'pi') return Math.PI;
      if (e.name === 'e') return Math.E;
      return env.get(e.name) as number;
    case 'unary': {
      const a = reference(e.arg, env);
      return e.op === '-' ? -a : Number(a === 0);
    }
    case 'binary': {
      const a = reference(e.left, env);
      const b = reference(e.right, env);
      switch (e.op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return a / b;
        case '^': return refPow(e.left, e.right, a, b);
        case '<': return Number(a < b);
        case '<=': return Number(a <= b);
        case '>': return Number(a > b);
        case '>=': return Number(a >= b);
        case '==': return Number(a === b);
        case '!=': return Number(a !== b);
        case '&&': return Number(a !== 0 && b !== 0);
        case '||': return Number(a !== 0 || b !== 0);
      }
      throw new Error('op');
    }
    case 'call': {
      const v = e.args.map((x) => reference(x, env));
      switch (e.fn) {
        case 'if': return v[0] !== 0 ? v[1] : v[2];
        case 'min': return Math.min(...v);
        case 'max': return Math.max(...v);
        case 'pow': return refPow(e.args[0], e.args[1], v[0], v[1]);
        default: return (Math[e.fn] as (x: number) => number)(v[0]);
      }
    }
  }
}

/**
 * Powers as codegen.ts documents them: x^2 and x^3 of a name or number as products (so the
 * comparison below can be exact), everything else Math.pow.
 */
function refPow(base: Expr, exponent: Expr, a: number, b: number): number {
  if (exponent.kind === 'num' && (base.kind === 'name' || base.kind === 'num')) {
    if (b === 2) return a * a;
    if (b === 3) return a * a * a;
  }
  return Math.pow(a, b);
}

function sameNumber(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

describe('expression properties', () => {
  it('parseExpr(formatExpr(e)) is e, for random trees', () => {
    fc.assert(fc.property(arbExpr(arbLeaf, 5), (e) => {
      const text = formatExpr(e);
      const back = parseExpr(text);
      if (!exprEquals(back, e)) throw new Error(`round trip changed ${text} into ${formatExpr(back)}`);
      // Formatting is a fixed point.
      expect(formatExpr(back)).toBe(text);
    }), { numRuns: 1500 });
  });

  it('numbers print exactly (doubles round-trip)', () => {
    fc.assert(fc.property(fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }), (v) => {
      const e = parseExpr(formatExpr({ kind: 'num', value: v, pos: 0 }));
      expect(e.kind === 'num' && e.value === v).toBe(true);
    }), { numRuns: 2000 });
  });

  it('generated code equals the reference evaluator', () => {
    const arbValue = fc.oneof(fc.constantFrom(0, -0, 1, -1, 2, 0.5, -2.5, 3, 1e300, -1e-300, Infinity, NaN), fc.double({ min: -1e6, max: 1e6, noNaN: true }));
    fc.assert(fc.property(arbExpr(arbLeaf, 4), fc.array(arbValue, { minLength: VARS.length, maxLength: VARS.length }), (e, values) => {
      const env = new Map(VARS.map((v, i) => [v, values[i]]));
      const f = compileExpr(e, VARS);
      const got = f(values);
      const want = reference(e, env);
      if (!sameNumber(got, want)) throw new Error(`${formatExpr(e)} at ${JSON.stringify(values)}: code gives ${got}, reference ${want}`);
    }), { numRuns: 3000 });
  });

  it('simplify preserves values on finite inputs (up to rounding)', () => {
    const smallLeaf = fc.oneof(
      fc.constantFrom(0, 1, 2, 0.5, 3).map((value): Expr => ({ kind: 'num', value, pos: 0 })),
      fc.constantFrom('x', 'y').map((name): Expr => ({ kind: 'name', name, pos: 0 })),
    );
    // Functions finite everywhere: simplify's x*0 → 0 is documented to assume finite x.
    const finiteFns = FUNCTION_LIST.filter(([fn]) => ['sin', 'cos', 'abs', 'floor', 'ceil', 'min', 'max', 'if'].includes(fn));
    fc.assert(fc.property(arbExpr(smallLeaf, 4, ['+', '-', '*', '<', '&&'], finiteFns), fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }), (e, x, y) => {
      const a = compileExpr(e, ['x', 'y'])([x, y]);
      const b = compileExpr(simplify(e), ['x', 'y'])([x, y]);
      fc.pre(Number.isFinite(a) && Math.abs(a) < 1e12);
      expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(a)));
    }), { numRuns: 1500 });
  });

  it('symbolic derivatives match central finite differences on smooth expressions', () => {
    // Smooth building blocks only; denominators and log/sqrt arguments kept ≥ 1 by construction.
    const leaf = fc.oneof(
      fc.constantFrom(0.5, 1, 2, 3).map((value): Expr => ({ kind: 'num', value, pos: 0 })),
      fc.constantFrom('x', 'y').map((name): Expr => ({ kind: 'name', name, pos: 0 })),
    );
    const one: Expr = { kind: 'num', value: 1, pos: 0 };
    const sq = (a: Expr): Expr => ({ kind: 'binary', op: '^', left: a, right: { kind: 'num', value: 2, pos: 0 }, pos: 0 });
    const onePlusSq = (a: Expr): Expr => ({ kind: 'binary', op: '+', left: one, right: sq(a), pos: 0 });
    let level: fc.Arbitrary<Expr> = leaf;
    for (let d = 0; d < 3; d++) {
      const sub = level;
      const bin = fc.record({ op: fc.constantFrom<BinaryOp>('+', '-', '*'), left: sub, right: sub }).map(({ op, left, right }): Expr => ({ kind: 'binary', op, left, right, pos: 0 }));
      const div = fc.tuple(sub, sub).map(([a, b]): Expr => ({ kind: 'binary', op: '/', left: a, right: onePlusSq(b), pos: 0 }));
      const powInt = fc.tuple(sub, fc.constantFrom(2, 3)).map(([a, k]): Expr => ({ kind: 'binary', op: '^', left: a, right: { kind: 'num', value: k, pos: 0 }, pos: 0 }));
      const powGeneral = fc.tuple(sub, sub).map(([a, b]): Expr => ({ kind: 'call', fn: 'pow', args: [onePlusSq(a), { kind: 'call', fn: 'sin', args: [b], pos: 0 }], pos: 0 }));
      const fn = fc.tuple(fc.constantFrom<FunctionName>('exp', 'sin', 'cos', 'log', 'sqrt', 'log10'), sub).map(([f, a]): Expr => {
        const arg = f === 'log' || f === 'sqrt' || f === 'log10' ? onePlusSq(a) : f === 'exp' ? { kind: 'call', fn: 'sin', args: [a], pos: 0 } as Expr : a;
        return { kind: 'call', fn: f, args: [arg], pos: 0 };
      });
      const neg = sub.map((a): Expr => ({ kind: 'unary', op: '-', arg: a, pos: 0 }));
      level = fc.oneof(leaf, bin, div, powInt, powGeneral, fn, neg);
    }
    fc.assert(fc.property(level, fc.double({ min: 0.5, max: 2, noNaN: true }), fc.double({ min: 0.5, max: 2, noNaN: true }), (e, x, y) => {
      const f = compileExpr(e, ['x', 'y']);
      const df = compileExpr(derive(e, 'x'), ['x', 'y']);
      const fx = f([x, y]);
      fc.pre(Number.isFinite(fx) && Math.abs(fx) < 1e4);
      // Central differences at h and h/2, combined by Richardson extrapolation (error O(h⁴)); their
      // disagreement estimates the finite-difference error. Cases where finite differences have not
      // converged (fast oscillation such as sin(x^9)) are skipped rather than blamed on derive.
      const central = (h: number): number => (f([x + h, y]) - f([x - h, y])) / (2 * h);
      const h = 1e-4;
      const fd1 = central(h);
      const fd2 = central(h / 2);
      const fd = (4 * fd2 - fd1) / 3;
      const scale = 1 + Math.abs(fx) + Math.abs(fd);
      const fdError = Math.abs(fd2 - fd1);
      fc.pre(fdError <= 1e-3 * scale);
      const d = df([x, y]);
      const tol = 1e-7 * scale + fdError;
      if (!(Math.abs(d - fd) <= tol)) throw new Error(`d/dx ${formatExpr(e)} at x=${x}, y=${y}: symbolic ${d} (${formatExpr(derive(e, 'x'))}), finite differences ${fd}`);
    }), { numRuns: 2000 });
  });

  it('substitute then evaluate equals evaluate with the substituted value', () => {
    // No powers: x^2 of a name becomes x*x but of a substituted subtree Math.pow, which may differ in the last bit.
    const noPow = arbExpr(arbLeaf, 3, BINARY_OPS.filter((op) => op !== '^'), FUNCTION_LIST.filter(([fn]) => fn !== 'pow'));
    fc.assert(fc.property(noPow, fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true }), (e, xv, yv) => {
      const repl = parseExpr('y * 2 + 1');
      const substituted = substitute(e, new Map([['x', repl]]));
      const vars = VARS.map((v) => (v === 'x' ? yv * 2 + 1 : v === 'y' ? yv : xv));
      const want = compileExpr(e, VARS)(vars);
      const got = compileExpr(substituted, VARS)(vars);
      expect(sameNumber(got, want)).toBe(true);
    }), { numRuns: 800 });
  });
});
