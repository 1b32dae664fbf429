/**
 * Mechanism selection on held-out simulations: confusion matrices (true model × chosen model),
 * accuracy and per-class rates, and a side-by-side of several selectors (SGNN, AIC, BIC) on the
 * same runs with an exact McNemar test of their difference. The paired test matters: both
 * selectors see the same runs, so the discordant runs carry all the information.
 */
import { binomialInterval, binomialUpperTail, formatNumber, formatP, formatPercent } from './stats.ts';
import type { Verdict } from './stats.ts';

export interface ClassRates {
  model: string;
  /** Runs whose true model is this one. */
  n: number;
  /** Fraction of them assigned to it (sensitivity). */
  recall: number;
  /** Fraction of runs assigned to it that truly came from it (NaN when none were). */
  precision: number;
}

export interface ConfusionMatrix {
  models: readonly string[];
  /** counts[t][c]: runs from true model t assigned to model c. */
  counts: number[][];
  /** Runs per true model with no choice (label −1: a failed fit or no estimate); they count as errors. */
  unassigned: number[];
  n: number;
  correct: number;
  accuracy: number;
  errorRate: number;
  /** Exact 95% interval of the accuracy. */
  accuracyLow: number;
  accuracyHigh: number;
  perClass: ClassRates[];
}

/** Confusion matrix of chosen against true model labels (indices into models; −1 = no choice). */
export function confusionMatrix(trueLabels: ArrayLike<number>, chosen: ArrayLike<number>, models: readonly string[]): ConfusionMatrix {
  const K = models.length;
  if (trueLabels.length !== chosen.length) throw new RangeError(`confusionMatrix: ${trueLabels.length} true labels but ${chosen.length} choices`);
  const counts = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  const unassigned = new Array<number>(K).fill(0);
  let n = 0, correct = 0;
  for (let i = 0; i < trueLabels.length; i++) {
    const t = trueLabels[i], c = chosen[i];
    if (!(Number.isInteger(t) && t >= 0 && t < K)) throw new RangeError(`confusionMatrix: true label ${i} is ${t}, expected an integer in [0, ${K - 1}] (${models.join(', ')})`);
    if (!(Number.isInteger(c) && c >= -1 && c < K)) throw new RangeError(`confusionMatrix: choice ${i} is ${c}, expected −1 (none) or an integer in [0, ${K - 1}]`);
    n++;
    if (c < 0) { unassigned[t]++; continue; }
    counts[t][c]++;
    if (c === t) correct++;
  }
  const perClass = models.map((model, t) => {
    const rowN = counts[t].reduce((a, b) => a + b, 0) + unassigned[t];
    let colN = 0;
    for (let r = 0; r < K; r++) colN += counts[r][t];
    return { model, n: rowN, recall: rowN > 0 ? counts[t][t] / rowN : NaN, precision: colN > 0 ? counts[t][t] / colN : NaN };
  });
  const accuracy = n > 0 ? correct / n : NaN;
  const ci = binomialInterval(correct, n);
  return { models, counts, unassigned, n, correct, accuracy, errorRate: 1 - accuracy, accuracyLow: ci.low, accuracyHigh: ci.high, perClass };
}

/** The most probable model of each run from row-major probabilities (nRuns × nModels); −1 where a row is all NaN. */
export function chooseByProbability(probabilities: ArrayLike<number>, nModels: number): Int32Array {
  const nRuns = Math.floor(probabilities.length / nModels);
  const out = new Int32Array(nRuns);
  for (let r = 0; r < nRuns; r++) {
    let best = -1, bestP = -Infinity;
    for (let m = 0; m < nModels; m++) {
      const p = probabilities[r * nModels + m];
      if (p > bestP) { bestP = p; best = m; }
    }
    out[r] = best;
  }
  return out;
}

export interface PairedComparison {
  a: string;
  b: string;
  /** Runs a got right and b wrong, and the reverse. */
  onlyA: number;
  onlyB: number;
  /** Error rate of a divided by that of b (0.5 = half the error). */
  errorRatio: number;
  /** Exact two-sided McNemar p-value (binomial test on the discordant runs). */
  pValue: number;
}

export interface SelectorComparison {
  models: readonly string[];
  selectors: { name: string; confusion: ConfusionMatrix }[];
  /** Every selector against the first (typically the SGNN against AIC and BIC). */
  paired: PairedComparison[];
  verdict: Verdict;
}

/** Exact two-sided McNemar test: under H0 each discordant run is equally likely to favour either selector. */
export function mcNemarExact(onlyA: number, onlyB: number): number {
  const d = onlyA + onlyB;
  if (d === 0) return 1;
  const k = Math.max(onlyA, onlyB);
  return Math.min(1, 2 * binomialUpperTail(k, d, 0.5));
}

/** Confusion matrices of several selectors on the same held-out runs, and each compared with the first. */
export function compareSelectors(trueLabels: ArrayLike<number>, selectors: readonly { name: string; chosen: ArrayLike<number> }[], models: readonly string[]): SelectorComparison {
  if (selectors.length === 0) throw new RangeError('compareSelectors: no selectors given');
  const withCm = selectors.map((s) => ({ name: s.name, confusion: confusionMatrix(trueLabels, s.chosen, models) }));
  const first = selectors[0];
  const paired: PairedComparison[] = [];
  for (const other of selectors.slice(1)) {
    let onlyA = 0, onlyB = 0;
    for (let i = 0; i < trueLabels.length; i++) {
      const a = first.chosen[i] === trueLabels[i], b = other.chosen[i] === trueLabels[i];
      if (a && !b) onlyA++;
      else if (b && !a) onlyB++;
    }
    const ea = withCm[0].confusion.errorRate, eb = withCm.find((s) => s.name === other.name)!.confusion.errorRate;
    paired.push({ a: first.name, b: other.name, onlyA, onlyB, errorRatio: eb > 0 ? ea / eb : ea > 0 ? Infinity : NaN, pValue: mcNemarExact(onlyA, onlyB) });
  }
  const parts = paired.map((p) => {
    const ea = withCm[0].confusion.errorRate;
    const eb = withCm.find((s) => s.name === p.b)!.confusion.errorRate;
    const ratio = Number.isFinite(p.errorRatio) ? `${formatNumber(p.errorRatio)}× the error, ` : '';
    return `${p.a} error ${formatPercent(ea)} vs ${p.b} ${formatPercent(eb)} (${ratio}McNemar ${formatP(p.pValue)})`;
  });
  const worse = paired.some((p) => p.pValue < 0.05 && p.onlyB > p.onlyA);
  const verdict: Verdict = paired.length === 0
    ? { severity: 'ok', text: `${first.name}: accuracy ${formatPercent(withCm[0].confusion.accuracy)}` }
    : { severity: worse ? 'warning' : 'ok', text: parts.join('; ') };
  return { models, selectors: withCm, paired, verdict };
}
