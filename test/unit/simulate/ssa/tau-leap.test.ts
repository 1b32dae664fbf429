/**
 * Tau-leaping against the exact SSA on a large-population model, its step savings, and the
 * mechanics of Cao–Gillespie–Petzold step selection (critical reactions, rejections, g_i).
 *
 * Explicit tau-leaping is first-order accurate: with the default ε = 0.03 its means carry an
 * O(ε) bias. Measured on the SIR below (β = 2, γ = 1, N = 10 000, I0 = 100) with 3000 SSA runs and
 * 10 000 tau runs: I(2) 605.5 vs 601.1, I(4) 1535.7 vs 1543.9, I(6) 1132.5 vs 1146.4, R(30) 7997.5 vs
 * 8022.9 (−0.7% … +1.2%; standard errors 0.9–1.8); at ε = 0.01 the gaps shrink about threefold
 * (R(30): 8005.7), at ε = 0.1 they grow about threefold (8079.6). Standard deviations agree within 3%.
 * The comparison below therefore allows 4 standard errors of the difference plus 1.5% of the mean
 * for the bias, and 4 standard errors for the log variance ratio.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { rngFor } from '../../../../src-main/simulate/random/rng.ts';
import { ssaDirect } from '../../../../src-main/simulate/ssa/direct.ts';
import { tauLeap } from '../../../../src-main/simulate/ssa/tau-leap.ts';
import type { StochasticSolve } from '../../../../src-main/simulate/ssa/types.ts';
import { ks2Test, meanVar, P_MIN } from '../random/stat-tests.ts';
import { birthDeath, dimerization, isomerization, linspace, newStats, sir } from './models.ts';

const SIR_TIMES = Float64Array.of(2, 4, 6, 30);
const SIR_LABELS = ['I(2)', 'I(4)', 'I(6)', 'R(30)'];

/** Runs the SIR `runs` times; returns per-output samples (I at t = 2, 4, 6; R at t = 30) and steps per run. */
function sirSamples(solve: StochasticSolve, runs: number, seed: number): { samples: Float64Array[]; stepsPerRun: number } {
  const sys = sir(2, 1, 10_000);
  const cols = Array.from(SIR_TIMES, () => new Float64Array(runs));
  const out = new Float64Array(SIR_TIMES.length * 3);
  const stats = newStats();
  for (let r = 0; r < runs; r++) {
    solve(sys, 0, Float64Array.of(9900, 100, 0), 30, SIR_TIMES, 0, SIR_TIMES.length, out, rngFor(seed, r), stats);
    for (let k = 0; k < 3; k++) cols[k][r] = out[3 * k + 1];
    cols[3][r] = out[3 * 3 + 2];
  }
  return { samples: cols, stepsPerRun: stats.steps / runs };
}

describe('tau-leaping on a large population (SIR, N = 10 000)', () => {
  const runs = 400;
  let exact: ReturnType<typeof sirSamples>, leap: ReturnType<typeof sirSamples>;
  beforeAll(() => {
    exact = sirSamples(ssaDirect, runs, 11);
    leap = sirSamples(tauLeap, runs, 12);
  });

  it('agrees with the SSA in distribution: means, variances, two-sample KS', () => {
    // KS on the raw samples where the bias is a small fraction of the sd (I(t): ≤ 0.17 sd); on
    // R(30) the measured +25 (0.28 sd) is visible to 400 + 400 runs (D ≈ 0.17), so there KS checks
    // the shape on samples centred at their own means and the location is the mean test's job.
    // (Centring makes the KS test conservative.)
    for (let k = 0; k < SIR_TIMES.length; k++) {
      const a = meanVar(exact.samples[k]), b = meanVar(leap.samples[k]);
      const centred = (xs: Float64Array, m: number): Float64Array => xs.map((x) => x - m);
      const ks = k < 3 ? ks2Test(exact.samples[k], leap.samples[k]) : ks2Test(centred(exact.samples[k], a.mean), centred(leap.samples[k], b.mean));
      expect(ks.p, `${SIR_LABELS[k]}: KS D = ${ks.d}`).toBeGreaterThan(P_MIN);
    }
    for (let k = 0; k < SIR_TIMES.length; k++) {
      const a = meanVar(exact.samples[k]), b = meanVar(leap.samples[k]);
      const seDiff = Math.sqrt(a.variance / runs + b.variance / runs);
      expect(Math.abs(b.mean - a.mean), `${SIR_LABELS[k]}: SSA ${a.mean} vs tau ${b.mean} (SE ${seDiff})`).toBeLessThan(4 * seDiff + 0.015 * a.mean);
      // SE of log(s²) ≈ √(2/(n−1)) for near-normal data; of the ratio, √2 times that.
      const seLogRatio = Math.sqrt(2 * 2 / (runs - 1));
      expect(Math.abs(Math.log(b.variance / a.variance)), `${SIR_LABELS[k]}: variances ${a.variance} vs ${b.variance}`).toBeLessThan(4 * seLogRatio);
    }
  });

  it('takes far fewer steps than the SSA (the point of the method)', () => {
    // Measured: ~15 900 events per SSA run, ~1 300 leaps (plus exact steps) per tau run.
    expect(leap.stepsPerRun).toBeLessThan(exact.stepsPerRun / 8);
  });
});

describe('tau-leaping mechanics', () => {
  it('is first-order in ε: pure decay X → ∅ from 10 000 (exact law Binomial(10 000, e^−1))', () => {
    // Leaps shrink X by ~ε per step, so the mean follows Euler's (1 − ε)^(t/ε) instead of e^−t:
    // bias ≈ −ε/2 relative (−1.5% at ε = 0.03, −0.5% at ε = 0.01). SE of each mean: 48/√500 = 2.2.
    const exactMean = 1e4 * Math.exp(-1);
    const meanAt = (epsilon: number, seed: number): { mean: number; steps: number } => {
      const out = new Float64Array(1), finals = new Float64Array(500), stats = newStats();
      for (let r = 0; r < 500; r++) {
        // birthDeath(0, 1), not isomerization(1, 0): B would be a reactant (of the dead B → A) that
        // starts at 0, and CGP then bounds τ by 1/|μ_B| (one firing per leap), as it should for k2 > 0.
        tauLeap(birthDeath(0, 1), 0, Float64Array.of(1e4), 1, Float64Array.of(1), 0, 1, out, rngFor(seed, r), stats, { epsilon });
        finals[r] = out[0];
      }
      return { mean: meanVar(finals).mean, steps: stats.steps / 500 };
    };
    const coarse = meanAt(0.03, 21), fine = meanAt(0.01, 22);
    expect((coarse.mean - exactMean) / exactMean).toBeGreaterThan(-0.025);
    expect((coarse.mean - exactMean) / exactMean).toBeLessThan(-0.005);
    expect(Math.abs(fine.mean - exactMean)).toBeLessThan(Math.abs(coarse.mean - exactMean) / 2);
    expect(coarse.steps).toBeLessThan(60); // ~1/ε leaps per unit time instead of 6 321 events
    expect(fine.steps).toBeGreaterThan(2 * coarse.steps);
  });

  it('never drives a population negative, even when leaps overshoot (rejections halve τ)', () => {
    // ε = 0.9 with no critical reactions lets a leap ask for Poisson(18) decays of 20 molecules.
    const stats = newStats();
    const out = new Float64Array(21 * 2);
    for (let r = 0; r < 200; r++) {
      tauLeap(isomerization(1, 0), 0, Float64Array.of(20, 0), 3, linspace(0, 3, 21), 0, 21, out, rngFor(23, r), stats, { epsilon: 0.9, nCritical: 0, ssaThreshold: 0 });
      for (let i = 0; i < out.length; i++) expect(out[i]).toBeGreaterThanOrEqual(0);
    }
    expect(stats.rejected).toBeGreaterThan(0);
  });

  it('critical reactions take a species to exactly 0 without overshoot (decay from 100 000 to t = 30)', () => {
    const stats = newStats();
    const y = Float64Array.of(1e5);
    tauLeap(birthDeath(0, 1), 0, y, 30, Float64Array.of(30), 0, 1, new Float64Array(1), rngFor(24), stats);
    // E[X(30)] = 1e5·e^−30 ≈ 1e-8: the run must end at 0, having taken ≪ 1e5 steps.
    expect(y[0]).toBe(0);
    expect(stats.steps).toBeLessThan(5000);
  });

  it('second-order reactions (2A → B): mass A + 2B conserved, no negatives, close to the SSA mean', () => {
    const times = linspace(0, 2, 5);
    const run = (solve: StochasticSolve, seed: number): number => {
      const out = new Float64Array(5 * 2);
      solve(dimerization(1e-3), 0, Float64Array.of(10_000, 0), 2, times, 0, 5, out, rngFor(seed), newStats());
      for (let k = 0; k < 5; k++) {
        expect(out[2 * k] + 2 * out[2 * k + 1]).toBe(10_000);
        expect(out[2 * k]).toBeGreaterThanOrEqual(0);
      }
      return out[8];
    };
    // Deterministic limit A(t) = A0/(1 + c·A0·t/2) ≈ 909 at t = 2; sd across runs ~15, bias O(ε·A).
    const a = run(ssaDirect, 25), b = run(tauLeap, 26);
    expect(Math.abs(b - a)).toBeLessThan(0.05 * a + 100);
  });

  it('validates its options', () => {
    const go = (o: object): void => tauLeap(birthDeath(1, 1), 0, Float64Array.of(0), 1, Float64Array.of(1), 0, 1, new Float64Array(1), rngFor(1), newStats(), o);
    expect(() => go({ epsilon: 0 })).toThrow(/epsilon must be in \(0, 1\), got 0/);
    expect(() => go({ ssaBurst: 0 })).toThrow(/ssaBurst ≥ 1/);
  });
});
