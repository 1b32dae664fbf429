/**
 * Observation noise of the model format (spec/model-format.md, "Noise"): draw an observed value y
 * given the model value m, and the log-likelihood log p(y | m).
 *
 * Edge cases (decided here, tested in test/unit/simulate/noise.test.ts):
 * - Every noise parameter and m must be finite (NaN usually means a model expression failed);
 *   otherwise NoiseError.
 * - normal / lognormal: sd (sigma) ≥ 0. A zero scale is a point mass: sampling returns m, the
 *   log-likelihood is +Infinity at y = m and −Infinity elsewhere. (Proportional noise such as
 *   sd = 0.1·m meets this whenever m = 0.)
 * - lognormal: m must be > 0 (log m is its location); y ≤ 0 has likelihood 0 (−Infinity).
 * - poisson / negbinomial: m ≥ 0. ODE solutions of a decaying species can dip just below 0 by
 *   round-off; m in [−1e-9·max(1, scale), 0) is read as 0 (`scale`: the magnitude of the
 *   observable, e.g. its largest |value| over the trajectory; default 1). Below that: NoiseError.
 *   m = 0 makes y = 0 certain. dispersion φ must be > 0; φ = Infinity is the Poisson limit.
 * - binomial: n must be a non-negative integer, m a probability in [0, 1]; values outside by at
 *   most 1e-12 (round-off of e.g. I/N) are clamped, beyond that NoiseError.
 * - Count likelihoods: a y that is not a non-negative integer (or > n) has likelihood 0 (−Infinity).
 * - y = NaN in the likelihood is a NoiseError: skip missing observations before calling.
 */
import type { NoiseDist } from '../model/schema.ts';
import type { Rng } from './random/rng.ts';
import {
  binomialLogPmf, lognormalLogPdf, negBinomialLogPmf, normalLogPdf, poissonLogPmf, sampleBinomial,
  sampleNegBinomial, samplePoisson, sampleStandardNormal,
} from './random/distributions.ts';

/** Noise that cannot be evaluated for these values: names the distribution, the quantity and its value. */
export class NoiseError extends Error {
  readonly dist: NoiseDist;
  readonly value: number;
  constructor(dist: NoiseDist, message: string, value: number) {
    super(`${dist} noise: ${message}`);
    this.name = 'NoiseError';
    this.dist = dist;
    this.value = value;
  }
}

/** Relative size of a negative count mean still read as round-off of 0. */
export const NEGATIVE_MEAN_TOLERANCE = 1e-9;
/** Absolute overshoot of a binomial probability beyond [0, 1] still read as round-off. */
export const PROBABILITY_TOLERANCE = 1e-12;

function finiteM(dist: NoiseDist, m: number): void {
  if (!Number.isFinite(m)) throw new NoiseError(dist, `the model value m must be a finite number, got m=${m}`, m);
}

function scaleParam(dist: NoiseDist, name: string, v: number): void {
  if (!(v >= 0 && v < Infinity)) throw new NoiseError(dist, `${name} must be a finite number ≥ 0, got ${name}=${v}`, v);
}

/** m for a count distribution: round-off below 0 read as 0, real negatives rejected. */
function countMean(dist: NoiseDist, m: number, scale: number): number {
  finiteM(dist, m);
  if (m >= 0) return m;
  if (m >= -NEGATIVE_MEAN_TOLERANCE * Math.max(1, Math.abs(scale))) return 0;
  throw new NoiseError(dist, `the model value m must be ≥ 0 (a mean count), got m=${m}`, m);
}

function dispersionParam(v: number): void {
  if (!(v > 0)) throw new NoiseError('negbinomial', `dispersion must be > 0 (Infinity for Poisson), got dispersion=${v}`, v);
}

function binomialN(n: number): void {
  if (!(Number.isSafeInteger(n) && n >= 0)) throw new NoiseError('binomial', `n must be a non-negative integer, got n=${n}`, n);
}

function probability(m: number): number {
  finiteM('binomial', m);
  if (m >= 0 && m <= 1) return m;
  if (m >= -PROBABILITY_TOLERANCE && m < 0) return 0;
  if (m <= 1 + PROBABILITY_TOLERANCE && m > 1) return 1;
  throw new NoiseError('binomial', `the model value m must be a probability in [0, 1], got m=${m}`, m);
}

function lognormalM(m: number): void {
  finiteM('lognormal', m);
  if (!(m > 0)) throw new NoiseError('lognormal', `the model value m must be > 0 (log y ~ Normal(log m, sigma)), got m=${m}`, m);
}

/**
 * An observed value y given the model value m. `param` is the distribution's field (sd, sigma,
 * dispersion or n; ignored for poisson); `scale` sets the round-off tolerance for negative count
 * means (see the file comment).
 */
export function sampleNoise(dist: NoiseDist, m: number, param: number, rng: Rng, scale = 1): number {
  switch (dist) {
    case 'normal':
      finiteM(dist, m);
      scaleParam(dist, 'sd', param);
      return param === 0 ? m : m + param * sampleStandardNormal(rng);
    case 'lognormal':
      lognormalM(m);
      scaleParam(dist, 'sigma', param);
      return param === 0 ? m : m * Math.exp(param * sampleStandardNormal(rng));
    case 'poisson':
      return samplePoisson(rng, countMean(dist, m, scale));
    case 'negbinomial': {
      const mean = countMean(dist, m, scale);
      dispersionParam(param);
      return sampleNegBinomial(rng, mean, param);
    }
    case 'binomial': {
      binomialN(param);
      return sampleBinomial(rng, param, probability(m));
    }
  }
}

/** log p(y | m) under the noise model; arguments as for sampleNoise. */
export function noiseLogLikelihood(dist: NoiseDist, y: number, m: number, param: number, scale = 1): number {
  if (Number.isNaN(y)) throw new NoiseError(dist, 'the observed value y is NaN (skip missing observations before calling)', y);
  switch (dist) {
    case 'normal':
      finiteM(dist, m);
      scaleParam(dist, 'sd', param);
      if (param === 0) return y === m ? Infinity : -Infinity;
      return normalLogPdf(y, m, param);
    case 'lognormal':
      lognormalM(m);
      scaleParam(dist, 'sigma', param);
      if (param === 0) return y === m ? Infinity : -Infinity;
      return lognormalLogPdf(y, Math.log(m), param);
    case 'poisson':
      return poissonLogPmf(y, countMean(dist, m, scale));
    case 'negbinomial': {
      const mean = countMean(dist, m, scale);
      dispersionParam(param);
      return negBinomialLogPmf(y, mean, param);
    }
    case 'binomial':
      binomialN(param);
      return binomialLogPmf(y, param, probability(m));
  }
}
