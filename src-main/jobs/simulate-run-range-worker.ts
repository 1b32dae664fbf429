/** Worker-thread entry for simulateRuns (loaded by piscina). */
import { simulateRunRange } from './simulate-run-range.ts';
import type { RunRangeRequest } from './simulate-run-range.ts';

export default function run(req: RunRangeRequest) {
  return simulateRunRange(req);
}
