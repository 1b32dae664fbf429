/** Worker-thread entry for bank chunks (loaded by piscina). */
import { simulateBankChunk } from './bank-chunk.ts';
import type { BankSpec } from './bank-chunk.ts';

// Copied to the main thread: a chunk is ~2 MB per 5 000 runs, so the copy costs the main thread
// little, while transferring it would detach its buffers, after which V8 checks every typed-array
// access in this worker (bin/typescript-hooks.js; measured: bank JS/C 0.56 copied, 0.53 moved).
export default function run({ spec, from, to }: { spec: BankSpec; from: number; to: number }) {
  return simulateBankChunk(spec, from, to);
}
