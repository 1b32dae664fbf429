/**
 * Attribution of an estimate: which mechanisms it rests on (model probabilities and each model's
 * share of the estimate), which simulated runs the data most resemble in embedding space, and
 * which data points move the estimate most (ranked saliency; the gradients come from learn/).
 */
import { squaredDistance } from './mismatch.ts';
import type { Embeddings } from './mismatch.ts';

export interface Neighbour {
  /** Index into the simulated embeddings (the bank run, or the caller's subsample). */
  index: number;
  distance: number;
}

/** The k simulated embeddings nearest to `query` (Euclidean), nearest first; ties keep the lower index. */
export function nearestRuns(query: Float32Array, simulated: Embeddings, k: number): Neighbour[] {
  const m = Math.min(k, simulated.length);
  if (m <= 0) return [];
  const dist = new Float64Array(m).fill(Infinity);
  const index = new Int32Array(m).fill(-1);
  for (let i = 0; i < simulated.length; i++) {
    if (simulated[i].length !== query.length) throw new RangeError(`nearestRuns: simulated embedding ${i} has length ${simulated[i].length}, the query ${query.length}`);
    const d = squaredDistance(query, simulated[i]);
    if (!(d < dist[m - 1])) continue;
    let p = m - 1;
    while (p > 0 && dist[p - 1] > d) { dist[p] = dist[p - 1]; index[p] = index[p - 1]; p--; }
    dist[p] = d;
    index[p] = i;
  }
  const out: Neighbour[] = [];
  for (let p = 0; p < m; p++) if (index[p] >= 0) out.push({ index: index[p], distance: Math.sqrt(dist[p]) });
  return out;
}

export interface MechanismShare {
  model: string;
  probability: number;
  /** The model's own posterior mean of the parameter (NaN: the model lacks it). */
  mean: number;
  /** Probability renormalised over the models that have the parameter. */
  weight: number;
  /** weight × mean / estimate: the model's share of the estimate (shares sum to 1; NaN when the estimate is 0). */
  share: number;
}

export interface MechanismContribution {
  paramId: string;
  /** Σ weight·mean: the posterior mean under model uncertainty. */
  estimate: number;
  /** Law of total variance: within-model variance plus the spread between models (NaN without per-model sds). */
  sd: number;
  /** Between-model part of the variance divided by the total: how much of the uncertainty is "which mechanism". */
  betweenModelFraction: number;
  models: MechanismShare[];
}

/**
 * The estimate of each parameter as a mixture over mechanisms: given model probabilities and
 * per-model posterior means (models × params, NaN where a model lacks the parameter), and
 * optionally per-model sds, returns the mixture mean and each model's share of it.
 */
export function mechanismContribution(
  modelNames: readonly string[], probabilities: ArrayLike<number>, paramIds: readonly string[],
  means: ArrayLike<number>, sds?: ArrayLike<number>,
): MechanismContribution[] {
  const M = modelNames.length, P = paramIds.length;
  if (probabilities.length !== M) throw new RangeError(`mechanismContribution: ${probabilities.length} probabilities for ${M} models`);
  if (means.length !== M * P) throw new RangeError(`mechanismContribution: means has ${means.length} values, expected models × params = ${M} × ${P}`);
  return paramIds.map((paramId, j) => {
    let mass = 0;
    for (let m = 0; m < M; m++) if (Number.isFinite(means[m * P + j])) mass += probabilities[m];
    let estimate = 0;
    const weights = modelNames.map((_, m) => (Number.isFinite(means[m * P + j]) && mass > 0 ? probabilities[m] / mass : 0));
    for (let m = 0; m < M; m++) if (weights[m] > 0) estimate += weights[m] * means[m * P + j];
    let within = 0, between = 0;
    for (let m = 0; m < M; m++) {
      if (weights[m] === 0) continue;
      between += weights[m] * (means[m * P + j] - estimate) ** 2;
      within += weights[m] * (sds ? sds[m * P + j] ** 2 : NaN);
    }
    const total = within + between;
    const models = modelNames.map((model, m) => ({
      model, probability: probabilities[m], mean: means[m * P + j], weight: weights[m],
      share: weights[m] === 0 ? 0 : estimate !== 0 ? (weights[m] * means[m * P + j]) / estimate : NaN,
    }));
    return { paramId, estimate: mass > 0 ? estimate : NaN, sd: Math.sqrt(total), betweenModelFraction: total > 0 ? between / total : NaN, models };
  });
}

export interface SalientPoint {
  timeIndex: number;
  observableIndex: number;
  time: number;
  observable: string;
  saliency: number;
  /** |saliency| / Σ|saliency| over observed points. */
  share: number;
}

/**
 * Data points ranked by |saliency| (nTimes × nObs row-major, as the network's input), largest
 * first; NaN (missing observations) are skipped. `top` limits the list.
 */
export function rankBySaliency(saliency: ArrayLike<number>, times: ArrayLike<number>, observables: readonly string[], top = Infinity): SalientPoint[] {
  const nObs = observables.length;
  if (saliency.length !== times.length * nObs) throw new RangeError(`rankBySaliency: saliency has ${saliency.length} values, expected nTimes × nObs = ${times.length} × ${nObs}`);
  let total = 0;
  const points: SalientPoint[] = [];
  for (let k = 0; k < times.length; k++) {
    for (let j = 0; j < nObs; j++) {
      const s = saliency[k * nObs + j];
      if (Number.isNaN(s)) continue;
      total += Math.abs(s);
      points.push({ timeIndex: k, observableIndex: j, time: times[k], observable: observables[j], saliency: s, share: 0 });
    }
  }
  for (const p of points) p.share = total > 0 ? Math.abs(p.saliency) / total : 0;
  points.sort((a, b) => Math.abs(b.saliency) - Math.abs(a.saliency) || a.timeIndex - b.timeIndex || a.observableIndex - b.observableIndex);
  return points.slice(0, Math.min(points.length, top));
}
