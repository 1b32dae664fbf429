/** Shared helpers of the store tests: temporary folders, file hashes, child processes, a small model. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Model } from '../../../src-main/model/schema.ts';

export const STORE_DIR = fileURLToPath(new URL('../../../src-main/store/', import.meta.url));
export const FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/projects/', import.meta.url));

/** A fresh temporary folder and a function that removes it. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sgnn-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** SHA-256 of a file's bytes. */
export function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Copies fixture `name` into `dir`; returns the copy's path. */
export function copyFixture(name: string, dir: string): string {
  const to = join(dir, name);
  copyFileSync(join(FIXTURES_DIR, name), to);
  return to;
}

/** A minimal valid model. */
export function sampleModel(name = 'Decay', k = 0.5): Model {
  return {
    format: 'sgnn-model/1',
    name,
    parameters: [{ id: 'k', value: k, prior: { dist: 'uniform', low: 0.1, high: 1 } }],
    species: [{ id: 'A', initial: 10 }],
    rules: [],
    odes: [],
    reactions: [{ id: 'decay', from: { A: 1 }, to: {}, rate: 'k * A' }],
    observables: [{ id: 'total', expr: 'A', noise: { dist: 'poisson' } }],
  } as unknown as Model;
}

export interface Child {
  proc: ChildProcessWithoutNullStreams;
  /** Resolves when the child has printed a line equal to `line`. */
  waitFor(line: string, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (or signal) when the child ends. */
  exited: Promise<number | string>;
  output(): string;
}

/**
 * Runs ES-module code in a child Node process (Node strips the TypeScript types of the store
 * modules it imports). `STORE` in the code is replaced by the store folder's file URL.
 */
export function runChild(code: string): Child {
  const source = code.replaceAll('STORE/', new URL('../../../src-main/store/', import.meta.url).href);
  const proc = spawn(process.execPath, ['--input-type=module', '--no-warnings', '-e', source], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const waiters: { line: string; resolve: () => void }[] = [];
  const check = (): void => {
    const lines = out.split('\n');
    for (const w of [...waiters]) {
      if (lines.includes(w.line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  proc.stdout.on('data', (d: Buffer) => { out += d.toString(); check(); });
  proc.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | string>((resolve) => proc.on('exit', (codeOrNull, signal) => resolve(codeOrNull ?? signal ?? -1)));
  return {
    proc,
    exited,
    output: () => out,
    waitFor(line, timeoutMs = 20_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`child did not print "${line}" within ${timeoutMs} ms; output:\n${out}`)), timeoutMs);
        waiters.push({ line, resolve: () => { clearTimeout(timer); resolve(); } });
        check();
        void exited.then(() => setTimeout(() => reject(new Error(`child exited before printing "${line}"; output:\n${out}`)), 50));
      });
    },
  };
}

/** Synchronous sleep (keeps a transaction open in a child without returning to the event loop). */
export const SLEEP_SNIPPET = 'const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);';
