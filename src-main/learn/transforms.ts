/**
 * What the network sees and what it predicts.
 *
 * Targets: each unknown parameter θ is mapped to an unconstrained z by its prior's support
 * (`priorSupport`): identity on ℝ, log(θ − low) on (low, ∞), −log(high − θ) on (−∞, high),
 * logit((θ − low)/(high − low)) on (low, high). All maps increase, so quantiles map through.
 * z is then standardised with the training runs' mean and sd.
 *
 * Inputs: each observable is transformed by its noise model — log1p for counts (poisson,
 * negbinomial, binomial), log for lognormal (whose values are > 0; a value ≤ 0 cannot come from
 * that noise model and is treated as missing), identity otherwise (normal noise is additive, so
 * a log would distort it; the noise-free case keeps the model's own scale) — then standardised
 * with training statistics that ignore missing values. Each (time, observable) becomes two
 * channels: the standardised value (0 where missing) and a mask (1 observed, 0 missing).
 */
import type { Prior, NoiseDist } from '../model/schema.ts';
import type { TrainingData } from './types.ts';
import { priorSupport } from '../simulate/priors.ts';

export type TargetTransformKind = 'identity' | 'log' | 'neglog' | 'logit';

/** A parameter's map to unconstrained space. Bounds are stored only where used, so it is JSON-safe. */
export interface TargetTransform {
  kind: TargetTransformKind;
  low?: number;
  high?: number;
}

export type InputTransformKind = 'log1p' | 'log' | 'identity';

/** Everything that maps raw data and parameters to network space and back (stored in the artifact). */
export type Normalisation = {
  nTimes: number;
  nObs: number;
  times: number[];
  observableIds: string[];
  inputTransforms: InputTransformKind[];
  /** Per (time, observable), row-major nTimes × nObs, of the transformed inputs. */
  inputMean: number[];
  inputSd: number[];
  paramIds: string[];
  targetTransforms: TargetTransform[];
  /** Mean and sd of the unconstrained z per parameter. */
  zMean: number[];
  zSd: number[];
  /** Mean and sd of θ itself per parameter (the mean head also learns E[θ|x] in θ's own space). */
  thetaMean: number[];
  thetaSd: number[];
  modelNames: string[];
  /** Label frequencies of the training runs, and the prior the user asked for (classifier correction). */
  modelFreq: number[];
  modelPrior: number[];
};

// Keeps logit/log finite for draws that land on a bound (probability 0 in exact arithmetic).
const U_EPS = 1e-12;
const MIN_GAP = 1e-300;

/** The unconstrained transform decided by the prior's support. */
export function targetTransform(prior: Prior): TargetTransform {
  const { low, high } = priorSupport(prior);
  const lowFinite = Number.isFinite(low), highFinite = Number.isFinite(high);
  if (lowFinite && highFinite) return { kind: 'logit', low, high };
  if (lowFinite) return { kind: 'log', low };
  if (highFinite) return { kind: 'neglog', high };
  return { kind: 'identity' };
}

/** θ → z (unconstrained). */
export function toUnconstrained(t: TargetTransform, theta: number): number {
  switch (t.kind) {
    case 'identity':
      return theta;
    case 'log':
      return Math.log(Math.max(theta - (t.low as number), MIN_GAP));
    case 'neglog':
      return -Math.log(Math.max((t.high as number) - theta, MIN_GAP));
    case 'logit': {
      const low = t.low as number, high = t.high as number;
      const u = Math.min(1 - U_EPS, Math.max(U_EPS, (theta - low) / (high - low)));
      return Math.log(u) - Math.log1p(-u);
    }
  }
}

/** z → θ (the inverse of toUnconstrained). */
export function fromUnconstrained(t: TargetTransform, z: number): number {
  switch (t.kind) {
    case 'identity':
      return z;
    case 'log':
      return (t.low as number) + Math.exp(z);
    case 'neglog':
      return (t.high as number) - Math.exp(-z);
    case 'logit': {
      const low = t.low as number, high = t.high as number;
      // Two branches so that neither exp overflows.
      const u = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
      return Math.min(high, Math.max(low, low + (high - low) * u));
    }
  }
}

/** log |dz/dθ| at θ: the density of θ is the density of z plus this. */
export function logAbsJacobian(t: TargetTransform, theta: number): number {
  switch (t.kind) {
    case 'identity':
      return 0;
    case 'log':
      return -Math.log(theta - (t.low as number));
    case 'neglog':
      return -Math.log((t.high as number) - theta);
    case 'logit': {
      const low = t.low as number, high = t.high as number;
      const u = (theta - low) / (high - low);
      return -Math.log(high - low) - Math.log(u) - Math.log1p(-u);
    }
  }
}

/** dθ/dz at z (for the chain rule of saliency). */
export function dThetaDz(t: TargetTransform, z: number): number {
  switch (t.kind) {
    case 'identity':
      return 1;
    case 'log':
      return Math.exp(z);
    case 'neglog':
      return Math.exp(-z);
    case 'logit': {
      const e = Math.exp(-Math.abs(z));
      return ((t.high as number) - (t.low as number)) * e / ((1 + e) * (1 + e));
    }
  }
}

/** The input transform for an observable's noise model (see the file comment for why). */
export function inputTransformFor(noise: NoiseDist | null): InputTransformKind {
  switch (noise) {
    case 'poisson':
    case 'negbinomial':
    case 'binomial':
      return 'log1p';
    case 'lognormal':
      return 'log';
    default:
      return 'identity';
  }
}

/** Transformed value; NaN (= missing) where the raw value cannot come from the noise model. */
export function applyInputTransform(kind: InputTransformKind, v: number): number {
  switch (kind) {
    case 'log1p':
      return v >= 0 ? Math.log1p(v) : NaN;
    case 'log':
      return v > 0 ? Math.log(v) : NaN;
    case 'identity':
      return Number.isFinite(v) ? v : NaN;
  }
}

/** d(transformed)/d(raw) at v (0 where the value is missing or invalid). */
export function inputTransformDerivative(kind: InputTransformKind, v: number): number {
  switch (kind) {
    case 'log1p':
      return v >= 0 ? 1 / (1 + v) : 0;
    case 'log':
      return v > 0 ? 1 / v : 0;
    case 'identity':
      return Number.isFinite(v) ? 1 : 0;
  }
}

/** Mean and sd of finite values (sd 1 where there are fewer than two or they are constant). */
function meanSd(sum: number, sumSq: number, n: number): [number, number] {
  if (n === 0) return [0, 1];
  const mean = sum / n;
  const variance = n > 1 ? Math.max(0, (sumSq - n * mean * mean) / (n - 1)) : 0;
  const sd = Math.sqrt(variance);
  // A constant input (a fixed initial condition) carries no information; sd 1 avoids dividing by 0.
  return [mean, sd > 1e-8 * Math.max(1, Math.abs(mean)) ? sd : 1];
}

/** Index of runs whose x has at least one finite value (failed runs are all NaN and are skipped). */
export function usableRuns(x: Float32Array, nRuns: number, perRun: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < nRuns; r++) {
    for (let i = r * perRun; i < (r + 1) * perRun; i++) {
      if (Number.isFinite(x[i])) {
        out.push(r);
        break;
      }
    }
  }
  return out;
}

/** What normalisation reads from a training set (its rows are chosen by the caller). */
export type NormalisationSource = Omit<TrainingData, 'nRuns' | 'runs'>;

/**
 * Statistics of the runs `runs` (indices into data): per (time, observable) input statistics when
 * `perTime` (the MLP treats each input separately), else per observable pooled over time (the
 * temporal convolution shares weights across time, so one scale per channel suits it).
 */
export function computeNormalisation(data: NormalisationSource, runs: readonly number[], perTime: boolean): Normalisation {
  const nTimes = data.times.length, nObs = data.observables.length, nParams = data.paramIds.length;
  const inputTransforms = data.observables.map((o) => inputTransformFor(o.noise));
  const cells = nTimes * nObs;
  const sum = new Float64Array(cells), sumSq = new Float64Array(cells), count = new Float64Array(cells);
  for (const r of runs) {
    const base = r * cells;
    for (let c = 0; c < cells; c++) {
      const v = applyInputTransform(inputTransforms[c % nObs], data.x[base + c]);
      if (Number.isNaN(v)) continue;
      sum[c] += v;
      sumSq[c] += v * v;
      count[c]++;
    }
  }
  const inputMean = new Array<number>(cells), inputSd = new Array<number>(cells);
  if (perTime) {
    for (let c = 0; c < cells; c++) [inputMean[c], inputSd[c]] = meanSd(sum[c], sumSq[c], count[c]);
  } else {
    for (let o = 0; o < nObs; o++) {
      let s = 0, s2 = 0, n = 0;
      for (let t = 0; t < nTimes; t++) {
        s += sum[t * nObs + o];
        s2 += sumSq[t * nObs + o];
        n += count[t * nObs + o];
      }
      const [m, sd] = meanSd(s, s2, n);
      for (let t = 0; t < nTimes; t++) {
        inputMean[t * nObs + o] = m;
        inputSd[t * nObs + o] = sd;
      }
    }
  }
  const targetTransforms = data.priors.map(targetTransform);
  const zMean: number[] = [], zSd: number[] = [], thetaMean: number[] = [], thetaSd: number[] = [];
  for (let p = 0; p < nParams; p++) {
    let zs = 0, zs2 = 0, ts = 0, ts2 = 0, n = 0;
    for (const r of runs) {
      const th = data.theta[r * nParams + p];
      if (!Number.isFinite(th)) continue;
      const z = toUnconstrained(targetTransforms[p], th);
      zs += z;
      zs2 += z * z;
      ts += th;
      ts2 += th * th;
      n++;
    }
    const [zm, zsd] = meanSd(zs, zs2, n);
    const [tm, tsd] = meanSd(ts, ts2, n);
    zMean.push(zm);
    zSd.push(zsd);
    thetaMean.push(tm);
    thetaSd.push(tsd);
  }
  const nModels = data.modelNames.length;
  const labelCount = new Array<number>(nModels).fill(0);
  for (const r of runs) labelCount[data.modelLabels[r]]++;
  const total = labelCount.reduce((a, b) => a + b, 0);
  const priorTotal = data.modelPrior.reduce((a, b) => a + b, 0);
  return {
    nTimes, nObs,
    times: Array.from(data.times),
    observableIds: data.observables.map((o) => o.id),
    inputTransforms, inputMean, inputSd,
    paramIds: [...data.paramIds],
    targetTransforms, zMean, zSd, thetaMean, thetaSd,
    modelNames: [...data.modelNames],
    modelFreq: labelCount.map((c) => (total > 0 ? c / total : 1 / nModels)),
    modelPrior: data.modelPrior.length === nModels && priorTotal > 0 ? data.modelPrior.map((p) => p / priorTotal) : labelCount.map(() => 1 / nModels),
  };
}

/**
 * Encodes datasets (n × nTimes × nObs raw values, NaN missing) as n × nTimes × 2·nObs network
 * inputs: channels [0, nObs) the standardised transformed values (0 where missing), channels
 * [nObs, 2·nObs) the masks. `rows` picks datasets from x (default all); writes into `out` if given.
 */
export function encodeInputs(norm: Normalisation, x: Float32Array, rows?: ArrayLike<number>, out?: Float32Array): Float32Array {
  const { nTimes, nObs, inputTransforms, inputMean, inputSd } = norm;
  const cells = nTimes * nObs;
  if (x.length % cells !== 0) {
    throw new Error(`encodeInputs: x has ${x.length} values, not a multiple of nTimes × nObs = ${nTimes} × ${nObs}`);
  }
  const n = rows ? rows.length : x.length / cells;
  const result = out ?? new Float32Array(n * cells * 2);
  for (let i = 0; i < n; i++) {
    const src = (rows ? rows[i] : i) * cells, dst = i * cells * 2;
    for (let t = 0; t < nTimes; t++) {
      for (let o = 0; o < nObs; o++) {
        const c = t * nObs + o;
        const v = applyInputTransform(inputTransforms[o], x[src + c]);
        const at = dst + t * 2 * nObs;
        if (Number.isNaN(v)) {
          result[at + o] = 0;
          result[at + nObs + o] = 0;
        } else {
          result[at + o] = (v - inputMean[c]) / inputSd[c];
          result[at + nObs + o] = 1;
        }
      }
    }
  }
  return result;
}
