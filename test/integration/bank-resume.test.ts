/**
 * A bank job killed with SIGKILL at a random moment keeps its completed chunks; resuming it gives
 * exactly the bank an uninterrupted run of the same seed gives (byte-identical chunks).
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sgnn, REPO } from './cli-harness.ts';
import { openProject } from '../../src-main/store/project.ts';

async function setUp(dir: string, name: string): Promise<string> {
  const file = join(dir, `${name}.sgnn`);
  expect((await sgnn('project', 'new', file, '--template', 'sir')).code).toBe(0);
  expect((await sgnn('design', 'create', file, '--t-end', '14', '--points', '15', '--observables', 'cases')).code).toBe(0);
  return file;
}

function bankBytes(file: string): { chunks: Buffer[]; nDone: number; status: string } {
  const project = openProject(file, { readonly: true });
  try {
    const chunks = [...project.banks.readChunks(1)].map((c) => Buffer.concat([
      Buffer.from(c.params.buffer, c.params.byteOffset, c.params.byteLength),
      Buffer.from(c.observations.buffer, c.observations.byteOffset, c.observations.byteLength),
      Buffer.from(c.modelLabels.buffer, c.modelLabels.byteOffset, c.modelLabels.byteLength),
    ]));
    const info = project.banks.get(1)!;
    return { chunks, nDone: info.nDone, status: info.status };
  } finally {
    project.close();
  }
}

/** Chunks stored so far (0 before the bank exists); reading never disturbs the writer (WAL). */
function storedChunks(file: string): number {
  try {
    const project = openProject(file, { readonly: true });
    try {
      return project.banks.get(1) ? project.banks.completedChunks(1).size : 0;
    } finally {
      project.close();
    }
  } catch {
    return 0;
  }
}

// Chunks big enough (1 000 runs, tens of ms each) that a kill decided after counting the stored
// chunks lands before the bank is done: with 250-run chunks the faster simulators sometimes
// finished the last two chunks between a count and the kill.
const BANK = ['--model', '1', '--design', '1', '--n', '24000', '--seed', '11', '--chunk-size', '1000'];

describe('bank resume after kill -9', () => {
  it('resumes to a bank identical to an uninterrupted one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sgnn-bank-'));
    const reference = await setUp(dir, 'reference');
    const r = await sgnn('bank', reference, ...BANK, '--workers', '1');
    expect(r.code, r.stderr).toBe(0);
    const expected = bankBytes(reference);
    expect(expected.chunks).toHaveLength(24);
    expect(expected.status).toBe('complete');

    // Kill points drawn at random among the chunks (the machine's speed must not decide whether
    // the kill lands mid-bank): after 1–11 and after 12–22 of the 24 chunks are stored.
    for (const [attempt, killAfterChunks] of [[1, 1 + Math.floor(Math.random() * 11)], [2, 12 + Math.floor(Math.random() * 11)]] as const) {
      const file = await setUp(dir, `killed-${attempt}`);
      // A real process (2 workers), killed without warning once that many chunks are stored.
      const child = spawn(process.execPath, [join(REPO, 'bin/sgnn.js'), 'bank', file, ...BANK, '--workers', '2'], { stdio: 'ignore' });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      let storedSoFar = 0;
      while (storedSoFar < killAfterChunks && child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        storedSoFar = storedChunks(file);
      }
      child.kill('SIGKILL');
      await exited;
      expect(child.signalCode, `the bank finished before ${killAfterChunks} chunks could be counted`).toBe('SIGKILL');

      const partial = bankBytes(file);
      expect(partial.status).not.toBe('complete');
      // Every chunk that survived is already the final one.
      const done = openProject(file, { readonly: true });
      const stored = [...done.banks.completedChunks(1)];
      done.close();
      for (const [i, c] of stored.sort((a, b) => a - b).entries()) expect(partial.chunks[i].equals(expected.chunks[c])).toBe(true);

      const info = await sgnn('project', 'info', file);
      expect(info.stdout).toMatch(/interrupted: job 1 \(bank\)/);
      const resumed = await sgnn('bank', file, '--resume', '1');
      expect(resumed.code, resumed.stderr).toBe(0);
      const after = bankBytes(file);
      expect(after.status).toBe('complete');
      expect(after.nDone).toBe(24000);
      expect(after.chunks.length).toBe(expected.chunks.length);
      after.chunks.forEach((chunk, i) => expect(chunk.equals(expected.chunks[i]), `chunk ${i}`).toBe(true));
      expect((await sgnn('project', 'check', file)).code).toBe(0);
    }
  }, 180_000);
});
