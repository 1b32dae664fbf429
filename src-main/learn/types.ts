/**
 * Shared types of the SGNN pipeline (learn/ trains and applies networks; analyze/ checks them).
 * Arrays are row-major typed arrays; x uses NaN for a missing observation.
 */
import type { Prior, NoiseDist } from '../model/schema.ts';

/** Simulations ready for training, as read from a bank (or generated online). */
export interface TrainingData {
  nRuns: number;
  /** Observation times of the design. */
  times: Float64Array;
  observables: { id: string; noise: NoiseDist | null }[];
  /** nRuns × nTimes × nObs, NaN = missing (failed runs are all NaN and are skipped). */
  x: Float32Array;
  /** Targets: the unknown parameters, nRuns × paramIds.length (NaN where a run's model lacks one). */
  paramIds: string[];
  /** The prior of each parameter (decides its unconstrained transform: log, logit or none). */
  priors: Prior[];
  theta: Float64Array;
  /** Model (mechanism) of each run, index into modelNames. */
  modelLabels: Int32Array;
  modelNames: string[];
  /** Prior probability of each model (the bank's weights, normalised). */
  modelPrior: number[];
  /** Bank run index (0-based) of each row, when rows are a subset of a bank (e.g. failed runs dropped). */
  runs?: Int32Array;
}

export type HeadKind = 'mean' | 'density' | 'classifier';
export type EncoderKind = 'mlp' | 'tcn' | 'auto';
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

export interface TrainOptions {
  head: HeadKind;
  encoder: EncoderKind;
  /** Hidden width of the encoder/head layers (default 128). */
  width?: number;
  /** Mixture components of the density head (default 3). */
  components?: number;
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Fraction of runs held out for validation/early stopping (default 0.1). */
  validationFraction?: number;
  /** Epochs without validation improvement before stopping (default 10). */
  patience?: number;
  /** Probability of masking each observation during training, so real data with gaps work (default 0.1). */
  maskRate?: number;
  seed: number;
  /** Learning-rate schedule (default 'cosine' from learningRate down to 1% of it over `epochs`). */
  schedule?: 'cosine' | 'plateau';
  /** Hidden layers of the MLP encoder (default 2). */
  depth?: number;
  /** Channels of the temporal-convolution encoder (default 32). */
  channels?: number;
  /** Gradients are rescaled to at most this global L2 norm (default 10; 0 = off). */
  clipNorm?: number;
}

export interface TrainProgress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  trainLoss: number;
  valLoss: number | null;
  etaSeconds?: number;
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  learningRate: number;
  seconds: number;
}

/** Everything needed to rebuild and apply a trained network (stored in the project). */
export interface NetworkArtifact {
  head: HeadKind;
  encoder: Exclude<EncoderKind, 'auto'>;
  architecture: Record<string, unknown>;
  /** Input/target normalisation and transforms, so inference reproduces training exactly. */
  normalisation: Record<string, unknown>;
  weights: { name: string; shape: number[]; data: Float32Array }[];
  history: EpochRecord[];
  backend: BackendName;
  paramIds: string[];
  modelNames: string[];
  seed: number;
}

/** Optimiser and early-stopping state, so an interrupted training resumes exactly where it was. */
export interface TrainingState {
  /** Epochs completed. */
  epoch: number;
  /** Adam steps taken. */
  step: number;
  /** Weights at the end of the last completed epoch (the artifact's `weights` are the best so far). */
  currentWeights: { name: string; shape: number[]; data: Float32Array }[];
  adamM: { name: string; shape: number[]; data: Float32Array }[];
  adamV: { name: string; shape: number[]; data: Float32Array }[];
  bestValLoss: number;
  bestEpoch: number;
  epochsSinceBest: number;
  learningRate: number;
  options: TrainOptions;
}

/** A checkpoint written every epoch: a usable network (best weights so far) plus the state to resume. */
export interface TrainingCheckpoint extends NetworkArtifact {
  training: TrainingState;
}

/** A posterior for one dataset, in the parameters' own (constrained) space. */
export interface PosteriorSummary {
  mean: number;
  sd: number;
  q025: number;
  q50: number;
  q975: number;
}
