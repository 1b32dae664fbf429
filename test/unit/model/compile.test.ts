import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../src-main/model/compile.ts';
import type { CompiledModel } from '../../../src-main/model/compiled.ts';
import { ModelError } from '../../../src-main/model/problems.ts';
import type { Model } from '../../../src-main/model/schema.ts';
import { validateModel } from '../../../src-main/model/validate.ts';
import { SIR } from './fixtures.ts';

function model(input: unknown): Model {
  const r = validateModel(input);
  if (!r.model) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.model;
}

/** Central finite-difference Jacobian of the compiled rhs. */
function fdJacobian(c: CompiledModel, t: number, y: Float64Array, p: Float64Array): Float64Array {
  const n = y.length;
  const J = new Float64Array(n * n);
  const fp = new Float64Array(n);
  const fm = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const h = 1e-6 * Math.max(1, Math.abs(y[j]));
    const yp = Float64Array.from(y);
    const ym = Float64Array.from(y);
    yp[j] += h;
    ym[j] -= h;
    c.rhs(t, yp, p, fp);
    c.rhs(t, ym, p, fm);
    for (let i = 0; i < n; i++) J[i * n + j] = (fp[i] - fm[i]) / (2 * h);
  }
  return J;
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, rel: number): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const tol = rel * (1 + Math.abs(want[i]));
    if (!(Math.abs(got[i] - want[i]) <= tol)) throw new Error(`entry ${i}: got ${got[i]}, want ${want[i]} (tolerance ${tol})`);
  }
}

describe('compileModel: SIR', () => {
  const c = compileModel(model(SIR));
  const p = Float64Array.from([1.7, 0.4, 0.2, 763]);
  const [beta, gamma, , N] = p;

  it('layouts and metadata', () => {
    expect(c.paramIds).toEqual(['beta', 'gamma', 'phi_inv', 'N']);
    expect(c.stateIds).toEqual(['S', 'I', 'R']);
    expect(c.nSpecies).toBe(3);
    expect(c.ruleIds).toEqual(['R0']);
    expect(c.observableIds).toEqual(['cases']);
    expect(c.reactionIds).toEqual(['infection', 'recovery']);
    expect(c.unknownParams).toEqual([0, 1, 2]);
    expect(c.hasOdes).toBe(false);
    expect(c.timeDependent).toBe(false);
    // value, else the prior's median: uniform (0.1+1)/2, exponential ln2/5.
    expect(Array.from(c.paramDefaults)).toEqual([1.7, 0.55, Math.LN2 / 5, 763]);
    expect(c.stoichiometry.map((s) => [Array.from(s.index), Array.from(s.delta)])).toEqual([[[0, 1], [-1, 1]], [[1, 2], [-1, 1]]]);
    expect(c.reactants.map((s) => [Array.from(s.index), Array.from(s.order)])).toEqual([[[0, 1], [1, 1]], [[1], [1]]]);
    expect(c.model.name).toBe('SIR');
  });

  it('initial, rhs, propensities, observe, rules, noise', () => {
    const y0 = new Float64Array(3);
    c.initial(p, y0, 0);
    expect(Array.from(y0)).toEqual([762, 1, 0]);
    const y = Float64Array.from([700, 50, 13]);
    const dydt = new Float64Array(3);
    c.rhs(0, y, p, dydt);
    const inf = (beta * y[0] * y[1]) / N;
    const rec = gamma * y[1];
    expectClose(dydt, [-inf, inf - rec, rec], 1e-15);
    const a = new Float64Array(2);
    c.propensities(0, y, p, a);
    expectClose(a, [inf, rec], 1e-15);
    const out = new Float64Array(1);
    c.observe(0, y, p, out);
    expect(out[0]).toBe(50);
    c.rules(0, y, p, out);
    expect(out[0]).toBeCloseTo(beta / gamma, 14);
    expect(c.noise[0]?.dist).toBe('negbinomial');
    expect(c.noise[0]?.param(0, y, p)).toBeCloseTo(1 / 0.2, 14);
  });

  it('jacobian equals the hand-written one', () => {
    const y = Float64Array.from([700, 50, 13]);
    const J = new Float64Array(9).fill(123); // stale values must be cleared
    c.jacobian(0, y, p, J);
    const [S, I] = y;
    expectClose(J, [
      -beta * I / N, -beta * S / N, 0,
      beta * I / N, beta * S / N - gamma, 0,
      0, gamma, 0,
    ], 1e-15);
  });

  it('builds the jacobian on first use; a reference taken before still works', () => {
    const fresh = compileModel(model(SIR));
    const stub = fresh.jacobian;
    const y = Float64Array.from([700, 50, 13]);
    const J1 = new Float64Array(9);
    const J2 = new Float64Array(9).fill(7);
    stub(0, y, p, J1);
    expect(fresh.jacobian).not.toBe(stub);
    fresh.jacobian(0, y, p, J2);
    stub(0, y, p, J2);
    expect(Array.from(J2)).toEqual(Array.from(J1));
  });

  it('computes only the rules a function needs', () => {
    expect(c.rhs.toString()).not.toContain('r0');
    expect(c.rules.toString()).toContain('const r0 =');
  });

  it('runs many calls quickly (straight-line code)', () => {
    const y = Float64Array.from([700, 50, 13]);
    const dydt = new Float64Array(3);
    const start = performance.now();
    for (let k = 0; k < 1_000_000; k++) {
      y[1] = 50 + (k & 7);
      c.rhs(k, y, p, dydt);
    }
    expect(performance.now() - start).toBeLessThan(2_000);
  });
});

describe('compileModel: rules, odes, time dependence', () => {
  const m = model({
    format: 'sgnn-model/1', name: 'mixed',
    parameters: [{ id: 'k1', value: 0.7 }, { id: 'K', value: 3 }, { id: 'mu', value: 1.5 }, { id: 'w', value: 0.3 }],
    species: [{ id: 'A', initial: 'K * 2' }, { id: 'B', initial: 't + 1' }],
    // Rules used in a chain, twice, and in an ode; `unused` must not appear in rhs.
    rules: [
      { id: 'total', expr: 'A + B + x' },
      { id: 'sat', expr: 'A / (K + total)' },
      { id: 'drive', expr: 'sat^2 * exp(-x^2) + if(A > B, sqrt(A), log(1 + B))' },
      { id: 'unused', expr: 'total * 1000' },
    ],
    odes: [
      { id: 'x', initial: 0.5, derivative: 'v' },
      { id: 'v', initial: '-mu', derivative: 'mu * (1 - x^2) * v - x + drive * sin(w * t)' },
    ],
    reactions: [
      { id: 'conv', from: { A: 2 }, to: { B: 1 }, rate: 'k1 * drive * A * (A - 1) / 2' },
      { id: 'back', from: { B: 1 }, to: { A: 1 }, rate: 'k1 * max(B, total / 10) * min(sat, 0.9, B)' },
      { id: 'src', to: { A: 1 }, rate: 'K * abs(v) + pow(total, 0.5)' },
    ],
    observables: [{ id: 'ratio', expr: 'A / total', noise: { dist: 'normal', sd: '0.1 * sat' } }, { id: 'pois', expr: 'B', noise: { dist: 'poisson' } }],
  });
  const c = compileModel(m);
  const p = Float64Array.from([0.7, 3, 1.5, 0.3]);

  it('metadata', () => {
    expect(c.stateIds).toEqual(['A', 'B', 'x', 'v']);
    expect(c.nSpecies).toBe(2);
    expect(c.hasOdes).toBe(true);
    expect(c.timeDependent).toBe(true);
    expect(c.unknownParams).toEqual([]);
    expect(c.rhs.toString()).not.toContain('1000');
    expect(Number.isNaN(c.noise[1]?.param(0, new Float64Array(4), p))).toBe(true);
  });

  it('initial values may use t (the start time)', () => {
    const y0 = new Float64Array(4);
    c.initial(p, y0, 10);
    expect(Array.from(y0)).toEqual([6, 11, 0.5, -1.5]);
  });

  it('rhs equals a hand-written version', () => {
    const [A, B, x, v] = [12, 7, 0.4, -0.8];
    const t = 2.5;
    const total = A + B + x;
    const sat = A / (3 + total);
    const drive = sat ** 2 * Math.exp(-(x ** 2)) + (A > B ? Math.sqrt(A) : Math.log(1 + B));
    const conv = 0.7 * drive * A * (A - 1) / 2;
    const back = 0.7 * Math.max(B, total / 10) * Math.min(sat, 0.9, B);
    const src = 3 * Math.abs(v) + Math.pow(total, 0.5);
    const want = [-2 * conv + back + src, conv - back, v, 1.5 * (1 - x * x) * v - x + drive * Math.sin(0.3 * t)];
    const dydt = new Float64Array(4);
    c.rhs(t, Float64Array.from([A, B, x, v]), p, dydt);
    expectClose(dydt, want, 1e-14);
  });

  it('symbolic jacobian matches finite differences at random points', () => {
    let seed = 12345;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const J = new Float64Array(16);
    for (let trial = 0; trial < 50; trial++) {
      // Away from the kinks of if/max/min/abs (FD across a kink is meaningless).
      const y = Float64Array.from([2 + 20 * rand(), 2 + 20 * rand(), -1 + 2 * rand(), -2 + 4 * rand()]);
      const t = 10 * rand();
      c.jacobian(t, y, p, J);
      const fd = fdJacobian(c, t, y, p);
      expectClose(J, fd, 1e-6);
    }
  });
});

describe('compileModel: events', () => {
  const c = compileModel(model({
    format: 'sgnn-model/1', name: 'events',
    parameters: [{ id: 'dose', value: 5 }, { id: 'T', value: 2 }, { id: 'k', value: 0.1 }],
    species: [{ id: 'X', initial: 1 }, { id: 'Y', initial: 2 }],
    rules: [{ id: 'sum', expr: 'X + Y' }],
    reactions: [{ id: 'decay', from: { X: 1 }, rate: 'k * X' }],
    events: [
      { id: 'swap', at: 'T', assign: { X: 'Y', Y: 'X' } },
      { at: 1, every: 'T / 2', count: 4, assign: { X: 'X + dose', k: 'k * 2' } },
      { id: 'forever', at: 0, every: 0.1, assign: { Y: 'sum + t' } },
    ],
  }));
  const p = Float64Array.from([5, 2, 0.1]);

  it('times within [tStart, tEnd]', () => {
    expect(c.events.map((e) => e.id)).toEqual(['swap', 'events[1]', 'forever']);
    expect(c.events[0].times(p, 0, 10)).toEqual([2]);
    expect(c.events[0].times(p, 2, 10)).toEqual([2]);
    expect(c.events[0].times(p, 2.5, 10)).toEqual([]);
    expect(c.events[1].times(p, 0, 10)).toEqual([1, 2, 3, 4]);
    expect(c.events[1].times(p, 1.5, 3)).toEqual([2, 3]);
    const ts = c.events[2].times(p, 0.25, 1);
    expect(ts).toEqual([3, 4, 5, 6, 7, 8, 9, 10].map((k) => 0 + k * 0.1));
  });

  it('apply assigns simultaneously, to state and parameters', () => {
    const y = Float64Array.from([1, 2]);
    const q = Float64Array.from(p);
    c.events[0].apply(2, y, q);
    expect(Array.from(y)).toEqual([2, 1]);
    c.events[1].apply(1, y, q);
    expect(Array.from(y)).toEqual([7, 1]);
    expect(q[2]).toBeCloseTo(0.2, 15);
    c.events[2].apply(0.5, y, q);
    expect(Array.from(y)).toEqual([7, 8.5]);
  });

  it('rejects a non-positive interval computed from parameters', () => {
    expect(() => c.events[1].times(Float64Array.from([5, -2, 0.1]), 0, 10)).toThrow('event events[1]: "every" evaluated to -1; it must be > 0');
  });
});

describe('compileModel: invalid models', () => {
  it('throws ModelError with every problem', () => {
    const bad = JSON.parse(JSON.stringify(SIR)) as typeof SIR;
    bad.reactions[0].rate = 'bta * S';
    bad.reactions[1].rate = 'gamma * J';
    let err: unknown;
    try {
      compileModel(bad as unknown as Model);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).problems.map((p) => p.path)).toEqual(['reactions[0].rate', 'reactions[1].rate']);
    expect((err as ModelError).message).toBe('reactions[0].rate, at character 1: unknown name "bta" (did you mean "beta"?)\nreactions[1].rate, at character 9: unknown name "J"');
  });

  it('never evaluates user text: hostile strings are rejected before code generation', () => {
    const bad = JSON.parse(JSON.stringify(SIR)) as typeof SIR;
    bad.reactions[0].rate = 'process.exit(1)';
    bad.rules[0].expr = '(function(){ throw 1 })()';
    expect(() => compileModel(bad as unknown as Model)).toThrow(ModelError);
  });
});
