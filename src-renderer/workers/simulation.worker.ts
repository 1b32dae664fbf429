/**
 * The Explore screen's simulator: compiles the model and simulates it in this worker, so sliders
 * re-simulate instantly without the engine. Only the pure model/ and simulate/ code runs here.
 */
import { compileModel } from '../../src-main/model/compile.ts';
import type { CompiledModel } from '../../src-main/model/compiled.ts';
import type { Model } from '../../src-main/model/schema.ts';
import { simulate } from '../../src-main/simulate/simulate.ts';
import { samplePrior } from '../../src-main/simulate/priors.ts';
import { rngFor } from '../../src-main/simulate/random/rng.ts';
import type { Band, SeriesSet, WorkerRequest, WorkerResponse } from './protocol.ts';

let cache: { json: string; compiled: CompiledModel } | null = null;

function compiled(model: Model): CompiledModel {
  const json = JSON.stringify(model);
  if (cache?.json !== json) cache = { json, compiled: compileModel(model) };
  return cache.compiled;
}

/** States then observables, as series. */
function series(c: CompiledModel, times: Float64Array, states: Float64Array, observables: Float64Array): SeriesSet {
  const nT = times.length;
  const ns = c.stateIds.length;
  const no = c.observableIds.length;
  const values: number[][] = [];
  for (let i = 0; i < ns; i++) values.push(Array.from({ length: nT }, (_, k) => states[k * ns + i]));
  for (let j = 0; j < no; j++) values.push(Array.from({ length: nT }, (_, k) => observables[k * no + j]));
  return { times: Array.from(times), ids: [...c.stateIds, ...c.observableIds.map((o) => `obs:${o}`)], values };
}

function paramVector(c: CompiledModel, params: Record<string, number>): Float64Array {
  const p = Float64Array.from(c.paramDefaults);
  for (const [id, v] of Object.entries(params)) {
    const i = c.paramIds.indexOf(id);
    if (i >= 0 && Number.isFinite(v)) p[i] = v;
  }
  return p;
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

function handle(req: WorkerRequest): WorkerResponse {
  const t0 = performance.now();
  const c = compiled(req.model);
  const times = Float64Array.from(req.times);
  const tStart = Math.min(0, times[0]);
  if (req.type === 'run') {
    const params = paramVector(c, req.params);
    const det = simulate(c, { times, tStart, params, method: 'auto' });
    const stochastic: SeriesSet[] = [];
    if (req.stochastic && !c.hasOdes) {
      for (let r = 0; r < req.replicates; r++) {
        try {
          const s = simulate(c, { times, tStart, params, method: 'ssa', noise: false, rng: rngFor(req.seed, r) });
          stochastic.push(series(c, times, s.states, s.observables));
        } catch {
          // A stochastic run that fails (e.g. non-integer counts) is skipped; the deterministic one stands.
        }
      }
    }
    return { type: 'run', id: req.id, deterministic: series(c, times, det.states, det.observables), stochastic, ms: performance.now() - t0 };
  }
  // Prior predictive: n parameter sets from the priors, noisy observations, pointwise quantiles.
  const nT = times.length;
  const ids = [...c.stateIds, ...c.observableIds.map((o) => `obs:${o}`)];
  const runs: SeriesSet[] = [];
  let nFailed = 0;
  for (let r = 0; r < req.n; r++) {
    const rng = rngFor(req.seed, r);
    const p = Float64Array.from(c.paramDefaults);
    for (const i of c.unknownParams) p[i] = samplePrior(req.model.parameters[i].prior!, rng);
    try {
      const s = simulate(c, { times, tStart, params: p, noise: true, rng });
      runs.push(series(c, times, s.states, s.observables));
    } catch {
      nFailed++;
    }
  }
  const q: Band['q'] = ids.map((_, i) => {
    const out = { q05: [] as number[], q25: [] as number[], q50: [] as number[], q75: [] as number[], q95: [] as number[] };
    for (let k = 0; k < nT; k++) {
      const col = Float64Array.from(runs.map((s) => s.values[i][k]).filter(Number.isFinite)).sort();
      out.q05.push(quantile(col, 0.05));
      out.q25.push(quantile(col, 0.25));
      out.q50.push(quantile(col, 0.5));
      out.q75.push(quantile(col, 0.75));
      out.q95.push(quantile(col, 0.95));
    }
    return out;
  });
  return { type: 'band', id: req.id, band: { times: req.times, ids, q, nOk: runs.length, nFailed }, ms: performance.now() - t0 };
}

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
  let response: WorkerResponse;
  try {
    response = handle(e.data);
  } catch (err) {
    response = { type: 'error', id: e.data.id, message: err instanceof Error ? err.message : String(err) };
  }
  self.postMessage(response);
};
