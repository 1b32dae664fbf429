/**
 * Encoders and heads written with plain tf ops on our own variables: weights are created from
 * the app's seeded RNG in Float64 JS (identical on every backend), saved by name, and every op
 * used has a gradient on every backend.
 *
 * Encoders (input n × nTimes × 2·nObs: values and masks):
 * - mlp: the flattened series through `depth` ReLU layers of `width`.
 * - tcn: a temporal convolution pyramid. Each level is a kernel-2, stride-2 convolution (adjacent
 *   time steps merged: weights shared over time, receptive field doubling per level) followed by a
 *   residual pointwise layer, until ≤ 8 steps remain; then flattened into a ReLU layer of `width`.
 *   A stride-2 kernel-2 convolution is exactly a reshape [B, T, C] → [B·T/2, 2C] and one matMul, so
 *   it trains on every backend (the wasm backend has no Conv2DBackpropFilter, so tf.conv1d cannot
 *   train there) and is fast: an overlapping kernel-3 convolution written as pad + shifted slices +
 *   concat + matMul measured 5× slower on wasm, its time going to Slice/Concat/Pad kernels.
 * The encoder's last layer (width numbers) is the embedding used by analyze/.
 *
 * Heads (all in standardised space):
 * - mean: 4·P outputs [E θ, E z, Var θ, Var z] given x. The means are trained with squared loss (the
 *   SGNN estimator converges to the posterior mean). Each variance is trained with squared loss on
 *   the squared residual (target − stop-gradient(mean))², whose conditional expectation is the
 *   posterior variance once the mean is right; this is the "second-moment" head in centred form,
 *   which avoids the cancellation of E[θ²] − E[θ]² when the posterior is narrow.
 * - density: a mixture of K full-covariance Gaussians over z, each parameterised by the Cholesky
 *   factor L of its precision (Σ⁻¹ = L·Lᵀ, positive diagonal exp(·)): log N needs no solve, only
 *   Σ log L_ii − ½‖Lᵀ(z − μ)‖²; sampling solves Lᵀ·y = ε by back substitution in JS.
 * - classifier: softmax over models, cross-entropy.
 */
import * as tf from '@tensorflow/tfjs';
import type { HeadKind } from './types.ts';
import { rngFor } from '../simulate/random/rng.ts';
import { sampleStandardNormal } from '../simulate/random/distributions.ts';

export type Architecture = {
  encoder: 'mlp' | 'tcn';
  head: HeadKind;
  nTimes: number;
  nObs: number;
  nParams: number;
  nModels: number;
  /** Width of the MLP layers and of the embedding. */
  width: number;
  /** MLP hidden layers. */
  depth: number;
  /** TCN channels, kernel size (2, stride 2), levels (each halves time) and the zero-padded length. */
  channels: number;
  kernelSize: number;
  levels: number;
  paddedTimes: number;
  /** Mixture components (density head). */
  components: number;
  outputDim: number;
};

export interface WeightSpec {
  name: string;
  shape: number[];
  /** 'he': N(0, 2/fanIn) for ReLU layers; 'head': N(0, 0.01/fanIn) so outputs start near 0; 'zeros'. */
  init: 'he' | 'head' | 'zeros';
}

/** The network's variables, in spec order. */
export interface NetParams {
  arch: Architecture;
  names: string[];
  vars: tf.Variable[];
  byName: Map<string, tf.Variable>;
}

/** Series of at least this many time points get the temporal-convolution encoder under 'auto'. */
export const TCN_MIN_TIMES = 64;
const TCN_FINAL_TIMES = 8;
const LOG_DIAG_BOUND = 8;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** Output size of a head. */
export function headOutputDim(head: HeadKind, nParams: number, nModels: number, components: number): number {
  switch (head) {
    case 'mean':
      return 4 * nParams;
    case 'density':
      return components * (1 + 2 * nParams + (nParams * (nParams - 1)) / 2);
    case 'classifier':
      return nModels;
  }
}

/** The architecture for a design and options (resolves 'auto' by series length). */
export function makeArchitecture(o: {
  encoder: 'mlp' | 'tcn' | 'auto'; head: HeadKind; nTimes: number; nObs: number; nParams: number; nModels: number;
  width?: number; depth?: number; channels?: number; components?: number;
}): Architecture {
  const encoder = o.encoder === 'auto' ? (o.nTimes >= TCN_MIN_TIMES ? 'tcn' : 'mlp') : o.encoder;
  const levels = encoder === 'tcn' ? Math.max(0, Math.ceil(Math.log2(o.nTimes / TCN_FINAL_TIMES))) : 0;
  const components = o.components ?? 3;
  return {
    encoder, head: o.head, nTimes: o.nTimes, nObs: o.nObs, nParams: o.nParams, nModels: o.nModels,
    width: o.width ?? 128,
    depth: o.depth ?? 2,
    channels: o.channels ?? 32,
    kernelSize: 2,
    levels,
    paddedTimes: encoder === 'tcn' ? Math.ceil(o.nTimes / 2 ** levels) * 2 ** levels : o.nTimes,
    components,
    outputDim: headOutputDim(o.head, o.nParams, o.nModels, components),
  };
}

/** Names, shapes and initialisers of every weight of the architecture. */
export function weightSpecs(a: Architecture): WeightSpec[] {
  const specs: WeightSpec[] = [];
  const dense = (name: string, fanIn: number, fanOut: number, init: 'he' | 'head'): void => {
    specs.push({ name: `${name}.w`, shape: [fanIn, fanOut], init }, { name: `${name}.b`, shape: [fanOut], init: 'zeros' });
  };
  const inChannels = 2 * a.nObs;
  if (a.encoder === 'mlp') {
    let fanIn = a.nTimes * inChannels;
    for (let i = 0; i < a.depth; i++) {
      dense(`mlp${i}`, fanIn, a.width, 'he');
      fanIn = a.width;
    }
  } else {
    let c = inChannels;
    for (let l = 0; l < a.levels; l++) {
      dense(`tcn${l}.merge`, a.kernelSize * c, a.channels, 'he');
      dense(`tcn${l}.mix`, a.channels, a.channels, 'he');
      c = a.channels;
    }
    dense('tcn.out', (a.paddedTimes / 2 ** a.levels) * c, a.width, 'he');
  }
  dense('head', a.width, a.outputDim, 'head');
  return specs;
}

/** Seeded initial values (Float64 RNG, so every backend starts from the same numbers). */
export function initialWeights(a: Architecture, seed: number): { name: string; shape: number[]; data: Float32Array }[] {
  return weightSpecs(a).map((s, i) => {
    const size = s.shape.reduce((x, y) => x * y, 1);
    const data = new Float32Array(size);
    if (s.init !== 'zeros') {
      const fanIn = s.shape[0];
      const sd = Math.sqrt((s.init === 'he' ? 2 : 0.01) / fanIn);
      const rng = rngFor(seed, 0x1417, i);
      for (let j = 0; j < size; j++) data[j] = sd * sampleStandardNormal(rng);
    }
    return { name: s.name, shape: s.shape, data };
  });
}

/** Variables for the architecture from saved or initial weights (checked against the specs). */
export function createParams(a: Architecture, weights: { name: string; shape: number[]; data: Float32Array }[]): NetParams {
  const specs = weightSpecs(a);
  const given = new Map(weights.map((w) => [w.name, w]));
  const vars = specs.map((s) => {
    const w = given.get(s.name);
    if (!w) throw new Error(`network weights: missing '${s.name}' (shape ${s.shape.join('×')})`);
    if (w.shape.length !== s.shape.length || w.shape.some((d, i) => d !== s.shape[i])) {
      throw new Error(`network weights: '${s.name}' has shape ${w.shape.join('×')}, the architecture needs ${s.shape.join('×')}`);
    }
    // tidy frees the initial tensor; the variable keeps its data.
    return tf.tidy(() => tf.variable(tf.tensor(w.data, s.shape, 'float32'), true, undefined, 'float32'));
  });
  return { arch: a, names: specs.map((s) => s.name), vars, byName: new Map(specs.map((s, i) => [s.name, vars[i]])) };
}

/** Current values of the variables, as stored in an artifact. */
export function readWeights(p: NetParams): { name: string; shape: number[]; data: Float32Array }[] {
  return p.vars.map((v, i) => ({ name: p.names[i], shape: [...v.shape], data: Float32Array.from(v.dataSync() as Float32Array) }));
}

/** Overwrites the variables with saved values. */
export function writeWeights(p: NetParams, weights: { name: string; data: Float32Array }[]): void {
  const given = new Map(weights.map((w) => [w.name, w.data]));
  p.vars.forEach((v, i) => {
    const data = given.get(p.names[i]);
    if (!data) throw new Error(`network weights: missing '${p.names[i]}'`);
    tf.tidy(() => v.assign(tf.tensor(data, v.shape, 'float32')));
  });
}

/** Frees the variables. */
export function disposeParams(p: NetParams): void {
  for (const v of p.vars) v.dispose();
}

function w(p: NetParams, name: string): tf.Variable {
  const v = p.byName.get(name);
  if (!v) throw new Error(`network: no weight '${name}'`);
  return v;
}

function dense(p: NetParams, name: string, x: tf.Tensor2D): tf.Tensor2D {
  return tf.add(tf.matMul(x, w(p, `${name}.w`)), w(p, `${name}.b`));
}

/** The encoder: input [B, nTimes, 2·nObs] → embedding [B, width]. */
export function encode(p: NetParams, input: tf.Tensor3D): tf.Tensor2D {
  const a = p.arch;
  const b = input.shape[0];
  if (a.encoder === 'mlp') {
    let h = tf.reshape(input, [b, a.nTimes * 2 * a.nObs]) as tf.Tensor2D;
    for (let i = 0; i < a.depth; i++) h = tf.relu(dense(p, `mlp${i}`, h));
    return h;
  }
  // Padded steps are zero values with zero masks: "missing", which the network already handles.
  let x: tf.Tensor3D = a.paddedTimes > a.nTimes ? tf.pad(input, [[0, 0], [0, a.paddedTimes - a.nTimes], [0, 0]]) : input;
  for (let l = 0; l < a.levels; l++) {
    const [bb, t, c] = x.shape;
    // Kernel 2, stride 2: each output step sees the two input steps it replaces.
    const merged = tf.relu(dense(p, `tcn${l}.merge`, tf.reshape(x, [bb * (t / 2), 2 * c]) as tf.Tensor2D));
    const y = tf.relu(tf.add(dense(p, `tcn${l}.mix`, merged), merged));
    x = tf.reshape(y, [bb, t / 2, a.channels]) as tf.Tensor3D;
  }
  const [, tFinal, cFinal] = x.shape;
  return tf.relu(dense(p, 'tcn.out', tf.reshape(x, [b, tFinal * cFinal]) as tf.Tensor2D));
}

/** The head's raw outputs [B, outputDim] from an embedding. */
export function headOutputs(p: NetParams, embedding: tf.Tensor2D): tf.Tensor2D {
  return dense(p, 'head', embedding);
}

/** Identity whose gradient is zero (tfjs has no stopGradient op). */
const stopGradient = tf.customGrad((...inputs) => ({ value: tf.clone(inputs[0] as tf.Tensor), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) }));

/** Mean head outputs split: posterior means and variances of standardised θ and z. */
export function splitMeanHead(out: tf.Tensor2D, nParams: number): { mTheta: tf.Tensor2D; mZ: tf.Tensor2D; vTheta: tf.Tensor2D; vZ: tf.Tensor2D } {
  const [mTheta, mZ, rTheta, rZ] = tf.split(out, [nParams, nParams, nParams, nParams], 1) as tf.Tensor2D[];
  return { mTheta, mZ, vTheta: tf.softplus(rTheta), vZ: tf.softplus(rZ) };
}

/**
 * Mean-head loss: squared error of both means, plus squared error of each variance against the
 * squared residual of its (gradient-stopped) mean. `weight` is 0 where a run lacks the parameter.
 */
export function meanHeadLoss(out: tf.Tensor2D, yTheta: tf.Tensor2D, yZ: tf.Tensor2D, weight: tf.Tensor2D): tf.Scalar {
  const nParams = yTheta.shape[1];
  const { mTheta, mZ, vTheta, vZ } = splitMeanHead(out, nParams);
  const rTheta = tf.squaredDifference(mTheta, yTheta);
  const rZ = tf.squaredDifference(mZ, yZ);
  const vtTarget = stopGradient(rTheta) as tf.Tensor2D;
  const vzTarget = stopGradient(rZ) as tf.Tensor2D;
  const perEntry = tf.addN([rTheta, rZ, tf.squaredDifference(vTheta, vtTarget), tf.squaredDifference(vZ, vzTarget)]);
  return tf.div(tf.sum(tf.mul(perEntry, weight)), tf.maximum(tf.sum(weight), 1)) as tf.Scalar;
}

/** Density head outputs split: log mixture weights [B,K], means [B,K,P], log diag [B,K,P], off-diagonals [B,K,P(P−1)/2]. */
export function splitDensityHead(out: tf.Tensor2D, nParams: number, k: number): {
  logPi: tf.Tensor2D; mu: tf.Tensor3D; logDiag: tf.Tensor3D; off: tf.Tensor3D;
} {
  const b = out.shape[0];
  const nOff = (nParams * (nParams - 1)) / 2;
  const [logits, mu, rawDiag, off] = tf.split(out, [k, k * nParams, k * nParams, k * nOff], 1) as tf.Tensor2D[];
  // A smooth bound keeps exp(logDiag) finite early in training (sd within e^±8 of the prior's).
  const logDiag = tf.mul(tf.tanh(tf.div(rawDiag, LOG_DIAG_BOUND)), LOG_DIAG_BOUND);
  return {
    logPi: tf.logSoftmax(logits),
    mu: tf.reshape(mu, [b, k, nParams]),
    logDiag: tf.reshape(logDiag, [b, k, nParams]),
    off: tf.reshape(off, [b, k, nOff]),
  };
}

/** Position in the packed lower triangle (row i > column j) of off-diagonal entry (i, j). */
export function offIndex(i: number, j: number): number {
  return (i * (i - 1)) / 2 + j;
}

/** A constant [P + P(P−1)/2, P·P] matrix that scatters [diag, off] into a row-major lower-triangular L. */
function scatterMatrix(nParams: number): tf.Tensor2D {
  const nOff = (nParams * (nParams - 1)) / 2;
  const m = new Float32Array((nParams + nOff) * nParams * nParams);
  for (let i = 0; i < nParams; i++) m[i * nParams * nParams + i * nParams + i] = 1;
  for (let i = 1; i < nParams; i++) {
    for (let j = 0; j < i; j++) m[(nParams + offIndex(i, j)) * nParams * nParams + i * nParams + j] = 1;
  }
  return tf.tensor2d(m, [nParams + nOff, nParams * nParams]);
}

/** log q(z | x) of the mixture for standardised z [B, P]: returns [B]. */
export function mixtureLogDensity(out: tf.Tensor2D, z: tf.Tensor2D, k: number): tf.Tensor1D {
  const [b, nParams] = z.shape;
  const { logPi, mu, logDiag, off } = splitDensityHead(out, nParams, k);
  const packed = tf.reshape(tf.concat([tf.exp(logDiag), off], 2), [b * k, nParams + off.shape[2]]) as tf.Tensor2D;
  const lower = tf.reshape(tf.matMul(packed, scatterMatrix(nParams)), [b, k, nParams, nParams]);
  const d = tf.sub(tf.expandDims(z, 1), mu); // [B, K, P]
  // (Lᵀd)_j = Σ_i L_ij d_i: broadcast d over columns and sum over rows.
  const y = tf.sum(tf.mul(lower, tf.expandDims(d, 3)), 2); // [B, K, P]
  const logN = tf.sub(tf.sub(tf.sum(logDiag, 2), tf.mul(0.5, tf.sum(tf.square(y), 2))), nParams * HALF_LOG_2PI);
  return tf.logSumExp(tf.add(logPi, logN), 1) as tf.Tensor1D;
}

/** Density-head loss: mean negative log-likelihood of the standardised z. */
export function densityHeadLoss(out: tf.Tensor2D, yZ: tf.Tensor2D, k: number): tf.Scalar {
  return tf.neg(tf.mean(mixtureLogDensity(out, yZ, k))) as tf.Scalar;
}

/** Classifier loss: cross-entropy of softmax(logits) against one-hot labels. */
export function classifierLoss(out: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(out)), 1))) as tf.Scalar;
}
