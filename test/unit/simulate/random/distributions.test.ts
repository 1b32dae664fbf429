/**
 * Samplers against their exact laws (KS for continuous, chi-square for discrete; fixed seeds;
 * significance P_MIN = 1e-4), moments within 5 standard errors, and log-densities that integrate
 * or sum to 1.
 */
import { describe, expect, it } from 'vitest';
import { rngFor, type Rng } from '../../../../src-main/simulate/random/rng.ts';
import {
  betaLogPdf, binomialLogPmf, exponentialLogPdf, gammaLogPdf, lognormalLogPdf, negBinomialLogPmf, normalLogPdf,
  poissonLogPmf, sampleBeta, sampleBinomial, sampleExponential, sampleGamma, sampleLognormal, sampleNegBinomial,
  sampleNormal, samplePoisson, sampleStandardNormal, sampleTruncatedNormal, sampleUniform, truncatedNormalLogPdf,
} from '../../../../src-main/simulate/random/distributions.ts';
import { betaInc, gammaP, lgamma, normalCdf, normalLogIntervalMass } from '../../../../src-main/simulate/random/special.ts';
import { chiSquareDiscrete, ksTest, meanVar, P_MIN, simpson } from './stat-tests.ts';

/** Draws from a stream keyed by the bits of `seed` (any real), so each case has its own fixed stream. */
function draws(n: number, seed: number, f: (rng: Rng) => number): Float64Array {
  const rng = rngFor(0xd157, ...bitsOf(seed));
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = f(rng);
  return xs;
}

function bitsOf(x: number): number[] {
  const u = new Uint32Array(new Float64Array([x]).buffer);
  return [u[0], u[1]];
}

/** Sample mean and variance within 5 standard errors of the truth (SE of the variance from the 4th central moment). */
function expectMoments(xs: Float64Array, mean: number, variance: number, mu4: number): void {
  const n = xs.length;
  const s = meanVar(xs);
  expect(Math.abs(s.mean - mean), `mean ${s.mean} vs ${mean}`).toBeLessThan(5 * Math.sqrt(variance / n));
  expect(Math.abs(s.variance - variance), `variance ${s.variance} vs ${variance}`).toBeLessThan(5 * Math.sqrt((mu4 - variance * variance) / n));
}

describe('continuous samplers match their CDFs (KS, n = 100 000 unless stated)', () => {
  const N = 100_000;

  it('standard normal (ziggurat), n = 1 000 000, including the tail beyond the base strip', () => {
    const xs = draws(1_000_000, 1, sampleStandardNormal);
    // KS on the first 200 000 (the CDF costs ~1 µs); the tail counts below use all draws.
    expect(ksTest(xs.subarray(0, 200_000), normalCdf).p).toBeGreaterThan(P_MIN);
    expectMoments(xs, 0, 1, 3);
    // Draws beyond R = 3.4426 come from the separate tail algorithm: expected 2·Φ(−R)·n ≈ 576, sd ≈ 24.
    let tail = 0;
    for (const x of xs) if (Math.abs(x) > 3.442619855899) tail++;
    const expected = 2 * normalCdf(-3.442619855899) * xs.length;
    expect(Math.abs(tail - expected)).toBeLessThan(5 * Math.sqrt(expected));
    // And far out: P(|Z| > 4.5) = 6.8e-6 → 6.8 expected; a broken tail gives 0 or far too many.
    let far = 0;
    for (const x of xs) if (Math.abs(x) > 4.5) far++;
    expect(far).toBeGreaterThan(0);
    expect(far).toBeLessThan(25);
  });

  it('normal(mean, sd) and lognormal', () => {
    expect(ksTest(draws(N, 2, (r) => sampleNormal(r, -3, 0.25)), (x) => normalCdf((x + 3) / 0.25)).p).toBeGreaterThan(P_MIN);
    expect(ksTest(draws(N, 3, (r) => sampleLognormal(r, 0.5, 0.7)), (x) => normalCdf((Math.log(x) - 0.5) / 0.7)).p).toBeGreaterThan(P_MIN);
  });

  it('uniform and exponential', () => {
    expect(ksTest(draws(N, 4, (r) => sampleUniform(r, -2, 5)), (x) => (x + 2) / 7).p).toBeGreaterThan(P_MIN);
    const xs = draws(N, 5, (r) => sampleExponential(r, 2.5));
    expect(ksTest(xs, (x) => -Math.expm1(-2.5 * x)).p).toBeGreaterThan(P_MIN);
    expectMoments(xs, 0.4, 0.16, 9 * 0.4 ** 4);
  });

  it.each([0.05, 0.3, 1, 2.5, 1000])('gamma(shape %s, rate 2)', (shape) => {
    const xs = draws(N, 6 + shape, (r) => sampleGamma(r, shape, 2));
    expect(ksTest(xs, (x) => gammaP(shape, 2 * x)).p).toBeGreaterThan(P_MIN);
    // Central 4th moment of Gamma(k, θ): 3k(k+2)θ⁴.
    expectMoments(xs, shape / 2, shape / 4, 3 * shape * (shape + 2) / 16);
  });

  it.each([[0.5, 0.5], [2, 3], [0.05, 3], [200, 300], [1, 1]])('beta(%s, %s)', (a, b) => {
    const xs = draws(N, 7 + a * 10 + b, (r) => sampleBeta(r, a, b));
    expect(ksTest(xs, (x) => betaInc(a, b, x)).p).toBeGreaterThan(P_MIN);
    const s = a + b;
    const m = meanVar(xs);
    expect(Math.abs(m.mean - a / s)).toBeLessThan(5 * Math.sqrt(a * b / (s * s * (s + 1)) / N));
  });

  it.each([
    [-1, 2], [5, Infinity], [40, 41], [-0.1, 0.1], [-Infinity, -3], [-30, 30], [0, 0.001], [8, 8.5],
  ])('truncated standard normal on [%s, %s] (far tails cost the same)', (lo, hi) => {
    const xs = draws(N, 8 + lo, (r) => sampleTruncatedNormal(r, 0, 1, lo, hi));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(lo);
    expect(Math.max(...xs)).toBeLessThanOrEqual(hi);
    const lz = normalLogIntervalMass(lo, hi);
    expect(ksTest(xs, (x) => Math.exp(normalLogIntervalMass(lo, x) - lz)).p).toBeGreaterThan(P_MIN);
  });

  it('truncated normal with a location and scale', () => {
    const xs = draws(N, 9, (r) => sampleTruncatedNormal(r, 10, 3, 0, 12));
    const lz = normalLogIntervalMass(-10 / 3, 2 / 3);
    expect(ksTest(xs, (x) => Math.exp(normalLogIntervalMass(-10 / 3, (x - 10) / 3) - lz)).p).toBeGreaterThan(P_MIN);
  });
});

describe('discrete samplers match their pmfs (chi-square, n = 200 000)', () => {
  const N = 200_000;

  it.each([0.01, 0.5, 3, 9.99, 10, 57.3, 1e4, 1e7])('Poisson(%s) (inversion below 10, PTRS above)', (mean) => {
    const xs = draws(N, 10 + mean, (r) => samplePoisson(r, mean));
    const sd = Math.sqrt(mean);
    const lo = Math.max(0, Math.floor(mean - 8 * sd)), hi = Math.ceil(mean + 8 * sd + 10);
    expect(chiSquareDiscrete(xs, (k) => Math.exp(poissonLogPmf(k, mean)), lo, hi).p).toBeGreaterThan(P_MIN);
    expectMoments(xs, mean, mean, mean + 3 * mean * mean);
  });

  it.each([
    [20, 0.3], [1000, 0.001], [1e6, 1e-6], [1000, 0.3], [1000, 0.995], [50, 0.5], [1e9, 0.4], [33, 0.3030303],
  ])('Binomial(%s, %s) (inversion when n·min(p, 1−p) < 10, BTRS otherwise)', (n, p) => {
    const xs = draws(N, 11 + n * p, (r) => sampleBinomial(r, n, p));
    const mean = n * p, v = n * p * (1 - p), sd = Math.sqrt(v);
    const lo = Math.max(0, Math.floor(mean - 8 * sd)), hi = Math.min(n, Math.ceil(mean + 8 * sd + 10));
    expect(chiSquareDiscrete(xs, (k) => Math.exp(binomialLogPmf(k, n, p)), lo, hi).p).toBeGreaterThan(P_MIN);
    // Central 4th moment of the binomial: 3v² + v(1 − 6pq).
    expectMoments(xs, mean, v, 3 * v * v + v * (1 - 6 * p * (1 - p)));
  });

  it('binomial edge cases', () => {
    const r = rngFor(1);
    expect(sampleBinomial(r, 0, 0.5)).toBe(0);
    expect(sampleBinomial(r, 10, 0)).toBe(0);
    expect(sampleBinomial(r, 10, 1)).toBe(10);
    expect(() => sampleBinomial(r, 2.5, 0.5)).toThrow(/non-negative integer, got 2.5/);
    expect(() => sampleBinomial(r, 10, 1.5)).toThrow(/\[0, 1\], got 1.5/);
    expect(() => samplePoisson(r, -1)).toThrow(RangeError);
    expect(() => samplePoisson(r, NaN)).toThrow(RangeError);
    expect(samplePoisson(r, 0)).toBe(0);
  });

  it.each([[20, 3], [2, 0.5], [500, 50], [5, 1e6], [0.3, 2]])('negative binomial(mean %s, dispersion %s)', (m, phi) => {
    const xs = draws(N, 12 + m + phi, (r) => sampleNegBinomial(r, m, phi));
    const v = m + m * m / phi;
    expect(chiSquareDiscrete(xs, (k) => Math.exp(negBinomialLogPmf(k, m, phi)), 0, Math.ceil(m + 12 * Math.sqrt(v) + 30)).p).toBeGreaterThan(P_MIN);
    // μ4 = κ4 + 3κ2², with the gamma–Poisson cumulants κ2 = v and κ4 = m(1 + 7m/φ + 12m²/φ² + 6m³/φ³).
    const k4 = m * (1 + 7 * m / phi + 12 * (m / phi) ** 2 + 6 * (m / phi) ** 3);
    expectMoments(xs, m, v, k4 + 3 * v * v);
  });
});

describe('log-densities integrate to 1', () => {
  /** ∫ f over the real line via x = s (Simpson). */
  function integrate(logf: (x: number) => number, lo: number, hi: number, n = 20_000): number {
    return simpson((x) => Math.exp(logf(x)), lo, hi, n);
  }
  /** ∫ f over (0, ∞) via x = e^s, so spikes at 0 (shape < 1) become smooth. */
  function integratePositive(logf: (x: number) => number, slo: number, shi: number, n = 40_000): number {
    return simpson((s) => Math.exp(logf(Math.exp(s)) + s), slo, shi, n);
  }
  /** ∫ f over (0, ½] via x = logistic(s), s ≤ 0, so x never rounds to 0 or 1 and spikes at 0 become smooth. */
  function integrateLowerHalf(logf: (x: number) => number, slo: number, n = 100_000): number {
    return simpson((s) => {
      const x = 1 / (1 + Math.exp(-s));
      return Math.exp(logf(x) + Math.log(x) + Math.log1p(-x));
    }, slo, 0, n);
  }

  it('normal, lognormal, exponential', () => {
    expect(integrate((x) => normalLogPdf(x, 3, 0.5), -20, 26)).toBeCloseTo(1, 10);
    expect(integratePositive((x) => lognormalLogPdf(x, 1, 2), -40, 40)).toBeCloseTo(1, 10);
    expect(integratePositive((x) => exponentialLogPdf(x, 3), -60, 5)).toBeCloseTo(1, 10);
  });

  it.each([0.05, 0.3, 1, 2.5, 1e3, 1e6])('gamma(shape %s)', (shape) => {
    // On s = log x the left tail decays like e^(shape·s) and the right like e^(−e^s): take the
    // range where both are below 1e-15 (and keep e^s a normal double).
    const c = Math.log(shape / 2), w = 20 / Math.sqrt(shape); // log x is within ±w of c up to 1e-15
    const lo = Math.max(-700, c - Math.max(w, 35 / shape)), hi = Math.log((shape + 40 + 20 * Math.sqrt(shape)) / 2);
    expect(integratePositive((x) => gammaLogPdf(x, shape, 2), lo, hi)).toBeCloseTo(1, 9);
  });

  it.each([[0.5, 0.5], [2, 3], [0.05, 3], [200, 300], [1, 1], [1e4, 2]])('beta(%s, %s)', (a, b) => {
    // Upper half by the mirror x ↦ 1 − x: Beta(a, b) on [½, 1) is Beta(b, a) on (0, ½].
    const lower = integrateLowerHalf((x) => betaLogPdf(x, a, b), Math.max(-700, -40 / Math.min(a, 1)));
    const upper = integrateLowerHalf((x) => betaLogPdf(x, b, a), Math.max(-700, -40 / Math.min(b, 1)));
    expect(lower + upper).toBeCloseTo(1, 9);
  });

  it('truncated normal, including far tails where Φ underflows', () => {
    expect(integrate((x) => truncatedNormalLogPdf(x, 0, 1, -1, 2), -1, 2)).toBeCloseTo(1, 12);
    expect(integrate((x) => truncatedNormalLogPdf(x, 0, 1, 40, 41), 40, 41)).toBeCloseTo(1, 10);
    expect(integrate((x) => truncatedNormalLogPdf(x, 5, 2, -Infinity, -30), -60, -30, 60_000)).toBeCloseTo(1, 9);
    expect(truncatedNormalLogPdf(3, 0, 1, -1, 2)).toBe(-Infinity);
  });

  it('Poisson, binomial and negative binomial pmfs sum to 1 and have the stated means and variances', () => {
    const check = (pmf: (k: number) => number, kMax: number, mean: number, variance: number): void => {
      let s = 0, s1 = 0, s2 = 0;
      for (let k = 0; k <= kMax; k++) {
        const p = pmf(k);
        s += p;
        s1 += k * p;
        s2 += k * k * p;
      }
      expect(s).toBeCloseTo(1, 12);
      expect(s1 / mean).toBeCloseTo(1, 10);
      expect((s2 - s1 * s1) / variance).toBeCloseTo(1, 8);
    };
    for (const m of [0.5, 50, 1e4]) check((k) => Math.exp(poissonLogPmf(k, m)), Math.ceil(m + 40 * Math.sqrt(m) + 40), m, m);
    for (const [n, p] of [[20, 0.3], [1000, 0.001], [1e5, 0.4]]) check((k) => Math.exp(binomialLogPmf(k, n, p)), n, n * p, n * p * (1 - p));
    for (const [m, phi] of [[20, 3], [1e3, 0.5], [5, 1e6], [0.2, 50]]) {
      const v = m + m * m / phi;
      check((k) => Math.exp(negBinomialLogPmf(k, m, phi)), Math.ceil(m + 200 * Math.sqrt(v) + 50), m, v);
    }
  });

  it('log-pmfs agree with the textbook lgamma formulas (moderate arguments) to 1e-12', () => {
    for (const [k, m] of [[0, 3], [7, 3.5], [40, 35], [200, 180]]) {
      expect(poissonLogPmf(k, m)).toBeCloseTo(k * Math.log(m) - m - lgamma(k + 1), 12);
    }
    for (const [k, n, p] of [[0, 10, 0.2], [3, 10, 0.2], [10, 10, 0.2], [45, 100, 0.4]]) {
      const ref = lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p);
      expect(binomialLogPmf(k, n, p)).toBeCloseTo(ref, 12);
    }
    for (const [k, m, phi] of [[0, 4, 2], [3, 4, 2], [17, 12.5, 0.7], [100, 80, 30]]) {
      const ref = lgamma(k + phi) - lgamma(phi) - lgamma(k + 1) + phi * Math.log(phi / (phi + m)) + k * Math.log(m / (phi + m));
      expect(negBinomialLogPmf(k, m, phi)).toBeCloseTo(ref, 12);
    }
    expect(negBinomialLogPmf(3, 2, Infinity)).toBe(poissonLogPmf(3, 2));
    expect(poissonLogPmf(2.5, 3)).toBe(-Infinity);
    expect(poissonLogPmf(-1, 3)).toBe(-Infinity);
    expect(binomialLogPmf(11, 10, 0.5)).toBe(-Infinity);
  });

  it('stays accurate where lgamma differences would not (huge counts)', () => {
    // Poisson(k = m = 1e12): log pmf = −½·log(2π·1e12) − 1/(12·1e12) + O(1e-36).
    expect(poissonLogPmf(1e12, 1e12)).toBeCloseTo(-0.5 * Math.log(2 * Math.PI * 1e12) - 1 / 12e12, 12);
  });
});
