import { describe, expect, it } from 'vitest';
import { incompleteBeta, incompleteGamma, lnGamma, normalCdf, priorMedian } from '../../../src-main/model/prior-median.ts';

function close(got: number, want: number, rel = 1e-12): void {
  if (!(Math.abs(got - want) <= rel * Math.max(Math.abs(want), 1e-300))) throw new Error(`got ${got}, want ${want}`);
}

describe('special functions', () => {
  it('lnGamma', () => {
    expect(Math.abs(lnGamma(1))).toBeLessThan(1e-15);
    close(lnGamma(5), Math.log(24), 1e-14);
    close(lnGamma(0.5), 0.5 * Math.log(Math.PI), 1e-14);
    close(lnGamma(100), 359.13420536957540, 1e-14);
  });
  it('incompleteGamma: P + Q = 1 and known values', () => {
    close(incompleteGamma(1, 2).p, 1 - Math.exp(-2), 1e-14);
    close(incompleteGamma(1, 30).q, Math.exp(-30), 1e-12);
    const { p, q } = incompleteGamma(3.7, 2.2);
    close(p + q, 1, 1e-15);
  });
  it('normalCdf, including far tails', () => {
    close(normalCdf(0).lower, 0.5, 1e-15);
    close(normalCdf(1.959963984540054).lower, 0.975, 1e-14);
    close(normalCdf(-10).lower, 7.619853024160527e-24, 1e-11);
    close(normalCdf(10).upper, 7.619853024160527e-24, 1e-11);
    expect(normalCdf(Infinity).upper).toBe(0);
  });
  it('incompleteBeta', () => {
    const F = (x: number): number => 6 * x ** 2 - 8 * x ** 3 + 3 * x ** 4; // CDF of Beta(2, 3)
    for (const x of [0.1, 0.3, 0.5, 0.9]) close(incompleteBeta(2, 3, x), F(x), 1e-13);
  });
});

describe('priorMedian', () => {
  it('closed forms', () => {
    expect(priorMedian({ dist: 'uniform', low: 0.1, high: 1 })).toBe(0.55);
    close(priorMedian({ dist: 'loguniform', low: 0.01, high: 100 }), 1, 1e-15);
    expect(priorMedian({ dist: 'normal', mean: 3, sd: 2 })).toBe(3);
    close(priorMedian({ dist: 'lognormal', mu: 0.5, sigma: 0.5 }), Math.exp(0.5), 1e-15);
    close(priorMedian({ dist: 'exponential', rate: 5 }), Math.LN2 / 5, 1e-15);
    close(priorMedian({ dist: 'halfnormal', sd: 2 }), 2 * 0.6744897501960817, 1e-15);
  });
  it('truncated normal', () => {
    close(priorMedian({ dist: 'normal', mean: 1, sd: 2, low: -3, high: 5 }), 1, 1e-12);
    close(priorMedian({ dist: 'normal', mean: 1, sd: 2, low: 1 }), 1 + 2 * 0.6744897501960817, 1e-12);
    close(priorMedian({ dist: 'normal', mean: 1, sd: 2, high: 1 }), 1 - 2 * 0.6744897501960817, 1e-12);
    // Far in the tail: the median of N(0,1) | z > 10 satisfies Q(m) = Q(10)/2.
    const m = priorMedian({ dist: 'normal', mean: 0, sd: 1, low: 10 });
    close(normalCdf(m).upper, normalCdf(10).upper / 2, 1e-10);
    const m2 = priorMedian({ dist: 'normal', mean: 0, sd: 1, low: -1, high: 3 });
    close(normalCdf(m2).lower, (normalCdf(-1).lower + normalCdf(3).lower) / 2, 1e-12);
  });
  it('gamma (checked against the defining equations)', () => {
    close(priorMedian({ dist: 'gamma', shape: 1, rate: 2 }), Math.LN2 / 2, 1e-13);
    const m2 = priorMedian({ dist: 'gamma', shape: 2, rate: 1 });
    close((1 + m2) * Math.exp(-m2), 0.5, 1e-13);
    const m3 = priorMedian({ dist: 'gamma', shape: 3, rate: 0.5 }) * 0.5;
    close(Math.exp(-m3) * (1 + m3 + m3 * m3 / 2), 0.5, 1e-13);
    close(priorMedian({ dist: 'gamma', shape: 0.5, rate: 1 }), 0.4769362762044699 ** 2, 1e-12);
    const big = priorMedian({ dist: 'gamma', shape: 1000, rate: 1 });
    expect(Math.abs(big - (1000 - 1 / 3 + 8 / (405 * 1000)))).toBeLessThan(1e-6);
    // Tiny shape: P(k, x) ≈ x^k / Γ(k+1), so the median is ≈ (Γ(k+1)/2)^(1/k).
    close(priorMedian({ dist: 'gamma', shape: 0.01, rate: 1 }), Math.pow(0.5 * Math.exp(lnGamma(1.01)), 100), 1e-6);
  });
  it('beta (checked against closed forms)', () => {
    close(priorMedian({ dist: 'beta', a: 2, b: 2 }), 0.5, 1e-13);
    close(priorMedian({ dist: 'beta', a: 0.5, b: 0.5 }), 0.5, 1e-13);
    close(priorMedian({ dist: 'beta', a: 3, b: 1 }), Math.pow(0.5, 1 / 3), 1e-13);
    close(priorMedian({ dist: 'beta', a: 1, b: 4 }), 1 - Math.pow(0.5, 1 / 4), 1e-13);
    close(priorMedian({ dist: 'beta', a: 0.01, b: 1 }), Math.pow(0.5, 100), 1e-10);
    const m = priorMedian({ dist: 'beta', a: 2, b: 3 });
    close(6 * m ** 2 - 8 * m ** 3 + 3 * m ** 4, 0.5, 1e-13);
    const skew = priorMedian({ dist: 'beta', a: 50, b: 0.3 });
    close(incompleteBeta(50, 0.3, skew), 0.5, 1e-10);
  });
});
