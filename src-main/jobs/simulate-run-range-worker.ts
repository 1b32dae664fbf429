/** Worker-thread entry for simulateRuns (loaded by piscina). */
import { simulateRunRange } from './simulate-run-range.ts';
import type { RunRangeRequest } from './simulate-run-range.ts';
import { transferring } from './pool.ts';

// Moved, not copied, to the main thread: on 2 cores its time there is taken from the workers
// (why moving still wins despite its cost here: see transferring).
export default function run(req: RunRangeRequest) {
  const result = simulateRunRange(req);
  return transferring(result, [result.states.buffer, result.observables.buffer, result.drawn.buffer]);
}
