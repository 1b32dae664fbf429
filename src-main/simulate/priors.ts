/**
 * Priors of the model format (spec/model-format.md): sampling, log-density, summaries, quantiles
 * and support. Quantiles of gamma and beta priors invert the regularized incomplete gamma/beta
 * functions numerically (≤ 1e-12 relative; tested to 1e-10).
 */
import type { Prior } from '../model/schema.ts';
import type { Rng } from './random/rng.ts';
import {
  betaLogPdf, exponentialLogPdf, gammaLogPdf, lognormalLogPdf, normalLogPdf, sampleBeta,
  sampleExponential, sampleGamma, sampleLognormal, sampleNormal, sampleTruncatedNormal, truncatedNormalLogPdf,
} from './random/distributions.ts';
import {
  betaInc, betaIncInverse, gammaP, gammaPInverse, normalCdf, normalLogIntervalMass, normalLogPdfStd, normalLogSf,
  normalQuantile, normalQuantileFromLogCdf,
} from './random/special.ts';

/** A prior whose parameters are invalid (e.g. uniform with low ≥ high): names the prior and the rule. */
export class PriorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PriorError';
  }
}

/** The closed hull of a prior's support: low/high may be ±Infinity. Positive priors have low = 0. */
export interface Support {
  low: number;
  high: number;
}

const LN_2 = 0.6931471805599453;

function describe(prior: Prior): string {
  return `${prior.dist} prior ${JSON.stringify(prior)}`;
}

function fail(prior: Prior, rule: string): never {
  throw new PriorError(`${describe(prior)}: ${rule}`);
}

function positive(prior: Prior, name: string, v: number): void {
  if (!(v > 0 && v < Infinity)) fail(prior, `${name} must be a finite number > 0, got ${v}`);
}

function finite(prior: Prior, name: string, v: number): void {
  if (!Number.isFinite(v)) fail(prior, `${name} must be a finite number, got ${v}`);
}

/** Checks a prior's parameters beyond what the schema can say (low < high, positivity); throws PriorError. */
export function checkPrior(prior: Prior): void {
  switch (prior.dist) {
    case 'uniform':
      finite(prior, 'low', prior.low);
      finite(prior, 'high', prior.high);
      if (!(prior.low < prior.high)) fail(prior, `needs low < high, got low=${prior.low}, high=${prior.high}`);
      return;
    case 'loguniform':
      positive(prior, 'low', prior.low);
      positive(prior, 'high', prior.high);
      if (!(prior.low < prior.high)) fail(prior, `needs 0 < low < high, got low=${prior.low}, high=${prior.high}`);
      return;
    case 'normal': {
      finite(prior, 'mean', prior.mean);
      positive(prior, 'sd', prior.sd);
      const { low, high } = normalBounds(prior);
      if (!(low < high)) fail(prior, `needs low < high, got low=${low}, high=${high}`);
      return;
    }
    case 'lognormal':
      finite(prior, 'mu', prior.mu);
      positive(prior, 'sigma', prior.sigma);
      return;
    case 'gamma':
      positive(prior, 'shape', prior.shape);
      positive(prior, 'rate', prior.rate);
      return;
    case 'beta':
      positive(prior, 'a', prior.a);
      positive(prior, 'b', prior.b);
      return;
    case 'exponential':
      positive(prior, 'rate', prior.rate);
      return;
    case 'halfnormal':
      positive(prior, 'sd', prior.sd);
      return;
  }
}

function normalBounds(prior: Extract<Prior, { dist: 'normal' }>): Support {
  return { low: prior.low ?? -Infinity, high: prior.high ?? Infinity };
}

function isTruncated(prior: Extract<Prior, { dist: 'normal' }>): boolean {
  return prior.low !== undefined || prior.high !== undefined;
}

/** The support's closed hull (for choosing an unconstrained transform: log for (0, ∞), logit for bounded). */
export function priorSupport(prior: Prior): Support {
  switch (prior.dist) {
    case 'uniform':
    case 'loguniform':
      return { low: prior.low, high: prior.high };
    case 'normal':
      return normalBounds(prior);
    case 'beta':
      return { low: 0, high: 1 };
    case 'lognormal':
    case 'gamma':
    case 'exponential':
    case 'halfnormal':
      return { low: 0, high: Infinity };
  }
}

/** One draw from the prior. */
export function samplePrior(prior: Prior, rng: Rng): number {
  checkPrior(prior);
  switch (prior.dist) {
    case 'uniform':
      return prior.low + (prior.high - prior.low) * rng.next();
    case 'loguniform': {
      const ll = Math.log(prior.low);
      // Clamp: exp of the log bound need not round-trip exactly.
      return Math.min(prior.high, Math.max(prior.low, Math.exp(ll + (Math.log(prior.high) - ll) * rng.next())));
    }
    case 'normal': {
      if (!isTruncated(prior)) return sampleNormal(rng, prior.mean, prior.sd);
      const { low, high } = normalBounds(prior);
      return sampleTruncatedNormal(rng, prior.mean, prior.sd, low, high);
    }
    case 'lognormal':
      return sampleLognormal(rng, prior.mu, prior.sigma);
    case 'gamma':
      return sampleGamma(rng, prior.shape, prior.rate);
    case 'beta':
      return sampleBeta(rng, prior.a, prior.b);
    case 'exponential':
      return sampleExponential(rng, prior.rate);
    case 'halfnormal':
      return Math.abs(sampleNormal(rng, 0, prior.sd));
  }
}

/** log density at x; −Infinity outside the support; at a boundary, the density's limit there. */
export function priorLogDensity(prior: Prior, x: number): number {
  checkPrior(prior);
  if (Number.isNaN(x)) return NaN;
  switch (prior.dist) {
    case 'uniform':
      return x >= prior.low && x <= prior.high ? -Math.log(prior.high - prior.low) : -Infinity;
    case 'loguniform':
      return x >= prior.low && x <= prior.high ? -Math.log(x) - Math.log(Math.log(prior.high / prior.low)) : -Infinity;
    case 'normal': {
      if (!isTruncated(prior)) return normalLogPdf(x, prior.mean, prior.sd);
      const { low, high } = normalBounds(prior);
      return truncatedNormalLogPdf(x, prior.mean, prior.sd, low, high);
    }
    case 'lognormal':
      return lognormalLogPdf(x, prior.mu, prior.sigma);
    case 'gamma':
      return gammaLogPdf(x, prior.shape, prior.rate);
    case 'beta':
      return betaLogPdf(x, prior.a, prior.b);
    case 'exponential':
      return exponentialLogPdf(x, prior.rate);
    case 'halfnormal':
      return x >= 0 ? LN_2 + normalLogPdf(x, 0, prior.sd) : -Infinity;
  }
}

/** The prior's CDF at x. */
export function priorCdf(prior: Prior, x: number): number {
  checkPrior(prior);
  if (Number.isNaN(x)) return NaN;
  const { low, high } = priorSupport(prior);
  if (x <= low) return 0;
  if (x >= high) return 1;
  switch (prior.dist) {
    case 'uniform':
      return (x - prior.low) / (prior.high - prior.low);
    case 'loguniform':
      return Math.log(x / prior.low) / Math.log(prior.high / prior.low);
    case 'normal': {
      const a = (low - prior.mean) / prior.sd, z = (x - prior.mean) / prior.sd;
      if (!isTruncated(prior)) return normalCdf(z);
      const b = (high - prior.mean) / prior.sd;
      return Math.exp(normalLogIntervalMass(a, z) - normalLogIntervalMass(a, b));
    }
    case 'lognormal':
      return normalCdf((Math.log(x) - prior.mu) / prior.sigma);
    case 'gamma':
      return gammaP(prior.shape, prior.rate * x);
    case 'beta':
      return betaInc(prior.a, prior.b, x);
    case 'exponential':
      return -Math.expm1(-prior.rate * x);
    case 'halfnormal':
      // P(|Z| ≤ z) = P(½, z²/2): the gamma form keeps small x exact (1 − 2Φ(−z) would not).
      return gammaP(0.5, 0.5 * (x / prior.sd) ** 2);
  }
}

/** Quantile (inverse CDF) of the truncated standard normal on [a, b] at q, precise in far tails. */
function truncatedStdQuantile(a: number, b: number, q: number): number {
  if (a >= 0) {
    // Upper tail: log S(x) = log S(a) + log(1 − q·(1 − S(b)/S(a))), all in logs (S(40) underflows).
    const la = normalLogSf(a), lb = normalLogSf(b);
    const ls = la + Math.log1p(-q * -Math.expm1(lb - la));
    return ls > -LN_2 ? normalQuantile(-Math.expm1(ls)) : -normalQuantileFromLogCdf(ls);
  }
  if (b <= 0) return -truncatedStdQuantile(-b, -a, 1 - q);
  // Straddles 0: Φ(a) and S(b) are ≤ ½, and the target is taken from whichever tail it is nearer.
  const fa = normalCdf(a), sb = normalCdf(-b), mass = 1 - fa - sb;
  const lower = fa + q * mass;
  if (lower <= 0.5) return normalQuantile(lower);
  return -normalQuantile(sb + (1 - q) * mass);
}

/** Inverse CDF at q in [0, 1]; q = 0 and 1 give the support's ends. */
export function priorQuantile(prior: Prior, q: number): number {
  checkPrior(prior);
  if (!(q >= 0 && q <= 1)) throw new PriorError(`${describe(prior)}: quantile level must be in [0, 1], got ${q}`);
  switch (prior.dist) {
    case 'uniform':
      return q === 1 ? prior.high : prior.low + (prior.high - prior.low) * q;
    case 'loguniform':
      if (q === 1) return prior.high;
      return Math.min(prior.high, prior.low * Math.exp(q * Math.log(prior.high / prior.low)));
    case 'normal': {
      if (!isTruncated(prior)) return prior.mean + prior.sd * normalQuantile(q);
      const { low, high } = normalBounds(prior);
      if (q === 0) return low;
      if (q === 1) return high;
      const x = prior.mean + prior.sd * truncatedStdQuantile((low - prior.mean) / prior.sd, (high - prior.mean) / prior.sd, q);
      return Math.min(high, Math.max(low, x));
    }
    case 'lognormal':
      return Math.exp(prior.mu + prior.sigma * normalQuantile(q));
    case 'gamma':
      return gammaPInverse(prior.shape, q) / prior.rate;
    case 'beta':
      return betaIncInverse(prior.a, prior.b, q);
    case 'exponential':
      return -Math.log1p(-q) / prior.rate;
    case 'halfnormal':
      // |Z|²/2 ~ Gamma(½, 1): exact for small q, where Φ⁻¹((1+q)/2) would round q away.
      return prior.sd * Math.sqrt(2 * gammaPInverse(0.5, q));
  }
}

/** φ(x)/Z for the truncated normal's moments, in logs (Z may underflow); 0 at an infinite bound. */
function pdfOverMass(x: number, logZ: number): number {
  return Number.isFinite(x) ? Math.exp(normalLogPdfStd(x) - logZ) : 0;
}

/** Mean of the prior. */
export function priorMean(prior: Prior): number {
  checkPrior(prior);
  switch (prior.dist) {
    case 'uniform':
      return 0.5 * (prior.low + prior.high);
    case 'loguniform':
      return (prior.high - prior.low) / Math.log(prior.high / prior.low);
    case 'normal': {
      if (!isTruncated(prior)) return prior.mean;
      const { low, high } = normalBounds(prior);
      const a = (low - prior.mean) / prior.sd, b = (high - prior.mean) / prior.sd;
      const lz = normalLogIntervalMass(a, b);
      const m = prior.mean + prior.sd * (pdfOverMass(a, lz) - pdfOverMass(b, lz));
      return Math.min(high, Math.max(low, m));
    }
    case 'lognormal':
      return Math.exp(prior.mu + 0.5 * prior.sigma * prior.sigma);
    case 'gamma':
      return prior.shape / prior.rate;
    case 'beta':
      return prior.a / (prior.a + prior.b);
    case 'exponential':
      return 1 / prior.rate;
    case 'halfnormal':
      return prior.sd * Math.sqrt(2 / Math.PI);
  }
}

/** Median of the prior. */
export function priorMedian(prior: Prior): number {
  switch (prior.dist) {
    case 'lognormal':
      checkPrior(prior);
      return Math.exp(prior.mu);
    case 'exponential':
      checkPrior(prior);
      return LN_2 / prior.rate;
    default:
      return priorQuantile(prior, 0.5);
  }
}

/** Standard deviation of the prior. */
export function priorSd(prior: Prior): number {
  checkPrior(prior);
  switch (prior.dist) {
    case 'uniform':
      return (prior.high - prior.low) / Math.sqrt(12);
    case 'loguniform': {
      const l = Math.log(prior.high / prior.low);
      const m = (prior.high - prior.low) / l;
      const m2 = (prior.high * prior.high - prior.low * prior.low) / (2 * l);
      return Math.sqrt(Math.max(0, m2 - m * m));
    }
    case 'normal': {
      if (!isTruncated(prior)) return prior.sd;
      const { low, high } = normalBounds(prior);
      const a = (low - prior.mean) / prior.sd, b = (high - prior.mean) / prior.sd;
      const lz = normalLogIntervalMass(a, b);
      const pa = pdfOverMass(a, lz), pb = pdfOverMass(b, lz);
      const apa = Number.isFinite(a) ? a * pa : 0, bpb = Number.isFinite(b) ? b * pb : 0;
      const d = pa - pb;
      return prior.sd * Math.sqrt(Math.max(0, 1 + apa - bpb - d * d));
    }
    case 'lognormal': {
      const s2 = prior.sigma * prior.sigma;
      return Math.exp(prior.mu + 0.5 * s2) * Math.sqrt(Math.expm1(s2));
    }
    case 'gamma':
      return Math.sqrt(prior.shape) / prior.rate;
    case 'beta': {
      const s = prior.a + prior.b;
      return Math.sqrt(prior.a * prior.b / (s * s * (s + 1)));
    }
    case 'exponential':
      return 1 / prior.rate;
    case 'halfnormal':
      return prior.sd * Math.sqrt(1 - 2 / Math.PI);
  }
}
