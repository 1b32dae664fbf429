/**
 * One chunk of a simulation bank: runs [from, to) of a bank spec, simulated for the design with the
 * noise model applied. Run r's randomness comes only from rngFor(seed, r, ·), so a chunk's content
 * depends on nothing but the spec and its run range: resuming reproduces an uninterrupted bank.
 */
import type { Model } from '../model/schema.ts';
import type { CompiledModel } from '../model/compiled.ts';
import { compileModel } from '../model/compile.ts';
import { prepareSimulation } from '../simulate/simulate.ts';
import type { PreparedSimulation } from '../simulate/simulate.ts';
import { rngFor } from '../simulate/random/rng.ts';
import { samplePrior } from '../simulate/priors.ts';
import type { Method } from '../simulate/types.ts';
import { STREAM_PRIOR, STREAM_SIMULATION } from './simulate-run-range.ts';

/** Stream for choosing which model (mechanism) a run simulates. */
export const STREAM_MODEL = 2;

export interface BankSpec {
  models: { model: Model; label: string; weight: number }[];
  times: Float64Array;
  tStart: number;
  /** Observable ids of the design, in order; every model has them. */
  observables: string[];
  seed: number;
  noise: boolean;
  method: Method;
  /** Columns of the params matrix: the union of the models' unknown parameter ids (NaN where a model lacks one). */
  paramIds: string[];
}

export interface BankChunkResult {
  nRuns: number;
  /** nRuns × paramIds.length */
  params: Float64Array;
  /** nRuns × times.length × observables.length; NaN for failed runs. */
  observations: Float32Array;
  /** Index into spec.models per run. */
  modelLabels: Int32Array;
  nFailed: number;
  /** First failure message, to tell the user what goes wrong. */
  firstFailure: string | null;
}

let cache: { key: string; compiled: CompiledModel[] } | null = null;

function compiledModels(spec: BankSpec): CompiledModel[] {
  const key = JSON.stringify(spec.models.map((m) => m.model));
  if (cache?.key !== key) cache = { key, compiled: spec.models.map((m) => compileModel(m.model)) };
  return cache.compiled;
}

/** Simulate runs [from, to) of the bank. */
export function simulateBankChunk(spec: BankSpec, from: number, to: number): BankChunkResult {
  const compiled = compiledModels(spec);
  const nRuns = to - from;
  const nT = spec.times.length;
  const nObs = spec.observables.length;
  const nP = spec.paramIds.length;
  const params = new Float64Array(nRuns * nP).fill(NaN);
  const observations = new Float32Array(nRuns * nT * nObs);
  const modelLabels = new Int32Array(nRuns);
  const totalWeight = spec.models.reduce((s, m) => s + m.weight, 0);
  const layouts = compiled.map((c) => ({
    obsIndex: spec.observables.map((id) => c.observableIds.indexOf(id)),
    paramColumn: c.unknownParams.map((pi) => spec.paramIds.indexOf(c.paramIds[pi])),
    priors: c.unknownParams.map((pi) => c.model.parameters[pi].prior!),
  }));
  // Set up once per model for the chunk: the runs then only fill the same buffers.
  const prepared: (PreparedSimulation | null)[] = compiled.map(() => null);
  const p = compiled.map((c) => new Float64Array(c.paramDefaults));
  let nFailed = 0;
  let firstFailure: string | null = null;
  for (let r = from; r < to; r++) {
    const i = r - from;
    let m = 0;
    if (compiled.length > 1) {
      let u = rngFor(spec.seed, r, STREAM_MODEL).next() * totalWeight;
      while (m < compiled.length - 1 && u >= spec.models[m].weight) u -= spec.models[m++].weight;
    }
    modelLabels[i] = m;
    const c = compiled[m];
    const layout = layouts[m];
    const pm = p[m];
    const rng = rngFor(spec.seed, r, STREAM_PRIOR);
    for (let j = 0; j < c.unknownParams.length; j++) {
      const value = samplePrior(layout.priors[j], rng);
      pm[c.unknownParams[j]] = value;
      params[i * nP + layout.paramColumn[j]] = value;
    }
    try {
      const sim = prepared[m] ??= prepareSimulation(c, { times: spec.times, tStart: spec.tStart, method: spec.method, noise: spec.noise, rules: false });
      sim.run(pm, rngFor(spec.seed, r, STREAM_SIMULATION));
      const nModelObs = c.observableIds.length;
      const obs = sim.observables;
      for (let k = 0; k < nT; k++) {
        for (let j = 0; j < nObs; j++) observations[(i * nT + k) * nObs + j] = obs[k * nModelObs + layout.obsIndex[j]];
      }
    } catch (err) {
      nFailed++;
      firstFailure ??= `run ${r + 1} (${spec.models[m].label}): ${err instanceof Error ? err.message : String(err)}`;
      observations.fill(NaN, i * nT * nObs, (i + 1) * nT * nObs);
    }
  }
  return { nRuns, params, observations, modelLabels, nFailed, firstFailure };
}
