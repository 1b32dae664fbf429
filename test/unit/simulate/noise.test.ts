/**
 * Observation noise: draws follow noiseLogLikelihood (chi-square / KS with fixed seeds,
 * significance 1e-4), likelihoods normalise, and the edge cases documented in noise.ts.
 */
import { describe, expect, it } from 'vitest';
import { NEGATIVE_MEAN_TOLERANCE, NoiseError, noiseLogLikelihood, sampleNoise } from '../../../src-main/simulate/noise.ts';
import { rngFor } from '../../../src-main/simulate/random/rng.ts';
import { normalCdf } from '../../../src-main/simulate/random/special.ts';
import type { NoiseDist } from '../../../src-main/model/schema.ts';
import { chiSquareDiscrete, ksTest, meanVar, P_MIN, simpson } from './random/stat-tests.ts';

function noiseDraws(dist: NoiseDist, m: number, param: number, n: number, seed: number): Float64Array {
  const rng = rngFor(31, seed);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = sampleNoise(dist, m, param, rng);
  return xs;
}

describe('noise draws follow the noise likelihood', () => {
  const N = 100_000;

  it.each([
    ['poisson', 7.3, NaN], ['poisson', 420, NaN], ['negbinomial', 30, 2.5], ['negbinomial', 3, 0.4],
    ['binomial', 0.37, 50], ['binomial', 0.002, 2000],
  ] as const)('%s(m = %s, param = %s): chi-square against exp(log-likelihood)', (dist, m, param) => {
    const xs = noiseDraws(dist, m, param, N, Math.round(m * 1000));
    const hi = dist === 'binomial' ? param : Math.ceil(m + 30 * Math.sqrt(m + m * m / (dist === 'negbinomial' ? param : Infinity)) + 30);
    const { p } = chiSquareDiscrete(xs, (k) => Math.exp(noiseLogLikelihood(dist, k, m, param)), 0, hi);
    expect(p).toBeGreaterThan(P_MIN);
  });

  it('normal and lognormal: KS against their CDFs, and the stated means', () => {
    const xs = noiseDraws('normal', 12, 3, N, 1);
    expect(ksTest(xs, (y) => normalCdf((y - 12) / 3)).p).toBeGreaterThan(P_MIN);
    const ls = noiseDraws('lognormal', 12, 0.4, N, 2);
    expect(ksTest(ls, (y) => normalCdf((Math.log(y) - Math.log(12)) / 0.4)).p).toBeGreaterThan(P_MIN);
    // Lognormal noise has median m (not mean m): E[y] = m·e^(σ²/2).
    const mean = 12 * Math.exp(0.08), sd = mean * Math.sqrt(Math.expm1(0.16));
    expect(Math.abs(meanVar(ls).mean - mean)).toBeLessThan(5 * sd / Math.sqrt(N));
  });

  it('negative binomial noise has variance m + m²/φ', () => {
    const xs = noiseDraws('negbinomial', 40, 4, N, 3);
    const v = 40 + 1600 / 4;
    const s = meanVar(xs);
    expect(Math.abs(s.mean - 40)).toBeLessThan(5 * Math.sqrt(v / N));
    // SE of the sample variance ≈ √((μ4 − v²)/n); μ4 = κ4 + 3v² with κ4 = m(1 + 7m/φ + 12m²/φ² + 6m³/φ³).
    const k4 = 40 * (1 + 70 + 1200 + 6000);
    expect(Math.abs(s.variance - v)).toBeLessThan(5 * Math.sqrt((k4 + 2 * v * v) / N));
  });
});

describe('likelihoods normalise', () => {
  it('count likelihoods sum to 1 over y', () => {
    const sum = (f: (y: number) => number, hi: number): number => {
      let s = 0;
      for (let y = 0; y <= hi; y++) s += Math.exp(f(y));
      return s;
    };
    expect(sum((y) => noiseLogLikelihood('poisson', y, 13.7, NaN), 200)).toBeCloseTo(1, 13);
    expect(sum((y) => noiseLogLikelihood('negbinomial', y, 13.7, 0.8, 1), 5000)).toBeCloseTo(1, 12);
    expect(sum((y) => noiseLogLikelihood('binomial', y, 0.21, 80), 80)).toBeCloseTo(1, 13);
  });

  it('normal and lognormal densities integrate to 1 over y', () => {
    expect(simpson((y) => Math.exp(noiseLogLikelihood('normal', y, 5, 0.3)), -5, 15, 20_000)).toBeCloseTo(1, 10);
    expect(simpson((s) => Math.exp(noiseLogLikelihood('lognormal', Math.exp(s), 5, 0.3) + s), -10, 15, 20_000)).toBeCloseTo(1, 10);
  });

  it('negbinomial with dispersion Infinity is Poisson', () => {
    for (const y of [0, 3, 17]) expect(noiseLogLikelihood('negbinomial', y, 6.5, Infinity)).toBe(noiseLogLikelihood('poisson', y, 6.5, NaN));
  });
});

describe('edge cases (decisions documented in noise.ts)', () => {
  const rng = rngFor(1);

  it('m = 0 makes y = 0 certain for poisson and negbinomial', () => {
    for (let i = 0; i < 100; i++) {
      expect(sampleNoise('poisson', 0, NaN, rng)).toBe(0);
      expect(sampleNoise('negbinomial', 0, 2, rng)).toBe(0);
    }
    expect(noiseLogLikelihood('poisson', 0, 0, NaN)).toBe(0);
    expect(noiseLogLikelihood('poisson', 1, 0, NaN)).toBe(-Infinity);
    expect(noiseLogLikelihood('negbinomial', 0, 0, 2)).toBe(0);
    expect(noiseLogLikelihood('negbinomial', 2, 0, 2)).toBe(-Infinity);
  });

  it('reads tiny negative count means as round-off of 0, scaled by the observable size', () => {
    expect(sampleNoise('poisson', -1e-12, NaN, rng)).toBe(0);
    expect(noiseLogLikelihood('poisson', 0, -0.5 * NEGATIVE_MEAN_TOLERANCE, NaN)).toBe(0);
    // An ODE solution of size 1e6 may dip to −1e-4 near zero.
    expect(noiseLogLikelihood('negbinomial', 0, -1e-4, 3, 1e6)).toBe(0);
    expect(() => noiseLogLikelihood('negbinomial', 0, -1e-4, 3)).toThrow(/negbinomial noise: the model value m must be ≥ 0 \(a mean count\), got m=-0.0001/);
    expect(() => sampleNoise('poisson', -0.5, NaN, rng)).toThrow(NoiseError);
    try {
      sampleNoise('poisson', -0.5, NaN, rng);
    } catch (e) {
      expect(e).toMatchObject({ name: 'NoiseError', dist: 'poisson', value: -0.5 });
    }
  });

  it('lognormal needs m > 0', () => {
    expect(() => sampleNoise('lognormal', 0, 0.2, rng)).toThrow(/lognormal noise: the model value m must be > 0 .*got m=0/);
    expect(() => noiseLogLikelihood('lognormal', 1, -2, 0.2)).toThrow(/got m=-2/);
    expect(noiseLogLikelihood('lognormal', 0, 2, 0.2)).toBe(-Infinity);
    expect(noiseLogLikelihood('lognormal', -1, 2, 0.2)).toBe(-Infinity);
  });

  it('binomial needs an integer n ≥ 0 and m in [0, 1] (round-off of 1e-12 clamped)', () => {
    expect(() => sampleNoise('binomial', 1.2, 10, rng)).toThrow(/binomial noise: the model value m must be a probability in \[0, 1\], got m=1.2/);
    expect(() => noiseLogLikelihood('binomial', 3, -0.1, 10)).toThrow(/got m=-0.1/);
    expect(() => sampleNoise('binomial', 0.5, 3.5, rng)).toThrow(/binomial noise: n must be a non-negative integer, got n=3.5/);
    expect(() => sampleNoise('binomial', 0.5, -1, rng)).toThrow(/got n=-1/);
    expect(sampleNoise('binomial', 1 + 1e-14, 10, rng)).toBe(10);
    expect(sampleNoise('binomial', -1e-14, 10, rng)).toBe(0);
    expect(noiseLogLikelihood('binomial', 11, 0.5, 10)).toBe(-Infinity);
    expect(noiseLogLikelihood('binomial', 10, 1, 10)).toBe(0);
  });

  it('a zero scale is a point mass; negative or non-finite parameters are errors', () => {
    expect(sampleNoise('normal', 3.5, 0, rng)).toBe(3.5);
    expect(sampleNoise('lognormal', 3.5, 0, rng)).toBe(3.5);
    expect(noiseLogLikelihood('normal', 3.5, 3.5, 0)).toBe(Infinity);
    expect(noiseLogLikelihood('normal', 3.6, 3.5, 0)).toBe(-Infinity);
    expect(() => sampleNoise('normal', 1, -0.1, rng)).toThrow(/normal noise: sd must be a finite number ≥ 0, got sd=-0.1/);
    expect(() => sampleNoise('lognormal', 1, NaN, rng)).toThrow(/sigma must be a finite number ≥ 0, got sigma=NaN/);
    expect(() => sampleNoise('negbinomial', 1, 0, rng)).toThrow(/dispersion must be > 0 .*got dispersion=0/);
    expect(() => sampleNoise('normal', NaN, 1, rng)).toThrow(/the model value m must be a finite number, got m=NaN/);
    expect(() => sampleNoise('poisson', Infinity, NaN, rng)).toThrow(/got m=Infinity/);
  });

  it('count likelihoods of non-count observations are 0; NaN observations are errors', () => {
    expect(noiseLogLikelihood('poisson', 2.5, 3, NaN)).toBe(-Infinity);
    expect(noiseLogLikelihood('negbinomial', -1, 3, 2)).toBe(-Infinity);
    expect(() => noiseLogLikelihood('normal', NaN, 3, 1)).toThrow(/observed value y is NaN/);
  });
});
