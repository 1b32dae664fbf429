/** Worker-thread entry for simulateRuns (loaded by piscina). */
import { simulateRunRange } from './simulate-run-range.ts';
import type { RunRangeRequest } from './simulate-run-range.ts';
import { transferring } from './pool.ts';

export default function run(req: RunRangeRequest) {
  const result = simulateRunRange(req);
  // Moved, not copied, to the main thread: its time there is what limits the speed-up of the pool.
  return transferring(result, [result.states.buffer, result.observables.buffer, result.drawn.buffer]);
}
