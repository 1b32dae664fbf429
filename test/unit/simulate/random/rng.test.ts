import { describe, expect, it } from 'vitest';
import { fmix32, rngFor, Xoshiro128ss } from '../../../../src-main/simulate/random/rng.ts';
import { chiSquareDiscrete, ksTest, P_MIN } from './stat-tests.ts';

function take(rng: { nextUint32(): number }, n: number): number[] {
  return Array.from({ length: n }, () => rng.nextUint32());
}

describe('Xoshiro128ss', () => {
  it('matches the reference implementation (Blackman & Vigna, xoshiro128starstar.c) from state {1, 2, 3, 4}', () => {
    // Output of the authors' C code seeded with s = {1, 2, 3, 4}.
    expect(take(new Xoshiro128ss(1, 2, 3, 4), 10)).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804,
    ]);
  });

  it('never starts from the all-zero fixed point', () => {
    const r = new Xoshiro128ss(0, 0, 0, 0);
    expect(take(r, 4).some((v) => v !== 0)).toBe(true);
  });

  it('next() is in [0, 1) and uses 53 bits', () => {
    const r = rngFor(5);
    let lowBits = 0;
    for (let i = 0; i < 1000; i++) {
      const u = r.next();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      const k = u * 2 ** 53;
      expect(Number.isInteger(k)).toBe(true);
      if (k % 2 ** 21 !== 0) lowBits++; // bits a 32-bit uniform could not have
    }
    expect(lowBits).toBeGreaterThan(990);
  });
});

describe('rngFor', () => {
  it('pins the first values of a few streams (changing these changes every bank)', () => {
    expect(take(rngFor(42), 4)).toEqual([3670835572, 3037743272, 3575952442, 3550007863]);
    const r = rngFor(2024, 7, 1);
    expect([r.next(), r.next(), r.next()]).toEqual([0.1134977639328838, 0.529871826461278, 0.8819038892086323]);
    expect(rngFor(0).nextUint32()).toBe(859859737);
    expect(rngFor(0, 0).nextUint32()).toBe(2315595456);
    expect(rngFor(2 ** 53 - 1).nextUint32()).toBe(2369470380);
    expect(rngFor(1, -1).nextUint32()).toBe(1565905407);
  });

  it('gives the same stream for the same seed and path', () => {
    expect(take(rngFor(123, 4, 5), 100)).toEqual(take(rngFor(123, 4, 5), 100));
  });

  it('gives different streams for different seeds, paths and path lengths', () => {
    const variants = [
      rngFor(1), rngFor(1, 0), rngFor(1, 0, 0), rngFor(1, 1), rngFor(1, 0, 1), rngFor(2), rngFor(2, 0),
      rngFor(2 ** 32), rngFor(2 ** 32 + 1), rngFor(1, 2 ** 32), rngFor(1, -1), rngFor(1, 1, 0),
    ].map((r) => take(r, 4).join(','));
    expect(new Set(variants).size).toBe(variants.length);
  });

  it('rejects seeds that are negative, fractional, non-finite or above 2^53 − 1, and fractional paths', () => {
    expect(() => rngFor(-1)).toThrow(/seed must be an integer in \[0, 2\^53 − 1\], got -1/);
    expect(() => rngFor(1.5)).toThrow(RangeError);
    expect(() => rngFor(NaN)).toThrow(RangeError);
    expect(() => rngFor(2 ** 53)).toThrow(RangeError);
    expect(() => rngFor(1, 0.5)).toThrow(/path\[0\]/);
  });

  it('neighbouring seeds give independent first draws (uniform and uncorrelated across 100 000 streams)', () => {
    // Weak seeding shows up here first: consecutive seeds with similar first outputs.
    const n = 100_000;
    const first = new Float64Array(n), second = new Float64Array(n);
    for (let s = 0; s < n; s++) {
      const r = rngFor(s);
      first[s] = r.next();
      second[s] = rngFor(7, s).next();
    }
    expect(ksTest(first, (x) => Math.min(1, Math.max(0, x))).p).toBeGreaterThan(P_MIN);
    expect(ksTest(second, (x) => Math.min(1, Math.max(0, x))).p).toBeGreaterThan(P_MIN);
    // Lag-1 correlation across seeds: sd of the estimator is 1/√n ≈ 0.0032; allow 5 sd.
    let c = 0;
    for (let s = 0; s + 1 < n; s++) c += (first[s] - 0.5) * (first[s + 1] - 0.5);
    expect(Math.abs(c / (n - 1) * 12)).toBeLessThan(5 / Math.sqrt(n));
  });

  it('low bits are uniform too (chi-square over the 256 values of the low byte)', () => {
    const r = rngFor(99);
    const xs = new Float64Array(256_000);
    for (let i = 0; i < xs.length; i++) xs[i] = r.nextUint32() & 255;
    expect(chiSquareDiscrete(xs, () => 1 / 256, 0, 255).p).toBeGreaterThan(P_MIN);
  });
});

describe('fmix32', () => {
  it('avalanches: flipping one input bit flips about half of the output bits', () => {
    let flips = 0, trials = 0;
    for (let x = 0; x < 2000; x++) {
      for (let b = 0; b < 32; b++) {
        const d = (fmix32(x) ^ fmix32(x ^ (1 << b))) >>> 0;
        let c = 0;
        for (let v = d; v !== 0; v >>>= 1) c += v & 1;
        flips += c;
        trials++;
      }
    }
    // Mean of 64 000 Binomial(32, ½) counts: sd of the mean ≈ 0.011.
    expect(Math.abs(flips / trials - 16)).toBeLessThan(0.06);
  });
});

describe('Xoshiro128ss.next (written out for speed)', () => {
  it('gives exactly ((nextUint32() >>> 5)·2^26 + (nextUint32() >>> 6)) / 2^53 of the same stream', () => {
    for (const seed of [0, 1, 42, 2 ** 40 + 3]) {
      const a = rngFor(seed, 7), b = rngFor(seed, 7);
      for (let i = 0; i < 5000; i++) {
        if (i % 3 === 0) {
          expect(a.nextUint32()).toBe(b.nextUint32());
          continue;
        }
        const hi = b.nextUint32() >>> 5, lo = b.nextUint32() >>> 6;
        expect(a.next()).toBe((hi * 2 ** 26 + lo) / 2 ** 53);
      }
    }
  });
});
