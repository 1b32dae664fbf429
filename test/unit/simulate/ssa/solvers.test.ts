/**
 * The shared suite: every entry of STOCHASTIC_SOLVERS must meet the StochasticSolve contract and
 * sample the right laws on small networks (where tau-leaping falls back to exact steps). Fixed
 * seeds; tolerances are 5 standard errors of the estimator (numbers in the comments).
 */
import { describe, expect, it } from 'vitest';
import { rngFor } from '../../../../src-main/simulate/random/rng.ts';
import { poissonLogPmf, binomialLogPmf } from '../../../../src-main/simulate/random/distributions.ts';
import { STOCHASTIC_SOLVERS } from '../../../../src-main/simulate/ssa/registry.ts';
import { bindReactionSystem } from '../../../../src-main/simulate/ssa/types.ts';
import { SimulationError } from '../../../../src-main/simulate/types.ts';
import type { CompiledModel } from '../../../../src-main/model/compiled.ts';
import { chiSquareDiscrete, meanVar, P_MIN } from '../random/stat-tests.ts';
import { birthDeath, broken, isomerization, linspace, newStats } from './models.ts';

describe.each(Object.entries(STOCHASTIC_SOLVERS))('%s', (method, solve) => {
  it('writes the state at each output time into rows [kFrom, kTo) and leaves y at the state at t1', () => {
    // One molecule decaying: every row is (1, 0) before the jump and (0, 1) after it.
    const sys = isomerization(0.5, 0);
    const times = linspace(0, 10, 21);
    const out = new Float64Array(21 * 2).fill(NaN);
    const y = Float64Array.from([1, 0]);
    solve(sys, 0, y, 10, times, 3, 21, out, rngFor(1), newStats());
    for (let k = 0; k < 3; k++) expect(Number.isNaN(out[2 * k])).toBe(true);
    let jumped = false;
    for (let k = 3; k < 21; k++) {
      const row = [out[2 * k], out[2 * k + 1]];
      if (jumped) expect(row).toEqual([0, 1]);
      else expect(row[0] + row[1]).toBe(1);
      jumped = row[0] === 0;
    }
    expect(Array.from(y)).toEqual([out[40], out[41]]); // times[20] = t1
  });

  it('continues across segments (t0 > 0, kFrom > 0) like one call', () => {
    const sys = isomerization(0.3, 0.1);
    const times = linspace(0, 8, 9);
    const out = new Float64Array(9 * 2);
    const y = Float64Array.from([50, 0]);
    const stats = newStats();
    const rng = rngFor(2);
    solve(sys, 0, y, 4, times, 0, 5, out, rng, stats);
    solve(sys, 4, y, 8, times, 5, 9, out, rng, stats);
    for (let k = 0; k < 9; k++) expect(out[2 * k] + out[2 * k + 1]).toBe(50);
    expect(Array.from(y)).toEqual([out[16], out[17]]);
    expect(stats.steps).toBeGreaterThan(0);
    expect(stats.fEvals).toBeGreaterThanOrEqual(stats.steps);
  });

  it('is deterministic given the stream', () => {
    const run = (seed: number): number[] => {
      const out = new Float64Array(11);
      solve(birthDeath(30, 1), 0, Float64Array.from([0]), 10, linspace(0, 10, 11), 0, 11, out, rngFor(seed), newStats());
      return Array.from(out);
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });

  it('conserves mass in a closed system (A ⇌ B, N = 3000) and keeps populations non-negative integers', () => {
    const times = linspace(0, 5, 51);
    const out = new Float64Array(51 * 2);
    for (let run = 0; run < 5; run++) {
      solve(isomerization(1, 2), 0, Float64Array.from([3000, 0]), 5, times, 0, 51, out, rngFor(3, run), newStats());
      for (let k = 0; k < 51; k++) {
        expect(out[2 * k] + out[2 * k + 1]).toBe(3000);
        expect(Number.isInteger(out[2 * k]) && out[2 * k] >= 0 && out[2 * k + 1] >= 0).toBe(true);
      }
    }
  });

  it('birth–death (k = 10, γ = 1) reaches its stationary law Poisson(10) (4000 independent runs)', () => {
    // X(t) from X(0) = 10 is Binomial(10, e^−t) + Poisson(10(1 − e^−t)): at t = 10 it differs from
    // Poisson(10) by ~5e-5 in total variation, far below what 4000 runs resolve.
    const runs = 4000;
    const finals = new Float64Array(runs);
    const out = new Float64Array(1);
    const times = Float64Array.of(10);
    for (let r = 0; r < runs; r++) {
      solve(birthDeath(10, 1), 0, Float64Array.from([10]), 10, times, 0, 1, out, rngFor(4, r), newStats());
      finals[r] = out[0];
    }
    const { mean, variance } = meanVar(finals);
    // SE(mean) = √(10/4000) = 0.050; SE(variance) = √((μ4 − σ⁴)/n) = √((λ + 2λ²)/n) = 0.229.
    expect(Math.abs(mean - 10)).toBeLessThan(5 * 0.050);
    expect(Math.abs(variance - 10)).toBeLessThan(5 * 0.229);
    expect(chiSquareDiscrete(finals, (k) => Math.exp(poissonLogPmf(k, 10)), 0, 40).p).toBeGreaterThan(P_MIN);
  });

  it('A ⇌ B with N = 40 reaches Binomial(40, 2/3) (3000 runs)', () => {
    const runs = 3000;
    const finals = new Float64Array(runs);
    const out = new Float64Array(2);
    for (let r = 0; r < runs; r++) {
      solve(isomerization(1, 2), 0, Float64Array.from([0, 40]), 6, Float64Array.of(6), 0, 1, out, rngFor(5, r), newStats());
      finals[r] = out[0];
    }
    // Relaxation rate k1 + k2 = 3: after t = 6 the initial state is forgotten to e^−18.
    const p = 2 / 3, v = 40 * p * (1 - p);
    const { mean, variance } = meanVar(finals);
    expect(Math.abs(mean - 40 * p)).toBeLessThan(5 * Math.sqrt(v / runs));
    expect(Math.abs(variance - v)).toBeLessThan(5 * Math.sqrt((3 * v * v + v * (1 - 6 * p * (1 - p)) - v * v) / runs));
    expect(chiSquareDiscrete(finals, (k) => Math.exp(binomialLogPmf(k, 40, p)), 0, 40).p).toBeGreaterThan(P_MIN);
  });

  it('stops in an absorbing state (a0 = 0) and fills the remaining outputs', () => {
    const out = new Float64Array(6 * 2);
    const y = Float64Array.from([5, 0]);
    solve(isomerization(2, 0), 0, y, 1000, linspace(0, 1000, 6), 0, 6, out, rngFor(6), newStats());
    expect(Array.from(y)).toEqual([0, 5]);
    expect(Array.from(out.subarray(2))).toEqual([0, 5, 0, 5, 0, 5, 0, 5, 0, 5]);
  });

  it('throws SimulationError naming the reaction and time for a negative or NaN propensity', () => {
    const run = (v: number): void => solve(broken(v), 0, Float64Array.from([3]), 1, Float64Array.of(1), 0, 1, new Float64Array(1), rngFor(7), newStats());
    expect(() => run(-0.5)).toThrow(SimulationError);
    expect(() => run(-0.5)).toThrow(/reaction 1 \('bad'\) has propensity -0.5 at t=0/);
    expect(() => run(NaN)).toThrow(/propensity NaN/);
  });

  it('throws SimulationError past maxSteps', () => {
    // Small populations: tau-leaping takes exact steps too (~20 000 events to t = 1000).
    const run = (): void => solve(birthDeath(10, 1), 0, Float64Array.from([10]), 1000, Float64Array.of(1000), 0, 1, new Float64Array(1), rngFor(8), newStats(), { maxSteps: 1000 });
    expect(run).toThrow(SimulationError);
    expect(run).toThrow(/exceeded maxSteps = 1000/);
  });

  it('checks shapes and times', () => {
    const sys = birthDeath(1, 1);
    const rng = rngFor(9);
    expect(() => solve(sys, 0, new Float64Array(2), 1, Float64Array.of(1), 0, 1, new Float64Array(1), rng, newStats())).toThrow(/Invalid size 'y': expected a length 1 array, got 2/);
    expect(() => solve(sys, 0, new Float64Array(1), 1, Float64Array.of(2), 0, 1, new Float64Array(1), rng, newStats())).toThrow(/output times must lie in \[t0, t1\]/);
    expect(() => solve(sys, 1, new Float64Array(1), 0, Float64Array.of(), 0, 0, new Float64Array(1), rng, newStats())).toThrow(/t0 ≤ t1/);
    expect(() => solve(sys, 0, new Float64Array(1), 1, Float64Array.of(0, 1), 0, 2, new Float64Array(1), rng, newStats())).toThrow(/Invalid size 'out'/);
  });

  it(`is registered under its method name (${method})`, () => {
    expect(['ssa', 'tau']).toContain(method);
  });
});

describe('bindReactionSystem', () => {
  it('binds the parameter vector of a compiled model', () => {
    const p = Float64Array.of(2.5);
    // Only the members bindReactionSystem reads; the rest of CompiledModel is irrelevant here.
    const model = {
      stateIds: ['X'], reactionIds: ['birth'],
      stoichiometry: [{ index: Int32Array.of(0), delta: Float64Array.of(1) }],
      reactants: [{ index: Int32Array.of(), order: Float64Array.of() }],
      propensities: (_t: number, _y: Float64Array, q: Float64Array, a: Float64Array) => { a[0] = q[0]; },
    } as unknown as CompiledModel;
    const sys = bindReactionSystem(model, p);
    const a = new Float64Array(1);
    sys.propensities(0, Float64Array.of(0), a);
    expect(a[0]).toBe(2.5);
    p[0] = 4; // captured, not copied: inference can update p in place
    sys.propensities(0, Float64Array.of(0), a);
    expect(a[0]).toBe(4);
    expect([sys.nState, sys.nReactions, sys.reactionIds]).toEqual([1, 1, ['birth']]);
  });
});
