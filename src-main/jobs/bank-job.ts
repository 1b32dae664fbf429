/**
 * The bank job: simulate every chunk of a bank that is not yet stored, on a worker pool, writing each
 * chunk in its own transaction as it completes. Interrupted at any point (cancel, crash, kill -9),
 * the completed chunks stay; resuming simulates only the missing ones, with the same result.
 */
import { availableParallelism } from 'node:os';
import { sharedPool } from './pool.ts';
import type { Project } from '../store/project.ts';
import type { JobContext } from './scheduler.ts';
import type { BankChunkResult, BankSpec } from './bank-chunk.ts';
import { simulateBankChunk } from './bank-chunk.ts';

export interface BankJobResult {
  bankId: number;
  nDone: number;
  nFailed: number;
  firstFailure: string | null;
  seconds: number;
}

/** Generate the missing chunks of bank `bankId` (whose spec is stored with it). */
export async function runBankJob(ctx: JobContext, project: Project, bankId: number, spec: BankSpec, workers?: number): Promise<BankJobResult> {
  const bank = project.banks.get(bankId);
  if (!bank) throw new Error(`bank ${bankId} not found`);
  const { nTotal, chunkSize } = bank;
  const nChunks = Math.ceil(nTotal / chunkSize);
  const done = project.banks.completedChunks(bankId);
  const todo: number[] = [];
  for (let c = 0; c < nChunks; c++) if (!done.has(c)) todo.push(c);
  const started = Date.now();
  let nDone = countRuns(done, chunkSize, nTotal);
  let nFailed = bank.nFailed ?? 0;
  let firstFailure: string | null = null;
  const report = (): void => ctx.progress({ step: 'simulate', current: nDone, total: nTotal, message: `${nDone.toLocaleString('en-US')} of ${nTotal.toLocaleString('en-US')} runs` });
  report();

  const threads = Math.max(1, Math.min(workers ?? availableParallelism(), todo.length));
  const range = (c: number): [number, number] => [c * chunkSize, Math.min(nTotal, (c + 1) * chunkSize)];
  const store = (c: number, result: BankChunkResult): void => {
    project.banks.writeChunk(bankId, c, {
      nRuns: result.nRuns, params: result.params, observations: result.observations, modelLabels: result.modelLabels, nFailed: result.nFailed,
    });
    nDone += result.nRuns;
    nFailed += result.nFailed;
    firstFailure ??= result.firstFailure;
    report();
  };

  if (threads === 1) {
    for (const c of todo) {
      ctx.throwIfCancelled();
      const [from, to] = range(c);
      store(c, simulateBankChunk(spec, from, to));
      await new Promise((r) => setImmediate(r)); // let cancel requests and progress events through
    }
  } else {
    const pool = sharedPool(new URL('./bank-chunk-worker.ts', import.meta.url), threads);
    try {
      // Chunks are written in order, with a bounded window in flight (bounded memory).
      const window = threads * 2;
      const inFlight: Promise<BankChunkResult>[] = [];
      let next = 0;
      const submit = (): void => {
        const [from, to] = range(todo[next++]);
        const task = pool.run({ spec, from, to }, { signal: ctx.signal }) as Promise<BankChunkResult>;
        task.catch(() => {}); // awaited in order below; keeps an early exit from leaving it unhandled
        inFlight.push(task);
      };
      while (next < todo.length && inFlight.length < window) submit();
      for (let i = 0; i < todo.length; i++) {
        const result = await inFlight.shift()!;
        ctx.throwIfCancelled();
        store(todo[i], result);
        if (next < todo.length) submit();
      }
    } catch (err) {
      ctx.throwIfCancelled();
      throw err;
    }
  }
  project.banks.markComplete(bankId);
  return { bankId, nDone, nFailed, firstFailure, seconds: (Date.now() - started) / 1000 };
}

function countRuns(done: Set<number>, chunkSize: number, nTotal: number): number {
  let n = 0;
  for (const c of done) n += Math.min(nTotal, (c + 1) * chunkSize) - c * chunkSize;
  return n;
}
