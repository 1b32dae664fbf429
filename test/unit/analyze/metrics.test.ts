import { describe, expect, it } from 'vitest';
import {
  checkRecovery, coverage, fitScalingCurve, nrmse, posteriorContraction, rSquared, rmse, sbcRanks, sbcUniformity,
} from '../../../src-main/analyze/metrics.ts';
import { binomialInterval, chiSquareSf, formatPercent } from '../../../src-main/analyze/stats.ts';
import { sampleStandardNormal } from '../../../src-main/simulate/random/distributions.ts';
import { rngFor } from '../../../src-main/simulate/random/rng.ts';

/**
 * A conjugate Gaussian problem with a known posterior: θ ~ N(0, 1), x | θ ~ N(θ, s²).
 * Posterior N(w·x, w·s²) with w = 1/(1 + s²). Estimators are the exact posterior, or deliberately
 * distorted versions of it (scaled sd, shifted mean).
 */
function conjugate(nRuns: number, nSamples: number, seed: number, opts: { s?: number; sdScale?: number; shift?: number } = {}) {
  const s = opts.s ?? 0.5, sdScale = opts.sdScale ?? 1, shift = opts.shift ?? 0;
  const rng = rngFor(seed);
  const w = 1 / (1 + s * s);
  const postSd = Math.sqrt(w * s * s);
  const truth = new Float64Array(nRuns), mean = new Float64Array(nRuns), sd = new Float64Array(nRuns);
  const samples = new Float64Array(nRuns * nSamples);
  for (let r = 0; r < nRuns; r++) {
    truth[r] = sampleStandardNormal(rng);
    const x = truth[r] + s * sampleStandardNormal(rng);
    mean[r] = w * x + shift * postSd;
    sd[r] = postSd * sdScale;
    for (let l = 0; l < nSamples; l++) samples[r * nSamples + l] = mean[r] + sd[r] * sampleStandardNormal(rng);
  }
  return { truth, mean, sd, samples, postSd };
}

function check(c: ReturnType<typeof conjugate>, nSamples: number) {
  return checkRecovery({ paramIds: ['theta'], truth: c.truth, mean: c.mean, sd: c.sd, priorSd: [1], samples: { nSamples, values: c.samples }, seed: 3 })[0];
}

describe('basic metrics', () => {
  it('R², RMSE, NRMSE and contraction have their textbook values', () => {
    const t = [1, 2, 3, 4], e = [1.1, 1.9, 3.2, 3.8];
    // SS_res = 0.01 + 0.01 + 0.04 + 0.04 = 0.1; SS_tot = 5.
    expect(rSquared(t, e)).toBeCloseTo(1 - 0.1 / 5, 12);
    expect(rmse(t, e).rmse).toBeCloseTo(Math.sqrt(0.1 / 4), 12);
    expect(rmse(t, e).bias).toBeCloseTo(0, 12);
    expect(nrmse(t, e, 2)).toBeCloseTo(Math.sqrt(0.1 / 4) / 2, 12);
    expect(posteriorContraction([0.5, 0.5], 1)).toBeCloseTo(0.75, 12);
    // NaN pairs (runs whose model lacks the parameter) are skipped.
    expect(rSquared([1, 2, NaN, 3], [1, 2, 5, 3])).toBe(1);
    expect(rSquared([2, 2, 2], [1, 2, 3])).toBeNaN();
  });

  it('the chi-square tail and the exact binomial interval match tables', () => {
    expect(chiSquareSf(3.841458820694124, 1)).toBeCloseTo(0.05, 10);
    expect(chiSquareSf(18.307038053275146, 10)).toBeCloseTo(0.05, 10);
    expect(chiSquareSf(0, 5)).toBe(1);
    // R: binom.test(5, 10)$conf.int = 0.187086 0.812914
    const ci = binomialInterval(5, 10);
    expect(ci.low).toBeCloseTo(0.187086, 5);
    expect(ci.high).toBeCloseTo(0.812914, 5);
    expect(binomialInterval(0, 20).low).toBe(0);
    // R: binom.test(0, 20)$conf.int[2] = 0.1684335
    expect(binomialInterval(0, 20).high).toBeCloseTo(0.1684335, 6);
  });

  it('formats proportions so that the digit that matters shows', () => {
    expect(formatPercent(0.71)).toBe('71%');
    expect(formatPercent(0.9974)).toBe('99.7%');
    expect(formatPercent(0.002)).toBe('0.2%');
  });
});

describe('checks on synthetic estimators', () => {
  const L = 99;

  it('the exact posterior is well calibrated, with the analytic contraction and NRMSE', () => {
    const c = conjugate(2000, L, 1);
    const r = check(c, L);
    // s = 0.5: posterior variance 0.2 → contraction 0.8, NRMSE √0.2, R² = 1 − 0.2.
    expect(r.contraction).toBeCloseTo(0.8, 10);
    expect(r.nrmse).toBeGreaterThan(0.42);
    expect(r.nrmse).toBeLessThan(0.48);
    expect(r.r2).toBeGreaterThan(0.77);
    expect(r.r2).toBeLessThan(0.83);
    for (const cov of r.coverage) {
      expect(cov.low).toBeLessThanOrEqual(cov.level);
      expect(cov.high).toBeGreaterThanOrEqual(cov.level);
    }
    expect(r.sbc!.pValue).toBeGreaterThan(0.01);
    expect(r.severity).toBe('ok');
    expect(r.summary).toBe('well calibrated');
    expect(r.verdicts.map((v) => v.text).join('\n')).toMatch(/well calibrated \(SBC p = [0-9.]+; coverage \d+%\/\d+%\/\d+% for 50%\/80%\/95%\)/);
  });

  it('intervals from few samples (19) still have nominal coverage for the exact posterior', () => {
    const c = conjugate(4000, 19, 12);
    const [r] = checkRecovery({ paramIds: ['theta'], truth: c.truth, mean: c.mean, sd: c.sd, priorSd: [1], samples: { nSamples: 19, values: c.samples }, levels: [0.5, 0.9] });
    for (const cov of r.coverage) {
      expect(cov.low).toBeLessThanOrEqual(cov.level);
      expect(cov.high).toBeGreaterThanOrEqual(cov.level);
    }
  });

  it('an overconfident posterior (sd halved) fails coverage and shows U-shaped SBC ranks', () => {
    const r = check(conjugate(2000, L, 2, { sdScale: 0.5 }), L);
    const c95 = r.coverage.find((c) => c.level === 0.95)!;
    // P(|Z| < 1.96/2) = 0.673.
    expect(c95.rate).toBeGreaterThan(0.64);
    expect(c95.rate).toBeLessThan(0.71);
    expect(c95.verdict.severity).toBe('problem');
    expect(c95.verdict.text).toBe(`intervals too narrow (coverage ${formatPercent(c95.rate)} for 95%)`);
    expect(r.sbc!.shape).toBe('u-shaped');
    expect(r.sbc!.pValue).toBeLessThan(1e-6);
    expect(r.severity).toBe('problem');
    expect(r.verdicts[0].text).toMatch(/SBC ranks are not uniform \(p < 0.001\): .*too narrow \(overconfident\)|intervals too narrow/);
  });

  it('an underconfident posterior (sd doubled) gives too-wide intervals and a hump', () => {
    const r = check(conjugate(2000, L, 3, { sdScale: 2 }), L);
    const c50 = r.coverage.find((c) => c.level === 0.5)!;
    // P(|Z| < 2·0.674) = 0.822.
    expect(c50.rate).toBeGreaterThan(0.79);
    expect(c50.verdict.text).toMatch(/^intervals too wide \(coverage \d+% for 50%\)$/);
    expect(r.sbc!.shape).toBe('hump');
  });

  it('a biased posterior (mean shifted up by one posterior sd) is caught by SBC as biased high', () => {
    const r = check(conjugate(2000, L, 4, { shift: 1 }), L);
    expect(r.sbc!.shape).toBe('truth-low');
    expect(r.verdicts.some((v) => /biased high/.test(v.text))).toBe(true);
    expect(r.bias).toBeGreaterThan(0.4);
  });

  it('a posterior equal to the prior says the parameter is not identifiable, yet is calibrated', () => {
    // s huge: x carries almost no information, the posterior is the prior.
    const r = check(conjugate(1000, L, 5, { s: 30 }), L);
    expect(r.contraction).toBeLessThan(0.01);
    expect(r.verdicts.some((v) => /^parameter not identifiable from these data: contraction /.test(v.text))).toBe(true);
    expect(r.sbc!.pValue).toBeGreaterThan(0.01);
  });

  it('uses interval bounds when there are no samples, and sd from samples when sd is absent', () => {
    const c = conjugate(500, L, 6);
    const z = 1.6448536269514722; // 90% central
    const lower = c.mean.map((m, i) => m - z * c.sd[i]), upper = c.mean.map((m, i) => m + z * c.sd[i]);
    const [r] = checkRecovery({ paramIds: ['theta'], truth: c.truth, mean: c.mean, sd: c.sd, priorSd: [1], intervals: [{ level: 0.9, lower, upper }], levels: [0.9] });
    expect(r.coverage).toHaveLength(1);
    expect(r.coverage[0].rate).toBeGreaterThan(0.86);
    expect(r.sbc).toBeNull();
    const [r2] = checkRecovery({ paramIds: ['theta'], truth: c.truth, mean: c.mean, priorSd: [1], samples: { nSamples: L, values: c.samples } });
    expect(r2.contraction).toBeGreaterThan(0.75);
    expect(r2.contraction).toBeLessThan(0.85);
  });

  it('SBC false-positive rate is near α for a calibrated posterior, over repeated seeds', () => {
    let rejections = 0;
    const reps = 100;
    for (let s = 0; s < reps; s++) {
      const c = conjugate(200, 19, 1000 + s);
      const ranks = sbcRanks(c.truth, c.samples, 19, 1, 0, s);
      if (sbcUniformity(ranks, 19).pValue < 0.05) rejections++;
    }
    expect(rejections / reps).toBeLessThan(0.12);
  });

  it('SBC ranks break ties at random so a discrete posterior is not flagged', () => {
    // Truth and samples from the same 3-point distribution: ranks are uniform only with random tie-breaking.
    const rng = rngFor(9);
    const nRuns = 600, Ls = 9;
    const truth = new Float64Array(nRuns), samples = new Float64Array(nRuns * Ls);
    for (let r = 0; r < nRuns; r++) {
      truth[r] = Math.floor(rng.next() * 3);
      for (let l = 0; l < Ls; l++) samples[r * Ls + l] = Math.floor(rng.next() * 3);
    }
    const ranks = sbcRanks(truth, samples, Ls, 1, 0, 1);
    expect(Math.max(...ranks)).toBeLessThanOrEqual(Ls);
    expect(sbcUniformity(ranks, Ls).pValue).toBeGreaterThan(0.01);
  });

  it('coverage counts [lower, upper] inclusively and skips NaN truths', () => {
    const r = coverage([0, 1, 2, NaN], [0, 0, 3, 0], [0, 2, 4, 1], 0.5);
    expect(r.n).toBe(3);
    expect(r.covered).toBe(2);
  });

  it('rejects arrays of the wrong size, naming the layout', () => {
    expect(() => checkRecovery({ paramIds: ['a', 'b'], truth: new Float64Array(10), mean: new Float64Array(8), priorSd: [1, 1] })).toThrow(/nRuns × nParams = 5 × 2/);
  });
});

describe('scaling curve', () => {
  const budgets = [100, 200, 500, 1000, 2000, 5000, 10000];

  it('recovers a, b, c of an exact power law with a floor, and says more simulations still help', () => {
    const fit = fitScalingCurve(budgets.map((n) => ({ nTrain: n, error: 2 * n ** -0.5 + 0.01 })));
    expect(fit.b).toBeCloseTo(0.5, 3);
    expect(fit.a).toBeCloseTo(2, 2);
    expect(fit.c).toBeCloseTo(0.01, 4);
    expect(fit.logRmse).toBeLessThan(1e-4);
    expect(fit.stillHelps).toBe(true);
    expect(fit.verdict.text).toMatch(/^more simulations still help: doubling the budget to 20000 would cut the error by about 20%/);
  });

  it('says the error has levelled off when the floor dominates', () => {
    const fit = fitScalingCurve(budgets.map((n) => ({ nTrain: n, error: 2 * n ** -0.5 + 0.5 })));
    expect(fit.stillHelps).toBe(false);
    expect(fit.c).toBeCloseTo(0.5, 2);
    expect(fit.verdict.text).toMatch(/^the error has levelled off near 0.5/);
  });

  it('fits noisy errors of a pure power law and needs at least 3 budgets', () => {
    const rng = rngFor(11);
    const fit = fitScalingCurve(budgets.map((n) => ({ nTrain: n, error: 3 * n ** -0.7 * Math.exp(0.03 * sampleStandardNormal(rng)) })));
    expect(fit.b).toBeGreaterThan(0.6);
    expect(fit.b).toBeLessThan(0.8);
    expect(fit.stillHelps).toBe(true);
    expect(fitScalingCurve([{ nTrain: 10, error: 1 }, { nTrain: 20, error: 0.5 }]).verdict.text).toMatch(/3 or more training budgets \(got 2\)/);
  });
});
