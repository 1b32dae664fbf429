/**
 * Exact samplers and log-densities. Samplers take the Rng first and allocate nothing; each is
 * deterministic given the stream (no cached spare values), so a draw's value depends only on the
 * Rng state before it. "Exact" means the algorithm samples the stated law without approximation
 * (up to the 53-bit resolution of the uniforms and floating-point rounding).
 *
 * Parameters are checked only where a bad one would hang a sampler (NaN/Infinity means); callers
 * validate (priors.ts, noise.ts do).
 */
import type { Rng } from './rng.ts';
import {
  binomialRawLog, lbeta, lgamma, LN_SQRT_2PI, normalLogIntervalMass, poissonRawLog, stirlerr,
} from './special.ts';

const SQRT_2PI = 2.5066282746310002;

// ---------------------------------------------------------------------------------------------
// Normal: Doornik's ZIGNOR ziggurat (2005), 128 layers. It avoids the correlation flaw of the
// original Marsaglia–Tsang ziggurat by taking the layer index from bits not used for the
// abscissa: here the 5 + 2 low bits of the two 32-bit words that make the 53-bit uniform.

const ZIG_R = 3.442619855899; // start of the tail
const ZIG_V = 9.91256303526217e-3; // area of each layer
const ZIG_X = new Float64Array(129);
const ZIG_RATIO = new Float64Array(128);
{
  let f = Math.exp(-0.5 * ZIG_R * ZIG_R);
  ZIG_X[0] = ZIG_V / f; // the base layer: rectangle of height f(R) plus the tail, as one strip
  ZIG_X[1] = ZIG_R;
  ZIG_X[128] = 0;
  for (let i = 2; i < 128; i++) {
    ZIG_X[i] = Math.sqrt(-2 * Math.log(ZIG_V / ZIG_X[i - 1] + f));
    f = Math.exp(-0.5 * ZIG_X[i] * ZIG_X[i]);
  }
  for (let i = 0; i < 128; i++) ZIG_RATIO[i] = ZIG_X[i + 1] / ZIG_X[i];
}

/** A uniform in (0, 1]: safe under log. */
function uniformPositive(rng: Rng): number {
  return 1 - rng.next();
}

function normalTail(rng: Rng, negative: boolean): number {
  // Marsaglia (1964): exact sampling of the normal tail beyond R.
  let x: number, y: number;
  do {
    x = Math.log(uniformPositive(rng)) / ZIG_R;
    y = Math.log(uniformPositive(rng));
  } while (-2 * y < x * x);
  return negative ? x - ZIG_R : ZIG_R - x;
}

/** Standard normal N(0, 1). ~98.8% of draws cost two 32-bit outputs and no transcendental function. */
export function sampleStandardNormal(rng: Rng): number {
  for (;;) {
    const a = rng.nextUint32(), b = rng.nextUint32();
    // 53-bit uniform mapped to [−1, 1); the layer from the 7 bits next() would have discarded.
    const u = ((a >>> 5) * 67108864 + (b >>> 6)) / 4503599627370496 - 1;
    const i = ((a & 31) << 2) | (b & 3);
    if (Math.abs(u) < ZIG_RATIO[i]) return u * ZIG_X[i];
    if (i === 0) return normalTail(rng, u < 0);
    const x = u * ZIG_X[i];
    const xi = ZIG_X[i], xi1 = ZIG_X[i + 1];
    const f0 = Math.exp(-0.5 * (xi * xi - x * x));
    const f1 = Math.exp(-0.5 * (xi1 * xi1 - x * x));
    if (f1 + rng.next() * (f0 - f1) < 1) return x;
  }
}

/** Normal(mean, sd). */
export function sampleNormal(rng: Rng, mean: number, sd: number): number {
  return mean + sd * sampleStandardNormal(rng);
}

/** Lognormal: exp(N(mu, sigma)). */
export function sampleLognormal(rng: Rng, mu: number, sigma: number): number {
  return Math.exp(mu + sigma * sampleStandardNormal(rng));
}

/** Exponential(rate), by inversion (1 − U is exact for a 53-bit U, so log loses nothing against log1p). */
export function sampleExponential(rng: Rng, rate: number): number {
  return -Math.log(uniformPositive(rng)) / rate;
}

/** Uniform on [low, high). */
export function sampleUniform(rng: Rng, low: number, high: number): number {
  return low + (high - low) * rng.next();
}

// ---------------------------------------------------------------------------------------------
// Gamma and beta.

/** Marsaglia & Tsang (2000) for shape ≥ 1, rate 1. */
function gammaMT(rng: Rng, shape: number): number {
  const d = shape - 1 / 3, c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = sampleStandardNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = uniformPositive(rng);
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * log of a Gamma(shape, 1) draw. For shape < 1 the boost G(a) = G(a+1)·U^(1/a) is done in logs,
 * so tiny shapes (whose draws underflow) still give a usable log value (beta needs it).
 */
export function sampleLogGamma(rng: Rng, shape: number): number {
  if (shape >= 1) return Math.log(gammaMT(rng, shape));
  const g = gammaMT(rng, shape + 1);
  return Math.log(g) + Math.log(uniformPositive(rng)) / shape;
}

/** Gamma(shape, rate): mean shape/rate. */
export function sampleGamma(rng: Rng, shape: number, rate: number): number {
  if (shape >= 1) return gammaMT(rng, shape) / rate;
  return Math.exp(sampleLogGamma(rng, shape)) / rate;
}

/** Beta(a, b) as X/(X+Y) with X ~ Gamma(a), Y ~ Gamma(b); in logs when a shape is < 1 (avoids 0/0). */
export function sampleBeta(rng: Rng, a: number, b: number): number {
  if (a >= 1 && b >= 1) {
    const x = gammaMT(rng, a), y = gammaMT(rng, b);
    return x / (x + y);
  }
  const lx = sampleLogGamma(rng, a), ly = sampleLogGamma(rng, b);
  return 1 / (1 + Math.exp(ly - lx));
}

// ---------------------------------------------------------------------------------------------
// Poisson, binomial, negative binomial.

/** Inversion cut-off: below it, sequential search costs ~mean+1 steps and is the fastest exact method. */
const INVERSION_MEAN = 10;
/** Give-up index of the sequential searches (P(X > 200) < 1e-150 for the means they handle); only rounding residue reaches it. */
const INVERSION_CAP = 200;

/** PTRS: transformed rejection with squeeze, Hörmann (1993), for mean ≥ 10. */
function poissonPtrs(rng: Rng, lam: number): number {
  // log(lam) is needed only in the rare slow branch: computed there, once (the draws are the same).
  const slam = Math.sqrt(lam);
  let loglam = NaN;
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.next() - 0.5;
    const v = rng.next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor((2 * a / us + b) * u + lam + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Number.isNaN(loglam)) loglam = Math.log(lam);
    if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lam + k * loglam - lgamma(k + 1)) return k;
  }
}

/** Poisson(mean): inversion below mean 10, PTRS above. Throws RangeError for a negative, NaN or infinite mean. */
export function samplePoisson(rng: Rng, mean: number): number {
  if (!(mean >= 0 && mean < Infinity)) throw new RangeError(`Poisson mean must be finite and ≥ 0, got ${mean}`);
  if (mean >= INVERSION_MEAN) return poissonPtrs(rng, mean);
  if (mean === 0) return 0;
  const p0 = Math.exp(-mean);
  for (;;) {
    let k = 0, p = p0, u = rng.next();
    while (u > p && k <= INVERSION_CAP) {
      u -= p;
      k++;
      p *= mean / k;
    }
    if (k <= INVERSION_CAP) return k;
  }
}

/** BTRS, Hörmann (1993): transformed rejection for binomial with p ≤ ½ and n·p ≥ 10. */
function binomialBtrs(rng: Rng, n: number, p: number): number {
  const q = 1 - p;
  const spq = Math.sqrt(n * p * q);
  const b = 1.15 + 2.53 * spq;
  const a = -0.0873 + 0.0248 * b + 0.01 * p;
  const c = n * p + 0.5;
  const vr = 0.92 - 4.2 / b;
  const alpha = (2.83 + 5.1 / b) * spq;
  const lpq = Math.log(p / q);
  const m = Math.floor((n + 1) * p);
  for (;;) {
    const u = rng.next() - 0.5;
    let v = rng.next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor((2 * a / us + b) * u + c);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && v <= vr) return k;
    v = Math.log(v * alpha / (a / (us * us) + b));
    // log f(k) − log f(m) through Stirling with exact corrections (stirlerr): no lgamma cancellation.
    const bound = (m + 0.5) * Math.log((m + 1) / (n - m + 1)) - (m + 0.5) * lpq
      + (n + 1) * Math.log1p((k - m) / (n - k + 1))
      + (k + 0.5) * (lpq + Math.log((n - k + 1) / (k + 1)))
      + stirlerr(m + 1) + stirlerr(n - m + 1) - stirlerr(k + 1) - stirlerr(n - k + 1);
    if (v <= bound) return k;
  }
}

function binomialLow(rng: Rng, n: number, p: number): number {
  if (n * p >= INVERSION_MEAN) return binomialBtrs(rng, n, p);
  const q = 1 - p, s = p / q;
  const p0 = Math.exp(n * Math.log1p(-p));
  const cap = Math.min(n, INVERSION_CAP);
  for (;;) {
    let k = 0, pk = p0, u = rng.next();
    while (u > pk && k <= cap) {
      u -= pk;
      k++;
      pk *= s * (n - k + 1) / k;
    }
    if (k <= cap) return k;
  }
}

/**
 * Binomial(n, p): inversion when n·min(p, 1−p) < 10, BTRS otherwise (exact; tested for n up to
 * 1e9, where its Stirling terms keep ~1e-7 absolute accuracy in the log acceptance test).
 * Throws RangeError for n not a non-negative integer or p outside [0, 1].
 */
export function sampleBinomial(rng: Rng, n: number, p: number): number {
  if (!(Number.isSafeInteger(n) && n >= 0)) throw new RangeError(`binomial n must be a non-negative integer, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`binomial p must be in [0, 1], got ${p}`);
  if (n === 0 || p === 0) return 0;
  if (p === 1) return n;
  // 1 − p is exact for p ≥ ½.
  return p > 0.5 ? n - binomialLow(rng, n, 1 - p) : binomialLow(rng, n, p);
}

/**
 * Negative binomial with mean m and dispersion φ (variance m + m²/φ), as the gamma–Poisson
 * mixture Poisson(λ), λ ~ Gamma(shape φ, rate φ/m). φ = Infinity gives Poisson(m).
 */
export function sampleNegBinomial(rng: Rng, mean: number, dispersion: number): number {
  if (mean === 0) return 0;
  if (dispersion === Infinity) return samplePoisson(rng, mean);
  return samplePoisson(rng, sampleGamma(rng, dispersion, 1) * (mean / dispersion));
}

// ---------------------------------------------------------------------------------------------
// Truncated normal.

/** Exponential-proposal rejection (Robert 1995) or uniform rejection on [a, b] with 0 ≤ a < b. */
function truncatedTail(rng: Rng, a: number, b: number): number {
  if (0.5 * (b - a) * (b + a) <= 1) {
    // Narrow interval: uniform proposal, envelope e^(−a²/2); acceptance ≥ e^−1.
    for (;;) {
      const z = a + (b - a) * rng.next();
      if (Math.log(uniformPositive(rng)) <= 0.5 * (a - z) * (a + z)) return z;
    }
  }
  // Exponential proposal with Robert's optimal rate: acceptance → 1 as a → ∞, so far tails
  // (a = 40, where Φ underflows) cost the same as near ones.
  const lam = 0.5 * (a + Math.sqrt(a * a + 4));
  for (;;) {
    const z = a - Math.log(uniformPositive(rng)) / lam;
    if (z > b) continue;
    const d = z - lam;
    if (Math.log(uniformPositive(rng)) <= -0.5 * d * d) return z;
  }
}

/** N(0, 1) conditioned on [a, b] (a < b, either may be infinite). */
export function sampleStandardTruncatedNormal(rng: Rng, a: number, b: number): number {
  if (!(a < b)) throw new RangeError(`truncated normal needs low < high, got [${a}, ${b}]`);
  if (a >= 0) return truncatedTail(rng, a, b);
  if (b <= 0) return -truncatedTail(rng, -b, -a);
  if (b - a < SQRT_2PI) {
    // Straddles 0 and narrow: uniform proposal under the peak; acceptance ≥ 0.49.
    for (;;) {
      const z = a + (b - a) * rng.next();
      if (Math.log(uniformPositive(rng)) <= -0.5 * z * z) return z;
    }
  }
  // Straddles 0 and wide: plain normal draws land inside with probability ≥ 0.49.
  for (;;) {
    const z = sampleStandardNormal(rng);
    if (z >= a && z <= b) return z;
  }
}

/** Normal(mean, sd) truncated to [low, high]; infinite bounds allowed. */
export function sampleTruncatedNormal(rng: Rng, mean: number, sd: number, low: number, high: number): number {
  const z = sampleStandardTruncatedNormal(rng, (low - mean) / sd, (high - mean) / sd);
  const x = mean + sd * z;
  // Rounding in mean + sd·z can step just outside the bounds.
  return x < low ? low : x > high ? high : x;
}

// ---------------------------------------------------------------------------------------------
// Log-densities (continuous) and log-pmfs (discrete). Outside the support: −Infinity.

/** log density of Normal(mean, sd). */
export function normalLogPdf(x: number, mean: number, sd: number): number {
  const z = (x - mean) / sd;
  return -0.5 * z * z - Math.log(sd) - LN_SQRT_2PI;
}

/** log density of the lognormal: log X ~ N(mu, sigma). */
export function lognormalLogPdf(x: number, mu: number, sigma: number): number {
  if (!(x > 0)) return Number.isNaN(x) ? NaN : -Infinity;
  const lx = Math.log(x);
  return normalLogPdf(lx, mu, sigma) - lx;
}

/** log density of Exponential(rate). */
export function exponentialLogPdf(x: number, rate: number): number {
  if (!(x >= 0)) return Number.isNaN(x) ? NaN : -Infinity;
  return Math.log(rate) - rate * x;
}

/** log density of Gamma(shape, rate); at x = 0 the limit (+∞ for shape < 1). */
export function gammaLogPdf(x: number, shape: number, rate: number): number {
  if (!(x >= 0)) return Number.isNaN(x) ? NaN : -Infinity;
  if (x === 0) return shape < 1 ? Infinity : shape === 1 ? Math.log(rate) : -Infinity;
  if (x === Infinity) return -Infinity;
  // Loader's form for shape ≥ 1: density = rate·pois(shape − 1; rate·x), accurate for large shapes.
  if (shape >= 1) return poissonRawLog(shape - 1, rate * x) + Math.log(rate);
  return shape * Math.log(rate) + (shape - 1) * Math.log(x) - rate * x - lgamma(shape);
}

/** log density of Beta(a, b); at 0 and 1 the limits. */
export function betaLogPdf(x: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1)) return Number.isNaN(x) ? NaN : -Infinity;
  if (x === 0) return a < 1 ? Infinity : a === 1 ? Math.log(b) : -Infinity;
  if (x === 1) return b < 1 ? Infinity : b === 1 ? Math.log(a) : -Infinity;
  if (a <= 2 || b <= 2) return (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - lbeta(a, b);
  // density = (a+b−1)·binom(a−1; a+b−2, x): no cancellation for large shapes (R's dbeta).
  return Math.log(a + b - 1) + binomialRawLog(a - 1, a + b - 2, x, 1 - x);
}

/** log density of Normal(mean, sd) truncated to [low, high]. */
export function truncatedNormalLogPdf(x: number, mean: number, sd: number, low: number, high: number): number {
  if (!(x >= low && x <= high)) return Number.isNaN(x) ? NaN : -Infinity;
  return normalLogPdf(x, mean, sd) - normalLogIntervalMass((low - mean) / sd, (high - mean) / sd);
}

function isCount(k: number): boolean {
  return k >= 0 && Number.isInteger(k);
}

/** log P(K = k) for Poisson(mean); −Infinity unless k is a non-negative integer. */
export function poissonLogPmf(k: number, mean: number): number {
  if (!isCount(k)) return Number.isNaN(k) ? NaN : -Infinity;
  return poissonRawLog(k, mean);
}

/** log P(K = k) for Binomial(n, p). */
export function binomialLogPmf(k: number, n: number, p: number): number {
  if (!isCount(k) || k > n) return Number.isNaN(k) ? NaN : -Infinity;
  return binomialRawLog(k, n, p, 1 - p);
}

/**
 * log P(K = k) for the negative binomial with mean m and dispersion φ (var m + m²/φ), via the
 * binomial saddle point as in R's dnbinom_mu; φ = Infinity gives the Poisson.
 */
export function negBinomialLogPmf(k: number, mean: number, dispersion: number): number {
  if (!isCount(k)) return Number.isNaN(k) ? NaN : -Infinity;
  if (dispersion === Infinity) return poissonRawLog(k, mean);
  const size = dispersion;
  if (mean === 0) return k === 0 ? 0 : -Infinity;
  if (k === 0) {
    return size * (size < mean ? Math.log(size / (size + mean)) : Math.log1p(-mean / (size + mean)));
  }
  if (k < 1e-10 * size) {
    // Near-Poisson regime (huge φ): the binomial form would lose digits.
    const lp = size < mean ? Math.log(size / (1 + size / mean)) : Math.log(mean / (1 + mean / size));
    return k * lp - mean - lgamma(k + 1) + Math.log1p(k * (k - 1) / (2 * size));
  }
  const ans = binomialRawLog(size, k + size, size / (size + mean), mean / (size + mean));
  return Math.log(size / (size + k)) + ans;
}
