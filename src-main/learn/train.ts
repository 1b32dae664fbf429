/**
 * Training: Adam with a cosine or reduce-on-plateau schedule, global-norm gradient clipping,
 * random masking of observations (so real data with gaps work), early stopping on a validation
 * split that restores the best weights, a checkpoint every epoch, exact resume, cancel and
 * progress. Offline from a bank, or online with fresh simulations every epoch.
 *
 * Determinism: initial weights, the split, each epoch's shuffle and masks come from rngFor(seed, …)
 * keyed by purpose and epoch (not from a running stream), so a run resumed from a checkpoint takes
 * exactly the same steps as an uninterrupted one; with the same backend the weights are equal.
 */
import * as tf from '@tensorflow/tfjs';
import type {
  BackendName, EpochRecord, NetworkArtifact, TrainingCheckpoint, TrainingData, TrainingState, TrainOptions, TrainProgress,
} from './types.ts';
import { currentBackend } from './backend.ts';
import {
  computeNormalisation, encodeInputs, toUnconstrained, usableRuns, type Normalisation,
} from './transforms.ts';
import {
  classifierLoss, createParams, densityHeadLoss, disposeParams, encode, headOutputs, initialWeights, makeArchitecture,
  meanHeadLoss, readWeights, type Architecture, type NetParams,
} from './networks.ts';
import { rngFor, type Rng } from '../simulate/random/rng.ts';

export interface TrainHooks {
  /** Called at most every `progressIntervalMs` (default 100 ms) and after each epoch. */
  onProgress?(p: TrainProgress): void;
  /** Called after each epoch with its record and a checkpoint to store (awaited). */
  onEpoch?(record: EpochRecord, checkpoint: TrainingCheckpoint): void | Promise<void>;
  /** Aborting stops training before the next batch; trainNetwork then rejects with TrainingCancelled. */
  signal?: AbortSignal;
  /** Continue from a checkpoint (same data, options and backend give the same result as no interruption). */
  resumeFrom?: TrainingCheckpoint;
  /**
   * Online training: fresh simulations for epoch `epoch` (1-based), same design as `data`. `data`
   * then only supplies the normalisation statistics and the validation split.
   */
  onlineBatch?(epoch: number): TrainingData | Promise<TrainingData>;
  progressIntervalMs?: number;
}

/** Training stopped by its AbortSignal; the last checkpoint passed to onEpoch can resume it. */
export class TrainingCancelled extends Error {
  constructor(epoch: number, batch: number) {
    super(`training cancelled at epoch ${epoch}, batch ${batch}`);
    this.name = 'AbortError';
  }
}

/** Options with every default filled in. */
export type ResolvedTrainOptions = Required<Omit<TrainOptions, 'width' | 'depth' | 'channels' | 'components'>> & TrainOptions;

/** The defaults of TrainOptions applied. */
export function resolveTrainOptions(o: TrainOptions): ResolvedTrainOptions {
  return {
    epochs: 100, batchSize: 256, learningRate: 1e-3, validationFraction: 0.1, patience: 10, maskRate: 0.1,
    schedule: 'cosine', clipNorm: 10,
    ...o,
  };
}

// rngFor purposes: keep fixed, checkpoints depend on them.
const PURPOSE_SPLIT = 1, PURPOSE_SHUFFLE = 2, PURPOSE_MASK = 3;
const ADAM_BETA1 = 0.9, ADAM_BETA2 = 0.999, ADAM_EPS = 1e-7;
const YIELD_EVERY_MS = 20;
const EVAL_CHUNK = 1024;

/** Encoded inputs and standardised targets of a set of runs. */
interface Prepared {
  n: number;
  inputs: Float32Array;
  yTheta: Float32Array;
  yZ: Float32Array;
  weight: Float32Array;
  labels: Int32Array;
}

function checkData(data: TrainingData, what: string): void {
  const nTimes = data.times.length, nObs = data.observables.length, nParams = data.paramIds.length;
  const bad = (msg: string): never => {
    throw new Error(`trainNetwork: ${what} ${msg}`);
  };
  if (data.x.length !== data.nRuns * nTimes * nObs) bad(`x has ${data.x.length} values, expected nRuns × nTimes × nObs = ${data.nRuns} × ${nTimes} × ${nObs}`);
  if (data.theta.length !== data.nRuns * nParams) bad(`theta has ${data.theta.length} values, expected nRuns × nParams = ${data.nRuns} × ${nParams}`);
  if (data.priors.length !== nParams) bad(`has ${data.priors.length} priors for ${nParams} parameters`);
  if (data.modelLabels.length !== data.nRuns) bad(`modelLabels has ${data.modelLabels.length} entries for ${data.nRuns} runs`);
}

function sameDesign(a: Normalisation, data: TrainingData): boolean {
  return a.nTimes === data.times.length && a.nObs === data.observables.length && a.paramIds.length === data.paramIds.length
    && a.observableIds.every((id, i) => data.observables[i].id === id) && a.paramIds.every((id, i) => data.paramIds[i] === id);
}

function prepare(norm: Normalisation, data: TrainingData, rows: readonly number[], arch: Architecture): Prepared {
  const nParams = data.paramIds.length, n = rows.length;
  const yTheta = new Float32Array(n * nParams), yZ = new Float32Array(n * nParams), weight = new Float32Array(n * nParams);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    labels[i] = data.modelLabels[r];
    for (let p = 0; p < nParams; p++) {
      const th = data.theta[r * nParams + p];
      if (!Number.isFinite(th)) {
        if (arch.head === 'density') {
          throw new Error(`trainNetwork: the density head needs every run to have every parameter; run ${r} lacks '${data.paramIds[p]}' (train one density network per model, or use the mean head)`);
        }
        continue;
      }
      yTheta[i * nParams + p] = (th - norm.thetaMean[p]) / norm.thetaSd[p];
      yZ[i * nParams + p] = (toUnconstrained(norm.targetTransforms[p], th) - norm.zMean[p]) / norm.zSd[p];
      weight[i * nParams + p] = 1;
    }
  }
  return { n, inputs: encodeInputs(norm, data.x, rows), yTheta, yZ, weight, labels };
}

/** Seeded Fisher–Yates permutation of 0..n−1. */
function permutation(n: number, rng: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** Copies the rows `idx` of a prepared set into batch arrays, masking observed cells with probability maskRate. */
function gatherBatch(set: Prepared, idx: ArrayLike<number>, arch: Architecture, maskRate: number, rng: Rng | null): Prepared {
  const n = idx.length, nParams = arch.nParams;
  const cellsIn = arch.nTimes * 2 * arch.nObs, nObs = arch.nObs;
  const out: Prepared = {
    n, inputs: new Float32Array(n * cellsIn), yTheta: new Float32Array(n * nParams), yZ: new Float32Array(n * nParams),
    weight: new Float32Array(n * nParams), labels: new Int32Array(n),
  };
  for (let i = 0; i < n; i++) {
    const r = idx[i];
    out.inputs.set(set.inputs.subarray(r * cellsIn, (r + 1) * cellsIn), i * cellsIn);
    out.yTheta.set(set.yTheta.subarray(r * nParams, (r + 1) * nParams), i * nParams);
    out.yZ.set(set.yZ.subarray(r * nParams, (r + 1) * nParams), i * nParams);
    out.weight.set(set.weight.subarray(r * nParams, (r + 1) * nParams), i * nParams);
    out.labels[i] = set.labels[r];
    if (rng && maskRate > 0) {
      for (let t = 0; t < arch.nTimes; t++) {
        const at = i * cellsIn + t * 2 * nObs;
        for (let o = 0; o < nObs; o++) {
          if (out.inputs[at + nObs + o] === 1 && rng.next() < maskRate) {
            out.inputs[at + o] = 0;
            out.inputs[at + nObs + o] = 0;
          }
        }
      }
    }
  }
  return out;
}

/** The head's loss on one batch (inside a tidy or a gradient). */
function batchLoss(params: NetParams, b: Prepared): tf.Scalar {
  const a = params.arch;
  const input = tf.tensor3d(b.inputs, [b.n, a.nTimes, 2 * a.nObs]);
  const out = headOutputs(params, encode(params, input));
  switch (a.head) {
    case 'mean':
      return meanHeadLoss(out, tf.tensor2d(b.yTheta, [b.n, a.nParams]), tf.tensor2d(b.yZ, [b.n, a.nParams]), tf.tensor2d(b.weight, [b.n, a.nParams]));
    case 'density':
      return densityHeadLoss(out, tf.tensor2d(b.yZ, [b.n, a.nParams]), a.components);
    case 'classifier':
      return classifierLoss(out, tf.oneHot(tf.tensor1d(b.labels, 'int32'), a.nModels).toFloat() as tf.Tensor2D);
  }
}

/** Mean loss over a prepared set without masking (validation). */
function evaluate(params: NetParams, set: Prepared): number {
  if (set.n === 0) return NaN;
  let total = 0;
  for (let s = 0; s < set.n; s += EVAL_CHUNK) {
    const idx = Array.from({ length: Math.min(EVAL_CHUNK, set.n - s) }, (_, i) => s + i);
    const batch = gatherBatch(set, idx, params.arch, 0, null);
    const l = tf.tidy(() => batchLoss(params, batch));
    total += l.dataSync()[0] * idx.length;
    l.dispose();
  }
  return total / set.n;
}

interface Adam {
  m: tf.Variable[];
  v: tf.Variable[];
  step: number;
}

/** One Adam step with global-norm clipping; returns the batch loss. */
function trainStep(params: NetParams, adam: Adam, batch: Prepared, lr: number, clipNorm: number): number {
  adam.step++;
  const t = adam.step;
  const loss = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => batchLoss(params, batch), params.vars);
    let gs = params.vars.map((v) => grads[v.name]);
    if (clipNorm > 0) {
      const norm = tf.sqrt(tf.addN(gs.map((g) => tf.sum(tf.square(g)))));
      const scale = tf.div(clipNorm, tf.maximum(norm, clipNorm));
      gs = gs.map((g) => tf.mul(g, scale));
    }
    const stepSize = (lr * Math.sqrt(1 - ADAM_BETA2 ** t)) / (1 - ADAM_BETA1 ** t);
    params.vars.forEach((variable, i) => {
      const g = gs[i];
      const m = tf.add(tf.mul(adam.m[i], ADAM_BETA1), tf.mul(g, 1 - ADAM_BETA1));
      const v = tf.add(tf.mul(adam.v[i], ADAM_BETA2), tf.mul(tf.square(g), 1 - ADAM_BETA2));
      adam.m[i].assign(m);
      adam.v[i].assign(v);
      variable.assign(tf.sub(variable, tf.mul(stepSize, tf.div(m, tf.add(tf.sqrt(v), ADAM_EPS)))));
    });
    return value;
  });
  const value = loss.dataSync()[0];
  loss.dispose();
  return value;
}

function readVars(names: string[], vars: tf.Variable[]): { name: string; shape: number[]; data: Float32Array }[] {
  return vars.map((v, i) => ({ name: names[i], shape: [...v.shape], data: Float32Array.from(v.dataSync() as Float32Array) }));
}

function learningRateFor(o: ResolvedTrainOptions, epochIndex: number, plateauLr: number): number {
  if (o.schedule === 'plateau') return plateauLr;
  const min = 0.01 * o.learningRate;
  return min + (o.learningRate - min) * 0.5 * (1 + Math.cos((Math.PI * epochIndex) / Math.max(1, o.epochs)));
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Trains a network on `data` (or on fresh simulations per epoch with hooks.onlineBatch) and returns
 * it with the best validation weights. Rejects with TrainingCancelled when hooks.signal aborts.
 */
export async function trainNetwork(data: TrainingData, options: TrainOptions, hooks: TrainHooks = {}): Promise<NetworkArtifact> {
  const o = resolveTrainOptions(options);
  checkData(data, 'data');
  if (!Number.isSafeInteger(o.seed) || o.seed < 0) throw new Error(`trainNetwork: seed must be an integer ≥ 0, got ${o.seed}`);
  if (!(o.batchSize >= 1)) throw new Error(`trainNetwork: batchSize must be ≥ 1, got ${o.batchSize}`);
  if (!(o.maskRate >= 0 && o.maskRate < 1)) throw new Error(`trainNetwork: maskRate must be in [0, 1), got ${o.maskRate}`);
  if (o.head !== 'classifier' && data.paramIds.length === 0) throw new Error(`trainNetwork: the ${o.head} head needs at least one unknown parameter`);
  if (o.head === 'classifier' && data.modelNames.length < 2) throw new Error('trainNetwork: the classifier head needs at least two models');
  const backend: BackendName = await currentBackend();
  const nTimes = data.times.length, nObs = data.observables.length;

  // Split the usable runs once, by seed: the same validation runs whatever happens later.
  const usable = usableRuns(data.x, data.nRuns, nTimes * nObs);
  if (usable.length < 2) throw new Error(`trainNetwork: need at least 2 runs with data, got ${usable.length} of ${data.nRuns}`);
  const order = permutation(usable.length, rngFor(o.seed, PURPOSE_SPLIT));
  const nVal = Math.min(usable.length - 1, Math.max(1, Math.round(o.validationFraction * usable.length)));
  const valRows = Array.from(order.subarray(0, nVal), (i) => usable[i]).sort((a, b) => a - b);
  const trainRows = Array.from(order.subarray(nVal), (i) => usable[i]).sort((a, b) => a - b);

  const resume = hooks.resumeFrom;
  const arch: Architecture = resume
    ? (resume.architecture as Architecture)
    : makeArchitecture({
      encoder: o.encoder, head: o.head, nTimes, nObs, nParams: data.paramIds.length, nModels: data.modelNames.length,
      width: o.width, depth: o.depth, channels: o.channels, components: o.components,
    });
  const norm: Normalisation = resume ? (resume.normalisation as Normalisation) : computeNormalisation(data, trainRows, arch.encoder === 'mlp');
  if (resume && !sameDesign(norm, data)) throw new Error('trainNetwork: resumeFrom was trained for another design (times, observables or parameters differ)');

  const valSet = prepare(norm, data, valRows, arch);
  const offlineTrain = hooks.onlineBatch ? null : prepare(norm, data, trainRows, arch);

  const state: TrainingState | undefined = resume?.training;
  const params = createParams(arch, state ? state.currentWeights : initialWeights(arch, o.seed));
  const zeros = (v: tf.Variable): tf.Variable => tf.tidy(() => tf.variable(tf.zerosLike(v), false));
  const adam: Adam = {
    m: state ? createParams(arch, state.adamM).vars : params.vars.map(zeros),
    v: state ? createParams(arch, state.adamV).vars : params.vars.map(zeros),
    step: state?.step ?? 0,
  };
  for (const v of [...adam.m, ...adam.v]) v.trainable = false;

  const history: EpochRecord[] = resume ? [...resume.history] : [];
  let bestValLoss = state?.bestValLoss ?? Infinity;
  let bestEpoch = state?.bestEpoch ?? 0;
  let epochsSinceBest = state?.epochsSinceBest ?? 0;
  let plateauLr = state?.learningRate ?? o.learningRate;
  let bestWeights = resume ? resume.weights : readWeights(params);
  const startEpoch = state?.epoch ?? 0;
  const progressEvery = hooks.progressIntervalMs ?? 100;
  const started = performance.now();
  let lastYield = started, lastProgress = -Infinity, batchesDone = 0;
  let lastVal: number | null = history.length ? history[history.length - 1].valLoss : null;

  const artifactOf = (weights: NetworkArtifact['weights']): NetworkArtifact => ({
    head: arch.head, encoder: arch.encoder, architecture: arch, normalisation: norm, weights, history: [...history],
    backend, paramIds: [...data.paramIds], modelNames: [...data.modelNames], seed: o.seed,
  });
  const disposeAll = (): void => {
    disposeParams(params);
    for (const v of [...adam.m, ...adam.v]) v.dispose();
  };

  try {
    for (let e = startEpoch; e < o.epochs && epochsSinceBest < o.patience; e++) {
      const epoch = e + 1;
      const epochStart = performance.now();
      const lr = learningRateFor(o, e, plateauLr);
      let trainSet = offlineTrain;
      if (!trainSet) {
        const fresh = await (hooks.onlineBatch as (epoch: number) => TrainingData | Promise<TrainingData>)(epoch);
        checkData(fresh, `onlineBatch(${epoch})`);
        if (!sameDesign(norm, fresh)) throw new Error(`trainNetwork: onlineBatch(${epoch}) returned data for another design`);
        trainSet = prepare(norm, fresh, usableRuns(fresh.x, fresh.nRuns, nTimes * nObs), arch);
      }
      if (trainSet.n === 0) throw new Error(`trainNetwork: no training runs in epoch ${epoch}`);
      const shuffle = permutation(trainSet.n, rngFor(o.seed, PURPOSE_SHUFFLE, e));
      const maskRng = rngFor(o.seed, PURPOSE_MASK, e);
      const batches = Math.ceil(trainSet.n / o.batchSize);
      const totalBatches = batches * (o.epochs - startEpoch);
      let lossSum = 0, lossCount = 0;
      for (let bi = 0; bi < batches; bi++) {
        if (hooks.signal?.aborted) throw new TrainingCancelled(epoch, bi + 1);
        const idx = shuffle.subarray(bi * o.batchSize, Math.min(trainSet.n, (bi + 1) * o.batchSize));
        const batch = gatherBatch(trainSet, idx, arch, o.maskRate, maskRng);
        const loss = trainStep(params, adam, batch, lr, o.clipNorm);
        if (!Number.isFinite(loss)) {
          throw new Error(`trainNetwork: the loss became ${loss} at epoch ${epoch}, batch ${bi + 1}; try a lower learningRate (now ${lr})`);
        }
        lossSum += loss * idx.length;
        lossCount += idx.length;
        batchesDone++;
        const now = performance.now();
        if (hooks.onProgress && now - lastProgress >= progressEvery) {
          lastProgress = now;
          const perBatch = (now - started) / 1000 / batchesDone;
          hooks.onProgress({
            epoch, epochs: o.epochs, batch: bi + 1, batches, trainLoss: lossSum / lossCount, valLoss: lastVal,
            etaSeconds: perBatch * Math.max(0, totalBatches - ((e - startEpoch) * batches + bi + 1)),
          });
        }
        if (now - lastYield >= YIELD_EVERY_MS) {
          await yieldToEventLoop();
          lastYield = performance.now();
        }
      }
      if (hooks.signal?.aborted) throw new TrainingCancelled(epoch, batches);
      const valLoss = evaluate(params, valSet);
      lastVal = valLoss;
      if (valLoss < bestValLoss) {
        bestValLoss = valLoss;
        bestEpoch = epoch;
        epochsSinceBest = 0;
        bestWeights = readWeights(params);
      } else {
        epochsSinceBest++;
        // Reduce-on-plateau halves the rate after a third of the patience without improvement.
        const plateauPatience = Math.max(2, Math.floor(o.patience / 3));
        if (o.schedule === 'plateau' && epochsSinceBest % plateauPatience === 0) plateauLr = Math.max(0.01 * o.learningRate, plateauLr / 2);
      }
      const record: EpochRecord = { epoch, trainLoss: lossSum / lossCount, valLoss, learningRate: lr, seconds: (performance.now() - epochStart) / 1000 };
      history.push(record);
      hooks.onProgress?.({ epoch, epochs: o.epochs, batch: batches, batches, trainLoss: record.trainLoss, valLoss });
      if (hooks.onEpoch) {
        const checkpoint: TrainingCheckpoint = {
          ...artifactOf(bestWeights),
          training: {
            epoch, step: adam.step, currentWeights: readWeights(params),
            adamM: readVars(params.names, adam.m), adamV: readVars(params.names, adam.v),
            bestValLoss, bestEpoch, epochsSinceBest, learningRate: plateauLr, options: { ...options },
          },
        };
        await hooks.onEpoch(record, checkpoint);
      }
      await yieldToEventLoop();
      lastYield = performance.now();
    }
    return artifactOf(bestWeights);
  } finally {
    disposeAll();
  }
}
