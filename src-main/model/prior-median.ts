/**
 * The median of each prior: the default simulation value of a parameter that has a prior but no
 * `value`. Closed forms where they exist; for gamma, beta and the truncated normal a safeguarded
 * Newton iteration on the CDF (regularized incomplete gamma / beta functions), accurate to ~1e-12
 * relative. Kept here, small and self-contained, so that model/ needs nothing from simulate/.
 */
import type { Prior } from './schema.ts';

/** Lanczos approximation (g = 7, 9 terms) of ln Γ(x) for x > 0; ~1e-15 relative. */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  const z = x - 1;
  let a = c[0];
  const tt = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(tt) - tt + Math.log(a);
}

const EPS = 1e-16;
const TINY = 1e-300;

/** Regularized lower incomplete gamma P(a, x) and its complement Q = 1 − P, each without cancellation. */
export function incompleteGamma(a: number, x: number): { p: number; q: number } {
  if (x <= 0) return { p: 0, q: 1 };
  if (x === Infinity) return { p: 1, q: 0 };
  const logPrefix = a * Math.log(x) - x - lnGamma(a);
  if (x < a + 1) {
    // Series: P = e^{-x} x^a / Γ(a+1) · Σ x^n / ((a+1)…(a+n)).
    let ap = a;
    let term = 1 / a;
    let sum = term;
    for (let n = 0; n < 100_000; n++) {
      ap += 1;
      term *= x / ap;
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) break;
    }
    const p = sum * Math.exp(logPrefix);
    return { p, q: 1 - p };
  }
  // Continued fraction for Q (modified Lentz).
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 100_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  const q = Math.exp(logPrefix) * h;
  return { p: 1 - q, q };
}

/** Φ(x) and 1 − Φ(x) for the standard normal, both accurate in the tails. */
export function normalCdf(x: number): { lower: number; upper: number } {
  const { q } = incompleteGamma(0.5, (x * x) / 2);
  const tail = 0.5 * q;
  return x < 0 ? { lower: tail, upper: 1 - tail } : { lower: 1 - tail, upper: tail };
}

function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 100_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b). */
export function incompleteBeta(a: number, b: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront = lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(b, a, 1 - x)) / b;
}

/**
 * Root of an increasing function in [lo, hi] (f(lo) ≤ 0 ≤ f(hi)), by Newton steps from x0 that
 * fall back to bisection whenever a step leaves the bracket.
 */
function solveIncreasing(f: (x: number) => number, df: (x: number) => number, lo: number, hi: number, x0: number): number {
  let x = Math.min(Math.max(x0, lo), hi);
  for (let iter = 0; iter < 500; iter++) {
    const fx = f(x);
    if (fx === 0) return x;
    if (fx < 0) lo = x;
    else hi = x;
    const slope = df(x);
    let next = slope > 0 && Number.isFinite(slope) ? x - fx / slope : NaN;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - x) <= 1e-15 * Math.max(1, Math.abs(x)) || hi - lo <= 1e-15 * Math.max(1, Math.abs(lo))) return next;
    x = next;
  }
  return x;
}

/** Median of Gamma(shape k, rate 1), solved in u = ln x so tiny medians (small k) converge too. */
function gammaMedian(k: number): number {
  const lg = lnGamma(k);
  const guess = k >= 1 ? k * Math.pow(1 - 1 / (9 * k), 3) : Math.pow(0.5 * Math.exp(lnGamma(k + 1)), 1 / k);
  const f = (u: number): number => incompleteGamma(k, Math.exp(u)).p - 0.5;
  // dP/du = x · density(x) = exp(k·u − x − lnΓ(k)).
  const df = (u: number): number => Math.exp(k * u - Math.exp(u) - lg);
  const u = solveIncreasing(f, df, -745, Math.log(k + 1), Math.log(Math.max(guess, 1e-300)));
  return Math.exp(u);
}

/** Median of Beta(a, b) ≤ 1/2 case solved in u = ln x; the other case by symmetry. */
function betaMedian(a: number, b: number, flipped = false): number {
  // `flipped` stops the ping-pong when rounding puts I(1/2) just below 1/2 both ways (a ≈ b).
  if (!flipped && incompleteBeta(a, b, 0.5) < 0.5) return 1 - betaMedian(b, a, true);
  const lb = lnGamma(a) + lnGamma(b) - lnGamma(a + b);
  const guess = a >= 1 && b >= 1 ? (a - 1 / 3) / (a + b - 2 / 3) : 0.25;
  const f = (u: number): number => incompleteBeta(a, b, Math.exp(u)) - 0.5;
  const df = (u: number): number => {
    const x = Math.exp(u);
    return Math.exp(a * u + (b - 1) * Math.log1p(-x) - lb);
  };
  return Math.exp(solveIncreasing(f, df, -745, Math.log(0.5), Math.log(Math.min(guess, 0.5))));
}

/** Median of Normal(0, 1) truncated to [alpha, beta] (either may be infinite). */
function truncatedStandardNormalMedian(alpha: number, beta: number): number {
  const density = (z: number): number => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
  const lo = Math.max(alpha, -40);
  const hi = Math.min(beta, 40);
  if (alpha >= 0) {
    // Upper tail: work with 1 − Φ so far-out truncation keeps its precision.
    const target = 0.5 * (normalCdf(alpha).upper + normalCdf(beta).upper);
    return solveIncreasing((z) => target - normalCdf(z).upper, density, lo, hi, 0.5 * (lo + Math.min(hi, lo + 1)));
  }
  if (beta <= 0) return -truncatedStandardNormalMedian(-beta, -alpha);
  const target = 0.5 * (normalCdf(alpha).lower + normalCdf(beta).lower);
  return solveIncreasing((z) => normalCdf(z).lower - target, density, lo, hi, 0);
}

/** The median of a prior distribution (parameters as in the model file). */
export function priorMedian(prior: Prior): number {
  switch (prior.dist) {
    case 'uniform':
      return (prior.low + prior.high) / 2;
    case 'loguniform':
      return Math.sqrt(prior.low * prior.high);
    case 'normal': {
      if (prior.low === undefined && prior.high === undefined) return prior.mean;
      const alpha = prior.low === undefined ? -Infinity : (prior.low - prior.mean) / prior.sd;
      const beta = prior.high === undefined ? Infinity : (prior.high - prior.mean) / prior.sd;
      return prior.mean + prior.sd * truncatedStandardNormalMedian(alpha, beta);
    }
    case 'lognormal':
      return Math.exp(prior.mu);
    case 'gamma':
      return gammaMedian(prior.shape) / prior.rate;
    case 'beta':
      return betaMedian(prior.a, prior.b);
    case 'exponential':
      return Math.LN2 / prior.rate;
    case 'halfnormal':
      return prior.sd * 0.6744897501960817;
  }
}
