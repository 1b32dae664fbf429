/**
 * Toy problems with known answers for the learn/ tests.
 *
 * Linear-Gaussian: θ = (a, b) ~ N(0, I), x_t = a + b·s_t + N(0, σ²) at T points s_t = t/(T−1).
 * The posterior is Gaussian with precision Λ = I + XᵀX/σ² (X = [1, s_t]) and mean Λ⁻¹·Xᵀx/σ²;
 * a and b are strongly correlated in it (ρ ≈ −0.7 for T = 8), which tests full covariances.
 *
 * Two mechanisms: model "level" x_t = θ + ε, model "trend" x_t = θ·(2s_t − 1) + ε, θ ~ N(0, 3²)
 * (wide, so that most datasets tell the models apart). Both make x Gaussian, N(0, σ²I + 9·v·vᵀ),
 * so p(model | x) is exact.
 */
import type { TrainingData } from '../../../src-main/learn/types.ts';
import { rngFor } from '../../../src-main/simulate/random/rng.ts';
import { sampleStandardNormal } from '../../../src-main/simulate/random/distributions.ts';

export const TOY_SIGMA = 1;

function s(t: number, nTimes: number): number {
  return t / (nTimes - 1);
}

/** nRuns draws of the linear-Gaussian toy with nTimes points (seeded). */
export function linearGaussian(nRuns: number, seed: number, nTimes = 8): TrainingData {
  const rng = rngFor(seed, 99);
  const theta = new Float64Array(nRuns * 2), x = new Float32Array(nRuns * nTimes);
  for (let r = 0; r < nRuns; r++) {
    const a = sampleStandardNormal(rng), b = sampleStandardNormal(rng);
    theta[2 * r] = a;
    theta[2 * r + 1] = b;
    for (let t = 0; t < nTimes; t++) x[r * nTimes + t] = a + b * s(t, nTimes) + TOY_SIGMA * sampleStandardNormal(rng);
  }
  return {
    nRuns, times: Float64Array.from({ length: nTimes }, (_, t) => t), observables: [{ id: 'y', noise: 'normal' }], x,
    paramIds: ['a', 'b'], priors: [{ dist: 'normal', mean: 0, sd: 1 }, { dist: 'normal', mean: 0, sd: 1 }], theta,
    modelLabels: new Int32Array(nRuns), modelNames: ['linear'], modelPrior: [1],
  };
}

export interface Gaussian2 {
  mean: [number, number];
  cov: [[number, number], [number, number]];
}

/** Exact posterior of the toy for one dataset's x (NaN = missing, dropped from the likelihood). */
export function exactPosterior(x: ArrayLike<number>): Gaussian2 {
  const nTimes = x.length;
  let l00 = 1, l01 = 0, l11 = 1, r0 = 0, r1 = 0;
  const s2 = TOY_SIGMA * TOY_SIGMA;
  for (let t = 0; t < nTimes; t++) {
    if (Number.isNaN(x[t])) continue;
    const st = s(t, nTimes);
    l00 += 1 / s2;
    l01 += st / s2;
    l11 += (st * st) / s2;
    r0 += x[t] / s2;
    r1 += (st * x[t]) / s2;
  }
  const det = l00 * l11 - l01 * l01;
  const c00 = l11 / det, c01 = -l01 / det, c11 = l00 / det;
  return { mean: [c00 * r0 + c01 * r1, c01 * r0 + c11 * r1], cov: [[c00, c01], [c01, c11]] };
}

/** log N(θ; g) for a 2-D Gaussian. */
export function gaussian2LogPdf(g: Gaussian2, a: number, b: number): number {
  const [[c00, c01], [, c11]] = g.cov;
  const det = c00 * c11 - c01 * c01;
  const da = a - g.mean[0], db = b - g.mean[1];
  const quad = (c11 * da * da - 2 * c01 * da * db + c00 * db * db) / det;
  return -Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * quad;
}

const THETA_SCALE = 3;

/** Runs of the two-mechanism toy; labels drawn with P(level) = pLevel. */
export function twoModels(nRuns: number, seed: number, pLevel: number, nTimes = 8): TrainingData {
  const rng = rngFor(seed, 98);
  const theta = new Float64Array(nRuns), x = new Float32Array(nRuns * nTimes), labels = new Int32Array(nRuns);
  for (let r = 0; r < nRuns; r++) {
    const m = rng.next() < pLevel ? 0 : 1;
    const th = THETA_SCALE * sampleStandardNormal(rng);
    labels[r] = m;
    theta[r] = th;
    for (let t = 0; t < nTimes; t++) x[r * nTimes + t] = th * (m === 0 ? 1 : 2 * s(t, nTimes) - 1) + TOY_SIGMA * sampleStandardNormal(rng);
  }
  return {
    nRuns, times: Float64Array.from({ length: nTimes }, (_, t) => t), observables: [{ id: 'y', noise: 'normal' }], x,
    paramIds: ['theta'], priors: [{ dist: 'normal', mean: 0, sd: THETA_SCALE }], theta,
    modelLabels: labels, modelNames: ['level', 'trend'], modelPrior: [0.5, 0.5],
  };
}

/** Exact p(level | x) of the two-mechanism toy under prior P(level) = pLevel. */
export function exactLevelProbability(x: ArrayLike<number>, pLevel: number): number {
  const nTimes = x.length;
  // log N(x; 0, σ²I + vvᵀ) up to a shared constant, by Sherman–Morrison.
  const logMarginal = (v: (t: number) => number): number => {
    let vv = 0, vx = 0, xx = 0;
    for (let t = 0; t < nTimes; t++) {
      vv += (THETA_SCALE * v(t)) ** 2;
      vx += THETA_SCALE * v(t) * x[t];
      xx += x[t] ** 2;
    }
    const s2 = TOY_SIGMA * TOY_SIGMA;
    return -0.5 * Math.log1p(vv / s2) - 0.5 * (xx / s2 - (vx * vx) / (s2 * (s2 + vv)));
  };
  const l0 = Math.log(pLevel) + logMarginal(() => 1);
  const l1 = Math.log(1 - pLevel) + logMarginal((t) => 2 * s(t, nTimes) - 1);
  return 1 / (1 + Math.exp(l1 - l0));
}
