/** Worker-thread entry for bank chunks (loaded by piscina). */
import { simulateBankChunk } from './bank-chunk.ts';
import type { BankSpec } from './bank-chunk.ts';

// Copied to the main thread, not moved: a chunk is ~2 MB per 5 000 runs, so the copy costs the main
// thread little, while moving would slow this worker's simulations (see transferring in pool.ts;
// measured: bank JS/C 0.56 copied, 0.53 moved).
export default function run({ spec, from, to }: { spec: BankSpec; from: number; to: number }) {
  return simulateBankChunk(spec, from, to);
}
