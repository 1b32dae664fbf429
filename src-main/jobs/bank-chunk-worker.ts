/** Worker-thread entry for bank chunks (loaded by piscina). */
import { simulateBankChunk } from './bank-chunk.ts';
import type { BankSpec } from './bank-chunk.ts';

// Copied, not transferred, to the main thread: see simulate-run-range-worker.ts.
export default function run({ spec, from, to }: { spec: BankSpec; from: number; to: number }) {
  return simulateBankChunk(spec, from, to);
}
