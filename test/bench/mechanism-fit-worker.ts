/**
 * Worker-thread entry for the 'mechanism' benchmark (loaded by piscina): the classical baseline on
 * one held-out simulation, exactly as runCompare does it (src-main/jobs/fit/pipeline.ts):
 * `fitAndCompare` of every candidate model by multi-start maximum likelihood, then AIC and BIC.
 */
import { compileModel } from '../../src-main/model/compile.ts';
import type { CompiledModel } from '../../src-main/model/compiled.ts';
import type { Model } from '../../src-main/model/schema.ts';
import { fitAndCompare } from '../../src-main/analyze/ml-fit.ts';

export interface FitTask {
  models: Model[];
  times: Float64Array;
  observables: string[];
  values: Float64Array;
  seed: number;
  tStart: number;
  starts: number;
  restarts: number;
}

export interface FitTaskResult {
  bestByAic: number;
  bestByBic: number;
  /** Likelihood evaluations (one ODE solve each) over all models and starts. */
  evaluations: number;
  /** Models whose best start did not converge. */
  notConverged: number;
  /** CPU seconds of this worker thread for the task. */
  cpuSeconds: number;
}

let cache: { key: string; compiled: CompiledModel[] } | null = null;

export default function run(task: FitTask): FitTaskResult {
  const key = JSON.stringify(task.models);
  if (cache?.key !== key) cache = { key, compiled: task.models.map((m) => compileModel(m)) };
  const u0 = process.threadCpuUsage();
  const { fits, comparison } = fitAndCompare(cache.compiled, { times: task.times, observables: task.observables, values: task.values }, {
    seed: task.seed, tStart: task.tStart, starts: task.starts, restarts: task.restarts,
  });
  const u = process.threadCpuUsage(u0);
  return {
    bestByAic: comparison.bestByAic,
    bestByBic: comparison.bestByBic,
    evaluations: fits.reduce((s, f) => s + f.evaluations, 0),
    notConverged: fits.filter((f) => !f.converged).length,
    cpuSeconds: (u.user + u.system) / 1e6,
  };
}
