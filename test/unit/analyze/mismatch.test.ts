import { describe, expect, it } from 'vitest';
import { atypicality, checkMismatch, medianHeuristic, mmdTest } from '../../../src-main/analyze/mismatch.ts';
import { sampleStandardNormal } from '../../../src-main/simulate/random/distributions.ts';
import { rngFor } from '../../../src-main/simulate/random/rng.ts';

/** n rows of N(shift, I_dim). */
function gaussian(n: number, dim: number, seed: number, shift = 0): Float32Array[] {
  const rng = rngFor(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: dim }, () => shift + sampleStandardNormal(rng)));
}

describe('MMD two-sample test', () => {
  it('has a false-positive rate near α under the null, over repeated seeds', () => {
    const reps = 60;
    let rejections05 = 0, sumP = 0;
    for (let s = 0; s < reps; s++) {
      const r = mmdTest(gaussian(8, 4, 100 + s), gaussian(300, 4, 500 + s), { seed: s, permutations: 200 });
      if (r.pValue < 0.05) rejections05++;
      sumP += r.pValue;
    }
    // Expected 3 of 60; P(Binomial(60, 0.05) ≥ 9) ≈ 0.003.
    expect(rejections05).toBeLessThanOrEqual(8);
    expect(sumP / reps).toBeGreaterThan(0.35);
    expect(sumP / reps).toBeLessThan(0.65);
  });

  it('gives a small p-value and the plain mismatch verdict under a shift', () => {
    const real = gaussian(8, 4, 1, 1.5), sims = gaussian(2000, 4, 2);
    const report = checkMismatch(real, sims, { mmd: { seed: 3, permutations: 300 } });
    expect(report.mmd.pValue).toBeCloseTo(1 / 301, 12);
    expect(report.mmd.nSimulated).toBe(500);
    expect(report.mmd.estimator).toBe('unbiased');
    expect(report.verdict.severity).toBe('problem');
    expect(report.verdict.text).toBe('The data look unlike anything the model produces (p ≤ 0.0033): check the model or the noise model before trusting the estimates.');
  });

  it('works with a single real dataset (biased estimator) and flags an outlier', () => {
    const far = [Float32Array.from([6, 6, 6, 6])];
    const r = mmdTest(far, gaussian(400, 4, 4), { seed: 1 });
    expect(r.estimator).toBe('biased');
    expect(r.pValue).toBeLessThan(0.01);
    const near = [Float32Array.from([0.1, -0.2, 0.3, 0])];
    expect(mmdTest(near, gaussian(400, 4, 4), { seed: 1 }).pValue).toBeGreaterThan(0.1);
  });

  it('is reproducible for a seed, and MMD² is near 0 for samples of one distribution', () => {
    const a = gaussian(50, 3, 7), b = gaussian(600, 3, 8);
    const r1 = mmdTest(a, b, { seed: 5 }), r2 = mmdTest(a, b, { seed: 5 });
    expect(r1).toEqual(r2);
    expect(Math.abs(r1.mmd2)).toBeLessThan(0.02);
  });

  it('MMD² equals the textbook U- and V-statistics computed directly', () => {
    const x = gaussian(6, 3, 40, 0.5), y = gaussian(40, 3, 41);
    const k = (a: Float32Array, b: Float32Array, s: number): number => Math.exp(-a.reduce((t, v, i) => t + (v - b[i]) ** 2, 0) / (2 * s * s));
    const mean = (f: (i: number, j: number) => number, n: number, m: number, skipDiag: boolean): number => {
      let t = 0, c = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) if (!(skipDiag && i === j)) { t += f(i, j); c++; }
      return t / c;
    };
    const r = mmdTest(x, y, { bandwidth: 1.7 });
    const u = mean((i, j) => k(x[i], x[j], 1.7), 6, 6, true) + mean((i, j) => k(y[i], y[j], 1.7), 40, 40, true) - 2 * mean((i, j) => k(x[i], y[j], 1.7), 6, 40, false);
    expect(r.mmd2).toBeCloseTo(u, 10);
    // The other way round (real the larger set) exercises the other branch of the fast split.
    expect(mmdTest(y, x, { bandwidth: 1.7 }).mmd2).toBeCloseTo(u, 10);
    const one = [x[0]];
    const rb = mmdTest(one, y, { bandwidth: 1.7 });
    const v = 1 + mean((i, j) => k(y[i], y[j], 1.7), 40, 40, false) - 2 * mean((_, j) => k(x[0], y[j], 1.7), 1, 40, false);
    expect(rb.mmd2).toBeCloseTo(v, 10);
  });

  it('uses the median pairwise distance as bandwidth (√(2·dim) for standard normals)', () => {
    // ‖x − y‖² ~ 2·χ²_d; its median for d = 8 is 2·7.344 → distance ≈ 3.83.
    const h = medianHeuristic(gaussian(400, 8, 9));
    expect(h).toBeGreaterThan(3.65);
    expect(h).toBeLessThan(4.0);
  });

  it('refuses embeddings of different lengths, naming which', () => {
    expect(() => mmdTest([new Float32Array(3)], [new Float32Array(4)])).toThrow(/simulated.*embedding 0 has length 4, expected 3/);
  });
});

describe('atypicality', () => {
  const sims = gaussian(3000, 4, 20);

  it('is roughly uniform for datasets drawn like simulations', () => {
    const res = atypicality(gaussian(300, 4, 21), sims, { seed: 2 });
    const mean = res.reduce((s, r) => s + r.percentile, 0) / res.length;
    expect(mean).toBeGreaterThan(0.42);
    expect(mean).toBeLessThan(0.58);
    const high = res.filter((r) => r.percentile >= 0.99).length;
    expect(high).toBeLessThan(12);
  });

  it('says a far dataset is more atypical than almost every simulation', () => {
    const [r] = atypicality([Float32Array.from([5, 5, 5, 5])], sims, { seed: 2 });
    expect(r.percentile).toBe(1);
    expect(r.pValue).toBeCloseTo(1 / 501, 12);
    expect(r.verdict.severity).toBe('problem');
    expect(r.verdict.text).toBe('more atypical than 100% of simulations: the model rarely produces data like this');
    const [typical] = atypicality([Float32Array.from([0, 0, 0, 0])], sims, { seed: 2 });
    expect(typical.verdict.severity).toBe('ok');
  });

  it('the combined check flags one clearly atypical dataset even when MMD does not reject', () => {
    const real = [...gaussian(5, 4, 30), Float32Array.from([5, 5, 5, 5])];
    const report = checkMismatch(real, sims, { mmd: { seed: 1 }, atypicality: { maxReference: 1000 } });
    expect(report.datasets[5].percentile).toBe(1);
    expect(report.verdict.severity).toBe('problem');
    expect(report.verdict.text).toMatch(/^(The data look unlike|One dataset is unlike what the model produces \(the most atypical beyond 100% of simulations; p = 0.006 after correcting for 6 datasets\))/);
  });

  it('only warns when a few of many datasets reach the 99th percentile, as chance would have it', () => {
    const report = checkMismatch(gaussian(200, 4, 31), sims, { mmd: { seed: 1 } });
    expect(report.mmd.pValue).toBeGreaterThan(0.01);
    expect(report.verdict.severity).not.toBe('problem');
  });
});
