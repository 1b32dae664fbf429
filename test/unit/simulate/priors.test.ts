/**
 * Priors: quantile ⇄ CDF consistency (1e-10), density = derivative of the CDF, density
 * normalisation, moments against numerical integration, samples against the CDF (KS, fixed
 * seeds, significance 1e-4), supports and parameter errors.
 */
import { describe, expect, it } from 'vitest';
import type { Prior } from '../../../src-main/model/schema.ts';
import {
  checkPrior, PriorError, priorCdf, priorLogDensity, priorMean, priorMedian, priorQuantile, priorSd, priorSupport,
  samplePrior,
} from '../../../src-main/simulate/priors.ts';
import { rngFor } from '../../../src-main/simulate/random/rng.ts';
import { normalLogIntervalMass } from '../../../src-main/simulate/random/special.ts';
import { ksTest, P_MIN, simpson } from './random/stat-tests.ts';

const PRIORS: Prior[] = [
  { dist: 'uniform', low: -2, high: 3 },
  { dist: 'loguniform', low: 1e-3, high: 10 },
  { dist: 'normal', mean: 1, sd: 2 },
  { dist: 'normal', mean: 1, sd: 2, low: 0 },
  { dist: 'normal', mean: 0, sd: 1, low: -1, high: 0.5 },
  { dist: 'normal', mean: 0, sd: 1, high: -6 },
  { dist: 'normal', mean: 0, sd: 1, low: 40 },
  { dist: 'lognormal', mu: 0.5, sigma: 0.5 },
  { dist: 'gamma', shape: 0.2, rate: 3 },
  { dist: 'gamma', shape: 2, rate: 0.5 },
  { dist: 'gamma', shape: 300, rate: 10 },
  { dist: 'beta', a: 0.5, b: 0.5 },
  { dist: 'beta', a: 2, b: 8 },
  { dist: 'beta', a: 0.1, b: 30 },
  { dist: 'exponential', rate: 5 },
  { dist: 'halfnormal', sd: 2 },
];

const name = (p: Prior): string => JSON.stringify(p);

/** log of the normal mass kept by a truncated normal prior (0 for other priors). */
function logMass(p: Prior): number {
  if (p.dist !== 'normal') return 0;
  return normalLogIntervalMass(((p.low ?? -Infinity) - p.mean) / p.sd, ((p.high ?? Infinity) - p.mean) / p.sd);
}
const LEVELS = [1e-12, 1e-6, 1e-3, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1 - 1e-6, 1 - 1e-9];

/** Simpson over [Q(1e-13), Q(½)] of the prior in the smoothest variable: log x on (0, ∞) (spikes at 0 become e^(a·s)), logit x on (0, 1). */
function integrateLower(prior: Prior, g: (x: number) => number): number {
  const lo = priorQuantile(prior, 1e-13), hi = priorQuantile(prior, 0.5);
  const f = (x: number): number => Math.exp(priorLogDensity(prior, x)) * g(x);
  if (prior.dist === 'beta') {
    return simpson((s) => { const x = 1 / (1 + Math.exp(-s)); return f(x) * x * (1 - x); }, Math.log(lo / (1 - lo)), Math.log(hi / (1 - hi)), 20_000);
  }
  if (priorSupport(prior).low >= 0) return simpson((s) => { const x = Math.exp(s); return f(x) * x; }, Math.log(lo), Math.log(hi), 20_000);
  return simpson(f, lo, hi, 20_000);
}

/**
 * ∫ g(x)·f(x) dx over the prior, ~1e-9 accurate (the neglected tails hold 2e-13). The upper half
 * of a beta is the lower half of its mirror Beta(b, a) (x ↦ 1 − x), so x never rounds to 1.
 */
function integrate(prior: Prior, g: (x: number) => number): number {
  if (prior.dist === 'beta') {
    return integrateLower(prior, g) + integrateLower({ dist: 'beta', a: prior.b, b: prior.a }, (u) => g(1 - u));
  }
  const lo = priorQuantile(prior, 0.5), hi = priorQuantile(prior, 1 - 1e-13);
  const f = (x: number): number => Math.exp(priorLogDensity(prior, x)) * g(x);
  const upper = priorSupport(prior).low >= 0
    ? simpson((s) => { const x = Math.exp(s); return f(x) * x; }, Math.log(lo), Math.log(hi), 20_000)
    : simpson(f, lo, hi, 20_000);
  return integrateLower(prior, g) + upper;
}

describe.each(PRIORS.map((p) => [name(p), p] as const))('%s', (_n, prior) => {
  it('quantile and CDF are inverse to 1e-10', () => {
    for (const q of LEVELS) {
      const x = priorQuantile(prior, q);
      expect(Number.isFinite(x), `Q(${q}) = ${x}`).toBe(true);
      const back = priorCdf(prior, x);
      // Allowed: 1e-10 relative to the nearer tail, plus what rounding x to a double moves F
      // (f(x)·|x|·2^-52: e.g. 3e-13 at the quantile 40.0000000000000250 of N(0,1) on [40, ∞)),
      // plus 1e-14 absolute for CDFs evaluated as 1 − (upper tail), and for truncated normals the
      // ulp of their log masses (|log Z| ≈ 805 on [40, ∞): 2e-13).
      const conditioning = Math.exp(priorLogDensity(prior, x)) * Math.abs(x) * 2.3e-16;
      const floor = 1e-14 + 2.3e-16 * Math.abs(logMass(prior));
      expect(Math.abs(back - q), `F(Q(${q})) = ${back}`).toBeLessThanOrEqual(1e-10 * Math.min(q, 1 - q) + conditioning + floor);
    }
    const { low, high } = priorSupport(prior);
    expect(priorQuantile(prior, 0)).toBe(low);
    expect(priorQuantile(prior, 1)).toBe(high);
  });

  it('quantiles increase and lie in the support; the median is Q(½)', () => {
    const { low, high } = priorSupport(prior);
    let last = -Infinity;
    for (const q of LEVELS) {
      const x = priorQuantile(prior, q);
      expect(x).toBeGreaterThanOrEqual(last);
      expect(x).toBeGreaterThanOrEqual(low);
      expect(x).toBeLessThanOrEqual(high);
      last = x;
    }
    expect(priorCdf(prior, priorMedian(prior))).toBeCloseTo(0.5, 12);
  });

  it('the density is the derivative of the CDF', () => {
    for (const q of [0.05, 0.3, 0.5, 0.8, 0.97]) {
      const x = priorQuantile(prior, q);
      // Step: a small fraction of the local scale (the sd, or the distance to a support boundary).
      const { low, high } = priorSupport(prior);
      const h = 1e-4 * Math.min(priorSd(prior), x - low, high - x);
      const numeric = (priorCdf(prior, x + h) - priorCdf(prior, x - h)) / (2 * h);
      const exact = Math.exp(priorLogDensity(prior, x));
      expect(Math.abs(numeric - exact) / exact, `at x = ${x}`).toBeLessThan(1e-5);
    }
  });

  it('the density integrates to 1, and the mean and sd match priorMean and priorSd', () => {
    expect(integrate(prior, () => 1)).toBeCloseTo(1, 8);
    const m = priorMean(prior), sd = priorSd(prior);
    const m1 = integrate(prior, (x) => x);
    const v = integrate(prior, (x) => (x - m) * (x - m));
    expect(Math.abs(m1 - m)).toBeLessThan(1e-7 * (Math.abs(m) + sd));
    expect(Math.abs(Math.sqrt(v) - sd) / sd).toBeLessThan(1e-6);
  });

  it('samples follow the CDF (KS, n = 50 000)', () => {
    const rng = rngFor(77, PRIORS.indexOf(prior));
    const xs = new Float64Array(50_000);
    for (let i = 0; i < xs.length; i++) xs[i] = samplePrior(prior, rng);
    const { low, high } = priorSupport(prior);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(low);
    expect(Math.max(...xs)).toBeLessThanOrEqual(high);
    expect(ksTest(xs, (x) => priorCdf(prior, x)).p).toBeGreaterThan(P_MIN);
  });

  it('has log density −Infinity outside the support', () => {
    const { low, high } = priorSupport(prior);
    if (Number.isFinite(low)) expect(priorLogDensity(prior, low - 1e-9 * Math.max(1, Math.abs(low)))).toBe(-Infinity);
    if (Number.isFinite(high)) expect(priorLogDensity(prior, high + 1e-9 * Math.max(1, Math.abs(high)))).toBe(-Infinity);
    expect(priorLogDensity(prior, NaN)).toBeNaN();
  });
});

describe('prior summaries and supports', () => {
  it('closed forms', () => {
    expect(priorMean({ dist: 'gamma', shape: 3, rate: 2 })).toBe(1.5);
    expect(priorSd({ dist: 'exponential', rate: 4 })).toBe(0.25);
    expect(priorMedian({ dist: 'lognormal', mu: 1, sigma: 3 })).toBe(Math.E);
    expect(priorMedian({ dist: 'exponential', rate: 2 })).toBeCloseTo(Math.LN2 / 2, 15);
    expect(priorMedian({ dist: 'beta', a: 2, b: 3 })).toBeCloseTo(0.38572756813238945, 13);
    expect(priorMedian({ dist: 'halfnormal', sd: 1 })).toBeCloseTo(0.6744897501960817, 13);
    // Truncated normal on [0, ∞): mean = φ(0)/½ = √(2/π).
    expect(priorMean({ dist: 'normal', mean: 0, sd: 1, low: 0 })).toBeCloseTo(Math.sqrt(2 / Math.PI), 14);
    // Far tail [40, ∞): mean ≈ 40 + 1/40 (Mills ratio), sd ≈ 1/40.
    expect(priorMean({ dist: 'normal', mean: 0, sd: 1, low: 40 })).toBeCloseTo(40.02492, 4);
    expect(priorSd({ dist: 'normal', mean: 0, sd: 1, low: 40 })).toBeCloseTo(0.02492, 3);
  });

  it('small quantiles keep relative precision', () => {
    // Half-normal: Q(q) ≈ sd·q·√(π/2) for small q; 1 − 2Φ(−x) arithmetic would round q = 1e-20 to 0.
    expect(priorQuantile({ dist: 'halfnormal', sd: 1 }, 1e-20) / (1e-20 * Math.sqrt(Math.PI / 2))).toBeCloseTo(1, 12);
    expect(priorQuantile({ dist: 'exponential', rate: 1 }, 1e-20)).toBeCloseTo(1e-20, 30);
  });

  it('supports: positive priors start at 0, beta is [0, 1], truncation bounds are used', () => {
    expect(priorSupport({ dist: 'gamma', shape: 1, rate: 1 })).toEqual({ low: 0, high: Infinity });
    expect(priorSupport({ dist: 'halfnormal', sd: 1 })).toEqual({ low: 0, high: Infinity });
    expect(priorSupport({ dist: 'beta', a: 1, b: 1 })).toEqual({ low: 0, high: 1 });
    expect(priorSupport({ dist: 'normal', mean: 0, sd: 1 })).toEqual({ low: -Infinity, high: Infinity });
    expect(priorSupport({ dist: 'normal', mean: 0, sd: 1, high: 2 })).toEqual({ low: -Infinity, high: 2 });
    expect(priorSupport({ dist: 'loguniform', low: 2, high: 5 })).toEqual({ low: 2, high: 5 });
  });

  it('boundary densities are the limits', () => {
    expect(priorLogDensity({ dist: 'exponential', rate: 3 }, 0)).toBeCloseTo(Math.log(3), 15);
    expect(priorLogDensity({ dist: 'gamma', shape: 0.5, rate: 1 }, 0)).toBe(Infinity);
    expect(priorLogDensity({ dist: 'gamma', shape: 2, rate: 1 }, 0)).toBe(-Infinity);
    expect(priorLogDensity({ dist: 'beta', a: 1, b: 3 }, 0)).toBeCloseTo(Math.log(3), 15);
    expect(priorLogDensity({ dist: 'uniform', low: 0, high: 4 }, 4)).toBeCloseTo(-Math.log(4), 15);
  });

  it('rejects parameters the schema cannot, naming the prior and the rule', () => {
    expect(() => checkPrior({ dist: 'uniform', low: 3, high: 3 })).toThrow(PriorError);
    expect(() => samplePrior({ dist: 'uniform', low: 3, high: 1 }, rngFor(1))).toThrow(/uniform prior .*needs low < high, got low=3, high=1/);
    expect(() => priorQuantile({ dist: 'normal', mean: 0, sd: 1, low: 2, high: 1 }, 0.5)).toThrow(/needs low < high/);
    expect(() => priorMean({ dist: 'gamma', shape: -1, rate: 1 })).toThrow(/shape must be a finite number > 0, got -1/);
    expect(() => priorQuantile({ dist: 'beta', a: 1, b: 1 }, 1.5)).toThrow(/quantile level must be in \[0, 1\], got 1.5/);
  });
});
