/** Worker-thread entry for bank chunks (loaded by piscina). */
import { simulateBankChunk } from './bank-chunk.ts';
import type { BankSpec } from './bank-chunk.ts';
import { transferring } from './pool.ts';

export default function run({ spec, from, to }: { spec: BankSpec; from: number; to: number }) {
  const result = simulateBankChunk(spec, from, to);
  return transferring(result, [result.params.buffer, result.observations.buffer, result.modelLabels.buffer]);
}
