/**
 * Goodness-of-fit statistics for the sampler tests. All tests use fixed seeds, so they are
 * deterministic; the p-value threshold (P_MIN) is the significance level the sampler had to pass
 * when the seeds were chosen — a correct sampler fails it with probability 1e-4 per test.
 */
import { gammaQ } from '../../../../src-main/simulate/random/special.ts';

/** Significance level of every goodness-of-fit test in these suites. */
export const P_MIN = 1e-4;

/** P(K > λ) for the Kolmogorov distribution. */
export function kolmogorovSf(lambda: number): number {
  if (lambda < 0.2) return 1;
  let s = 0;
  for (let k = 1; k < 100; k++) {
    const term = 2 * (k % 2 === 1 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
    s += term;
    if (Math.abs(term) < 1e-16) break;
  }
  return Math.min(1, Math.max(0, s));
}

/** One-sample Kolmogorov–Smirnov test against a continuous CDF; returns D and the p-value (Stephens' small-n correction). */
export function ksTest(sample: Float64Array, cdf: (x: number) => number): { d: number; p: number } {
  const xs = Float64Array.from(sample).sort();
  const n = xs.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(xs[i]);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  const sn = Math.sqrt(n);
  return { d, p: kolmogorovSf((sn + 0.12 + 0.11 / sn) * d) };
}

/** Two-sample Kolmogorov–Smirnov test (ties handled by stepping through equal values together). */
export function ks2Test(a: Float64Array, b: Float64Array): { d: number; p: number } {
  const xa = Float64Array.from(a).sort(), xb = Float64Array.from(b).sort();
  const n = xa.length, m = xb.length;
  let i = 0, j = 0, d = 0;
  while (i < n && j < m) {
    const v = Math.min(xa[i], xb[j]);
    while (i < n && xa[i] === v) i++;
    while (j < m && xb[j] === v) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  const ne = Math.sqrt(n * m / (n + m));
  return { d, p: kolmogorovSf((ne + 0.12 + 0.11 / ne) * d) };
}

/**
 * Pearson chi-square test of integer draws against a pmf on [kMin, kMax]. Consecutive values are
 * merged left to right until each cell expects ≥ 5 draws; the last partial cell and all the mass
 * outside [kMin, kMax] form a final cell.
 */
export function chiSquareDiscrete(sample: Float64Array, pmf: (k: number) => number, kMin: number, kMax: number): { chi2: number; df: number; p: number } {
  const n = sample.length;
  const counts = new Map<number, number>();
  for (const v of sample) counts.set(v, (counts.get(v) ?? 0) + 1);
  const cells: { exp: number; obs: number }[] = [];
  let accExp = 0, accObs = 0, below = 1;
  for (let k = kMin; k <= kMax; k++) {
    const p = pmf(k);
    below -= p;
    accExp += n * p;
    accObs += counts.get(k) ?? 0;
    if (accExp >= 5) {
      cells.push({ exp: accExp, obs: accObs });
      accExp = 0;
      accObs = 0;
    }
  }
  let outside = 0;
  for (const [k, c] of counts) if (k < kMin || k > kMax) outside += c;
  // Whatever mass and draws remain (the last partial cell plus everything outside [kMin, kMax]).
  const restExp = accExp + n * Math.max(0, below), restObs = accObs + outside;
  if (restExp >= 5) cells.push({ exp: restExp, obs: restObs });
  else if (cells.length > 0) {
    cells[cells.length - 1].exp += restExp;
    cells[cells.length - 1].obs += restObs;
  }
  let chi2 = 0;
  for (const c of cells) chi2 += (c.obs - c.exp) ** 2 / c.exp;
  const df = cells.length - 1;
  return { chi2, df, p: gammaQ(df / 2, chi2 / 2) };
}

/** Sample mean and unbiased variance. */
export function meanVar(xs: ArrayLike<number>): { mean: number; variance: number } {
  let m = 0;
  for (let i = 0; i < xs.length; i++) m += xs[i];
  m /= xs.length;
  let v = 0;
  for (let i = 0; i < xs.length; i++) v += (xs[i] - m) ** 2;
  return { mean: m, variance: v / (xs.length - 1) };
}

/** Composite Simpson on [a, b] with an even number of intervals n. */
export function simpson(f: (x: number) => number, a: number, b: number, n: number): number {
  const h = (b - a) / n;
  let s = f(a) + f(b);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
  return s * h / 3;
}
