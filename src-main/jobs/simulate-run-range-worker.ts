/** Worker-thread entry for simulateRuns (loaded by piscina): one long task per worker (see run-ring.ts). */
import { runRing } from './run-ring.ts';
import type { RingOutcome, RingRequest } from './run-ring.ts';

export default function run(req: RingRequest): RingOutcome {
  return runRing(req);
}
