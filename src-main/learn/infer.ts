/**
 * Applying a trained network to datasets, amortised: one call takes thousands of datasets
 * (n × nTimes × nObs raw values, NaN = missing) and runs them through the network in chunks.
 *
 * Summaries per head:
 * - mean: `mean` and `sd` are the network's own E[θ|x] and Var[θ|x] (trained in θ's space, so they
 *   converge to the posterior's moments); median, 2.5/97.5% quantiles and samples come from a
 *   Gaussian in unconstrained space with the learned E[z|x], Var[z|x], mapped back (an
 *   approximation; the density head gives non-Gaussian, correlated posteriors).
 * - density: samples from the mixture mapped back; mean, sd and quantiles are those of the samples.
 * Numbers leave the network in Float32 and are summarised in Float64.
 */
import * as tf from '@tensorflow/tfjs';
import type { NetworkArtifact, PosteriorSummary } from './types.ts';
import {
  dThetaDz, encodeInputs, fromUnconstrained, inputTransformDerivative, logAbsJacobian, toUnconstrained, type Normalisation,
} from './transforms.ts';
import {
  createParams, disposeParams, encode, headOutputs, offIndex, splitMeanHead, type Architecture, type NetParams,
} from './networks.ts';
import { rngFor } from '../simulate/random/rng.ts';
import { sampleStandardNormal } from '../simulate/random/distributions.ts';
import { normalQuantile } from '../simulate/random/special.ts';

/** A network ready to apply; free it with disposeNetwork. */
export interface LoadedNetwork {
  artifact: NetworkArtifact;
  arch: Architecture;
  norm: Normalisation;
  params: NetParams;
}

export interface PosteriorOptions {
  /** Draws per dataset (default 1000). */
  nSamples?: number;
  seed?: number;
  /** Datasets per forward pass (default 2048): bounds memory, not results. */
  chunk?: number;
}

export interface PosteriorResult {
  /** Per dataset, per parameter id. */
  summaries: Record<string, PosteriorSummary>[];
  /** Per dataset, nSamples × nParams row-major, in the parameters' own space. */
  samples: Float64Array[];
}

const LOG_DIAG_BOUND = 8;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const DEFAULT_CHUNK = 2048;
/** Draws used by posteriorMean for the density head (E[θ|x] has no closed form through the transforms). */
const MEAN_SAMPLES = 512;

/** Rebuilds a network from its artifact (weights are checked against the architecture). */
export function loadNetwork(artifact: NetworkArtifact): LoadedNetwork {
  const arch = artifact.architecture as Architecture;
  const norm = artifact.normalisation as Normalisation;
  if (typeof arch?.outputDim !== 'number' || !Array.isArray(norm?.inputMean)) {
    throw new Error('loadNetwork: the artifact has no architecture/normalisation of this version of learn/');
  }
  return { artifact, arch, norm, params: createParams(arch, artifact.weights) };
}

/** Frees the network's tensors. */
export function disposeNetwork(net: LoadedNetwork): void {
  disposeParams(net.params);
}

function datasetCount(net: LoadedNetwork, x: Float32Array): number {
  const cells = net.norm.nTimes * net.norm.nObs;
  if (x.length % cells !== 0) {
    throw new Error(`network input: x has ${x.length} values, not a multiple of nTimes × nObs = ${net.norm.nTimes} × ${net.norm.nObs} (the design the network was trained for)`);
  }
  return x.length / cells;
}

/** Runs `fn` on encoded chunks of x and concatenates its per-dataset outputs of width `width`. */
function mapChunks(net: LoadedNetwork, x: Float32Array, width: number, chunk: number, fn: (input: tf.Tensor3D) => tf.Tensor): Float32Array {
  const n = datasetCount(net, x);
  const { nTimes, nObs } = net.norm;
  const out = new Float32Array(n * width);
  for (let s = 0; s < n; s += chunk) {
    const m = Math.min(chunk, n - s);
    const rows = Int32Array.from({ length: m }, (_, i) => s + i);
    const encoded = encodeInputs(net.norm, x, rows);
    const result = tf.tidy(() => fn(tf.tensor3d(encoded, [m, nTimes, 2 * nObs])));
    out.set(result.dataSync() as Float32Array, s * width);
    result.dispose();
  }
  return out;
}

/** Raw head outputs, with the mean head's variances already through softplus: n × outputDim. */
function outputs(net: LoadedNetwork, x: Float32Array, chunk = DEFAULT_CHUNK): Float32Array {
  const { arch } = net;
  return mapChunks(net, x, arch.outputDim, chunk, (input) => {
    const out = headOutputs(net.params, encode(net.params, input));
    if (arch.head !== 'mean') return out;
    const { mTheta, mZ, vTheta, vZ } = splitMeanHead(out, arch.nParams);
    return tf.concat([mTheta, mZ, vTheta, vZ], 1);
  });
}

/** The encoder's output (its last hidden layer): n × width, for mismatch tests and nearest neighbours. */
export function embed(net: LoadedNetwork, x: Float32Array, chunk = DEFAULT_CHUNK): Float32Array {
  return mapChunks(net, x, net.arch.width, chunk, (input) => encode(net.params, input));
}

/** One dataset's mixture, parsed from the head's outputs in Float64. */
interface Mixture {
  logPi: Float64Array;
  mu: Float64Array; // K × P
  logDiag: Float64Array; // K × P
  lower: Float64Array; // K × P × P, row-major, precision Cholesky factor
}

function parseMixture(out: Float32Array, at: number, p: number, k: number): Mixture {
  const nOff = (p * (p - 1)) / 2;
  const logPi = new Float64Array(k);
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, out[at + c]);
  let sum = 0;
  for (let c = 0; c < k; c++) sum += Math.exp(out[at + c] - max);
  for (let c = 0; c < k; c++) logPi[c] = out[at + c] - max - Math.log(sum);
  const mu = Float64Array.from(out.subarray(at + k, at + k + k * p));
  const logDiag = new Float64Array(k * p);
  const lower = new Float64Array(k * p * p);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < p; i++) {
      const ld = LOG_DIAG_BOUND * Math.tanh(out[at + k + k * p + c * p + i] / LOG_DIAG_BOUND);
      logDiag[c * p + i] = ld;
      lower[c * p * p + i * p + i] = Math.exp(ld);
      for (let j = 0; j < i; j++) lower[c * p * p + i * p + j] = out[at + k + 2 * k * p + c * nOff + offIndex(i, j)];
    }
  }
  return { logPi, mu, logDiag, lower };
}

/** log q(z|x) of a parsed mixture at standardised z. */
function mixtureLogPdf(m: Mixture, z: ArrayLike<number>, p: number): number {
  const k = m.logPi.length;
  const terms = new Float64Array(k);
  let max = -Infinity;
  for (let c = 0; c < k; c++) {
    let quad = 0, logDet = 0;
    for (let j = 0; j < p; j++) {
      let y = 0;
      for (let i = j; i < p; i++) y += m.lower[c * p * p + i * p + j] * (z[i] - m.mu[c * p + i]);
      quad += y * y;
      logDet += m.logDiag[c * p + j];
    }
    terms[c] = m.logPi[c] + logDet - 0.5 * quad - p * HALF_LOG_2PI;
    max = Math.max(max, terms[c]);
  }
  let s = 0;
  for (let c = 0; c < k; c++) s += Math.exp(terms[c] - max);
  return max + Math.log(s);
}

/** One standardised draw z from the mixture into `z`: z = μ + L⁻ᵀε (back substitution). */
function sampleMixture(m: Mixture, p: number, rng: ReturnType<typeof rngFor>, z: Float64Array): void {
  const k = m.logPi.length;
  let u = rng.next(), c = 0;
  for (; c < k - 1; c++) {
    u -= Math.exp(m.logPi[c]);
    if (u < 0) break;
  }
  const eps = new Float64Array(p);
  for (let j = 0; j < p; j++) eps[j] = sampleStandardNormal(rng);
  for (let j = p - 1; j >= 0; j--) {
    let s = eps[j];
    for (let i = j + 1; i < p; i++) s -= m.lower[c * p * p + i * p + j] * z[i];
    z[j] = s / m.lower[c * p * p + j * p + j];
  }
  for (let j = 0; j < p; j++) z[j] += m.mu[c * p + j];
}

/** Linear-interpolation quantile (type 7) of sorted values. */
function quantileSorted(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h), hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function summariseSamples(samples: Float64Array, nSamples: number, p: number, param: number): PosteriorSummary {
  const v = new Float64Array(nSamples);
  let sum = 0;
  for (let s = 0; s < nSamples; s++) sum += v[s] = samples[s * p + param];
  const mean = sum / nSamples;
  let ss = 0;
  for (let s = 0; s < nSamples; s++) ss += (v[s] - mean) ** 2;
  v.sort();
  return { mean, sd: Math.sqrt(ss / Math.max(1, nSamples - 1)), q025: quantileSorted(v, 0.025), q50: quantileSorted(v, 0.5), q975: quantileSorted(v, 0.975) };
}

function requireHead(net: LoadedNetwork, heads: string[], what: string): void {
  if (!heads.includes(net.arch.head)) throw new Error(`${what}: needs a ${heads.join(' or ')} network, this one has the ${net.arch.head} head`);
}

const Z975 = normalQuantile(0.975);

/**
 * Posterior summaries and samples for each dataset in x (n × nTimes × nObs, NaN missing). Samples
 * of dataset i use rngFor(seed, i), so a dataset's draws do not depend on the others in the batch.
 */
export function posterior(net: LoadedNetwork, x: Float32Array, options: PosteriorOptions = {}): PosteriorResult {
  requireHead(net, ['mean', 'density'], 'posterior');
  const nSamples = options.nSamples ?? 1000, seed = options.seed ?? 0;
  if (!(Number.isInteger(nSamples) && nSamples >= 1)) throw new Error(`posterior: nSamples must be an integer ≥ 1, got ${nSamples}`);
  const { arch, norm } = net;
  const p = arch.nParams, n = datasetCount(net, x);
  const out = outputs(net, x, options.chunk);
  const summaries: Record<string, PosteriorSummary>[] = [];
  const samples: Float64Array[] = [];
  const z = new Float64Array(p);
  for (let d = 0; d < n; d++) {
    const at = d * arch.outputDim;
    const rng = rngFor(seed, d);
    const draws = new Float64Array(nSamples * p);
    const summary: Record<string, PosteriorSummary> = {};
    if (arch.head === 'mean') {
      for (let j = 0; j < p; j++) {
        const t = norm.targetTransforms[j];
        const zc = norm.zMean[j] + norm.zSd[j] * out[at + p + j];
        const zs = norm.zSd[j] * Math.sqrt(out[at + 3 * p + j]);
        summary[norm.paramIds[j]] = {
          mean: norm.thetaMean[j] + norm.thetaSd[j] * out[at + j],
          sd: norm.thetaSd[j] * Math.sqrt(out[at + 2 * p + j]),
          q025: fromUnconstrained(t, zc - Z975 * zs),
          q50: fromUnconstrained(t, zc),
          q975: fromUnconstrained(t, zc + Z975 * zs),
        };
      }
      for (let s = 0; s < nSamples; s++) {
        for (let j = 0; j < p; j++) {
          const zc = norm.zMean[j] + norm.zSd[j] * out[at + p + j];
          const zs = norm.zSd[j] * Math.sqrt(out[at + 3 * p + j]);
          draws[s * p + j] = fromUnconstrained(norm.targetTransforms[j], zc + zs * sampleStandardNormal(rng));
        }
      }
    } else {
      const mix = parseMixture(out, at, p, arch.components);
      for (let s = 0; s < nSamples; s++) {
        sampleMixture(mix, p, rng, z);
        for (let j = 0; j < p; j++) draws[s * p + j] = fromUnconstrained(norm.targetTransforms[j], norm.zMean[j] + norm.zSd[j] * z[j]);
      }
      for (let j = 0; j < p; j++) summary[norm.paramIds[j]] = summariseSamples(draws, nSamples, p, j);
    }
    summaries.push(summary);
    samples.push(draws);
  }
  return { summaries, samples };
}

/**
 * Posterior means only (n × nParams): the mean head's E[θ|x] directly (the fast path), or for the
 * density head the mean of 512 seeded draws per dataset.
 */
export function posteriorMean(net: LoadedNetwork, x: Float32Array, chunk = DEFAULT_CHUNK): Float64Array {
  requireHead(net, ['mean', 'density'], 'posteriorMean');
  const { arch, norm } = net;
  const p = arch.nParams, n = datasetCount(net, x);
  const result = new Float64Array(n * p);
  if (arch.head === 'mean') {
    const out = outputs(net, x, chunk);
    for (let d = 0; d < n; d++) {
      for (let j = 0; j < p; j++) result[d * p + j] = norm.thetaMean[j] + norm.thetaSd[j] * out[d * arch.outputDim + j];
    }
    return result;
  }
  const { samples } = posterior(net, x, { nSamples: MEAN_SAMPLES, seed: 0, chunk });
  for (let d = 0; d < n; d++) {
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let k = 0; k < MEAN_SAMPLES; k++) s += samples[d][k * p + j];
      result[d * p + j] = s / MEAN_SAMPLES;
    }
  }
  return result;
}

/**
 * log p(θ|x) in the parameters' own space for each dataset (theta: n × nParams). Exact for the
 * density head's mixture; for the mean head, that of its Gaussian approximation in unconstrained space.
 */
export function logDensity(net: LoadedNetwork, x: Float32Array, theta: Float64Array, chunk = DEFAULT_CHUNK): Float64Array {
  requireHead(net, ['mean', 'density'], 'logDensity');
  const { arch, norm } = net;
  const p = arch.nParams, n = datasetCount(net, x);
  if (theta.length !== n * p) throw new Error(`logDensity: theta has ${theta.length} values, expected nDatasets × nParams = ${n} × ${p}`);
  const out = outputs(net, x, chunk);
  const result = new Float64Array(n);
  const z = new Float64Array(p);
  for (let d = 0; d < n; d++) {
    const at = d * arch.outputDim;
    let jac = 0, inside = true;
    for (let j = 0; j < p; j++) {
      const th = theta[d * p + j], t = norm.targetTransforms[j];
      const lj = logAbsJacobian(t, th);
      if (!Number.isFinite(lj)) inside = false;
      z[j] = (toUnconstrained(t, th) - norm.zMean[j]) / norm.zSd[j];
      jac += lj - Math.log(norm.zSd[j]);
    }
    if (!inside) {
      result[d] = -Infinity;
      continue;
    }
    if (arch.head === 'density') {
      result[d] = mixtureLogPdf(parseMixture(out, at, p, arch.components), z, p) + jac;
    } else {
      let lp = 0;
      for (let j = 0; j < p; j++) {
        const v = out[at + 3 * p + j];
        lp += -0.5 * (z[j] - out[at + p + j]) ** 2 / v - 0.5 * Math.log(v) - HALF_LOG_2PI;
      }
      result[d] = lp + jac;
    }
  }
  return result;
}

/** log(prior/trainFreq) per model: the correction from the bank's label mix to the user's prior. */
function priorCorrection(norm: Normalisation, modelPrior?: number[]): number[] {
  const prior = modelPrior ?? norm.modelPrior;
  if (prior.length !== norm.modelNames.length) {
    throw new Error(`modelProbabilities: modelPrior has ${prior.length} entries for ${norm.modelNames.length} models (${norm.modelNames.join(', ')})`);
  }
  const total = prior.reduce((a, b) => a + b, 0);
  if (!(total > 0) || prior.some((q) => !(q >= 0))) throw new Error(`modelProbabilities: modelPrior must be ≥ 0 with a positive sum, got [${prior.join(', ')}]`);
  return prior.map((q, m) => (norm.modelFreq[m] > 0 && q > 0 ? Math.log(q / total) - Math.log(norm.modelFreq[m]) : -Infinity));
}

/**
 * p(model | x) per dataset (n × nModels). The classifier learns p_train(m|x) under the bank's label
 * frequencies; Bayes' rule re-weights it to the given prior (default: the one stored at training):
 * p(m|x) ∝ p_train(m|x) · prior(m) / freq_train(m).
 */
export function modelProbabilities(net: LoadedNetwork, x: Float32Array, modelPrior?: number[], chunk = DEFAULT_CHUNK): Float64Array {
  requireHead(net, ['classifier'], 'modelProbabilities');
  const nModels = net.arch.nModels;
  const correction = priorCorrection(net.norm, modelPrior);
  const logits = outputs(net, x, chunk);
  const n = logits.length / nModels;
  const result = new Float64Array(n * nModels);
  for (let d = 0; d < n; d++) {
    let max = -Infinity;
    for (let m = 0; m < nModels; m++) max = Math.max(max, result[d * nModels + m] = logits[d * nModels + m] + correction[m]);
    let sum = 0;
    for (let m = 0; m < nModels; m++) sum += result[d * nModels + m] = Math.exp(result[d * nModels + m] - max);
    for (let m = 0; m < nModels; m++) result[d * nModels + m] /= sum;
  }
  return result;
}

/**
 * Gradient of one estimate with respect to each raw input value, n × nTimes × nObs (0 where
 * missing). The estimate is: mean head, posterior mean of parameter `index`; density head, that
 * parameter at the mixture's mean in unconstrained space; classifier, p(model `index` | x).
 */
export function saliency(net: LoadedNetwork, x: Float32Array, index: number, chunk = 512): Float32Array {
  const { arch, norm } = net;
  const limit = arch.head === 'classifier' ? arch.nModels : arch.nParams;
  if (!(Number.isInteger(index) && index >= 0 && index < limit)) {
    throw new Error(`saliency: index must be an integer in [0, ${limit}) for the ${arch.head} head, got ${index}`);
  }
  const { nTimes, nObs } = norm;
  const n = datasetCount(net, x);
  const correction = arch.head === 'classifier' ? priorCorrection(norm) : [];
  const corr = arch.head === 'classifier' ? correction.map((c) => (Number.isFinite(c) ? c : -1e30)) : [];
  // Per dataset scalar estimate in network units, summed over the batch (datasets do not interact).
  const scalar = (out: tf.Tensor2D): tf.Tensor1D => {
    switch (arch.head) {
      case 'mean':
        return tf.squeeze(tf.slice(out, [0, index], [-1, 1]), [1]) as tf.Tensor1D;
      case 'density': {
        const k = arch.components, p = arch.nParams, b = out.shape[0];
        const pi = tf.softmax(tf.slice(out, [0, 0], [-1, k]));
        const mu = tf.reshape(tf.slice(out, [0, k], [-1, k * p]), [b, k, p]);
        const muJ = tf.squeeze(tf.slice(mu, [0, 0, index], [-1, -1, 1]), [2]);
        return tf.sum(tf.mul(pi, muJ), 1) as tf.Tensor1D;
      }
      case 'classifier': {
        const probs = tf.softmax(tf.add(out, tf.tensor1d(corr)));
        return tf.squeeze(tf.slice(probs, [0, index], [-1, 1]), [1]) as tf.Tensor1D;
      }
    }
  };
  const grads = mapChunks(net, x, nTimes * 2 * nObs, chunk, (input) => {
    const f = (u: tf.Tensor): tf.Scalar => tf.sum(scalar(headOutputs(net.params, encode(net.params, u as tf.Tensor3D))));
    return tf.grad(f)(input);
  });
  // Estimate-side chain factor per dataset: network units → the parameter's own units.
  const outScale = new Float64Array(n).fill(1);
  if (arch.head === 'mean') outScale.fill(norm.thetaSd[index]);
  if (arch.head === 'density') {
    const zbar = mapChunks(net, x, 1, chunk, (input) => scalar(headOutputs(net.params, encode(net.params, input))));
    for (let d = 0; d < n; d++) {
      outScale[d] = norm.zSd[index] * dThetaDz(norm.targetTransforms[index], norm.zMean[index] + norm.zSd[index] * zbar[d]);
    }
  }
  const result = new Float32Array(n * nTimes * nObs);
  for (let d = 0; d < n; d++) {
    for (let t = 0; t < nTimes; t++) {
      for (let o = 0; o < nObs; o++) {
        const c = t * nObs + o;
        const raw = x[d * nTimes * nObs + c];
        // Input-side chain: raw → transformed → standardised; 0 for missing or invalid values.
        const din = inputTransformDerivative(norm.inputTransforms[o], raw) / norm.inputSd[c];
        result[d * nTimes * nObs + c] = din === 0 ? 0 : grads[d * nTimes * 2 * nObs + t * 2 * nObs + o] * din * outScale[d];
      }
    }
  }
  return result;
}
