/**
 * The exact observation log-likelihood of a dataset under a deterministic model:
 * log p(data | θ) = Σ over observed points of log p(y | m(t; θ)), with m the noise-free
 * observable from the ODE solution and p the observable's noise model. Noise parameters are
 * expressions of the model (so they may be unknown parameters themselves) and are evaluated with
 * the compiled model's `noise[j].param(t, y, p)` at each time.
 *
 * Failures of the model at θ (the solver gives up, a noise parameter is invalid, a count mean is
 * negative) are not errors here: the likelihood is 0 there (−Infinity), and `failure` says why, so
 * an optimiser can move away. Problems of the inputs (an observable the model lacks, an observed
 * observable without noise) are thrown.
 */
import type { CompiledModel } from '../model/compiled.ts';
import { NoiseError, noiseLogLikelihood } from '../simulate/noise.ts';
import { prepareSimulation } from '../simulate/simulate.ts';
import type { PreparedSimulation } from '../simulate/simulate.ts';
import { SimulationError } from '../simulate/types.ts';
import type { OdeOptions } from '../simulate/types.ts';

/** Observed data: the shape of interop's Dataset (values times × observables row-major, NaN = missing). */
export interface ObservedData {
  times: Float64Array;
  observables: readonly string[];
  values: Float64Array;
}

/** An input that cannot give a likelihood at any θ: names the dataset column and what would be valid. */
export class LikelihoodError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LikelihoodError';
  }
}

export interface LikelihoodOptions {
  /** Start of the simulation (default 0, as for banks); must be ≤ the first data time. */
  tStart: number;
  /** Tighter than the simulator's defaults are not needed; looser ones make the surface noisy for the optimiser. */
  ode?: Partial<OdeOptions>;
}

export interface LikelihoodResult {
  logLik: number;
  /** Number of observed (non-missing) points that entered the sum. */
  nObserved: number;
  /** Why the likelihood is −Infinity, when it is because of the model at θ. */
  failure?: string;
}

/** A prepared evaluator: column mapping and checks done once, then one simulation per θ. */
export interface LikelihoodFunction {
  (theta: ArrayLike<number>): LikelihoodResult;
  /** Ids of the unknown parameters, the layout of θ (compiled.unknownParams order). */
  readonly paramIds: readonly string[];
  readonly nObserved: number;
}

/**
 * The log-likelihood of `data` as a function of the unknown parameters θ (in compiled.unknownParams
 * order; fixed parameters keep their values). Throws LikelihoodError when the data do not fit the
 * model (unknown observable, observed values for an observable without noise).
 *
 * Known limit: an event that changes a parameter used in a noise expression is not seen by the
 * noise (noise parameters are evaluated with θ as given); the simulated means are exact.
 */
export function likelihoodFunction(c: CompiledModel, data: ObservedData, options: Partial<LikelihoodOptions> = {}): LikelihoodFunction {
  const tStart = options.tStart ?? 0;
  const nT = data.times.length, nD = data.observables.length;
  if (data.values.length !== nT * nD) throw new LikelihoodError(`dataset values: expected times × observables = ${nT} × ${nD} = ${nT * nD} numbers, got ${data.values.length}`);
  if (nT === 0) throw new LikelihoodError('the dataset has no time points');
  if (tStart > data.times[0]) throw new LikelihoodError(`tStart (${tStart}) is after the dataset's first time (${data.times[0]})`);
  // Data column j → model observable index; columns that are entirely missing are ignored.
  const columns: { data: number; model: number }[] = [];
  let nObserved = 0;
  for (let j = 0; j < nD; j++) {
    let count = 0;
    for (let k = 0; k < nT; k++) if (!Number.isNaN(data.values[k * nD + j])) count++;
    if (count === 0) continue;
    const id = data.observables[j];
    const m = c.observableIds.indexOf(id);
    if (m < 0) throw new LikelihoodError(`the dataset has observable "${id}", which model "${c.model.name}" lacks (its observables: ${c.observableIds.join(', ') || 'none'})`);
    if (!c.noise[m]) throw new LikelihoodError(`observable "${id}" has data but no noise model in "${c.model.name}", so the data have no likelihood; give it a noise model (e.g. normal with an unknown sd)`);
    columns.push({ data: j, model: m });
    nObserved += count;
  }
  const paramIds = c.unknownParams.map((i) => c.paramIds[i]);
  const nState = c.stateIds.length, nObsModel = c.observableIds.length;
  const row = new Float64Array(nState);
  const scale = new Float64Array(nObsModel);
  // Thousands of evaluations per fit: the simulation is set up once (at the first call, so that a
  // bad setup is reported like any failed simulation) and reruns in its own buffers.
  let prepared: PreparedSimulation | null = null;
  const p = new Float64Array(c.paramDefaults);

  const fn = (theta: ArrayLike<number>): LikelihoodResult => {
    if (theta.length !== c.unknownParams.length) throw new LikelihoodError(`expected ${c.unknownParams.length} unknown parameter values (${paramIds.join(', ')}), got ${theta.length}`);
    for (let i = 0; i < theta.length; i++) p[c.unknownParams[i]] = theta[i];
    try {
      const sim = prepared ??= prepareSimulation(c, { times: data.times, tStart, ode: options.ode, method: 'auto', rules: false });
      sim.run(p);
      // The tolerance for count means just below 0 scales with the observable's size (noise.ts).
      scale.fill(0);
      for (let k = 0; k < nT; k++) for (const col of columns) scale[col.model] = Math.max(scale[col.model], Math.abs(sim.observables[k * nObsModel + col.model]));
      let ll = 0;
      for (let k = 0; k < nT; k++) {
        for (let i = 0; i < nState; i++) row[i] = sim.states[k * nState + i];
        const t = data.times[k];
        for (const col of columns) {
          const y = data.values[k * nD + col.data];
          if (Number.isNaN(y)) continue;
          const noise = c.noise[col.model]!;
          const m = sim.observables[k * nObsModel + col.model];
          ll += noiseLogLikelihood(noise.dist, y, m, noise.param(t, row, p), scale[col.model]);
        }
        // Once impossible, later points cannot help; stop simulating work early.
        if (ll === -Infinity) return { logLik: -Infinity, nObserved, failure: `the data at t = ${t} are impossible under the model at these parameters` };
      }
      if (Number.isNaN(ll)) return { logLik: -Infinity, nObserved, failure: 'the log-likelihood is NaN at these parameters' };
      return { logLik: ll, nObserved };
    } catch (err) {
      if (err instanceof SimulationError || err instanceof NoiseError) return { logLik: -Infinity, nObserved, failure: err.message };
      throw err;
    }
  };
  return Object.assign(fn, { paramIds, nObserved });
}

/** log p(data | θ) for a deterministic model (one-off; use likelihoodFunction to evaluate many θ). */
export function logLikelihood(c: CompiledModel, data: ObservedData, theta: ArrayLike<number>, options: Partial<LikelihoodOptions> = {}): LikelihoodResult {
  return likelihoodFunction(c, data, options)(theta);
}
