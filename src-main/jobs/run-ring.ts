/**
 * How simulateRuns' workers hand results to the main thread without a message per chunk: a ring of
 * shared result slots and a shared control block. Each worker runs one long task that claims chunks
 * of runs from a shared counter, waits until the chunk's slot is free, simulates into it and marks
 * it written; the main thread reads the chunks in order where they were written and frees each slot
 * for the chunk K later.
 *
 * Why not one pool task per chunk: each task was a round trip through the main thread (post the
 * result, wait for the next task), and on 2 cores the main thread gets a core only by taking it from
 * a worker, so workers idled between tasks (2-worker speed-up 1.77–1.93× with tasks, 1.86–2.08×
 * with the ring; test/bench/README.md). Here a worker waits for the main thread only when all K
 * slots are full, i.e. when the consumer is slower than the simulations.
 *
 * Slot s serves chunks s, s + K, s + 2K, ...; its state word is 2c while free for chunk c and
 * 2c + 1 once chunk c is written (or failed: see FAILED), and STOPPED once the main thread stopped
 * the ring (a worker that finishes a chunk after that still writes 2c + 1 over it; nobody reads it). Chunks are claimed in increasing order, so every chunk before a claimed one is claimed
 * too and the main thread, reading in order, always frees the slot the oldest waiting worker needs.
 */
import { runError, simulateRunRange } from './simulate-run-range.ts';
import type { RunError, RunRangeRequest, RunSizes } from './simulate-run-range.ts';

/** Control words: next chunk to claim; stop flag; lowest failed chunk; then one state word per slot. */
const NEXT = 0, STOP = 1, FAILED = 2, SLOTS = 3;
/** A slot's state once the ring is stopped: no chunk's, so a worker about to wait on it does not. */
const STOPPED = -1;

export interface RingRequest extends Omit<RunRangeRequest, 'from' | 'to' | 'output'> {
  runs: number;
  runsPerChunk: number;
  /** The layout the main thread will read; a worker that computes another reports it. */
  sizes: RunSizes;
  /** Int32 control block (makeRingControl). */
  control: SharedArrayBuffer;
  slots: SharedArrayBuffer[];
}

/** What a worker's ring task returns: the chunk it failed on, if one did (it then claims no more). */
export interface RingOutcome {
  failure?: { chunk: number; error: RunError };
}

/** A fresh control block for `slots` slots. */
export function makeRingControl(slots: number): SharedArrayBuffer {
  const control = new Int32Array(new SharedArrayBuffer(4 * (SLOTS + slots)));
  control[FAILED] = 0x7fffffff;
  for (let s = 0; s < slots; s++) control[SLOTS + s] = 2 * s;
  return control.buffer as SharedArrayBuffer;
}

/** Worker side: claim and simulate chunks until none is left, the main thread stops, or a chunk fails. */
export function runRing(req: RingRequest): RingOutcome {
  const control = new Int32Array(req.control);
  const k = req.slots.length;
  const chunks = Math.ceil(req.runs / req.runsPerChunk);
  for (;;) {
    if (Atomics.load(control, STOP) !== 0) return {};
    const c = Atomics.add(control, NEXT, 1);
    // Past the last chunk, or past one that failed (the main thread stops there): nothing to do.
    if (c >= chunks || c > Atomics.load(control, FAILED)) return {};
    const word = SLOTS + (c % k);
    // stop() sets STOP before it changes the state words, so a worker that read STOP as 0 and then
    // waits finds the word changed (Atomics.wait returns at once) and reads STOP again.
    for (let v = Atomics.load(control, word); v !== 2 * c; v = Atomics.load(control, word)) {
      if (Atomics.load(control, STOP) !== 0) return {};
      Atomics.wait(control, word, v);
    }
    const from = c * req.runsPerChunk;
    const error = simulateChunk(req, from, Math.min(req.runs, from + req.runsPerChunk), req.slots[c % k]);
    if (error) {
      // Lower FAILED to c (another worker may have failed on a later chunk first).
      for (let f = Atomics.load(control, FAILED); c < f; f = Atomics.load(control, FAILED)) {
        if (Atomics.compareExchange(control, FAILED, f, c) === f) break;
      }
    }
    Atomics.store(control, word, 2 * c + 1);
    Atomics.notify(control, word);
    if (error) return { failure: { chunk: c, error } };
  }
}

/** Runs [from, to) into `slot`; the first failed run's error, if any. */
function simulateChunk(req: RingRequest, from: number, to: number, slot: SharedArrayBuffer): RunError | undefined {
  try {
    const result = simulateRunRange({ ...req, from, to, output: slot });
    const { stateSize, observableSize, drawnSize } = req.sizes;
    // The main thread reads the slot with req.sizes, also the runs before a failed one: anything
    // else would be read as garbage. Checked first, so it wins over a failed run.
    if (result.states.buffer !== slot || result.stateSize !== stateSize || result.observableSize !== observableSize || result.drawnSize !== drawnSize) {
      return runError(new Error(`internal error: results laid out as ${result.stateSize}/${result.observableSize}/${result.drawnSize} doubles per run` +
        ` in ${result.states.buffer === slot ? 'the' : 'another'} buffer, the main thread expects ${stateSize}/${observableSize}/${drawnSize} in its ${slot.byteLength}-byte slot`), from);
    }
    return result.error;
  } catch (err) {
    return runError(err, from); // simulateRunRange reports run failures itself: this is out of memory or a bug
  }
}

/** Main-thread side of one ring. */
export class RingReader {
  private readonly control: Int32Array;
  private readonly k: number;
  private interruption: { reason: unknown } | null = null;

  constructor(control: SharedArrayBuffer) {
    this.control = new Int32Array(control);
    this.k = this.control.length - SLOTS;
  }

  /**
   * Resolves once chunk c is written: true if it failed. Throws the interruption's reason if the
   * ring is interrupted (a worker died, or all workers ended) and the chunk is not written. A pending Atomics.waitAsync
   * does not keep Node's event loop alive: the caller keeps it alive meanwhile.
   */
  async waitFor(c: number): Promise<boolean> {
    const word = SLOTS + (c % this.k);
    for (;;) {
      const v = Atomics.load(this.control, word);
      if (v === 2 * c + 1) return c >= Atomics.load(this.control, FAILED);
      if (this.interruption) throw this.interruption.reason;
      const wait = Atomics.waitAsync(this.control, word, v);
      if (wait.async) await wait.value;
    }
  }

  /** Chunk c is read: its slot may take chunk c + K. */
  release(c: number): void {
    const word = SLOTS + (c % this.k);
    Atomics.store(this.control, word, 2 * (c + this.k));
    Atomics.notify(this.control, word);
  }

  /** No chunk not yet written will be: a waitFor that waits for one throws `reason` (the first given). */
  interrupt(reason: unknown): void {
    this.interruption ??= { reason };
    for (let s = 0; s < this.k; s++) Atomics.notify(this.control, SLOTS + s);
  }

  /** Workers claim no more chunks, and those waiting for a slot give up; waitFor must not be called after. */
  stop(): void {
    Atomics.store(this.control, STOP, 1);
    for (let s = 0; s < this.k; s++) Atomics.store(this.control, SLOTS + s, STOPPED);
    for (let s = 0; s < this.k; s++) Atomics.notify(this.control, SLOTS + s);
  }
}
