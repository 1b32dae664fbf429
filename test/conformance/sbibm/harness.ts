/**
 * sbibm reference tasks `sir` and `lotka_volterra` (../shared/validation/sbibm, Lueckmann et al.
 * 2021) run through our engine: a bank of prior simulations built by the bank-chunk workers, a
 * density-head network trained on it, the posterior of each of the 10 reference observations, and
 * its comparison with the reference posterior samples (10 000 per observation).
 *
 * Used by test/conformance/sbibm.test.ts (accuracy checks) and test/bench/sbibm.ts (C2ST).
 * The reference samples ship bzip2-compressed; Node has no bzip2, so they are read through the
 * `bzip2` command (present on Debian/Ubuntu images).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import type { Model } from '../../../src-main/model/schema.ts';
import { parseModelJson } from '../../../src-main/model/validate.ts';
import type { BankChunkResult, BankSpec } from '../../../src-main/jobs/bank-chunk.ts';
import { simulateBankChunk } from '../../../src-main/jobs/bank-chunk.ts';
import { sharedPool } from '../../../src-main/jobs/pool.ts';
import type { NetworkArtifact, TrainingData, TrainOptions } from '../../../src-main/learn/types.ts';
import type { TrainTask } from '../../../src-main/jobs/train-task.ts';
import { runTrainTask } from '../../../src-main/jobs/train-task.ts';
import { initBackend } from '../../../src-main/learn/backend.ts';
import { disposeNetwork, loadNetwork, posterior } from '../../../src-main/learn/infer.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
export const SBIBM_DIR = path.resolve(repoRoot, '../shared/validation/sbibm');
const BANK_WORKER = new URL('../../../src-main/jobs/bank-chunk-worker.ts', import.meta.url);
const TRAIN_WORKER = new URL('../../../src-main/jobs/train-worker.ts', import.meta.url);

export type TaskName = 'sir' | 'lotka_volterra';
export const TASKS: TaskName[] = ['sir', 'lotka_volterra'];

export interface Task {
  name: TaskName;
  model: Model;
  /** Observation times of sbibm's 'subsample' summary. */
  times: Float64Array;
  observables: string[];
  /** Parameter order of the reference files. */
  paramIds: string[];
}

/** True when the reference material and the `bzip2` command are there (otherwise the tests skip). */
export function referencesAvailable(): boolean {
  if (!existsSync(path.join(SBIBM_DIR, 'sir', 'num_observation_1', 'reference_posterior_samples.csv.bz2'))) return false;
  try {
    execFileSync('bzip2', ['--help'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function loadTask(name: TaskName): Task {
  const file = path.join(here, name === 'sir' ? 'sir.json' : 'lotka-volterra.json');
  const { model, problems } = parseModelJson(readFileSync(file, 'utf8'));
  if (!model) throw new Error(`${file}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  if (name === 'sir') {
    // sbibm: solve on 0..160 with saveat 1, keep every 17th point: t = 0, 17, ..., 153.
    return { name, model, times: Float64Array.from({ length: 10 }, (_, k) => 17 * k), observables: ['infected'], paramIds: ['beta', 'gamma'] };
  }
  // saveat 0.1 on 0..20 (201 points), every 21st: t = 0, 2.1, ..., 18.9 (written as k·21/10 so 2.1·3 is exact-ish the same).
  return { name, model, times: Float64Array.from({ length: 10 }, (_, k) => (21 * k) / 10), observables: ['prey', 'predator'], paramIds: ['alpha', 'beta', 'gamma', 'delta'] };
}

function readCsvRows(text: string): number[][] {
  return text.trim().split(/\r?\n/).slice(1).map((l) => l.split(',').map(Number));
}

export interface Reference {
  k: number;
  /** nTimes × nObs in our layout (time-major). */
  x: Float32Array;
  truth: number[];
  /** 10 000 × nParams, row-major. */
  samples: Float64Array;
  nSamples: number;
}

/** Observation k (1..10) of a task: data in our layout, true parameters, reference posterior samples. */
export function loadReference(task: Task, k: number): Reference {
  const dir = path.join(SBIBM_DIR, task.name, `num_observation_${k}`);
  const obs = readCsvRows(readFileSync(path.join(dir, 'observation.csv'), 'utf8'))[0];
  const nT = task.times.length, nObs = task.observables.length;
  if (obs.length !== nT * nObs) throw new Error(`${dir}: ${obs.length} observed values, expected ${nT * nObs}`);
  // sbibm's vector is observable-major ([x(t0..t9), y(t0..t9)]); ours is time-major.
  const x = new Float32Array(nT * nObs);
  for (let t = 0; t < nT; t++) for (let o = 0; o < nObs; o++) x[t * nObs + o] = obs[o * nT + t];
  const truth = readCsvRows(readFileSync(path.join(dir, 'true_parameters.csv'), 'utf8'))[0];
  const text = execFileSync('bzip2', ['-dc', path.join(dir, 'reference_posterior_samples.csv.bz2')], { maxBuffer: 64 << 20 }).toString('utf8');
  const rows = readCsvRows(text);
  const p = task.paramIds.length;
  const samples = new Float64Array(rows.length * p);
  rows.forEach((r, i) => { for (let j = 0; j < p; j++) samples[i * p + j] = r[j]; });
  return { k, x, truth, samples, nSamples: rows.length };
}

export function loadReferences(task: Task): Reference[] {
  return Array.from({ length: 10 }, (_, i) => loadReference(task, i + 1));
}

export function bankSpec(task: Task, seed: number): BankSpec {
  return {
    models: [{ model: task.model, label: task.model.name, weight: 1 }],
    times: task.times, tStart: 0, observables: task.observables, seed, noise: true, method: 'auto', paramIds: task.paramIds,
  };
}

export interface Bank {
  data: TrainingData;
  nFailed: number;
  firstFailure: string | null;
  seconds: number;
}

/** n prior simulations of the task (runs [offset, offset + n) of the seed's bank), on `workers` threads. */
export async function simulateBank(task: Task, n: number, seed: number, workers = availableParallelism(), chunk = 1000): Promise<Bank> {
  const t0 = performance.now();
  const spec = bankSpec(task, seed);
  const ranges: [number, number][] = [];
  for (let from = 0; from < n; from += chunk) ranges.push([from, Math.min(n, from + chunk)]);
  let results: BankChunkResult[];
  if (workers <= 1) results = ranges.map(([a, b]) => simulateBankChunk(spec, a, b));
  else {
    const pool = sharedPool(BANK_WORKER, workers);
    results = await Promise.all(ranges.map(([from, to]) => pool.run({ spec, from, to }) as Promise<BankChunkResult>));
  }
  const nT = task.times.length, nObs = task.observables.length, nP = task.paramIds.length;
  const x = new Float32Array(n * nT * nObs);
  const theta = new Float64Array(n * nP);
  let nFailed = 0, firstFailure: string | null = null;
  results.forEach((r, i) => {
    const from = ranges[i][0];
    x.set(r.observations, from * nT * nObs);
    theta.set(r.params, from * nP);
    nFailed += r.nFailed;
    firstFailure ??= r.firstFailure;
  });
  const priors = task.paramIds.map((id) => task.model.parameters.find((q) => q.id === id)!.prior!);
  const data: TrainingData = {
    nRuns: n, times: task.times,
    observables: task.observables.map((id) => ({ id, noise: task.model.observables.find((o) => o.id === id)!.noise!.dist })),
    x, paramIds: [...task.paramIds], priors, theta, modelLabels: new Int32Array(n), modelNames: [task.model.name], modelPrior: [1],
  };
  return { data, nFailed, firstFailure, seconds: (performance.now() - t0) / 1000 };
}

/** The training options of these checks (density head = mixture of Gaussians over log θ). */
export function trainOptions(overrides: Partial<TrainOptions> = {}): TrainOptions {
  return { head: 'density', encoder: 'mlp', seed: 1, epochs: 60, patience: 15, width: 128, depth: 2, components: 5, batchSize: 128, learningRate: 1e-3, maskRate: 0, ...overrides };
}

/**
 * Trains several networks at once: the first in this thread, the others in train workers (one
 * network per thread: tfjs-wasm is single-threaded), so two tasks use both cores of CI.
 */
export async function trainMany(tasks: TrainTask[], workers = availableParallelism()): Promise<{ artifacts: NetworkArtifact[]; seconds: number[] }> {
  const seconds: number[] = [];
  const timed = async (i: number, run: () => Promise<NetworkArtifact>): Promise<NetworkArtifact> => {
    const t = performance.now();
    const a = await run();
    seconds[i] = (performance.now() - t) / 1000;
    return a;
  };
  const extra = Math.max(0, Math.min(workers - 1, tasks.length - 1));
  const pool = extra > 0 ? sharedPool(TRAIN_WORKER, extra) : null;
  const promises = tasks.map((task, i) => {
    if (i === 0 || !pool) return null;
    const p = timed(i, () => pool.run(task) as Promise<NetworkArtifact>);
    p.catch(() => {});
    return p;
  });
  const artifacts: NetworkArtifact[] = [];
  artifacts[0] = await timed(0, () => runTrainTask(tasks[0]));
  for (let i = 1; i < tasks.length; i++) artifacts[i] = pool ? await promises[i]! : await timed(i, () => runTrainTask(tasks[i]));
  return { artifacts, seconds };
}

/** Posterior draws for every reference observation: per observation nSamples × nParams. */
export async function posteriorSamples(artifact: NetworkArtifact, refs: Reference[], nSamples: number, seed = 7): Promise<Float64Array[]> {
  await initBackend('auto');
  const net = loadNetwork(artifact);
  try {
    const cells = refs[0].x.length;
    const x = new Float32Array(refs.length * cells);
    refs.forEach((r, i) => x.set(r.x, i * cells));
    return posterior(net, x, { nSamples, seed }).samples;
  } finally {
    disposeNetwork(net);
  }
}

export interface ParamComparison {
  id: string;
  truth: number;
  refMean: number;
  refSd: number;
  mean: number;
  sd: number;
  lo: number;
  hi: number;
  /** |mean − refMean| / refSd. */
  zMean: number;
  sdRatio: number;
  coversRefMean: boolean;
  coversTruth: boolean;
}

function column(samples: Float64Array, p: number, j: number): Float64Array {
  const n = samples.length / p;
  return Float64Array.from({ length: n }, (_, i) => samples[i * p + j]);
}

function meanSd(v: Float64Array): { mean: number; sd: number } {
  let s = 0;
  for (const x of v) s += x;
  const mean = s / v.length;
  let ss = 0;
  for (const x of v) ss += (x - mean) ** 2;
  return { mean, sd: Math.sqrt(ss / Math.max(1, v.length - 1)) };
}

function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q, lo = Math.floor(h), hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Our posterior (samples) against the reference, per parameter: standardised mean error, sd ratio, 95% coverage. */
export function compare(task: Task, ref: Reference, ours: Float64Array): ParamComparison[] {
  const p = task.paramIds.length;
  return task.paramIds.map((id, j) => {
    const r = meanSd(column(ref.samples, p, j));
    const col = column(ours, p, j);
    const o = meanSd(col);
    const sorted = col.slice().sort();
    const lo = quantile(sorted, 0.025), hi = quantile(sorted, 0.975);
    return {
      id, truth: ref.truth[j], refMean: r.mean, refSd: r.sd, mean: o.mean, sd: o.sd, lo, hi,
      zMean: Math.abs(o.mean - r.mean) / r.sd, sdRatio: o.sd / r.sd,
      coversRefMean: lo <= r.mean && r.mean <= hi, coversTruth: lo <= ref.truth[j] && ref.truth[j] <= hi,
    };
  });
}

const g = (x: number): string => x.toPrecision(4);

/** A table of ours vs the reference, one row per observation and parameter. */
export function formatTable(task: Task, comparisons: ParamComparison[][]): string {
  const head = ['obs', 'param', 'true', 'ref mean', 'ref sd', 'our mean', 'our sd', 'our 95% interval', '|Δmean|/ref sd', 'sd ratio'];
  const rows = comparisons.flatMap((cs, i) => cs.map((c) => [
    String(i + 1), c.id, g(c.truth), g(c.refMean), g(c.refSd), g(c.mean), g(c.sd), `[${g(c.lo)}, ${g(c.hi)}]${c.coversTruth ? '' : ' (misses true)'}`,
    c.zMean.toFixed(2), c.sdRatio.toFixed(2),
  ]));
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (r: string[]): string => r.map((c, j) => c.padEnd(widths[j])).join('  ');
  return [`${task.name}:`, line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Per parameter: the largest and median standardised mean error, sd ratio range, coverage counts. */
export function summarise(task: Task, comparisons: ParamComparison[][]): string {
  return task.paramIds.map((id, j) => {
    const z = comparisons.map((cs) => cs[j].zMean).sort((a, b) => a - b);
    const r = comparisons.map((cs) => cs[j].sdRatio).sort((a, b) => a - b);
    const truth = comparisons.filter((cs) => cs[j].coversTruth).length;
    const refm = comparisons.filter((cs) => cs[j].coversRefMean).length;
    return `${task.name} ${id}: |Δmean|/ref sd median ${z[Math.floor(z.length / 2)].toFixed(2)}, max ${z[z.length - 1].toFixed(2)}; sd ratio ${r[0].toFixed(2)}–${r[r.length - 1].toFixed(2)}; 95% interval covers the reference mean ${refm}/10, the true value ${truth}/10`;
  }).join('\n');
}

const C2ST_WORKER = new URL('./c2st-worker.ts', import.meta.url);

/** Every `step`-th row of the first n·step rows: a deterministic subsample of n rows. */
export function subsampleRows(samples: Float64Array, dim: number, n: number): Float64Array {
  const total = samples.length / dim;
  if (n >= total) return samples.slice();
  const out = new Float64Array(n * dim);
  const step = total / n;
  for (let i = 0; i < n; i++) out.set(samples.subarray(Math.floor(i * step) * dim, (Math.floor(i * step) + 1) * dim), i * dim);
  return out;
}

export interface C2stRun { accuracy: number; epochs: number[]; seconds: number }

/**
 * C2ST (src-main/analyze/c2st.ts, the sbibm recipe) of our samples vs the reference for each
 * observation, `n` samples per side, on a pool of `workers` threads.
 */
export async function c2stAll(task: Task, refs: Reference[], ours: Float64Array[], n: number, options: Record<string, number>, workers = availableParallelism()): Promise<C2stRun[]> {
  const dim = task.paramIds.length;
  const pool = sharedPool(C2ST_WORKER, workers);
  return Promise.all(refs.map((r, i) => pool.run({ x: subsampleRows(r.samples, dim, n), y: subsampleRows(ours[i], dim, n), dim, options: { seed: r.k, ...options } }) as Promise<C2stRun>));
}
