/**
 * Several processes on one project file: readers never wait, writers are serialized, a writer held
 * beyond busy_timeout gives 'locked', and a writer killed mid-bank loses only its open transaction.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProject, openProject, ProjectError } from '../../../src-main/store/project.ts';
import { openRawDatabase } from '../../../src-main/store/raw-database.ts';
import { copyFixture, fileHash, runChild, sampleModel, SLEEP_SNIPPET, tempDir, type Child } from './helpers.ts';

let dir: string;
let cleanup: () => void;
let path: string;
let bankId: number;
const children: Child[] = [];
const CHUNK = 100;
const N_CHUNKS = 12;
const N_TIMES = 20;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  path = join(dir, 'shared.sgnn');
  const p = createProject(path, { name: 'Shared' });
  const designId = p.designs.add({ name: 'd', times: Float64Array.from({ length: N_TIMES }, (_, k) => k), observables: ['x'] });
  const { modelId, version } = p.models.save(sampleModel());
  bankId = p.banks.create({ name: 'b', designId, models: [{ modelId, version, label: 'm', weight: 1 }], seed: 1, nTotal: CHUNK * N_CHUNKS, chunkSize: CHUNK, noise: true, spec: {} });
  p.close();
});
afterEach(async () => {
  for (const c of children.splice(0)) {
    c.proc.kill('SIGKILL');
    await c.exited;
  }
  cleanup();
});

function child(code: string): Child {
  const c = runChild(`${SLEEP_SNIPPET}\nconst FILE = ${JSON.stringify(path)};\n${code}`);
  children.push(c);
  return c;
}

/** The code of chunk `c`, identical in parent and children. */
const CHUNK_CODE = `const chunkData = (c) => ({ nRuns: ${CHUNK}, params: new Float64Array(${CHUNK * 2}).fill(c), observations: Float32Array.from({ length: ${CHUNK * N_TIMES} }, (_, i) => c * 1000 + i), modelLabels: new Int32Array(${CHUNK}) });`;
// Built from the same source text the children run, so both sides agree on every byte.
const chunkData = new Function('c', `${CHUNK_CODE} return chunkData(c);`) as (c: number) => { params: Float64Array; observations: Float32Array };

/** Writes the bank's chunks slowly, printing "chunk c" after each commit. */
const SLOW_WRITER = `
import { openProject } from 'STORE/project.ts';
${CHUNK_CODE}
const p = openProject(FILE);
const job = p.jobs.create({ kind: 'bank', spec: {} });
p.jobs.setStatus(job, 'running');
for (let c = 0; c < ${N_CHUNKS}; c++) {
  p.banks.writeChunk(BANK, c, chunkData(c));
  p.jobs.setProgress(job, { step: 'simulate', current: c + 1, total: ${N_CHUNKS} });
  console.log('chunk ' + c);
  sleep(40);
}
p.banks.markComplete(BANK);
p.jobs.setStatus(job, 'succeeded');
p.close();
console.log('done');
`;

describe('concurrent access', () => {
  it("a write lock held beyond busy_timeout gives 'locked'; reading meanwhile works", async () => {
    const c = child(`
      import { openProject } from 'STORE/project.ts';
      const p = openProject(FILE);
      p.transaction(() => { p.meta.set('holder', 'child'); console.log('holding'); sleep(1500); });
      p.close();
    `);
    await c.waitFor('holding');
    const p = openProject(path, { busyTimeoutMs: 300 });
    expect(p.meta.get('holder')).toBeUndefined(); // uncommitted writes are invisible
    expect(p.banks.get(bankId)!.name).toBe('b');
    const t0 = Date.now();
    let err: unknown;
    try {
      p.meta.set('x', 'y');
    } catch (e) {
      err = e;
    }
    const waited = Date.now() - t0;
    expect(err).toBeInstanceOf(ProjectError);
    expect((err as ProjectError).code).toBe('locked');
    expect((err as ProjectError).message).toBe('shared.sgnn is being written by another process (SGNN Studio or the sgnn command line) and stayed locked for 300 ms: ' +
      'wait for that process to finish or close it, then try again');
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(2000);
    expect(await c.exited).toBe(0);
    p.meta.set('x', 'y');
    expect(p.meta.get('holder')).toBe('child');
    p.close();
  });

  it("a file that needs an upgrade while another process writes it: 'locked', left at its version", async () => {
    const old = copyFixture('v1.sgnn', dir);
    const c = child(`
      import { openRawDatabase } from 'STORE/raw-database.ts';
      const db = openRawDatabase(${JSON.stringify(old)}, { fileMustExist: true });
      db.exec('BEGIN IMMEDIATE');
      console.log('holding');
      sleep(1200);
      db.exec('ROLLBACK');
      db.close();
    `);
    await c.waitFor('holding');
    expect(() => openProject(old, { busyTimeoutMs: 200 })).toThrow(expect.objectContaining({ code: 'locked' }));
    expect(readdirSync(dir).filter((f) => f.includes('.backup-'))).toEqual([]); // no copy left for an upgrade that did not happen
    expect(await c.exited).toBe(0);
    const raw = openRawDatabase(old, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(1);
    raw.close();
    const p = openProject(old);
    expect(p.upgrade).toMatchObject({ from: 1 });
    p.close();
  });

  it('two processes read while a third writes a bank: each sees committed chunks only, intact', async () => {
    const writer = child(SLOW_WRITER.replaceAll('BANK', String(bankId)));
    await writer.waitFor('chunk 0');
    const reader = child(`
      import { openProject } from 'STORE/project.ts';
      ${CHUNK_CODE}
      const p = openProject(FILE, { readonly: true });
      let seen = 0, checked = 0;
      while (seen < ${N_CHUNKS}) {
        const done = p.banks.completedChunks(${bankId});
        if (done.size < seen) throw new Error('chunks disappeared');
        seen = done.size;
        for (const c of p.banks.readChunks(${bankId})) {
          const want = chunkData(c.chunkIndex);
          if (c.observations.length !== want.observations.length || c.observations.some((v, i) => v !== want.observations[i])) throw new Error('torn chunk ' + c.chunkIndex);
          checked++;
        }
        sleep(15);
      }
      p.close();
      console.log('reader ok ' + checked);
    `);
    const p = openProject(path, { readonly: true });
    const sizes: number[] = [];
    while (sizes.at(-1) !== N_CHUNKS) {
      const done = p.banks.completedChunks(bankId);
      sizes.push(done.size);
      for (const c of p.banks.readChunks(bankId)) expect(c.observations).toEqual(chunkData(c.chunkIndex).observations);
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    expect(new Set(sizes).size).toBeGreaterThan(2); // we really read while it was being written
    expect(await writer.exited).toBe(0);
    expect(await reader.exited).toBe(0);
    expect(reader.output()).toMatch(/reader ok \d+/);
    expect(p.banks.get(bankId)!.status).toBe('complete');
    p.close();
  });

  it('two writers are serialized: every write of both lands', async () => {
    const code = (tag: string): string => `
      import { openProject } from 'STORE/project.ts';
      const p = openProject(FILE);
      console.log('open');
      for (let i = 0; i < 40; i++) {
        const id = p.jobs.create({ kind: 'bank', spec: { tag: '${tag}', i } });
        p.transaction(() => { p.jobs.setProgress(id, { step: 's', current: i, total: 40 }); p.reports.save({ name: '${tag}' + i, html: 'x'.repeat(5000) }); });
      }
      p.close();
    `;
    const a = child(code('a'));
    const b = child(code('b'));
    expect([await a.exited, await b.exited]).toEqual([0, 0]);
    const p = openProject(path);
    expect(p.jobs.list().length).toBe(80);
    expect(p.reports.list().length).toBe(80);
    expect(p.checkIntegrity().ok).toBe(true);
    p.close();
  });

  it('a writer killed mid-bank loses only its open transaction; its job becomes interrupted', async () => {
    const writer = child(SLOW_WRITER.replaceAll('BANK', String(bankId)));
    await writer.waitFor('chunk 3');
    writer.proc.kill('SIGKILL');
    expect(await writer.exited).toBe('SIGKILL');
    const p = openProject(path);
    expect(p.interruptedOnOpen).toBe(1);
    expect(p.jobs.list({ status: 'interrupted' })).toHaveLength(1);
    const done = p.banks.completedChunks(bankId);
    for (const c of [0, 1, 2, 3]) expect(done.has(c)).toBe(true);
    for (const c of p.banks.readChunks(bankId)) {
      expect(c.params).toEqual(chunkData(c.chunkIndex).params);
      expect(c.observations).toEqual(chunkData(c.chunkIndex).observations);
    }
    expect(p.checkIntegrity()).toEqual({ ok: true, problems: [] });
    // Resuming writes only the missing chunks.
    for (let c = 0; c < N_CHUNKS; c++) if (!done.has(c)) p.banks.writeChunk(bankId, c, { ...chunkData(c), nRuns: CHUNK, modelLabels: new Int32Array(CHUNK) });
    p.banks.markComplete(bankId);
    p.close();
  });

  it("opening a project does not interrupt another live process's running job", async () => {
    const c = child(`
      import { openProject } from 'STORE/project.ts';
      const p = openProject(FILE);
      const id = p.jobs.create({ kind: 'train', spec: {} });
      p.jobs.setStatus(id, 'running');
      console.log('running');
      setTimeout(() => {}, 60_000);
    `);
    await c.waitFor('running');
    const before = fileHash(path);
    const p = openProject(path);
    expect(p.interruptedOnOpen).toBe(0);
    expect(p.jobs.list()[0]).toMatchObject({ status: 'running', owner: { pid: c.proc.pid } });
    expect(fileHash(path)).toBe(before);
    c.proc.kill('SIGKILL');
    await c.exited;
    expect(p.jobs.markRunningAsInterrupted()).toBe(1);
    p.close();
  });
});
