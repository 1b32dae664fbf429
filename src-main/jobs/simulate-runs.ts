/**
 * Many simulations of one model: in-process for small work, on a worker-thread pool (piscina) for
 * large work. Run i always draws from rngFor(seed, i, ·), so results are bit-identical whatever the
 * number of workers; they are delivered in run order.
 */
import { availableParallelism } from 'node:os';
import { sharedPool } from './pool.ts';
import type { Model } from '../model/schema.ts';
import type { Method, OdeOptions } from '../simulate/types.ts';
import { runError, runSizes, simulateRunRange } from './simulate-run-range.ts';
import type { RunRangeRequest, RunRangeResult, RunSizes } from './simulate-run-range.ts';
import { makeRingControl, RingReader } from './run-ring.ts';
import type { RingOutcome, RingRequest } from './run-ring.ts';

export interface RunsSpec {
  model: Model;
  times: Float64Array;
  tStart: number;
  method: Method;
  /** Full parameter vector (defaults with overrides); unknown ones are replaced by prior draws when fromPrior. */
  params: Float64Array;
  initialOverrides?: [number, number][];
  ode?: Partial<OdeOptions>;
  runs: number;
  seed: number;
  noise: boolean;
  fromPrior: boolean;
  /** Worker threads; default all cores. 1 runs in-process. */
  workers?: number;
}

/** One run, for onRun. Its arrays are views that are reused once onRun (and its promise) is done: copy what you keep. */
export interface RunResult {
  index: number;
  states: Float64Array;
  observables: Float64Array;
  /** Values of the unknown parameters drawn from the priors (fromPrior only). */
  drawnParams: Float64Array | null;
}

/** Most bytes of results in one chunk (the ring holds 4 chunks per worker, so this bounds memory too). */
const CHUNK_BYTES = 4 * 2 ** 20;

/**
 * Runs per chunk: about 8 chunks per worker, so that the last chunks still balance while the main
 * thread wakes rarely (on 2 cores its time is taken from the workers); at least 16 runs, at most
 * 512 (results are delivered in order, so a chunk also delays its successors) and at most
 * CHUNK_BYTES of results (`bytesPerRun`: states, observables and drawn parameters of one run).
 */
export function runsPerChunk(runs: number, workers: number, bytesPerRun: number): number {
  const byBytes = Math.max(1, Math.floor(CHUNK_BYTES / Math.max(1, bytesPerRun)));
  return Math.min(512, byBytes, Math.max(16, Math.ceil(runs / (workers * 8))));
}

/**
 * Simulate spec.runs runs, calling onRun for each in order of run index. A failed run rejects with
 * its error after every run before it was delivered, whatever the number of workers (a worker
 * thread that dies rejects the call at once instead).
 *
 * With several workers the call keeps its pool's threads (one long task each) until it returns: a
 * second call on the same pool meanwhile waits for the first to finish, so a consumer must not wait
 * for another simulateRuns call of the same worker count.
 */
export async function simulateRuns(spec: RunsSpec, onRun: (run: RunResult) => Promise<void> | void): Promise<void> {
  // One worker per 64 runs at most: starting a worker costs more than a few dozen runs.
  const workers = Math.max(1, Math.min(spec.workers ?? availableParallelism(), Math.ceil(spec.runs / 64)));
  const base: Omit<RunRangeRequest, 'from' | 'to'> = {
    modelJson: JSON.stringify(spec.model), times: spec.times, tStart: spec.tStart, method: spec.method, params: spec.params,
    initialOverrides: spec.initialOverrides ?? [], ode: spec.ode ?? {}, seed: spec.seed, noise: spec.noise, fromPrior: spec.fromPrior,
  };
  // The layout of a run's results; compiling here also compiles for the in-process path (cached).
  let sizes: RunSizes;
  try {
    sizes = runSizes(base);
  } catch (err) {
    throw reviveError(runError(err, 0)); // as simulateRunRange reports a model that does not compile
  }
  const bytesPerRun = 8 * (sizes.stateSize + sizes.observableSize + sizes.drawnSize);
  const chunkRuns = runsPerChunk(spec.runs, workers, bytesPerRun);
  if (workers === 1) {
    for (let from = 0; from < spec.runs; from += chunkRuns) {
      await deliver(simulateRunRange({ ...base, from, to: Math.min(spec.runs, from + chunkRuns) }), onRun);
    }
    return;
  }
  // One long task per worker, handing chunks over through a ring of shared slots (see run-ring.ts).
  // The main thread reads each chunk where a worker wrote it: copying results (~500 MB/s for SIR on
  // 2 workers) would take its time from the workers on 2 cores, and transferring them detaches
  // buffers, after which V8 checks every typed-array access in that worker (bin/typescript-hooks.js).
  const chunks = Math.ceil(spec.runs / chunkRuns);
  const slots = Array.from({ length: Math.min(chunks, workers * 4) }, () => new SharedArrayBuffer(chunkRuns * bytesPerRun));
  const control = makeRingControl(slots.length);
  const ring = new RingReader(control);
  const pool = sharedPool(new URL('./simulate-run-range-worker.ts', import.meta.url), workers);
  const ringRequest: RingRequest = { ...base, runs: spec.runs, runsPerChunk: chunkRuns, sizes, control, slots };
  const tasks = Array.from({ length: workers }, () => pool.run(ringRequest) as Promise<RingOutcome>);
  // A worker that dies (a failed run is an outcome, not this), or all of them ending while a chunk
  // is still unwritten (a bug), must not leave the main thread waiting for ever.
  for (const task of tasks) task.catch((err: unknown) => ring.interrupt(err));
  void Promise.allSettled(tasks).then(() => ring.interrupt(new Error('internal error: the simulation workers ended before every run was written')));
  // Waiting on shared memory does not keep the event loop alive (see RingReader.waitFor).
  const keepAlive = setInterval(() => {}, 60_000);
  try {
    for (let c = 0; c < chunks; c++) {
      const from = c * chunkRuns;
      const result = slotResult(slots[c % slots.length], from, Math.min(spec.runs, from + chunkRuns), sizes);
      if (await ring.waitFor(c)) {
        ring.stop();
        const outcomes = await Promise.allSettled(tasks);
        const failed = outcomes.find((o) => o.status === 'fulfilled' && o.value.failure?.chunk === c) as PromiseFulfilledResult<RingOutcome> | undefined;
        result.error = failed?.value.failure?.error ?? { name: 'Error', message: `internal error: runs ${from + 1}-${result.to} failed without an error`, run: from };
      }
      await deliver(result, onRun);
      // Delivered: the consumer has had the runs (RunResult's arrays are valid during onRun only).
      ring.release(c);
    }
  } finally {
    ring.stop();
    clearInterval(keepAlive);
    // No worker may still write into the slots (or hold the pool) once this returns.
    await Promise.allSettled(tasks);
  }
}

/** Runs [from, to) as a worker wrote them into a slot (simulateRunRange's layout). */
function slotResult(slot: SharedArrayBuffer, from: number, to: number, sizes: RunSizes): RunRangeResult {
  const n = to - from;
  const { stateSize, observableSize, drawnSize } = sizes;
  return {
    from, to, stateSize, observableSize, drawnSize,
    states: new Float64Array(slot, 0, n * stateSize),
    observables: new Float64Array(slot, 8 * n * stateSize, n * observableSize),
    drawn: new Float64Array(slot, 8 * n * (stateSize + observableSize), n * drawnSize),
  };
}

/** Hands runs [from, to) to onRun in order; with an error, only the runs before the failed one, then throws it. */
async function deliver(result: RunRangeResult, onRun: (run: RunResult) => Promise<void> | void): Promise<void> {
  const { from, states, observables, drawn, stateSize, observableSize, drawnSize } = result;
  const to = result.error ? result.error.run : result.to;
  for (let i = 0; i < to - from; i++) {
    const pending = onRun({
      index: from + i,
      states: states.subarray(i * stateSize, (i + 1) * stateSize),
      observables: observables.subarray(i * observableSize, (i + 1) * observableSize),
      drawnParams: drawnSize > 0 ? drawn.subarray(i * drawnSize, (i + 1) * drawnSize) : null,
    });
    // Await only a callback that returned a promise: a microtask turn per run is not free.
    if (pending !== undefined) await pending;
  }
  if (result.error) throw reviveError(result.error);
}

/** Errors cross the thread boundary as data; give them back their name so the CLI reports them as user errors. */
function reviveError(e: { name: string; message: string }): Error {
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}
