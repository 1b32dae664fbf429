/** Worker-thread entry for simulateRuns (loaded by piscina). */
import { simulateRunRange } from './simulate-run-range.ts';
import type { RunRangeRequest } from './simulate-run-range.ts';

// simulateRuns passes a shared buffer for the results (req.output): what comes back to the main
// thread is views on it, so nothing is copied or detached (see simulate-runs.ts).
export default function run(req: RunRangeRequest) {
  return simulateRunRange(req);
}
