/**
 * Checks of a network on a held-out bank (simulations with known θ): recovery (R², NRMSE),
 * posterior contraction, coverage of central intervals, simulation-based calibration (SBC), and
 * the error-versus-budget scaling curve. Pure functions over arrays; every result carries
 * plain-language verdicts for the UI and the report.
 *
 * Layouts: θ, posterior means and sds are nRuns × nParams row-major; posterior samples are
 * nRuns × nSamples × nParams. NaN marks a run whose model lacks the parameter; such runs are
 * skipped for that parameter.
 *
 * NRMSE is RMSE / prior sd (not / range: many priors have an unbounded range). It reads as the
 * fraction of the prior's uncertainty left: 1 = no better than always answering the prior mean,
 * and for the exact posterior mean E[NRMSE²] = 1 − contraction, so the two checks explain each other.
 */
import { rngFor } from '../simulate/random/rng.ts';
import { nelderMead } from './nelder-mead.ts';
import {
  binomialInterval, chiSquareSf, formatNumber, formatP, formatPercent, sampledQuantile, worstSeverity,
} from './stats.ts';
import type { Severity, Verdict } from './stats.ts';

export type { Severity, Verdict } from './stats.ts';

/** Nominal levels of the central intervals checked by default. */
export const DEFAULT_LEVELS: readonly number[] = [0.5, 0.8, 0.95];

/** Coefficient of determination 1 − SS_res/SS_tot over the pairs where both are finite (NaN when θ does not vary). */
export function rSquared(truth: ArrayLike<number>, estimate: ArrayLike<number>): number {
  let n = 0, sum = 0;
  for (let i = 0; i < truth.length; i++) if (Number.isFinite(truth[i]) && Number.isFinite(estimate[i])) { n++; sum += truth[i]; }
  if (n < 2) return NaN;
  const mean = sum / n;
  let ssRes = 0, ssTot = 0;
  for (let i = 0; i < truth.length; i++) {
    if (!(Number.isFinite(truth[i]) && Number.isFinite(estimate[i]))) continue;
    ssRes += (truth[i] - estimate[i]) ** 2;
    ssTot += (truth[i] - mean) ** 2;
  }
  return ssTot > 0 ? 1 - ssRes / ssTot : NaN;
}

/** Root-mean-square error and mean error (estimate − truth) over the finite pairs. */
export function rmse(truth: ArrayLike<number>, estimate: ArrayLike<number>): { rmse: number; bias: number; n: number } {
  let n = 0, ss = 0, s = 0;
  for (let i = 0; i < truth.length; i++) {
    if (!(Number.isFinite(truth[i]) && Number.isFinite(estimate[i]))) continue;
    const e = estimate[i] - truth[i];
    n++;
    ss += e * e;
    s += e;
  }
  return n === 0 ? { rmse: NaN, bias: NaN, n } : { rmse: Math.sqrt(ss / n), bias: s / n, n };
}

/** RMSE divided by the prior sd (see the file comment for why the prior sd and not the range). */
export function nrmse(truth: ArrayLike<number>, estimate: ArrayLike<number>, priorSd: number): number {
  return rmse(truth, estimate).rmse / priorSd;
}

/** Posterior contraction 1 − mean(posterior variance)/prior variance: 0 = the data taught nothing, 1 = θ pinned down. */
export function posteriorContraction(posteriorSd: ArrayLike<number>, priorSd: number): number {
  let n = 0, v = 0;
  for (let i = 0; i < posteriorSd.length; i++) if (Number.isFinite(posteriorSd[i])) { n++; v += posteriorSd[i] ** 2; }
  return n === 0 ? NaN : 1 - v / n / (priorSd * priorSd);
}

/** One parameter's column of a row-major nRuns × nParams matrix. */
export function column(matrix: ArrayLike<number>, nParams: number, j: number): Float64Array {
  const nRuns = Math.floor(matrix.length / nParams);
  const out = new Float64Array(nRuns);
  for (let r = 0; r < nRuns; r++) out[r] = matrix[r * nParams + j];
  return out;
}

/** Posterior samples of parameter j for run r, sorted, NaN dropped (samples: nRuns × nSamples × nParams). */
export function runSamples(samples: ArrayLike<number>, nSamples: number, nParams: number, r: number, j: number): Float64Array {
  const out: number[] = [];
  const base = r * nSamples * nParams + j;
  for (let s = 0; s < nSamples; s++) {
    const v = samples[base + s * nParams];
    if (!Number.isNaN(v)) out.push(v);
  }
  return Float64Array.from(out).sort();
}

/** Central interval bounds at `level` per run, from posterior samples of parameter j (type-6 quantiles: nominal coverage with few samples). */
export function centralIntervals(samples: ArrayLike<number>, nSamples: number, nParams: number, j: number, level: number): { lower: Float64Array; upper: Float64Array } {
  const nRuns = Math.floor(samples.length / (nSamples * nParams));
  const lower = new Float64Array(nRuns), upper = new Float64Array(nRuns);
  for (let r = 0; r < nRuns; r++) {
    const s = runSamples(samples, nSamples, nParams, r, j);
    lower[r] = sampledQuantile(s, (1 - level) / 2);
    upper[r] = sampledQuantile(s, (1 + level) / 2);
  }
  return { lower, upper };
}

export interface CoverageResult {
  level: number;
  covered: number;
  n: number;
  rate: number;
  /** Exact 95% (Clopper–Pearson) interval of the coverage rate. */
  low: number;
  high: number;
  verdict: Verdict;
}

/** Coverage of intervals [lower, upper] at a nominal level, with an exact binomial interval and a verdict. */
export function coverage(truth: ArrayLike<number>, lower: ArrayLike<number>, upper: ArrayLike<number>, level: number): CoverageResult {
  let n = 0, covered = 0;
  for (let i = 0; i < truth.length; i++) {
    if (!(Number.isFinite(truth[i]) && !Number.isNaN(lower[i]) && !Number.isNaN(upper[i]))) continue;
    n++;
    if (lower[i] <= truth[i] && truth[i] <= upper[i]) covered++;
  }
  const rate = n > 0 ? covered / n : NaN;
  const { low, high } = binomialInterval(covered, n);
  return { level, covered, n, rate, low, high, verdict: coverageVerdict(level, rate, low, high, n) };
}

function coverageVerdict(level: number, rate: number, low: number, high: number, n: number): Verdict {
  const nominal = formatPercent(level);
  if (n === 0) return { severity: 'warning', text: `no runs to check ${nominal} intervals` };
  const got = formatPercent(rate);
  // Statistically off and also off by a margin that matters in practice → problem; merely
  // detectable (large n) → warning.
  const practical = Math.abs(rate - level) >= Math.max(0.05, 0.5 * Math.min(level, 1 - level));
  if (high < level) return { severity: practical ? 'problem' : 'warning', text: `intervals too narrow (coverage ${got} for ${nominal})` };
  if (low > level) return { severity: practical ? 'problem' : 'warning', text: `intervals too wide (coverage ${got} for ${nominal})` };
  return { severity: 'ok', text: `${nominal} intervals cover ${got} (${formatPercent(low)}–${formatPercent(high)})` };
}

/**
 * SBC ranks: for each run, the number of posterior samples below the true θ (0..nSamples), ties
 * split at random (seeded) so discrete posteriors stay uniform under calibration. Runs with a NaN
 * truth get −1.
 */
export function sbcRanks(truth: ArrayLike<number>, samples: ArrayLike<number>, nSamples: number, nParams: number, j: number, seed = 0): Int32Array {
  const nRuns = truth.length;
  const ranks = new Int32Array(nRuns);
  const rng = rngFor(seed, 0x5bc, j);
  for (let r = 0; r < nRuns; r++) {
    const t = truth[r];
    if (!Number.isFinite(t)) { ranks[r] = -1; continue; }
    let below = 0, ties = 0;
    const base = r * nSamples * nParams + j;
    for (let s = 0; s < nSamples; s++) {
      const v = samples[base + s * nParams];
      if (v < t) below++;
      else if (v === t) ties++;
    }
    // A uniformly random position among the ties.
    ranks[r] = below + (ties > 0 ? Math.floor(rng.next() * (ties + 1)) : 0);
  }
  return ranks;
}

export interface UniformityTest {
  /** Counts per bin of ranks (bin b holds ranks r with ⌊r·bins/(L+1)⌋ = b). */
  histogram: Int32Array;
  expected: Float64Array;
  chiSquare: number;
  df: number;
  pValue: number;
  n: number;
  /** Why the ranks are not uniform, when they are not: the strongest of the three patterns. */
  shape: 'uniform' | 'u-shaped' | 'hump' | 'truth-high' | 'truth-low';
}

/**
 * Chi-square test that SBC ranks (0..nSamples) are uniform. Bins default to min(20, L+1, n/5) so
 * every bin expects ≥ 5 ranks; bins may hold unequal numbers of rank values, and the expected
 * counts follow. p = Q(df/2, χ²/2) (regularized incomplete gamma).
 */
export function sbcUniformity(ranks: ArrayLike<number>, nSamples: number, bins?: number): UniformityTest {
  const values = nSamples + 1;
  const valid: number[] = [];
  for (let i = 0; i < ranks.length; i++) if (ranks[i] >= 0) valid.push(ranks[i]);
  const n = valid.length;
  const B = Math.max(2, Math.min(bins ?? Math.min(20, Math.floor(n / 5)), values));
  const histogram = new Int32Array(B);
  const expected = new Float64Array(B);
  for (let r = 0; r < values; r++) expected[Math.floor((r * B) / values)] += n / values;
  for (const r of valid) histogram[Math.floor((r * B) / values)]++;
  let chi = 0;
  for (let b = 0; b < B; b++) if (expected[b] > 0) chi += (histogram[b] - expected[b]) ** 2 / expected[b];
  const df = B - 1;
  const pValue = n > 0 ? chiSquareSf(chi, df) : NaN;
  return { histogram, expected, chiSquare: chi, df, pValue, n, shape: pValue < 0.01 ? rankShape(valid, values) : 'uniform' };
}

/** The pattern that explains most of the non-uniformity, by z-scores of two simple statistics. */
function rankShape(ranks: number[], values: number): UniformityTest['shape'] {
  const n = ranks.length;
  let sumU = 0, outer = 0, outerExpected = 0;
  for (let r = 0; r < values; r++) {
    const u = (r + 0.5) / values;
    if (u < 0.1 || u > 0.9) outerExpected += 1 / values;
  }
  for (const r of ranks) {
    const u = (r + 0.5) / values;
    sumU += u;
    if (u < 0.1 || u > 0.9) outer++;
  }
  // Mean of U(0,1) has sd 1/√(12n); the outer fraction is binomial.
  const zMean = (sumU / n - 0.5) / Math.sqrt(1 / (12 * n));
  const zOuter = (outer / n - outerExpected) / Math.sqrt(outerExpected * (1 - outerExpected) / n);
  if (Math.abs(zMean) >= Math.abs(zOuter)) return zMean > 0 ? 'truth-high' : 'truth-low';
  return zOuter > 0 ? 'u-shaped' : 'hump';
}

function sbcVerdict(test: UniformityTest): Verdict {
  const p = formatP(test.pValue);
  if (!(test.pValue < 0.01)) return { severity: 'ok', text: `SBC ranks look uniform (${p})` };
  const severity: Severity = test.pValue < 0.001 ? 'problem' : 'warning';
  const why = {
    'u-shaped': 'too many true values fall outside the posterior: the posterior is too narrow (overconfident)',
    hump: 'true values cluster in the middle of the posterior: the posterior is too wide (underconfident)',
    'truth-high': 'true values tend to lie above the posterior: the estimates are biased low',
    'truth-low': 'true values tend to lie below the posterior: the estimates are biased high',
    uniform: 'the rank histogram is uneven',
  }[test.shape];
  return { severity, text: `SBC ranks are not uniform (${p}): ${why}` };
}

function recoveryVerdict(r2: number, nrmseValue: number): Verdict {
  const tail = `R² ${formatNumber(r2)}, NRMSE ${formatNumber(nrmseValue)}`;
  if (!Number.isFinite(r2)) return { severity: 'warning', text: `recovery could not be measured (${tail})` };
  if (r2 >= 0.9) return { severity: 'ok', text: `recovered well (${tail})` };
  if (r2 >= 0.5) return { severity: 'ok', text: `recovered moderately (${tail})` };
  return { severity: 'warning', text: `recovered poorly (${tail})` };
}

function contractionVerdict(c: number): Verdict | null {
  if (!Number.isFinite(c)) return null;
  const v = formatNumber(c);
  if (c < 0.1) return { severity: 'warning', text: `parameter not identifiable from these data: contraction ${v} (the posterior is nearly the prior)` };
  if (c < 0.5) return { severity: 'ok', text: `weakly identified: contraction ${v} (the data narrow the prior a little)` };
  return { severity: 'ok', text: `identified: contraction ${v}` };
}

export interface RecoveryInput {
  paramIds: readonly string[];
  /** True θ, nRuns × nParams. */
  truth: ArrayLike<number>;
  /** Posterior means, nRuns × nParams. */
  mean: ArrayLike<number>;
  /** Posterior sds, nRuns × nParams; computed from samples when absent. */
  sd?: ArrayLike<number>;
  /** Prior sd of each parameter (NRMSE and contraction). */
  priorSd: ArrayLike<number>;
  /** Posterior samples, nRuns × nSamples × nParams: coverage and SBC. */
  samples?: { nSamples: number; values: ArrayLike<number> };
  /** Interval bounds per level (nRuns × nParams each), used for coverage when there are no samples. */
  intervals?: readonly { level: number; lower: ArrayLike<number>; upper: ArrayLike<number> }[];
  /** Nominal levels (default 0.5, 0.8, 0.95). */
  levels?: readonly number[];
  /** SBC histogram bins (default: min(20, L+1, n/5)). */
  sbcBins?: number;
  /** Seed for SBC tie-breaking. */
  seed?: number;
}

export interface ParameterCheck {
  paramId: string;
  n: number;
  r2: number;
  rmse: number;
  bias: number;
  nrmse: number;
  contraction: number;
  coverage: CoverageResult[];
  sbc: (UniformityTest & { ranks: Int32Array }) | null;
  /** Recovery, identifiability, calibration and coverage findings, most important first. */
  verdicts: Verdict[];
  severity: Severity;
  /** One line for tables: "well calibrated" or the most serious finding. */
  summary: string;
}

/** All held-out checks for each parameter: R², NRMSE, contraction, coverage, SBC, with verdicts. */
export function checkRecovery(input: RecoveryInput): ParameterCheck[] {
  const P = input.paramIds.length;
  const levels = input.levels ?? DEFAULT_LEVELS;
  const nRuns = Math.floor(input.truth.length / P);
  if (input.mean.length !== nRuns * P) throw new RangeError(`checkRecovery: mean has ${input.mean.length} values, expected nRuns × nParams = ${nRuns} × ${P}`);
  const samples = input.samples;
  if (samples && samples.values.length !== nRuns * samples.nSamples * P) {
    throw new RangeError(`checkRecovery: samples have ${samples.values.length} values, expected nRuns × nSamples × nParams = ${nRuns} × ${samples.nSamples} × ${P}`);
  }
  return input.paramIds.map((paramId, j) => {
    const truth = column(input.truth, P, j);
    const mean = column(input.mean, P, j);
    const priorSd = input.priorSd[j];
    const err = rmse(truth, mean);
    const r2 = rSquared(truth, mean);
    const nr = err.rmse / priorSd;
    let sd: Float64Array;
    if (input.sd) sd = column(input.sd, P, j);
    else if (samples) sd = sampleSds(samples.values, samples.nSamples, P, j, nRuns);
    else sd = new Float64Array(nRuns).fill(NaN);
    // Runs whose model lacks the parameter have NaN truth and do not count toward contraction.
    for (let r = 0; r < nRuns; r++) if (!Number.isFinite(truth[r])) sd[r] = NaN;
    const contraction = posteriorContraction(sd, priorSd);

    const cov: CoverageResult[] = [];
    for (const level of levels) {
      if (samples) {
        const { lower, upper } = centralIntervals(samples.values, samples.nSamples, P, j, level);
        cov.push(coverage(truth, lower, upper, level));
      } else {
        const given = input.intervals?.find((iv) => Math.abs(iv.level - level) < 1e-9);
        if (given) cov.push(coverage(truth, column(given.lower, P, j), column(given.upper, P, j), level));
      }
    }
    let sbc: ParameterCheck['sbc'] = null;
    if (samples) {
      const ranks = sbcRanks(truth, samples.values, samples.nSamples, P, j, input.seed ?? 0);
      sbc = { ...sbcUniformity(ranks, samples.nSamples, input.sbcBins), ranks };
    }

    const calibration: Verdict[] = [];
    if (sbc) calibration.push(sbcVerdict(sbc));
    calibration.push(...cov.map((c) => c.verdict));
    const calibrated = calibration.length > 0 && calibration.every((v) => v.severity === 'ok');
    const verdicts: Verdict[] = [];
    const bad = calibration.filter((v) => v.severity !== 'ok');
    verdicts.push(...bad.filter((v) => v.severity === 'problem'), ...bad.filter((v) => v.severity === 'warning'));
    if (calibrated) {
      const covText = cov.map((c) => formatPercent(c.rate)).join('/');
      const levelText = cov.map((c) => formatPercent(c.level)).join('/');
      verdicts.push({ severity: 'ok', text: `well calibrated (${sbc ? `SBC ${formatP(sbc.pValue)}; ` : ''}coverage ${covText} for ${levelText})` });
    }
    const cv = contractionVerdict(contraction);
    if (cv) verdicts.push(cv);
    verdicts.push(recoveryVerdict(r2, nr));
    verdicts.sort((a, b) => rankSeverity(b.severity) - rankSeverity(a.severity));
    const severity = worstSeverity(verdicts);
    const summary = severity === 'ok' ? (calibrated ? 'well calibrated' : verdicts[0].text) : verdicts[0].text;
    return { paramId, n: err.n, r2, rmse: err.rmse, bias: err.bias, nrmse: nr, contraction, coverage: cov, sbc, verdicts, severity, summary };
  });
}

function rankSeverity(s: Severity): number {
  return s === 'problem' ? 2 : s === 'warning' ? 1 : 0;
}

function sampleSds(values: ArrayLike<number>, nSamples: number, P: number, j: number, nRuns: number): Float64Array {
  const out = new Float64Array(nRuns);
  for (let r = 0; r < nRuns; r++) {
    let n = 0, m = 0, m2 = 0;
    const base = r * nSamples * P + j;
    for (let s = 0; s < nSamples; s++) {
      const v = values[base + s * P];
      if (Number.isNaN(v)) continue;
      // Welford: stable for samples far from 0.
      n++;
      const d = v - m;
      m += d / n;
      m2 += d * (v - m);
    }
    out[r] = n > 1 ? Math.sqrt(m2 / (n - 1)) : NaN;
  }
  return out;
}

// -----------------------------------------------------------------------------------------------
// Error against the number of training simulations.

export interface ScalingFit {
  /** error ≈ a·n^(−b) + c */
  a: number;
  b: number;
  c: number;
  /** Root-mean-square residual on the log scale. */
  logRmse: number;
  /** Predicted error at the largest budget tried, and at twice and ten times that budget. */
  atLargest: number;
  atDouble: number;
  atTenfold: number;
  /** Fraction of the error at the largest budget that more simulations could still remove: (f(n) − c)/f(n). */
  reducible: number;
  stillHelps: boolean;
  verdict: Verdict;
}

/**
 * Fits error ≈ a·n^(−b) + c (a, b, c ≥ 0) to (nTrain, error) points by least squares on log error,
 * and says whether more simulations still help (doubling the largest budget would cut the
 * predicted error by ≥ 5%). Needs ≥ 3 distinct budgets.
 */
export function fitScalingCurve(points: readonly { nTrain: number; error: number }[], improvementThreshold = 0.05): ScalingFit {
  const pts = points.filter((p) => p.nTrain > 0 && p.error > 0 && Number.isFinite(p.error));
  const distinct = new Set(pts.map((p) => p.nTrain)).size;
  if (distinct < 3) {
    const nan = NaN;
    return {
      a: nan, b: nan, c: nan, logRmse: nan, atLargest: nan, atDouble: nan, atTenfold: nan, reducible: nan, stillHelps: false,
      verdict: { severity: 'warning', text: `a scaling curve needs errors at 3 or more training budgets (got ${distinct})` },
    };
  }
  const ln = pts.map((p) => Math.log(p.nTrain));
  const le = pts.map((p) => Math.log(p.error));
  const minErr = Math.min(...pts.map((p) => p.error));
  const loss = (a: number, b: number, c: number): number => {
    let s = 0;
    for (let i = 0; i < pts.length; i++) {
      const f = a * Math.exp(-b * ln[i]) + c;
      s += (le[i] - Math.log(f)) ** 2;
    }
    return s;
  };
  // Profile over the floor c: for each c, log(err − c) = log a − b·log n is linear. The best of
  // these starts Nelder–Mead on (log a, log b, log c) for the joint least-squares fit.
  let best = { a: 0, b: 0, c: 0, s: Infinity };
  for (const frac of [0, 0.1, 0.25, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99]) {
    const c = frac * minErr;
    const y = pts.map((p) => Math.log(p.error - c));
    const { slope, intercept } = linearFit(ln, y);
    const b = Math.max(1e-6, -slope), a = Math.exp(intercept);
    const s = loss(a, b, c);
    if (s < best.s) best = { a, b, c, s };
  }
  const obj = (x: Float64Array): number => loss(Math.exp(x[0]), Math.exp(x[1]), Math.exp(x[2]));
  const start = [Math.log(best.a), Math.log(best.b), Math.log(Math.max(best.c, 1e-6 * minErr))];
  const nm = nelderMead(obj, start, { step: 0.5, maxEvaluations: 3000, fTol: 1e-12, xTol: 1e-9 });
  if (nm.f < best.s) best = { a: Math.exp(nm.x[0]), b: Math.exp(nm.x[1]), c: Math.exp(nm.x[2]), s: nm.f };
  const { a, b, c } = best;
  const nMax = Math.max(...pts.map((p) => p.nTrain));
  const f = (n: number): number => a * Math.pow(n, -b) + c;
  const atLargest = f(nMax), atDouble = f(2 * nMax), atTenfold = f(10 * nMax);
  const reducible = (atLargest - c) / atLargest;
  const cut = 1 - atDouble / atLargest;
  const stillHelps = cut >= improvementThreshold;
  const verdict: Verdict = stillHelps
    ? { severity: 'warning', text: `more simulations still help: doubling the budget to ${Math.round(2 * nMax)} would cut the error by about ${formatPercent(cut)} (error ∝ n^−${formatNumber(b)}, ${formatPercent(reducible)} of it still reducible)` }
    : { severity: 'ok', text: `the error has levelled off near ${formatNumber(c)}: doubling the budget would cut it by only ${formatPercent(cut)}; what remains is the information limit of the data (or of the network), not the simulation budget` };
  return { a, b, c, logRmse: Math.sqrt(best.s / pts.length), atLargest, atDouble, atTenfold, reducible, stillHelps, verdict };
}

function linearFit(x: number[], y: number[]): { slope: number; intercept: number } {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ** 2; }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return { slope, intercept: my - slope * mx };
}
