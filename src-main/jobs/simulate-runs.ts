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
  const modelJson = JSON.stringify(spec.model);
  const request = (from: number, to: number): RunRangeRequest => ({
    modelJson, times: spec.times, tStart: spec.tStart, method: spec.method, params: spec.params,
    initialOverrides: spec.initialOverrides ?? [], ode: spec.ode ?? {}, seed: spec.seed, noise: spec.noise,
    fromPrior: spec.fromPrior, from, to,
  });
  if (workers === 1) {
    for (let from = 0; from < spec.runs; from += RUNS_PER_TASK) {
      await deliver(simulateRunRange(request(from, Math.min(spec.runs, from + RUNS_PER_TASK))), onRun);
    }
    return;
  }
  const pool = sharedPool(new URL('./simulate-run-range-worker.ts', import.meta.url), workers);
  // Results come back in shared buffers, one per task in flight, reused: the main thread reads
  // them where the worker wrote them. Copying them (~300 MB/s for SIR on 2 workers) took the main
  // thread's time from the workers on 2 cores; transferring them detaches buffers, after which V8
  // checks every typed-array access in that worker (see bin/typescript-hooks.js).
  const slotBytes = RUNS_PER_TASK * bytesPerRun;
  const freeSlots: SharedArrayBuffer[] = [];
  const slotOf = new Map<Promise<RunRangeResult>, SharedArrayBuffer>();
  // Keep a bounded window of tasks in flight so memory stays bounded for huge run counts.
  const window = workers * 4;
  const pending: Promise<RunRangeResult>[] = [];
  let next = 0;
  const submit = (): void => {
    const from = next * RUNS_PER_TASK;
    const output = freeSlots.pop() ?? new SharedArrayBuffer(slotBytes);
    const task = pool.run({ ...request(from, Math.min(spec.runs, from + RUNS_PER_TASK)), output }) as Promise<RunRangeResult>;
    task.catch(() => {}); // awaited below; this only keeps an early exit from leaving it unhandled
    slotOf.set(task, output);
    pending.push(task);
    next++;
  };
  const tasks = Math.ceil(spec.runs / RUNS_PER_TASK);
  while (next < Math.min(tasks, window)) submit();
  for (let done = 0; done < tasks; done++) {
    const task = pending.shift()!;
    const result = await task;
    if (next < tasks) submit();
    await deliver(result, onRun);
    // Delivered: the consumer has had the runs (RunResult's arrays are valid during onRun only).
    freeSlots.push(slotOf.get(task)!);
    slotOf.delete(task);
  }
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
