import { describe, expect, it } from 'vitest';
import { luFactor, luSolve } from '../../../../src-main/simulate/ode/lu.ts';

// A small deterministic generator keeps the matrices the same on every run.
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 * 2 - 1;
  };
}

describe('dense LU with partial pivoting', () => {
  for (const n of [1, 2, 3, 7, 30, 100]) {
    it(`solves a random ${n}×${n} system to a small residual`, () => {
      const rnd = lcg(n);
      const a = new Float64Array(n * n).map(() => rnd());
      const x = new Float64Array(n).map(() => rnd());
      const b = new Float64Array(n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) b[i] += a[i * n + j] * x[j];
      const lu = a.slice();
      const piv = new Int32Array(n);
      expect(luFactor(lu, n, piv)).toBe(true);
      luSolve(lu, n, piv, b);
      for (let i = 0; i < n; i++) expect(Math.abs(b[i] - x[i])).toBeLessThan(1e-10);
    });
  }

  it('pivots: a zero in the top-left corner is no problem', () => {
    const a = Float64Array.from([0, 1, 1, 0]);
    const piv = new Int32Array(2);
    expect(luFactor(a, 2, piv)).toBe(true);
    const b = Float64Array.from([3, 5]);
    luSolve(a, 2, piv, b);
    expect(Array.from(b)).toEqual([5, 3]);
  });

  it('reports a singular matrix, and one with NaN', () => {
    const piv = new Int32Array(2);
    expect(luFactor(Float64Array.from([1, 2, 2, 4]), 2, piv)).toBe(false);
    expect(luFactor(Float64Array.from([Number.NaN, 0, 0, 1]), 2, piv)).toBe(false);
  });
});
