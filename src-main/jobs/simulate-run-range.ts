/** The unit of work of simulateRuns: runs [from, to) of one spec, in whichever thread runs it. */
import type { Model } from '../model/schema.ts';
import type { CompiledModel } from '../model/compiled.ts';
import { compileModel } from '../model/compile.ts';
import { prepareSimulation } from '../simulate/simulate.ts';
import type { PreparedSimulation } from '../simulate/simulate.ts';
import { rngFor } from '../simulate/random/rng.ts';
import { samplePrior } from '../simulate/priors.ts';
import type { Method, OdeOptions } from '../simulate/types.ts';

export interface RunRangeRequest {
  /** The model as JSON text: a string crosses to a worker thread far cheaper than an object tree. */
  modelJson: string;
  times: Float64Array;
  tStart: number;
  method: Method;
  params: Float64Array;
  initialOverrides: [number, number][];
  ode: Partial<OdeOptions>;
  seed: number;
  noise: boolean;
  fromPrior: boolean;
  from: number;
  to: number;
  /**
   * Where to write the results (states, then observables, then drawn parameters, as float64), for a
   * worker thread: the main thread reads them there, with no copy and nothing detached (see
   * run-ring.ts). Without it, or when it is too small, the results get buffers of their own (which
   * the ring reports as an error: the main thread would never see them).
   */
  output?: SharedArrayBuffer;
}

export interface RunRangeResult {
  from: number;
  to: number;
  states: Float64Array;
  observables: Float64Array;
  drawn: Float64Array;
  stateSize: number;
  observableSize: number;
  drawnSize: number;
  /**
   * The first failed run (`run`, an index in [from, to); the runs before it are complete): the error
   * as data, its name kept so the CLI can tell user errors from bugs.
   */
  error?: RunError;
}

export interface RunError { name: string; message: string; run: number }

/** Doubles per run of each result block: states, observables, drawn parameters (in this order). */
export interface RunSizes { stateSize: number; observableSize: number; drawnSize: number }

/** The result layout of every run of `req` (compiles its model, or takes it from the cache). */
export function runSizes(req: Omit<RunRangeRequest, 'from' | 'to'>): RunSizes {
  const c = compiledFor(req.modelJson);
  return {
    stateSize: req.times.length * c.stateIds.length,
    observableSize: req.times.length * c.observableIds.length,
    drawnSize: req.fromPrior ? c.unknownParams.length : 0,
  };
}

/** An error as data (it crosses to the main thread), naming run `r` (0-based) in its message. */
export function runError(err: unknown, r: number): RunError {
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name, message: `run ${r + 1}: ${e.message}`, run: r };
}

/** Stream purposes within a run's randomness: prior draws and simulation (SSA + noise) never share draws. */
export const STREAM_PRIOR = 0;
export const STREAM_SIMULATION = 1;

// A worker receives the model's text with every request: key the cache by it.
let cache: { key: string; compiled: CompiledModel } | null = null;

function compiledFor(modelJson: string): CompiledModel {
  if (cache?.key !== modelJson) cache = { key: modelJson, compiled: compileModel(JSON.parse(modelJson) as Model) };
  return cache.compiled;
}

function copyInto(target: Float64Array, source: Float64Array, offset: number): void {
  for (let q = 0; q < source.length; q++) target[offset + q] = source[q];
}

/** Simulate runs [from, to); never throws: a failure comes back as `error`, naming the run. */
export function simulateRunRange(req: RunRangeRequest): RunRangeResult {
  let c: CompiledModel, stateSize: number, observableSize: number, drawnSize: number;
  try {
    c = compiledFor(req.modelJson);
    ({ stateSize, observableSize, drawnSize } = runSizes(req));
  } catch (err) {
    const none = new Float64Array(0);
    return { from: req.from, to: req.to, states: none, observables: none, drawn: none, stateSize: 0, observableSize: 0, drawnSize: 0, error: runError(err, req.from) };
  }
  const nRuns = req.to - req.from;
  const sizes = [nRuns * stateSize, nRuns * observableSize, nRuns * drawnSize];
  const shared = req.output !== undefined && 8 * (sizes[0] + sizes[1] + sizes[2]) <= req.output.byteLength ? req.output : null;
  const states = shared ? new Float64Array(shared, 0, sizes[0]) : new Float64Array(sizes[0]);
  const observables = shared ? new Float64Array(shared, 8 * sizes[0], sizes[1]) : new Float64Array(sizes[1]);
  const drawn = shared ? new Float64Array(shared, 8 * (sizes[0] + sizes[1]), sizes[2]) : new Float64Array(sizes[2]);
  const result: RunRangeResult = { from: req.from, to: req.to, states, observables, drawn, stateSize, observableSize, drawnSize };
  const overrides = new Map(req.initialOverrides);
  const params = new Float64Array(req.params);
  const priors = c.unknownParams.map((pi) => c.model.parameters[pi].prior!);
  let sim: PreparedSimulation | null = null;
  for (let r = req.from; r < req.to; r++) {
    const i = r - req.from;
    try {
      if (req.fromPrior) {
        const rng = rngFor(req.seed, r, STREAM_PRIOR);
        for (let j = 0; j < drawnSize; j++) {
          const value = samplePrior(priors[j], rng);
          params[c.unknownParams[j]] = value;
          drawn[i * drawnSize + j] = value;
        }
      }
      // Set up once, inside the try: a bad setup (times, method) is reported like a failed run.
      sim ??= prepareSimulation(c, { times: req.times, tStart: req.tStart, method: req.method, ode: req.ode, noise: req.noise, rules: false });
      sim.run(params, rngFor(req.seed, r, STREAM_SIMULATION), overrides);
      // Loops, not TypedArray.prototype.set: into shared memory, set copies element by element.
      copyInto(states, sim.states, i * stateSize);
      copyInto(observables, sim.observables, i * observableSize);
    } catch (err) {
      result.error = runError(err, r);
      return result;
    }
  }
  return result;
}
