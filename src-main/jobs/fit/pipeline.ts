/**
 * The headless main job (`sgnn fit`, `sgnn compare`, the app's Train → Check → Apply): bank → train
 * → check on held-out simulations → estimate for the real data → mismatch and attribution → report.
 * Every step goes through the project store, so a fit with --project leaves its bank, network and
 * estimates there.
 */
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { MessageChannel } from 'node:worker_threads';
import type { Model } from '../../model/schema.ts';
import { compileModel } from '../../model/compile.ts';
import type { CompiledModel } from '../../model/compiled.ts';
import { parseExpr } from '../../model/expr/parse.ts';
import { freeNames } from '../../model/expr/names.ts';
import type { Dataset } from '../../interop/dataset-csv.ts';
import { createProject, openProject } from '../../store/project.ts';
import type { Project } from '../../store/project.ts';
import { simulate } from '../../simulate/simulate.ts';
import { rngFor } from '../../simulate/random/rng.ts';
import { priorSd } from '../../simulate/priors.ts';
import { initBackend, describeBackend, backendInfo } from '../../learn/backend.ts';
import { loadNetwork, disposeNetwork, posterior, posteriorMean, embed, saliency, modelProbabilities } from '../../learn/infer.ts';
import type { LoadedNetwork } from '../../learn/infer.ts';
import type { EncoderKind, HeadKind, NetworkArtifact, PosteriorSummary, TrainingData, TrainOptions, TrainProgress } from '../../learn/types.ts';
import { checkRecovery, fitScalingCurve, centralIntervals } from '../../analyze/metrics.ts';
import type { Verdict } from '../../analyze/metrics.ts';
import { checkMismatch } from '../../analyze/mismatch.ts';
import { nearestRuns, rankBySaliency } from '../../analyze/attribution.ts';
import { fitAndCompare } from '../../analyze/ml-fit.ts';
import { confusionMatrix, chooseByProbability, compareSelectors } from '../../analyze/confusion.ts';
import type { DatasetResult, FitReport, ParameterCheckJson, PredictiveBand } from '../../report/fit-report.ts';
import { AppError } from '../../contract/errors.ts';
import { appVersion } from '../../store/app-version.ts';
import { runBankJob } from '../bank-job.ts';
import type { BankSpec } from '../bank-chunk.ts';
import type { JobContext } from '../scheduler.ts';
import { readTrainingData, withoutFailedRuns } from '../training-data.ts';
import { sharedPool } from '../pool.ts';
import { runTrainTask } from '../train-task.ts';
import { trainNetwork } from '../../learn/train.ts';
import { simulateBankChunk } from '../bank-chunk.ts';
import { alignDatasets } from './align.ts';
import { storeNetwork } from '../network-store.ts';

export interface FitRequest {
  /** One model for a fit; two or more for a mechanism comparison. */
  models: Model[];
  datasets: Dataset[];
  /** Training simulations (default 10 000 for a fit, 6 000 per model for a comparison). */
  sims?: number;
  /** Held-out simulations for the checks (default min(1000, sims/5)). */
  heldOut?: number;
  head?: Exclude<HeadKind, 'classifier'>;
  encoder?: EncoderKind;
  seed: number;
  tStart?: number;
  epochs?: number;
  /** Train extra networks on 1/8, 1/4, 1/2 of the simulations for the scaling curve (default true). */
  scaling?: boolean;
  /** Keep the bank, network and estimates in this project (otherwise a temporary one is used). */
  projectPath?: string;
  workers?: number;
  /** Held-out runs refitted by maximum likelihood for the AIC/BIC confusion matrix (compare; default 60). */
  mlHeldOut?: number;
  /**
   * Online training: every epoch trains on `sims` fresh simulations (runs numbered after the stored
   * bank, same seed) instead of re-using the bank; the bank still supplies normalisation and validation.
   */
  online?: boolean;
  /** With projectPath: the stored models and datasets these are (so they are reused, not added again). */
  modelIds?: number[];
  datasetIds?: number[];
}

export interface FitHooks {
  /** Step progress: bank, train, checks, estimate, compare. */
  progress?(step: string, current: number, total: number, message?: string): void;
  onTrain?(p: TrainProgress): void;
  signal?: AbortSignal;
}

const POSTERIOR_SAMPLES = 1000;
/**
 * Likelihood evaluations during maximum-likelihood fits: the optimiser wanders into parameter
 * regions where the ODE needs millions of steps; cap them so such points fail fast (−∞) instead of
 * stalling the fit. Tolerances match what the optimiser can resolve.
 */
const ML_ODE = { rtol: 1e-7, atol: 1e-9, maxSteps: 20_000 };
/** Wall-clock budget for refitting held-out simulations by maximum likelihood (compare). */
const ML_HELD_OUT_SECONDS = 60;
const CHECK_SAMPLES = 200;
const PREDICTIVE_DRAWS = 200;

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AppError('cancelled', 'the fit was cancelled');
}

/** Quantile of a sorted array (linear interpolation). */
function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function summarise(values: number[]): PosteriorSummary {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const sd = Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, s.length - 1));
  return { mean, sd, q025: quantile(s, 0.025), q50: quantile(s, 0.5), q975: quantile(s, 0.975) };
}

/** Rules that depend on parameters only (e.g. R0 = beta / gamma): derived quantities with a posterior. */
function parameterOnlyRules(model: Model): string[] {
  const params = new Set(model.parameters.map((p) => p.id));
  const ok = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const r of model.rules) {
      if (ok.has(r.id)) continue;
      if ([...freeNames(parseExpr(r.expr))].every((n) => params.has(n) || ok.has(n))) {
        ok.add(r.id);
        changed = true;
      }
    }
  }
  return model.rules.map((r) => r.id).filter((id) => ok.has(id));
}

/** A minimal JobContext for running the bank step inside a larger job. */
function stepContext(project: Project, hooks: FitHooks, step: string): JobContext {
  const signal = hooks.signal ?? new AbortController().signal;
  return {
    jobId: 0,
    project,
    signal,
    progress: (p) => hooks.progress?.(step, p.current, p.total, p.message),
    throwIfCancelled: () => throwIfAborted(signal),
  };
}

interface Prepared {
  project: Project;
  temporary: string | null;
  compiled: CompiledModel[];
  labels: string[];
  paramIds: string[];
  bankId: number;
  train: TrainingData;
  held: TrainingData;
  aligned: ReturnType<typeof alignDatasets>;
  tStart: number;
  timings: Record<string, number>;
  /** How the bank was simulated, so fresh runs (online training) come from the same generator. */
  spec: BankSpec;
  /** Runs in the stored bank; fresh runs are numbered after them, so they never repeat a stored one. */
  nStored: number;
}

/** Steps shared by fit and compare: align data, store models and design, simulate the bank, read it back. */
async function prepare(req: FitRequest, sims: number, heldOut: number, hooks: FitHooks): Promise<Prepared> {
  const timings: Record<string, number> = {};
  const aligned = alignDatasets(req.datasets, req.models);
  const tStart = req.tStart ?? 0;
  if (tStart > aligned.times[0]) throw new AppError('invalid-input', `--t0 (${tStart}) is after the first observation time (${aligned.times[0]})`);
  const compiled = req.models.map((m) => compileModel(m));
  for (const [i, c] of compiled.entries()) {
    if (c.unknownParams.length === 0) throw new AppError('invalid-input', `model "${req.models[i].name}" has no unknown parameter (no parameter has a prior): there is nothing to estimate`);
  }
  const temporary = req.projectPath ? null : mkdtempSync(join(tmpdir(), 'sgnn-fit-'));
  const path = req.projectPath ?? join(temporary!, 'fit.sgnn');
  let project: Project;
  try {
    project = openProject(path);
  } catch (err) {
    if ((err as { code?: string }).code !== 'not-found') throw err;
    project = createProject(path, { name: req.models.map((m) => m.name).join(' vs ') });
  }
  try {
    return await prepareIn(project, temporary, req, sims, heldOut, hooks, { aligned, tStart, compiled, timings });
  } catch (err) {
    // Nothing of a failed or cancelled preparation may stay open or on disk.
    project.close();
    if (temporary) rmSync(temporary, { recursive: true, force: true });
    throw err;
  }
}

async function prepareIn(
  project: Project, temporary: string | null, req: FitRequest, sims: number, heldOut: number, hooks: FitHooks,
  { aligned, tStart, compiled, timings }: { aligned: ReturnType<typeof alignDatasets>; tStart: number; compiled: CompiledModel[]; timings: Record<string, number> },
): Promise<Prepared> {
  const labels = req.models.map((m, i) => (req.models.filter((o) => o.name === m.name).length > 1 ? `${m.name} (${i + 1})` : m.name));
  // Models already in the project are saved as (identical, hence not duplicated) versions of themselves.
  const saved = req.models.map((m, i) => project.models.save(m, req.modelIds?.[i] === undefined ? { name: m.name } : { modelId: req.modelIds[i] }));
  const designId = project.designs.add({ name: `fit design (${aligned.times.length} times)`, times: aligned.times, observables: aligned.observables, datasetId: null });
  const paramIds: string[] = [];
  for (const c of compiled) for (const pi of c.unknownParams) if (!paramIds.includes(c.paramIds[pi])) paramIds.push(c.paramIds[pi]);
  const n = sims + heldOut;
  const spec: BankSpec = {
    models: req.models.map((model, i) => ({ model, label: labels[i], weight: 1 })),
    times: aligned.times, tStart, observables: aligned.observables, seed: req.seed, noise: true, method: 'auto', paramIds,
  };
  const bankId = project.banks.create({
    name: `${labels.join(' + ')} × ${n}`, designId,
    models: saved.map((s, i) => ({ modelId: s.modelId, version: s.version, label: labels[i], weight: 1 })),
    seed: req.seed, nTotal: n, chunkSize: Math.min(n, 2000), noise: true,
    spec: { tStart, method: 'auto', observables: aligned.observables, paramIds }, paramNames: paramIds,
  });
  let t = performance.now();
  const bank = await runBankJob(stepContext(project, hooks, 'bank'), project, bankId, spec, req.workers);
  if (bank.nFailed > n / 10) throw new AppError('simulation-failed', `${bank.nFailed} of ${n} simulations failed; first: ${bank.firstFailure}`);
  timings.bank = (performance.now() - t) / 1000;
  t = performance.now();
  const weights = req.models.map(() => 1);
  const train = readTrainingData(project, bankId, req.models, aligned.times, aligned.observables, paramIds, weights, 0, sims);
  const held = withoutFailedRuns(readTrainingData(project, bankId, req.models, aligned.times, aligned.observables, paramIds, weights, sims, n)).data;
  train.modelNames = labels;
  held.modelNames = labels;
  timings.read = (performance.now() - t) / 1000;
  return { project, temporary, compiled, labels, paramIds, bankId, train, held, aligned, tStart, timings, spec, nStored: n };
}

/** Fresh simulations [from, to) of a bank spec as TrainingData, simulated on the shared worker pool. */
export async function freshTrainingData(spec: BankSpec, template: TrainingData, from: number, to: number, workers?: number): Promise<TrainingData> {
  const n = to - from;
  const per = template.x.length / template.nRuns;
  const nP = template.paramIds.length;
  const x = new Float32Array(n * per);
  const theta = new Float64Array(n * nP);
  const modelLabels = new Int32Array(n);
  const chunk = 1000;
  const threads = Math.max(1, workers ?? availableParallelism());
  const pool = threads > 1 ? sharedPool(new URL('../bank-chunk-worker.ts', import.meta.url), threads) : null;
  const tasks: Promise<void>[] = [];
  for (let a = from; a < to; a += chunk) {
    const b = Math.min(to, a + chunk);
    const place = (r: { params: Float64Array; observations: Float32Array; modelLabels: Int32Array }): void => {
      x.set(r.observations, (a - from) * per);
      theta.set(r.params, (a - from) * nP);
      modelLabels.set(r.modelLabels, a - from);
    };
    if (pool) tasks.push((pool.run({ spec, from: a, to: b }) as Promise<Parameters<typeof place>[0]>).then(place));
    else place(simulateBankChunk(spec, a, b));
  }
  await Promise.all(tasks);
  return { ...template, nRuns: n, x, theta, modelLabels };
}

/** The first nRuns runs of a training set (for the scaling curve). */
function subset(data: TrainingData, nRuns: number): TrainingData {
  const per = data.x.length / data.nRuns;
  const nP = data.paramIds.length;
  return { ...data, nRuns, x: data.x.slice(0, nRuns * per), theta: data.theta.slice(0, nRuns * nP), modelLabels: data.modelLabels.slice(0, nRuns) };
}

/**
 * Train the main network here (progress to hooks) and, for the scaling curve, smaller ones on the
 * other cores in worker threads at the same time.
 */
export async function trainAll(data: TrainingData, options: TrainOptions, scaling: boolean, hooks: FitHooks, workers?: number, onlineBatch?: (epoch: number) => Promise<TrainingData>): Promise<{ main: NetworkArtifact; scaled: { nTrain: number; artifact: NetworkArtifact }[]; seconds: number }> {
  const t = performance.now();
  const fractions = scaling ? [8, 4, 2] : [];
  const sizes = fractions.map((f) => Math.floor(data.nRuns / f)).filter((n) => n >= 200);
  const threads = Math.max(1, Math.min(workers ?? availableParallelism(), sizes.length + 1));
  const extra = sizes.map((nTrain) => {
    if (threads === 1) return { nTrain, run: () => runTrainTask({ data: subset(data, nTrain), options, signal: hooks.signal }) };
    const pool = sharedPool(new URL('../train-worker.ts', import.meta.url), Math.max(1, threads - 1));
    return { nTrain, run: () => pool.run({ data: subset(data, nTrain), options }, { signal: hooks.signal }) as Promise<NetworkArtifact> };
  });
  // Main network in this thread (its progress drives the UI's loss curves).
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (p: TrainProgress) => {
    hooks.onTrain?.(p);
    hooks.progress?.('train', p.epoch, p.epochs, `epoch ${p.epoch}/${p.epochs}, loss ${p.trainLoss.toFixed(3)}${p.valLoss === null ? '' : `, validation ${p.valLoss.toFixed(3)}`}`);
  });
  port1.unref();
  const scaledPromise = threads > 1 ? Promise.all(extra.map(async (e) => ({ nTrain: e.nTrain, artifact: await e.run() }))) : null;
  scaledPromise?.catch(() => {});
  const main = onlineBatch
    ? await (async () => {
      // Online training needs a data source in this thread, so it runs here rather than in a task.
      await initBackend('auto');
      port2.close();
      return trainNetwork(data, options, {
        onlineBatch, signal: hooks.signal,
        onProgress: (p) => {
          hooks.onTrain?.(p);
          hooks.progress?.('train', p.epoch, p.epochs, `epoch ${p.epoch}/${p.epochs} (fresh simulations), loss ${p.trainLoss.toFixed(3)}`);
        },
      });
    })()
    : await runTrainTask({ data, options, port: port2, signal: hooks.signal });
  port1.close();
  let scaled: { nTrain: number; artifact: NetworkArtifact }[];
  if (scaledPromise) scaled = await scaledPromise;
  else {
    scaled = [];
    for (const e of extra) {
      throwIfAborted(hooks.signal);
      scaled.push({ nTrain: e.nTrain, artifact: await e.run() });
    }
  }
  return { main, scaled, seconds: (performance.now() - t) / 1000 };
}

/**
 * Held-out runs with the real data's gaps: run r gets the missing cells of dataset r mod nD, so the
 * mismatch test and nearest-run attribution compare like with like (a gappy dataset against
 * complete simulations would differ by its missingness alone).
 */
function withDataGaps(heldX: Float32Array, nHeld: number, realX: Float32Array, nD: number): Float32Array {
  const per = realX.length / nD;
  const out = new Float32Array(heldX);
  for (let r = 0; r < nHeld; r++) {
    const d = r % nD;
    for (let i = 0; i < per; i++) if (Number.isNaN(realX[d * per + i])) out[r * per + i] = NaN;
  }
  return out;
}

function rows(x: Float32Array, n: number): Float32Array[] {
  const d = x.length / n;
  return Array.from({ length: n }, (_, i) => x.subarray(i * d, (i + 1) * d));
}

/** Posterior-predictive bands: simulate the model with noise at posterior draws. */
function predictiveBands(c: CompiledModel, samples: Float64Array, paramIds: string[], times: Float64Array, observables: string[], tStart: number, seed: number): Record<string, PredictiveBand> {
  const nP = paramIds.length;
  const nS = samples.length / nP;
  const draws = Math.min(PREDICTIVE_DRAWS, nS);
  const columns = observables.map((o) => c.observableIds.indexOf(o));
  const paramIndex = paramIds.map((id) => c.paramIds.indexOf(id));
  const series: number[][][] = observables.map(() => times.length ? Array.from(times, () => []) : []);
  const p = Float64Array.from(c.paramDefaults);
  for (let s = 0; s < draws; s++) {
    const row = Math.floor((s * nS) / draws);
    paramIndex.forEach((pi, j) => { if (pi >= 0) p[pi] = samples[row * nP + j]; });
    try {
      const r = simulate(c, { times, tStart, params: p, noise: true, rng: rngFor(seed, s, 7) });
      const nObsModel = c.observableIds.length;
      columns.forEach((col, j) => { for (let k = 0; k < times.length; k++) series[j][k].push(r.observables[k * nObsModel + col]); });
    } catch {
      // A draw the simulator cannot run is left out of the band.
    }
  }
  const bands: Record<string, PredictiveBand> = {};
  observables.forEach((o, j) => {
    const sorted = series[j].map((v) => v.filter(Number.isFinite).sort((a, b) => a - b));
    bands[o] = {
      times: Array.from(times),
      q025: sorted.map((v) => quantile(v, 0.025)), q25: sorted.map((v) => quantile(v, 0.25)), q50: sorted.map((v) => quantile(v, 0.5)),
      q75: sorted.map((v) => quantile(v, 0.75)), q975: sorted.map((v) => quantile(v, 0.975)),
    };
  });
  return bands;
}

function observedOf(aligned: ReturnType<typeof alignDatasets>, d: number): DatasetResult['observed'] {
  const nT = aligned.times.length;
  const nObs = aligned.observables.length;
  const values: Record<string, (number | null)[]> = {};
  aligned.observables.forEach((o, j) => {
    values[o] = Array.from({ length: nT }, (_, k) => {
      const v = aligned.values[d][k * nObs + j];
      return Number.isNaN(v) ? null : v;
    });
  });
  return { times: Array.from(aligned.times), values };
}

export function checksToJson(checks: ReturnType<typeof checkRecovery>): ParameterCheckJson[] {
  // Typed arrays would serialise as {"0": …} objects in job results and JSON output.
  return checks.map((c) => ({ ...c, sbc: c.sbc ? { ...c.sbc, histogram: Array.from(c.sbc.histogram), expected: Array.from(c.sbc.expected), ranks: Array.from(c.sbc.ranks) } : null }));
}

function sortVerdicts(v: Verdict[]): Verdict[] {
  const rank = { problem: 0, warning: 1, ok: 2 } as const;
  return [...v].sort((a, b) => rank[a.severity] - rank[b.severity]);
}

/** Defaults that finish in about a minute on two cores for a small model. */
function trainOptions(req: FitRequest, head: HeadKind, sims: number): TrainOptions {
  const epochs = req.epochs ?? 40;
  // Smaller batches train narrow posteriors better on small banks (measured on sbibm LV at 10^4:
  // validation loss -3.92 at batch 128 vs -3.53 at 256); patience scales with the epoch budget.
  return { head, encoder: req.encoder ?? 'auto', seed: req.seed, epochs, patience: Math.max(8, Math.round(epochs / 4)), batchSize: sims <= 20_000 ? 128 : 256, width: 128, components: 3 };
}

/** Recovery, calibration, coverage and the scaling curve of a density/mean network on held-out runs. */
export function heldOutChecks(net: LoadedNetwork, held: TrainingData, priors: TrainingData['priors'], scaled: { nTrain: number; artifact: NetworkArtifact }[], nTrain: number, seed: number): Pick<FitReport['checks'], 'recovery' | 'scaling'> & { parameterChecks: ReturnType<typeof checkRecovery> } {
  const paramIds = held.paramIds;
  const heldPost = posterior(net, held.x, { nSamples: CHECK_SAMPLES, seed: seed + 1 });
  const nP = paramIds.length;
  const nHeld = held.nRuns;
  const means = new Float64Array(nHeld * nP);
  const sds = new Float64Array(nHeld * nP);
  const samples = new Float64Array(nHeld * CHECK_SAMPLES * nP);
  heldPost.summaries.forEach((s, r) => paramIds.forEach((id, j) => { means[r * nP + j] = s[id].mean; sds[r * nP + j] = s[id].sd; }));
  heldPost.samples.forEach((s, r) => samples.set(s, r * CHECK_SAMPLES * nP));
  const parameterChecks = checkRecovery({
    paramIds, truth: held.theta, mean: means, sd: sds, priorSd: priors.map((p) => priorSd(p)),
    samples: { nSamples: CHECK_SAMPLES, values: samples }, seed,
  });
  const recovery = paramIds.map((id, j) => {
    const { lower, upper } = centralIntervals(samples, CHECK_SAMPLES, nP, j, 0.95);
    const m = Math.min(300, nHeld);
    return {
      paramId: id,
      truth: Array.from({ length: m }, (_, r) => held.theta[r * nP + j]),
      mean: Array.from({ length: m }, (_, r) => means[r * nP + j]),
      lower: Array.from(lower.subarray(0, m)), upper: Array.from(upper.subarray(0, m)),
    };
  });
  const nrmseOf = (m: Float64Array): number => {
    let total = 0;
    paramIds.forEach((_, j) => {
      let se = 0;
      for (let r = 0; r < nHeld; r++) se += (m[r * nP + j] - held.theta[r * nP + j]) ** 2;
      total += Math.sqrt(se / nHeld) / priorSd(priors[j]);
    });
    return total / nP;
  };
  const points = scaled.map(({ nTrain: n, artifact }) => {
    const small = loadNetwork(artifact);
    try {
      return { nTrain: n, error: nrmseOf(posteriorMean(small, held.x)) };
    } finally {
      disposeNetwork(small);
    }
  });
  points.push({ nTrain, error: nrmseOf(posteriorMean(net, held.x)) });
  const scaling = points.length >= 3 ? { points, fit: fitScalingCurve(points), metric: 'mean NRMSE (RMSE / prior sd) on held-out simulations' } : null;
  return { parameterChecks, recovery, scaling };
}

/** Posterior summaries, samples, derived quantities, predictive bands, mismatch and attribution for real datasets. */
export function estimateDatasets(
  net: LoadedNetwork, c: CompiledModel, model: Model, datasets: readonly Dataset[], aligned: ReturnType<typeof alignDatasets>,
  held: TrainingData, firstHeldRun: number, tStart: number, seed: number, hooks: FitHooks = {},
): { datasets: DatasetResult[]; mismatch: ReturnType<typeof checkMismatch> } {
  const paramIds = held.paramIds;
  const nP = paramIds.length;
  const nD = datasets.length;
  const nHeld = held.nRuns;
  if (nHeld < 20) throw new AppError('invalid-input', `only ${nHeld} usable held-out simulations: the mismatch test and attribution need at least 20 (use more simulations or --held-out)`);
  hooks.progress?.('estimate', 0, nD, 'posterior for each dataset');
  const realPost = posterior(net, aligned.x, { nSamples: POSTERIOR_SAMPLES, seed: seed + 2 });
  const derivedIds = parameterOnlyRules(model);
  const ruleIndex = derivedIds.map((id) => c.ruleIds.indexOf(id));
  const realEmbed = embed(net, aligned.x);
  const heldEmbed = embed(net, withDataGaps(held.x, nHeld, aligned.x, nD));
  const mismatch = checkMismatch(rows(realEmbed, nD), rows(heldEmbed, nHeld), { mmd: { seed }, atypicality: { seed } });
  const heldRows = rows(heldEmbed, nHeld);
  const results = datasets.map((d, di): DatasetResult => {
    const s = realPost.samples[di];
    const nS = s.length / nP;
    const samplesById: Record<string, number[]> = {};
    paramIds.forEach((id, j) => { samplesById[id] = Array.from({ length: nS }, (_, i) => s[i * nP + j]); });
    // Derived quantities: the rules over parameters only, evaluated at every posterior draw.
    const derived: Record<string, PosteriorSummary> = {};
    if (derivedIds.length) {
      const p = Float64Array.from(c.paramDefaults);
      const y = new Float64Array(c.stateIds.length);
      const out = new Float64Array(c.ruleIds.length);
      const values = derivedIds.map(() => [] as number[]);
      for (let i = 0; i < nS; i++) {
        paramIds.forEach((id, j) => { p[c.paramIds.indexOf(id)] = s[i * nP + j]; });
        c.rules(tStart, y, p, out);
        ruleIndex.forEach((ri, k) => values[k].push(out[ri]));
      }
      derivedIds.forEach((id, k) => { derived[id] = summarise(values[k]); samplesById[id] = values[k]; });
    }
    const xOne = aligned.x.subarray(di * (aligned.x.length / nD), (di + 1) * (aligned.x.length / nD));
    const salient: Record<string, ReturnType<typeof rankBySaliency>> = {};
    paramIds.forEach((id, j) => { salient[id] = rankBySaliency(saliency(net, xOne, j), aligned.times, aligned.observables, 5); });
    const nearest = nearestRuns(rows(realEmbed, nD)[di], heldRows, 5).map((nb) => ({
      run: (held.runs ? held.runs[nb.index] : firstHeldRun + nb.index) + 1, distance: nb.distance, model: model.name,
      params: Object.fromEntries(paramIds.map((id, j) => [id, held.theta[nb.index * nP + j]])),
    }));
    hooks.progress?.('estimate', di + 1, nD);
    const m = mismatch.datasets[di];
    return {
      id: d.id,
      observed: observedOf(aligned, di),
      estimates: { ...realPost.summaries[di], ...derived },
      derived,
      samples: samplesById,
      predictive: predictiveBands(c, s, paramIds, aligned.times, aligned.observables, tStart, seed + di),
      mismatch: m ? { distance: m.distance, percentile: m.percentile, pValue: m.pValue, verdict: m.verdict } : null,
      attribution: { nearest, salient },
    };
  });
  return { datasets: results, mismatch };
}

/** `sgnn fit`: estimates with uncertainty for every dataset, with checks, mismatch and attribution. */
export async function runFit(req: FitRequest, hooks: FitHooks = {}): Promise<FitReport> {
  if (req.models.length !== 1) throw new AppError('invalid-input', 'a fit takes exactly one model (use compare for several)');
  const started = performance.now();
  const sims = req.sims ?? 10_000;
  const heldOut = req.heldOut ?? Math.min(1000, Math.max(100, Math.floor(sims / 5)));
  const backend = await initBackend('auto');
  const prep = await prepare(req, sims, heldOut, hooks);
  const { project, compiled, train, held, aligned, tStart, timings } = prep;
  const c = compiled[0];
  const model = req.models[0];
  let net: LoadedNetwork | null = null;
  try {
    throwIfAborted(hooks.signal);
    const options = trainOptions(req, req.head ?? 'density', sims);
    const online = req.online ? (epoch: number) => freshTrainingData(prep.spec, train, prep.nStored + (epoch - 1) * sims, prep.nStored + epoch * sims, req.workers) : undefined;
    const trained = await trainAll(train, options, req.scaling ?? true, hooks, req.workers, online);
    timings.train = trained.seconds;
    throwIfAborted(hooks.signal);

    let t = performance.now();
    hooks.progress?.('checks', 0, 2, 'recovery and calibration on held-out simulations');
    net = loadNetwork(trained.main);
    // Online, the main network saw sims fresh runs per epoch: plot it at the budget it really used.
    const mainBudget = req.online ? sims * trained.main.history.length : sims;
    const { parameterChecks, recovery, scaling } = heldOutChecks(net, held, train.priors, trained.scaled, mainBudget, req.seed);
    timings.checks = (performance.now() - t) / 1000;

    t = performance.now();
    const { datasets, mismatch } = estimateDatasets(net, c, model, req.datasets, aligned, held, sims, tStart, req.seed, hooks);
    timings.estimate = (performance.now() - t) / 1000;

    const info = backendInfo();
    const report: FitReport = {
      kind: 'fit',
      title: `${model.name}: fit to ${req.datasets.length === 1 ? req.datasets[0].id : `${req.datasets.length} datasets`}`,
      createdAt: new Date().toISOString(),
      appVersion: appVersion().replace(/^sgnn-studio /, ''),
      backend,
      backendDescription: describeBackend(info),
      models: [{ name: model.name, model }],
      design: { times: Array.from(aligned.times), observables: aligned.observables, tStart },
      settings: { sims, heldOut, head: options.head, encoder: trained.main.encoder, seed: req.seed, epochs: options.epochs ?? 40, width: options.width ?? 128, online: req.online ?? false },
      training: { history: trained.main.history, seconds: trained.seconds, nTrain: req.online ? sims * trained.main.history.length : sims, stoppedEarly: trained.main.history.length < (options.epochs ?? 40) },
      checks: { parameters: checksToJson(parameterChecks), recovery, scaling },
      mismatch,
      datasets,
      timings: { ...timings, total: (performance.now() - started) / 1000 },
      verdicts: sortVerdicts([
        mismatch.verdict,
        ...(scaling ? [scaling.fit.verdict] : []),
        ...parameterChecks.map((pc) => ({ severity: pc.severity, text: `${pc.paramId}: ${pc.summary}` })),
      ]),
    };
    if (req.projectPath) {
      const networkId = storeNetwork(project, trained.main, {
        name: `${model.name} (${options.head}, ${sims} sims)`, bankId: prep.bankId, trainRuns: [0, sims], heldOutRuns: [sims, sims + heldOut],
        checks: { parameters: report.checks.parameters, recovery: report.checks.recovery, scaling },
      });
      project.transaction(() => req.datasets.forEach((d, i) => {
        const datasetId = req.datasetIds?.[i] ?? project.datasets.add({
          name: d.id, times: d.times, observables: d.observables, values: d.values, columns: d.columns,
          source: { fileName: d.source?.fileName ?? null, importedAt: report.createdAt },
        });
        project.estimates.save({ networkId, datasetId, result: report.datasets[i], name: `${model.name} on ${d.id}` });
      }));
    }
    return report;
  } finally {
    if (net) disposeNetwork(net);
    project.close();
    if (prep.temporary) rmSync(prep.temporary, { recursive: true, force: true });
  }
}

/** `sgnn compare`: which mechanism produced the data — SGNN probabilities beside AIC/BIC, with confusion matrices. */
export async function runCompare(req: FitRequest, hooks: FitHooks = {}): Promise<FitReport> {
  if (req.models.length < 2) throw new AppError('invalid-input', 'a comparison needs at least two models');
  const started = performance.now();
  const sims = req.sims ?? 6000 * req.models.length;
  const heldOut = req.heldOut ?? Math.min(1000, Math.max(150, Math.floor(sims / 5)));
  const backend = await initBackend('auto');
  const prep = await prepare(req, sims, heldOut, hooks);
  const { project, compiled, labels, train, held, aligned, tStart, timings } = prep;
  let net: LoadedNetwork | null = null;
  try {
    throwIfAborted(hooks.signal);
    const options = trainOptions(req, 'classifier', sims);
    const trained = await trainAll(train, options, req.scaling ?? true, hooks, req.workers);
    timings.train = trained.seconds;
    throwIfAborted(hooks.signal);
    let t = performance.now();
    const nM = labels.length;
    const prior = labels.map(() => 1 / nM);
    net = loadNetwork(trained.main);
    // Held-out confusion: SGNN on every held-out run, AIC/BIC on the first mlHeldOut (each needs nM fits).
    const heldProbs = modelProbabilities(net, held.x, prior);
    const sgnnChoice = chooseByProbability(heldProbs, nM);
    const sgnnConfusion = confusionMatrix(held.modelLabels, sgnnChoice, labels);
    const maxFits = Math.min(held.nRuns, req.mlHeldOut ?? 60);
    const aicAll = new Int32Array(maxFits);
    const bicAll = new Int32Array(maxFits);
    const per = aligned.times.length * aligned.observables.length;
    const fitStart = performance.now();
    let nFits = 0;
    // Held-out runs in order until the count or the time budget is reached (the count used is reported).
    while (nFits < maxFits && (performance.now() - fitStart) / 1000 < ML_HELD_OUT_SECONDS) {
      throwIfAborted(hooks.signal);
      hooks.progress?.('checks', nFits, maxFits, 'maximum-likelihood fits of held-out simulations');
      const values = Float64Array.from(held.x.subarray(nFits * per, (nFits + 1) * per));
      const { comparison } = fitAndCompare(compiled, { times: aligned.times, observables: aligned.observables, values }, { seed: req.seed + nFits, tStart, starts: 3, restarts: 0, ode: ML_ODE });
      aicAll[nFits] = comparison.bestByAic;
      bicAll[nFits] = comparison.bestByBic;
      nFits++;
    }
    const aicChoice = aicAll.subarray(0, nFits);
    const bicChoice = bicAll.subarray(0, nFits);
    const truthFits = held.modelLabels.subarray(0, nFits);
    const comparison = compareSelectors(truthFits, [
      { name: 'SGNN', chosen: sgnnChoice.subarray(0, nFits) },
      { name: 'AIC', chosen: aicChoice },
      { name: 'BIC', chosen: bicChoice },
    ], labels);
    const errorOf = (a: NetworkArtifact): number => {
      const small = loadNetwork(a);
      try {
        const choice = chooseByProbability(modelProbabilities(small, held.x, prior), nM);
        return 1 - confusionMatrix(held.modelLabels, choice, labels).accuracy;
      } finally {
        disposeNetwork(small);
      }
    };
    const points = trained.scaled.map(({ nTrain, artifact }) => ({ nTrain, error: Math.max(1e-4, errorOf(artifact)) }));
    points.push({ nTrain: sims, error: Math.max(1e-4, 1 - sgnnConfusion.accuracy) });
    const scaling = points.length >= 3 ? { points, fit: fitScalingCurve(points), metric: 'misclassification rate on held-out simulations' } : null;
    timings.checks = (performance.now() - t) / 1000;

    t = performance.now();
    const nD = req.datasets.length;
    const probs = modelProbabilities(net, aligned.x, prior);
    const realEmbed = embed(net, aligned.x);
    const heldEmbed = embed(net, withDataGaps(held.x, held.nRuns, aligned.x, nD));
    const mismatch = checkMismatch(rows(realEmbed, nD), rows(heldEmbed, held.nRuns), { mmd: { seed: req.seed }, atypicality: { seed: req.seed } });
    const heldRows = rows(heldEmbed, held.nRuns);
    const datasets: DatasetResult[] = req.datasets.map((d, di) => {
      hooks.progress?.('estimate', di, nD, `maximum-likelihood fits of dataset ${d.id}`);
      const { fits, comparison: ic } = fitAndCompare(compiled, { times: aligned.times, observables: aligned.observables, values: aligned.values[di] }, { seed: req.seed + 1000 + di, tStart, ode: ML_ODE });
      const probabilities = Object.fromEntries(labels.map((l, m) => [l, probs[di * nM + m]]));
      const best = labels.reduce((a, l) => (probabilities[l] > probabilities[a] ? l : a), labels[0]);
      const xOne = aligned.x.subarray(di * (aligned.x.length / nD), (di + 1) * (aligned.x.length / nD));
      const bestIndex = labels.indexOf(best);
      return {
        id: d.id,
        observed: observedOf(aligned, di),
        estimates: {},
        derived: {},
        samples: {},
        predictive: {},
        mismatch: mismatch.datasets[di] ? { distance: mismatch.datasets[di].distance, percentile: mismatch.datasets[di].percentile, pValue: mismatch.datasets[di].pValue, verdict: mismatch.datasets[di].verdict } : null,
        attribution: {
          nearest: nearestRuns(rows(realEmbed, nD)[di], heldRows, 5).map((nb) => ({
            run: (held.runs ? held.runs[nb.index] : sims + nb.index) + 1, distance: nb.distance, model: labels[held.modelLabels[nb.index]],
            params: Object.fromEntries(prep.paramIds.map((id, j) => [id, held.theta[nb.index * prep.paramIds.length + j]]).filter(([, v]) => Number.isFinite(v as number))),
          })),
          salient: { [`p(${best})`]: rankBySaliency(saliency(net!, xOne, bestIndex), aligned.times, aligned.observables, 5) },
        },
        comparison: {
          sgnn: { probabilities, choice: best },
          aic: { values: Object.fromEntries(labels.map((l, m) => [l, ic.aic[m]])), choice: ic.bestByAic >= 0 ? labels[ic.bestByAic] : '—', weights: Object.fromEntries(labels.map((l, m) => [l, ic.aicWeights[m]])) },
          bic: { values: Object.fromEntries(labels.map((l, m) => [l, ic.bic[m]])), choice: ic.bestByBic >= 0 ? labels[ic.bestByBic] : '—', weights: Object.fromEntries(labels.map((l, m) => [l, ic.bicWeights[m]])) },
          ml: Object.fromEntries(labels.map((l, m) => [l, { theta: Object.fromEntries(fits[m].paramIds.map((id, j) => [id, fits[m].theta[j]])), logLik: fits[m].logLik, converged: fits[m].converged }])),
        },
      };
    });
    timings.estimate = (performance.now() - t) / 1000;
    const sgnnFits = confusionMatrix(truthFits, sgnnChoice.subarray(0, nFits), labels);
    const aicConfusion = confusionMatrix(truthFits, aicChoice, labels);
    const verdicts: Verdict[] = [
      mismatch.verdict,
      ...(scaling ? [scaling.fit.verdict] : []),
      { severity: sgnnConfusion.accuracy > 0.8 ? 'ok' : 'warning', text: `The SGNN picks the right mechanism in ${(100 * sgnnConfusion.accuracy).toFixed(1)}% of ${held.nRuns} held-out simulations; on the ${nFits} also fitted by maximum likelihood: SGNN ${(100 * sgnnFits.accuracy).toFixed(0)}%, AIC ${(100 * aicConfusion.accuracy).toFixed(0)}%` },
    ];
    return {
      kind: 'compare',
      title: `${labels.join(' vs ')}: which mechanism produced ${nD === 1 ? req.datasets[0].id : `${nD} datasets`}?`,
      createdAt: new Date().toISOString(),
      appVersion: appVersion().replace(/^sgnn-studio /, ''),
      backend,
      backendDescription: describeBackend(backendInfo()),
      models: req.models.map((m, i) => ({ name: labels[i], model: m })),
      design: { times: Array.from(aligned.times), observables: aligned.observables, tStart },
      settings: { sims, heldOut, head: 'classifier', encoder: trained.main.encoder, seed: req.seed, epochs: options.epochs ?? 40, width: options.width ?? 128 },
      training: { history: trained.main.history, seconds: trained.seconds, nTrain: sims, stoppedEarly: trained.main.history.length < (options.epochs ?? 40) },
      checks: {
        parameters: [], recovery: [], scaling,
        confusion: { sgnn: sgnnConfusion, aic: aicConfusion, bic: confusionMatrix(truthFits, bicChoice, labels), comparison, nHeldOut: held.nRuns, nWithFits: nFits },
      },
      mismatch,
      datasets,
      timings: { ...timings, total: (performance.now() - started) / 1000 },
      verdicts: sortVerdicts(verdicts),
    };
  } finally {
    if (net) disposeNetwork(net);
    project.close();
    if (prep.temporary) rmSync(prep.temporary, { recursive: true, force: true });
  }
}
