/**
 * Many simulations of one model: in-process for small work, on a worker-thread pool (piscina) for
 * large work. Run i always draws from rngFor(seed, i, ·), so results are bit-identical whatever the
 * number of workers; they are delivered in run order.
 */
import { availableParallelism } from 'node:os';
import { sharedPool } from './pool.ts';
import type { Model } from '../model/schema.ts';
import type { Method, OdeOptions } from '../simulate/types.ts';
import { simulateRunRange } from './simulate-run-range.ts';
import type { RunRangeRequest, RunRangeResult } from './simulate-run-range.ts';
import { makeRingControl, RingReader } from './run-ring.ts';
import type { RingOutcome, RingRequest } from './run-ring.ts';
import { compileModel } from '../model/compile.ts';

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

/** Most bytes of results in one task (a window of tasks is in flight, so this bounds memory too). */
const TASK_BYTES = 4 * 2 ** 20;

/**
 * Runs per task sent to a worker: about 8 tasks per worker, so that messaging costs the main
 * thread little (on 2 cores its time is taken from the workers) while the last tasks still balance;
 * at least 16 runs, at most 512 (results arrive in order, so tasks must stay short) and at most
 * TASK_BYTES of results (`bytesPerRun`: states, observables and drawn parameters of one run).
 */
export function runsPerTask(runs: number, workers: number, bytesPerRun: number): number {
  const byBytes = Math.max(1, Math.floor(TASK_BYTES / Math.max(1, bytesPerRun)));
  return Math.min(512, byBytes, Math.max(16, Math.ceil(runs / (workers * 8))));
}

/** Simulate spec.runs runs, calling onRun for each in order of run index. */
export async function simulateRuns(spec: RunsSpec, onRun: (run: RunResult) => Promise<void> | void): Promise<void> {
  // One worker per 64 runs at most: starting a worker costs more than a few dozen runs.
  const workers = Math.max(1, Math.min(spec.workers ?? availableParallelism(), Math.ceil(spec.runs / 64)));
  const m = spec.model;
  // Result doubles per run: every state and observable at every time, and (an upper bound) every prior's draw.
  const bytesPerRun = 8 * (spec.times.length * ((m.species?.length ?? 0) + (m.odes?.length ?? 0) + (m.observables?.length ?? 0)) + m.parameters.length);
  const RUNS_PER_TASK = runsPerTask(spec.runs, workers, bytesPerRun);
  const base: Omit<RunRangeRequest, 'from' | 'to'> = {
    modelJson: JSON.stringify(spec.model), times: spec.times, tStart: spec.tStart, method: spec.method, params: spec.params,
    initialOverrides: spec.initialOverrides ?? [], ode: spec.ode ?? {}, seed: spec.seed, noise: spec.noise, fromPrior: spec.fromPrior,
  };
  if (workers === 1) {
    for (let from = 0; from < spec.runs; from += RUNS_PER_TASK) {
      await deliver(simulateRunRange({ ...base, from, to: Math.min(spec.runs, from + RUNS_PER_TASK) }), onRun);
    }
    return;
  }
  const pool = sharedPool(new URL('./simulate-run-range-worker.ts', import.meta.url), workers);
  // One long task per worker, handing chunks over through shared memory (see run-ring.ts). The
  // main thread reads each chunk where a worker wrote it: copying results (~300 MB/s for SIR on 2
  // workers) took the main thread's time from the workers on 2 cores, and transferring them
  // detaches buffers, after which V8 checks every typed-array access in that worker (see
  // bin/typescript-hooks.js).
  const chunks = Math.ceil(spec.runs / RUNS_PER_TASK);
  const slots = Array.from({ length: Math.min(chunks, workers * 4) }, () => new SharedArrayBuffer(RUNS_PER_TASK * bytesPerRun));
  const control = makeRingControl(slots.length);
  const ring = new RingReader(control);
  const ringRequest: RingRequest = { ...base, runs: spec.runs, runsPerChunk: RUNS_PER_TASK, control, slots };
  const tasks = Array.from({ length: workers }, () => pool.run(ringRequest) as Promise<RingOutcome>);
  // A worker that dies (not a failed run: those come back as outcomes) breaks the ring.
  const died = new Promise<never>((_, reject) => { for (const t of tasks) t.catch(reject); });
  died.catch(() => {}); // raced in waitFor; this only keeps an early exit from leaving it unhandled
  // Waiting on shared memory does not keep the event loop alive (see RingReader.waitFor).
  const keepAlive = setInterval(() => {}, 60_000);
  const sizes = resultSizes(spec);
  try {
    for (let c = 0; c < chunks; c++) {
      const from = c * RUNS_PER_TASK;
      const to = Math.min(spec.runs, from + RUNS_PER_TASK);
      if (await ring.waitFor(c, died)) {
        ring.stop();
        const outcomes = await Promise.all(tasks);
        const failure = outcomes.find((o) => o.failure?.chunk === c)!.failure!;
        throw reviveError(failure.error);
      }
      await deliver(slotResult(slots[c % slots.length], from, to, sizes), onRun);
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

interface ResultSizes { stateSize: number; observableSize: number; drawnSize: number }

/** Doubles per run of each result block, as simulateRunRange lays them out. */
function resultSizes(spec: RunsSpec): ResultSizes {
  const c = compileModel(spec.model);
  return {
    stateSize: spec.times.length * c.stateIds.length,
    observableSize: spec.times.length * c.observableIds.length,
    drawnSize: spec.fromPrior ? c.unknownParams.length : 0,
  };
}

/** Runs [from, to) as a worker wrote them into a slot (simulateRunRange's layout). */
function slotResult(slot: SharedArrayBuffer, from: number, to: number, sizes: ResultSizes): RunRangeResult {
  const n = to - from;
  const { stateSize, observableSize, drawnSize } = sizes;
  return {
    from, to, stateSize, observableSize, drawnSize,
    states: new Float64Array(slot, 0, n * stateSize),
    observables: new Float64Array(slot, 8 * n * stateSize, n * observableSize),
    drawn: new Float64Array(slot, 8 * n * (stateSize + observableSize), n * drawnSize),
  };
}

async function deliver(result: RunRangeResult, onRun: (run: RunResult) => Promise<void> | void): Promise<void> {
  if (result.error) throw reviveError(result.error);
  const { from, to, states, observables, drawn, stateSize, observableSize, drawnSize } = result;
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
}

/** Errors cross the thread boundary as data; give them back their name so the CLI reports them as user errors. */
function reviveError(e: { name: string; message: string }): Error {
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}
