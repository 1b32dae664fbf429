/**
 * Special functions for densities, CDFs and quantiles: log-gamma, Loader's saddle-point pieces
 * (stirlerr, bd0) that keep Poisson/binomial/gamma/beta log-densities accurate for large
 * arguments, regularized incomplete gamma and beta functions, and the normal CDF and quantile.
 *
 * Accuracy targets: lgamma and log-densities ~1e-14 absolute; incomplete gamma/beta ~1e-14
 * relative away from extreme parameters; quantiles ≤ 1e-12 relative (tested to 1e-10).
 */

export const LN_SQRT_2PI = 0.91893853320467274178; // log(√(2π))
export const LN_2PI = 1.8378770664093454836; // log(2π)
const LN_2 = 0.6931471805599453;
const DBL_EPS = 2.220446049250313e-16;
const TINY = 1e-300; // Lentz's guard against zero denominators

/** lgamma(x) − Stirling's approximation (x − ½)·log x − x + log√(2π), for x ≥ 10: truncation error < 1e-16 there. */
export function stirlingTail(x: number): number {
  const z = 1 / x, z2 = z * z;
  return z * (1 / 12 - z2 * (1 / 360 - z2 * (1 / 1260 - z2 * (1 / 1680 - z2 * (1 / 1188 - z2 * (691 / 360360 - z2 / 156))))));
}

// Lanczos coefficients (g = 671/128, 14 terms) from Numerical Recipes 3rd ed. §6.1: ~1e-15 relative on x > 0.
const LANCZOS = [
  57.1562356658629235, -59.5979603554754912, 14.1360979747417471, -0.491913816097620199,
  0.339946499848118887e-4, 0.465236289270485756e-4, -0.983744753048795646e-4, 0.158088703224912494e-3,
  -0.210264441724104883e-3, 0.217439618115212643e-3, -0.164318106536763890e-3, 0.844182239838527433e-4,
  -0.261908384015814087e-4, 0.368991826595316234e-5,
];

/** log|Γ(x)|; +Infinity at 0 and the negative integers. */
export function lgamma(x: number): number {
  if (x >= 10) return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + stirlingTail(x);
  if (x > 0) {
    let y = x, ser = 0.999999999999997092;
    for (let j = 0; j < 14; j++) ser += LANCZOS[j] / ++y;
    const tmp = x + 5.24218750000000000;
    return (x + 0.5) * Math.log(tmp) - tmp + Math.log(2.5066282746310005 * ser / x);
  }
  if (Number.isNaN(x)) return NaN;
  if (x === Math.floor(x)) return Infinity;
  // Reflection: Γ(x)Γ(1−x) = π / sin(πx).
  return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
}

/** log B(a, b) for a, b > 0, avoiding the cancellation of lgamma sums when arguments are large (after R's lbeta). */
export function lbeta(a: number, b: number): number {
  const p = Math.min(a, b), q = Math.max(a, b);
  if (p >= 10) {
    const corr = stirlingTail(p) + stirlingTail(q) - stirlingTail(p + q);
    return -0.5 * Math.log(q) + LN_SQRT_2PI + corr + (p - 0.5) * Math.log(p / (p + q)) + q * Math.log1p(-p / (p + q));
  }
  if (q >= 10) {
    const corr = stirlingTail(q) - stirlingTail(p + q);
    return lgamma(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q));
  }
  return lgamma(p) + lgamma(q) - lgamma(p + q);
}

/** (n + ½)·log(1 + 1/n) − 1 = Σ v^(2j)/(2j+1), v = 1/(2n+1): the step stirlerr(n) − stirlerr(n+1), without cancellation. */
function stirlerrStep(n: number): number {
  const v = 1 / (2 * n + 1), v2 = v * v;
  let term = v2, sum = 0;
  for (let j = 1; j < 60; j++) {
    const add = term / (2 * j + 1);
    sum += add;
    if (add < sum * 1e-17) break;
    term *= v2;
  }
  return sum;
}

function stirlerrShifted(n: number): number {
  let s = 0;
  while (n < 10) {
    s += stirlerrStep(n);
    n += 1;
  }
  return s + stirlingTail(n);
}

// stirlerr at the integers 0..15, where Poisson/binomial log-pmfs call it most.
const STIRLERR_INT = new Float64Array(16);
for (let i = 1; i < 16; i++) STIRLERR_INT[i] = stirlerrShifted(i);

/**
 * stirlerr(n) = log Γ(n+1) − [(n + ½)·log n − n + log√(2π)]: the error of Stirling's formula
 * (Loader 2000). Accurate to ~1e-16 absolute for n ≥ 1, ~1e-15 for 0 < n < 1; 0 at n = 0 by convention.
 */
export function stirlerr(n: number): number {
  if (n >= 10) return stirlingTail(n);
  if (n <= 0) return 0;
  if (n === Math.floor(n)) return STIRLERR_INT[n];
  if (n >= 1) return stirlerrShifted(n);
  return lgamma(n + 1) - (n + 0.5) * Math.log(n) + n - LN_SQRT_2PI;
}

/** bd0(x, m) = x·log(x/m) + m − x ≥ 0, accurate when x ≈ m (Loader 2000's deviance term). */
export function bd0(x: number, m: number): number {
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    let v = (x - m) / (x + m);
    let s = (x - m) * v;
    let ej = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
    return s;
  }
  if (x === 0) return m;
  if (m === Infinity) return Infinity;
  return x * Math.log(x / m) + m - x;
}

/** log(λ^x e^−λ / Γ(x+1)) for real x ≥ 0, λ ≥ 0: the Poisson log-pmf extended to real x (Loader's dpois_raw). */
export function poissonRawLog(x: number, lambda: number): number {
  if (lambda === 0) return x === 0 ? 0 : -Infinity;
  if (x === 0) return -lambda;
  if (!Number.isFinite(lambda)) return -Infinity;
  if (x < 1) {
    // stirlerr loses a few digits below 1 and the direct form has no cancellation there.
    return x * Math.log(lambda) - lambda - lgamma(x + 1);
  }
  return -stirlerr(x) - bd0(x, lambda) - 0.5 * (LN_2PI + Math.log(x));
}

/** log of the binomial pmf at real k in [0, n] with success probability p and q = 1 − p given separately (Loader's dbinom_raw). */
export function binomialRawLog(k: number, n: number, p: number, q: number): number {
  if (p === 0) return k === 0 ? 0 : -Infinity;
  if (q === 0) return k === n ? 0 : -Infinity;
  if (k === 0) {
    if (n === 0) return 0;
    return p < 0.1 ? -bd0(n, n * q) - n * p : n * Math.log(q);
  }
  if (k === n) return q < 0.1 ? -bd0(n, n * p) - n * q : n * Math.log(p);
  if (k < 0 || k > n) return -Infinity;
  const lc = stirlerr(n) - stirlerr(k) - stirlerr(n - k) - bd0(k, n * p) - bd0(n - k, n * q);
  // log(1 − k/n): from n − k when k/n is near 1 (e.g. the negative binomial's n = k + φ, φ ≪ k), where 1 − k/n cancels.
  const lf = LN_2PI + Math.log(k) + (k < 0.5 * n ? Math.log1p(-k / n) : Math.log((n - k) / n));
  return lc - 0.5 * lf;
}

// ---------------------------------------------------------------------------------------------
// Regularized incomplete gamma P(a, x), Q(a, x) = 1 − P.

/** log(x^a e^−x / Γ(a+1)), the common prefactor of the series and the continued fraction. */
function logGammaTerm(a: number, x: number): number {
  if (a >= 1) return poissonRawLog(a, x);
  return a * Math.log(x) - x - lgamma(a + 1);
}

function iterLimit(a: number): number {
  // Both expansions need O(√a) terms when x ≈ a.
  return 1000 + Math.ceil(50 * Math.sqrt(a));
}

/** Σ_{n≥0} x^n / ((a+1)…(a+n)), so that P(a, x) = term·series. */
function gammaSeries(a: number, x: number): number {
  let sum = 1, del = 1, ap = a;
  const limit = iterLimit(a);
  for (let i = 0; i < limit; i++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (del < sum * DBL_EPS) break;
  }
  return sum;
}

/** Lentz's evaluation of the continued fraction with Q(a, x) = a·term·cf (Numerical Recipes' gcf). */
function gammaCf(a: number, x: number): number {
  let b = x + 1 - a, c = 1 / TINY, d = 1 / b, h = d;
  const limit = iterLimit(a);
  for (let i = 1; i < limit; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) <= DBL_EPS) break;
  }
  return h;
}

/** log P(a, x), the regularized lower incomplete gamma function (a > 0, x ≥ 0). */
export function logGammaP(a: number, x: number): number {
  if (x <= 0) return -Infinity;
  if (x === Infinity) return 0;
  if (x < a + 1) return logGammaTerm(a, x) + Math.log(gammaSeries(a, x));
  return Math.log1p(-Math.exp(logGammaTerm(a, x) + Math.log(a * gammaCf(a, x))));
}

/** log Q(a, x) = log(1 − P(a, x)), accurate deep in the upper tail (no underflow). */
export function logGammaQ(a: number, x: number): number {
  if (x <= 0) return 0;
  if (x === Infinity) return -Infinity;
  if (x < a + 1) return Math.log1p(-Math.exp(logGammaTerm(a, x)) * gammaSeries(a, x));
  return logGammaTerm(a, x) + Math.log(a * gammaCf(a, x));
}

/** P(a, x): the CDF of Gamma(shape a, rate 1) at x. */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  if (x === Infinity) return 1;
  if (x < a + 1) return Math.exp(logGammaTerm(a, x)) * gammaSeries(a, x);
  return 1 - Math.exp(logGammaTerm(a, x)) * a * gammaCf(a, x);
}

/** Q(a, x) = 1 − P(a, x). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  if (x < a + 1) return 1 - Math.exp(logGammaTerm(a, x)) * gammaSeries(a, x);
  return Math.exp(logGammaTerm(a, x)) * a * gammaCf(a, x);
}

// ---------------------------------------------------------------------------------------------
// Regularized incomplete beta I_x(a, b). Functions take y = 1 − x separately so callers working
// near 1 (e.g. on the logit scale) keep full precision.

/** log(x^a y^b / B(a, b)) with y = 1 − x, accurate for large a, b through the binomial saddle point. */
export function logBetaFront(a: number, b: number, x: number, y: number): number {
  return binomialRawLog(a, a + b, x, y) + Math.log(a * b / (a + b));
}

/** Lentz's evaluation of the continued fraction of I_x(a, b) (Numerical Recipes' betacf); best for x < (a+1)/(a+b+2). */
function betaCf(a: number, b: number, x: number): number {
  const qab = a + b, qap = a + 1, qam = a - 1;
  let c = 1, d = 1 - qab * x / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  const limit = iterLimit(Math.max(a, b));
  for (let m = 1; m < limit; m++) {
    const m2 = 2 * m;
    let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) <= DBL_EPS) break;
  }
  return h;
}

/** log I_x(a, b) with y = 1 − x. */
export function logBetaInc(a: number, b: number, x: number, y: number): number {
  if (x <= 0) return -Infinity;
  if (y <= 0) return 0;
  const front = logBetaFront(a, b, x, y);
  if (x < (a + 1) / (a + b + 2)) return front - Math.log(a) + Math.log(betaCf(a, b, x));
  return Math.log1p(-Math.exp(front - Math.log(b)) * betaCf(b, a, y));
}

/** log(1 − I_x(a, b)) = log I_y(b, a) with y = 1 − x. */
export function logBetaIncUpper(a: number, b: number, x: number, y: number): number {
  return logBetaInc(b, a, y, x);
}

/** I_x(a, b): the CDF of Beta(a, b) at x. */
export function betaInc(a: number, b: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const y = 1 - x;
  const front = logBetaFront(a, b, x, y);
  if (x < (a + 1) / (a + b + 2)) return Math.exp(front) / a * betaCf(a, b, x);
  return 1 - Math.exp(front) / b * betaCf(b, a, y);
}

// ---------------------------------------------------------------------------------------------
// Normal distribution. Φ(x) = ½·Q(½, x²/2) for x < 0, which the continued fraction evaluates to
// full relative precision in the tail, and the log forms never underflow.

/** Φ(x), the standard normal CDF. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const h = 0.5 * gammaQ(0.5, 0.5 * x * x);
  return x < 0 ? h : 1 - h;
}

/** log Φ(x), finite for all finite x (e.g. log Φ(−40) ≈ −804.6). */
export function normalLogCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return logGammaQ(0.5, 0.5 * x * x) - LN_2;
  return Math.log1p(-0.5 * gammaQ(0.5, 0.5 * x * x));
}

/** log(1 − Φ(x)) = log Φ(−x). */
export function normalLogSf(x: number): number {
  return normalLogCdf(-x);
}

/** log φ(x), the standard normal log-density. */
export function normalLogPdfStd(x: number): number {
  return -0.5 * x * x - LN_SQRT_2PI;
}

// Acklam's rational approximation of Φ⁻¹ (relative error < 1.2e-9), refined below by Newton.
const ACK_A = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
const ACK_B = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
const ACK_C = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
const ACK_D = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];

function acklamLower(p: number, logp: number): number {
  if (p >= 0.02425) {
    const q = p - 0.5, r = q * q;
    return (((((ACK_A[0] * r + ACK_A[1]) * r + ACK_A[2]) * r + ACK_A[3]) * r + ACK_A[4]) * r + ACK_A[5]) * q /
      (((((ACK_B[0] * r + ACK_B[1]) * r + ACK_B[2]) * r + ACK_B[3]) * r + ACK_B[4]) * r + 1);
  }
  const q = Math.sqrt(-2 * logp);
  return (((((ACK_C[0] * q + ACK_C[1]) * q + ACK_C[2]) * q + ACK_C[3]) * q + ACK_C[4]) * q + ACK_C[5]) /
    ((((ACK_D[0] * q + ACK_D[1]) * q + ACK_D[2]) * q + ACK_D[3]) * q + 1);
}

/**
 * The x ≤ 0 with log Φ(x) = logp, for logp ≤ log ½ (any size: logp = −1e4 works). Acklam's
 * approximation then Newton on log Φ, whose near-linearity in the tail makes 2–3 steps enough.
 */
export function normalQuantileFromLogCdf(logp: number): number {
  if (logp === -Infinity) return -Infinity;
  let x = acklamLower(Math.exp(logp), logp);
  for (let i = 0; i < 20; i++) {
    const lc = normalLogCdf(x);
    const dx = (lc - logp) * Math.exp(lc - normalLogPdfStd(x));
    x -= dx;
    if (Math.abs(dx) <= 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}

/** Φ⁻¹(p): the standard normal quantile, ~1e-15 relative; ±Infinity at 0 and 1. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  // 1 − p is exact for p ≥ ½ (Sterbenz), so the symmetry costs no precision.
  if (p > 0.5) return -normalQuantileFromLogCdf(Math.log(1 - p));
  return normalQuantileFromLogCdf(Math.log(p));
}

/** log(Φ(b) − Φ(a)) for a < b, accurate when both are deep in the same tail. */
export function normalLogIntervalMass(a: number, b: number): number {
  if (!(a < b)) return -Infinity;
  if (a > 0) {
    // Both in the upper tail: work with survival functions.
    const la = normalLogSf(a), lb = normalLogSf(b);
    return la + log1mExp(lb - la);
  }
  if (b < 0) {
    const la = normalLogCdf(a), lb = normalLogCdf(b);
    return lb + log1mExp(la - lb);
  }
  // Straddles 0: the mass is ≥ a normal ordinate, so plain arithmetic is safe.
  return Math.log1p(-(normalCdf(a) + normalCdf(-b)));
}

/** log(1 − e^x) for x ≤ 0, accurate at both ends (Mächler 2012). */
export function log1mExp(x: number): number {
  return x > -LN_2 ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
}

// ---------------------------------------------------------------------------------------------
// Root finding for quantiles.

/**
 * Root of an increasing function g on (lo, hi) (either end may be infinite), starting from x0:
 * Newton steps, replaced by bisection (or bracket expansion) whenever a step leaves the bracket.
 * `dg` is g's derivative. Stops at relative step 1e-15 or when the bracket is exhausted.
 */
export function solveIncreasing(
  g: (x: number) => number, dg: (x: number) => number, x0: number, lo: number, hi: number,
): number {
  let x = x0;
  for (let i = 0; i < 400; i++) {
    const gx = g(x);
    if (gx === 0) return x;
    if (gx < 0) lo = x;
    else if (gx > 0) hi = x;
    let xn = x - gx / dg(x);
    if (!(xn > lo && xn < hi)) {
      if (Number.isFinite(lo) && Number.isFinite(hi)) xn = 0.5 * (lo + hi);
      else if (Number.isFinite(lo)) xn = lo + 2 * Math.max(1, Math.abs(lo));
      else if (Number.isFinite(hi)) xn = hi - 2 * Math.max(1, Math.abs(hi));
      else xn = 0;
    }
    const tol = 1e-15 * Math.max(1, Math.abs(xn));
    if (Math.abs(xn - x) <= tol || hi - lo <= tol) return xn;
    x = xn;
  }
  return x;
}

/** The x with P(a, x) = q (Gamma(a, rate 1) quantile); solved on log x, on the tail that keeps precision. */
export function gammaPInverse(a: number, q: number): number {
  if (!(q >= 0 && q <= 1) || !(a > 0)) return NaN;
  if (q === 0) return 0;
  if (q === 1) return Infinity;
  // Start: Wilson–Hilferty for a ≥ 1, the lower-tail power law P ≈ x^a/Γ(a+1) below.
  let u0: number;
  if (a >= 1) {
    const z = normalQuantile(q);
    const w = 1 - 1 / (9 * a) + z / (3 * Math.sqrt(a));
    u0 = w > 0.05 ? Math.log(a) + 3 * Math.log(w) : (Math.log(q) + lgamma(a + 1)) / a;
  } else {
    u0 = q < 0.5 ? (Math.log(q) + lgamma(a + 1)) / a : Math.log(Math.max(1e-3, -Math.log1p(-q)));
  }
  if (q <= 0.5) {
    const lq = Math.log(q);
    return Math.exp(solveIncreasing(
      (u) => logGammaP(a, Math.exp(u)) - lq,
      (u) => { const x = Math.exp(u); return Math.exp(Math.log(a) + logGammaTerm(a, x) - logGammaP(a, x)); },
      u0, -Infinity, Infinity,
    ));
  }
  const lq = Math.log1p(-q);
  return Math.exp(solveIncreasing(
    (u) => lq - logGammaQ(a, Math.exp(u)),
    (u) => { const x = Math.exp(u); return Math.exp(Math.log(a) + logGammaTerm(a, x) - logGammaQ(a, x)); },
    u0, -Infinity, Infinity,
  ));
}

function logistic(u: number): number {
  return 1 / (1 + Math.exp(-u));
}

/** The x with I_x(a, b) = q (Beta(a, b) quantile); solved on logit x, so both tails keep relative precision. */
export function betaIncInverse(a: number, b: number, q: number): number {
  if (!(q >= 0 && q <= 1) || !(a > 0) || !(b > 0)) return NaN;
  if (q === 0) return 0;
  if (q === 1) return 1;
  // Start at the mean, moved toward the tail by the normal quantile; Newton on the logit scale
  // does the rest (log I is nearly linear in logit x in both tails).
  const mean = a / (a + b);
  const sd = Math.sqrt(a * b / ((a + b) * (a + b) * (a + b + 1)));
  const z = normalQuantile(q);
  const u0 = Math.log(mean / (1 - mean)) + z * sd / (mean * (1 - mean));
  const dlog = (u: number, upper: boolean): number => {
    const x = logistic(u), y = logistic(-u);
    // d/du log I = x(1−x)·pdf / I = x^a y^b / (B·I).
    const li = upper ? logBetaIncUpper(a, b, x, y) : logBetaInc(a, b, x, y);
    return Math.exp(logBetaFront(a, b, x, y) - li);
  };
  if (q <= 0.5) {
    const lq = Math.log(q);
    const u = solveIncreasing((v) => logBetaInc(a, b, logistic(v), logistic(-v)) - lq, (v) => dlog(v, false), u0, -Infinity, Infinity);
    return logistic(u);
  }
  const lq = Math.log1p(-q);
  const u = solveIncreasing((v) => lq - logBetaIncUpper(a, b, logistic(v), logistic(-v)), (v) => dlog(v, true), u0, -Infinity, Infinity);
  return logistic(u);
}
