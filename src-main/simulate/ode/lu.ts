/**
 * Dense LU with partial pivoting, in place, row-major, allocation-free. Written by hand because
 * the stiff solver factors small matrices (n ≲ 100) once per step inside a hot loop: it must not
 * allocate, must run in a Web Worker, and no small, well-kept JS package does exactly this.
 * Algorithm: LAPACK's unblocked getrf (pivot = largest |a_ik| in column k, first one on ties;
 * whole rows swapped; multipliers stored below the diagonal), then getrs.
 */

/** Factors a (n×n, row-major) into P·a = L·U in place; piv[k] is the row swapped with row k. Returns false when a pivot is exactly zero. */
export function luFactor(a: Float64Array, n: number, piv: Int32Array): boolean {
  for (let k = 0; k < n; k++) {
    let p = k;
    let pmax = Math.abs(a[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[i * n + k]);
      if (v > pmax) {
        pmax = v;
        p = i;
      }
    }
    piv[k] = p;
    // NaN entries compare false here too, so a matrix with NaN is reported as not factorable.
    if (!(pmax > 0)) return false;
    if (p !== k) {
      const rk = k * n;
      const rp = p * n;
      for (let j = 0; j < n; j++) {
        const tmp = a[rk + j];
        a[rk + j] = a[rp + j];
        a[rp + j] = tmp;
      }
    }
    const rk = k * n;
    const inv = 1 / a[rk + k];
    for (let i = k + 1; i < n; i++) {
      const ri = i * n;
      const l = a[ri + k] * inv;
      a[ri + k] = l;
      if (l !== 0) {
        for (let j = k + 1; j < n; j++) a[ri + j] -= l * a[rk + j];
      }
    }
  }
  return true;
}

/** Solves a·x = b in place (b becomes x) with the factors from luFactor. */
export function luSolve(a: Float64Array, n: number, piv: Int32Array, b: Float64Array): void {
  for (let k = 0; k < n; k++) {
    const p = piv[k];
    if (p !== k) {
      const tmp = b[k];
      b[k] = b[p];
      b[p] = tmp;
    }
  }
  for (let i = 1; i < n; i++) {
    const ri = i * n;
    let s = b[i];
    for (let j = 0; j < i; j++) s -= a[ri + j] * b[j];
    b[i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * n;
    let s = b[i];
    for (let j = i + 1; j < n; j++) s -= a[ri + j] * b[j];
    b[i] = s / a[ri + i];
  }
}
