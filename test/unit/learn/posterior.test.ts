/**
 * The heads against an exact posterior (the linear-Gaussian toy, see toy.ts), on wasm.
 *
 * Tolerances: a network trained on N = 8000 simulations for 10 epochs is a finite-sample estimate
 * of E[θ|x], so it differs from the exact posterior mean by estimation error that shrinks with N.
 * We require that error (RMS over 500 held-out datasets) to be under 0.25 posterior sd, i.e. an
 * excess risk under ~6% of the Bayes risk; measured 0.13–0.14 sd. Posterior sds are required
 * within 20% (median over datasets; measured 2–4%), and 95% intervals to cover 91–98.5% of the
 * true θ over 1000 (dataset, parameter) pairs (binomial sd 0.7%, plus approximation error;
 * measured 94.3% and 94.9%). The density head's log-density at the true θ is within 0.3 nats of
 * the exact one on average (measured 0.15) and its correlation within 0.15 (measured 0.02).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/learn/backend.ts';
import { trainNetwork } from '../../../src-main/learn/train.ts';
import {
  disposeNetwork, embed, loadNetwork, logDensity, posterior, posteriorMean, saliency, type LoadedNetwork,
} from '../../../src-main/learn/infer.ts';
import type { NetworkArtifact, TrainOptions } from '../../../src-main/learn/types.ts';
import { exactPosterior, gaussian2LogPdf, linearGaussian, type Gaussian2 } from './toy.ts';

const T = 8, N_TEST = 500;
const train = linearGaussian(8000, 1, T);
const test = linearGaussian(N_TEST, 2, T);
const exact: Gaussian2[] = Array.from({ length: N_TEST }, (_, d) => exactPosterior(test.x.subarray(d * T, (d + 1) * T)));
const options = (head: 'mean' | 'density'): TrainOptions => ({
  head, encoder: 'mlp', width: 64, epochs: 10, batchSize: 128, learningRate: 3e-3, maskRate: 0.15, seed: 3, patience: 10,
});

let meanArtifact: NetworkArtifact, densityArtifact: NetworkArtifact;
let meanNet: LoadedNetwork, densityNet: LoadedNetwork;

beforeAll(async () => {
  await initBackend('wasm');
  meanArtifact = await trainNetwork(train, options('mean'));
  densityArtifact = await trainNetwork(train, options('density'));
  meanNet = loadNetwork(meanArtifact);
  densityNet = loadNetwork(densityArtifact);
}, 120_000);

afterAll(() => {
  disposeNetwork(meanNet);
  disposeNetwork(densityNet);
});

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** RMS over datasets and parameters of (estimate − exact mean) / exact sd. */
function meanErrorInSds(estimate: (d: number, j: number) => number, reference: Gaussian2[] = exact): number {
  let ss = 0;
  for (let d = 0; d < reference.length; d++) {
    for (let j = 0; j < 2; j++) ss += ((estimate(d, j) - reference[d].mean[j]) / Math.sqrt(reference[d].cov[j][j])) ** 2;
  }
  return Math.sqrt(ss / (2 * reference.length));
}

describe('mean head (the SGNN estimator)', () => {
  it('records the backend and its training history', () => {
    expect(meanArtifact.backend).toBe('wasm');
    expect(meanArtifact.encoder).toBe('mlp');
    expect(meanArtifact.history.length).toBeGreaterThan(0);
    expect(meanArtifact.paramIds).toEqual(['a', 'b']);
  });

  it('is close to the exact posterior mean, with sds and 95% intervals that match it', () => {
    const { summaries, samples } = posterior(meanNet, test.x, { nSamples: 200, seed: 5 });
    expect(summaries.length).toBe(N_TEST);
    expect(samples[0].length).toBe(200 * 2);
    expect(meanErrorInSds((d, j) => summaries[d][['a', 'b'][j]].mean)).toBeLessThan(0.25);
    const sdRatio: number[] = [];
    let covered = 0;
    for (let d = 0; d < N_TEST; d++) {
      ['a', 'b'].forEach((id, j) => {
        const s = summaries[d][id];
        sdRatio.push(Math.abs(s.sd / Math.sqrt(exact[d].cov[j][j]) - 1));
        expect(s.q025).toBeLessThan(s.q50);
        expect(s.q50).toBeLessThan(s.q975);
        const th = test.theta[2 * d + j];
        if (th >= s.q025 && th <= s.q975) covered++;
      });
    }
    expect(median(sdRatio)).toBeLessThan(0.2);
    expect(covered / (2 * N_TEST)).toBeGreaterThan(0.91);
    expect(covered / (2 * N_TEST)).toBeLessThan(0.985);
  });

  it('posteriorMean is the fast path of the same numbers, and is amortised', () => {
    const many = linearGaussian(5000, 9, T);
    const start = performance.now();
    const m = posteriorMean(meanNet, many.x);
    const perSecond = 5000 / ((performance.now() - start) / 1000);
    expect(m.length).toBe(10000);
    expect(perSecond).toBeGreaterThan(2000);
    const { summaries } = posterior(meanNet, many.x.subarray(0, 3 * T), { nSamples: 10 });
    expect(summaries[2].b.mean).toBeCloseTo(m[5], 12);
  });

  it('gives finite, sensible answers with missing points (trained with random masking)', () => {
    const gappy = Float32Array.from(test.x);
    for (let d = 0; d < N_TEST; d++) {
      gappy[d * T + 2] = NaN;
      gappy[d * T + 6] = NaN;
    }
    const exactGappy = Array.from({ length: N_TEST }, (_, d) => exactPosterior(gappy.subarray(d * T, (d + 1) * T)));
    const { summaries } = posterior(meanNet, gappy, { nSamples: 50 });
    for (const s of summaries) for (const v of Object.values(s.a)) expect(Number.isFinite(v)).toBe(true);
    // Looser than complete data: masked inputs are rarer in training (15% per point, both at once ~2%).
    expect(meanErrorInSds((d, j) => summaries[d][['a', 'b'][j]].mean, exactGappy)).toBeLessThan(0.4);
    // The posterior widens when points are missing, as the exact one does.
    const full = posterior(meanNet, test.x, { nSamples: 10 }).summaries;
    const wider = summaries.filter((s, d) => s.b.sd > full[d].b.sd).length;
    expect(wider / N_TEST).toBeGreaterThan(0.8);
  });

  it('saliency equals finite differences of the posterior mean and matches the exact gradient', () => {
    const x = test.x.subarray(0, 20 * T);
    const g = saliency(meanNet, x, 1);
    expect(g.length).toBe(20 * T);
    const h = 1e-2;
    let ss = 0, ssExact = 0, ssRef = 0;
    for (const d of [0, 7, 13]) {
      for (let t = 0; t < T; t++) {
        const up = Float32Array.from(x.subarray(d * T, (d + 1) * T)), down = Float32Array.from(up);
        up[t] += h;
        down[t] -= h;
        const fd = (posteriorMean(meanNet, up)[1] - posteriorMean(meanNet, down)[1]) / (2 * h);
        ss += (g[d * T + t] - fd) ** 2;
        ssRef += fd * fd;
        // The exact posterior mean is linear in x: its gradient is row b of Λ⁻¹Xᵀ/σ².
        const e = exactPosterior(new Float32Array(T).fill(0).map((_, i) => (i === t ? 1 : 0)));
        ssExact += (g[d * T + t] - e.mean[1]) ** 2;
      }
    }
    expect(Math.sqrt(ss / ssRef)).toBeLessThan(0.05);
    expect(Math.sqrt(ssExact / ssRef)).toBeLessThan(0.5);
    const gappy = Float32Array.from(x.subarray(0, T));
    gappy[3] = NaN;
    expect(saliency(meanNet, gappy, 0)[3]).toBe(0);
  });

  it('embeds datasets into the encoder output space', () => {
    const e = embed(meanNet, test.x.subarray(0, 10 * T));
    expect(e.length).toBe(10 * 64);
    expect(e.every(Number.isFinite)).toBe(true);
  });
});

describe('density head (Gaussian mixture, full covariance)', () => {
  it('matches the exact posterior: mean, sd, correlation and interval coverage', () => {
    const { summaries, samples } = posterior(densityNet, test.x, { nSamples: 400, seed: 11 });
    expect(meanErrorInSds((d, j) => summaries[d][['a', 'b'][j]].mean)).toBeLessThan(0.3);
    const sdRatio: number[] = [], corrError: number[] = [];
    let covered = 0;
    for (let d = 0; d < N_TEST; d++) {
      ['a', 'b'].forEach((id, j) => {
        const s = summaries[d][id];
        sdRatio.push(Math.abs(s.sd / Math.sqrt(exact[d].cov[j][j]) - 1));
        const th = test.theta[2 * d + j];
        if (th >= s.q025 && th <= s.q975) covered++;
      });
      const draws = samples[d], n = draws.length / 2;
      let sab = 0;
      for (let k = 0; k < n; k++) sab += (draws[2 * k] - summaries[d].a.mean) * (draws[2 * k + 1] - summaries[d].b.mean);
      const corr = sab / (n - 1) / (summaries[d].a.sd * summaries[d].b.sd);
      const exactCorr = exact[d].cov[0][1] / Math.sqrt(exact[d].cov[0][0] * exact[d].cov[1][1]);
      corrError.push(Math.abs(corr - exactCorr));
    }
    expect(median(sdRatio)).toBeLessThan(0.2);
    // Exact ρ ≈ −0.68 for every dataset; a diagonal model would be off by 0.68.
    expect(median(corrError)).toBeLessThan(0.15);
    expect(covered / (2 * N_TEST)).toBeGreaterThan(0.91);
    expect(covered / (2 * N_TEST)).toBeLessThan(0.985);
  });

  it('logDensity is close to the exact posterior log-density at the true θ', () => {
    const lp = logDensity(densityNet, test.x, test.theta);
    let sum = 0;
    for (let d = 0; d < N_TEST; d++) sum += Math.abs(lp[d] - gaussian2LogPdf(exact[d], test.theta[2 * d], test.theta[2 * d + 1]));
    expect(sum / N_TEST).toBeLessThan(0.3);
    // The mean head's Gaussian approximation is diagonal, so it is worse but still finite.
    expect(logDensity(meanNet, test.x.subarray(0, T), test.theta.subarray(0, 2)).every(Number.isFinite)).toBe(true);
  });

  it('is deterministic in its sampling seed and independent of the batch it is in', () => {
    const a = posterior(densityNet, test.x.subarray(0, 3 * T), { nSamples: 20, seed: 4 });
    const b = posterior(densityNet, test.x.subarray(0, 3 * T), { nSamples: 20, seed: 4 });
    expect(a.samples[2]).toEqual(b.samples[2]);
    const first = posterior(densityNet, test.x.subarray(0, T), { nSamples: 20, seed: 4 });
    expect(first.samples[0]).toEqual(a.samples[0]);
  });

  it('saliency works for the density head', () => {
    const g = saliency(densityNet, test.x.subarray(0, 4 * T), 0);
    expect(g.every(Number.isFinite)).toBe(true);
    expect(g.some((v) => v !== 0)).toBe(true);
  });
});
