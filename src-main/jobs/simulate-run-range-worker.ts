/** Worker-thread entry for simulateRuns (loaded by piscina). */
import { simulateRunRange } from './simulate-run-range.ts';
import type { RunRangeRequest } from './simulate-run-range.ts';

// The result is copied to the main thread. Transferring its buffers would save the copy but detach
// them, and one detached ArrayBuffer makes V8 check every typed-array access in this thread from
// then on (see bin/typescript-hooks.js); results in SharedArrayBuffers avoid both, but copying runs
// into them (TypedArray.prototype.set or a loop) was a third of the worker's time.
export default function run(req: RunRangeRequest) {
  return simulateRunRange(req);
}
