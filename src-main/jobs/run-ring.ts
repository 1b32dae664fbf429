/**
 * How simulateRuns' workers hand results to the main thread without a message per task: a ring of
 * shared result slots and a shared control block. Each worker runs one long task that claims chunks
 * of runs from a shared counter, waits until the chunk's slot is free, simulates into it and marks
 * it written; the main thread reads the chunks in order where they were written and frees each slot
 * for the chunk K later.
 *
 * Why not one pool task per chunk: each task was a round trip through the main thread (post the
 * result, wait for the next task), and on 2 cores the main thread gets a core only by taking it from
 * a worker, so workers idled between tasks and the 2-worker speed-up stalled near 1.5×. Here a worker
 * waits for the main thread only when all K slots are full (the consumer is slower than simulating).
 *
 * Slot s serves chunks s, s + K, s + 2K, ...; its state word is 2c while free for chunk c and 2c + 1
 * once chunk c is written (or failed: see FAILED). Chunks are claimed in increasing order, so every
 * chunk before a claimed one is claimed too, and the ring never deadlocks.
 */
import { simulateRunRange } from './simulate-run-range.ts';
import type { RunRangeRequest } from './simulate-run-range.ts';

/** Control words: next chunk to claim; stop flag (set by the main thread); lowest failed chunk. */
const NEXT = 0, STOP = 1, FAILED = 2, SLOTS = 3;

export interface RingRequest extends Omit<RunRangeRequest, 'from' | 'to' | 'output'> {
  runs: number;
  runsPerChunk: number;
  /** Int32 control block: NEXT, STOP, FAILED, then one state word per slot (see makeRing). */
  control: SharedArrayBuffer;
  slots: SharedArrayBuffer[];
}

/** What a worker's ring task returns: the chunk it failed on, if one did (it then claims no more). */
export interface RingOutcome {
  failure?: { chunk: number; error: { name: string; message: string } };
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
    for (let v = Atomics.load(control, word); v !== 2 * c; v = Atomics.load(control, word)) {
      if (Atomics.load(control, STOP) !== 0) return {};
      Atomics.wait(control, word, v);
    }
    const from = c * req.runsPerChunk;
    const slot = req.slots[c % k];
    const result = simulateRunRange({ ...req, from, to: Math.min(req.runs, from + req.runsPerChunk), output: slot });
    // The main thread reads the slot: results that did not fit there would be lost (a bug in sizing it).
    if (!result.error && result.states.buffer !== slot) result.error = { name: 'Error', message: `runs ${from + 1}-${result.to}: results larger than their shared slot (${slot.byteLength} bytes)` };
    if (result.error) {
      // Lower FAILED to c (another worker may have failed on a later chunk first).
      for (let f = Atomics.load(control, FAILED); c < f; f = Atomics.load(control, FAILED)) {
        if (Atomics.compareExchange(control, FAILED, f, c) === f) break;
      }
    }
    Atomics.store(control, word, 2 * c + 1);
    Atomics.notify(control, word);
    if (result.error) return { failure: { chunk: c, error: result.error } };
  }
}

/** Main-thread side of one ring. */
export class RingReader {
  private readonly control: Int32Array;
  private readonly k: number;

  constructor(control: SharedArrayBuffer) {
    this.control = new Int32Array(control);
    this.k = this.control.length - SLOTS;
  }

  /**
   * Resolves once chunk c is written: true if it failed. Rejects as soon as `broken` does (a worker
   * died), so a chunk that will never be written cannot hang the caller. A pending
   * Atomics.waitAsync does not keep Node's event loop alive: the caller keeps it alive meanwhile.
   */
  async waitFor(c: number, broken: Promise<never>): Promise<boolean> {
    const word = SLOTS + (c % this.k);
    for (let v = Atomics.load(this.control, word); v !== 2 * c + 1; v = Atomics.load(this.control, word)) {
      const wait = Atomics.waitAsync(this.control, word, v);
      if (wait.async) await Promise.race([wait.value, broken]);
    }
    return c >= Atomics.load(this.control, FAILED);
  }

  /** Chunk c is read: its slot may take chunk c + K. */
  release(c: number): void {
    const word = SLOTS + (c % this.k);
    Atomics.store(this.control, word, 2 * (c + this.k));
    Atomics.notify(this.control, word);
  }

  /** Workers claim no more chunks, and those waiting for a slot give up. Also wakes this side's own waits. */
  stop(): void {
    Atomics.store(this.control, STOP, 1);
    for (let s = 0; s < this.k; s++) Atomics.notify(this.control, SLOTS + s);
  }
}
