import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProject, openProject, type Project } from '../../../src-main/store/project.ts';
import type { BankChunkInput } from '../../../src-main/store/banks.ts';
import { sampleModel, tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => void;
let p: Project;
let designId: number;
let models: { modelId: number; version: number; label: string; weight: number }[];
const N_TIMES = 5;
const N_OBS = 2;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  p = createProject(join(dir, 'b.sgnn'), { name: 'B' });
  designId = p.designs.add({ name: 'd', times: Float64Array.from({ length: N_TIMES }, (_, k) => k + 1), observables: ['cases', 'deaths'] });
  const a = p.models.save(sampleModel('SIR'));
  const b = p.models.save(sampleModel('SEIR'));
  models = [{ ...a, label: 'SIR', weight: 0.5 }, { ...b, label: 'SEIR', weight: 0.5 }].map(({ modelId, version, label, weight }) => ({ modelId, version, label, weight }));
});
afterEach(() => {
  p.close();
  cleanup();
});

function newBank(nTotal: number, chunkSize: number, extra: { paramNames?: string[] } = {}): number {
  return p.banks.create({ name: 'bank', designId, models, seed: 11, nTotal, chunkSize, noise: true, spec: { method: 'auto' }, ...extra });
}

/** Chunk content that depends on its first run, so every chunk differs. */
function chunk(firstRun: number, nRuns: number, nParams = 3, dtype: 'float32' | 'float64' = 'float32'): BankChunkInput {
  const obs = dtype === 'float32' ? new Float32Array(nRuns * N_TIMES * N_OBS) : new Float64Array(nRuns * N_TIMES * N_OBS);
  for (let i = 0; i < obs.length; i++) obs[i] = firstRun + i / 8;
  return {
    nRuns,
    params: Float64Array.from({ length: nRuns * nParams }, (_, i) => firstRun + i * 0.001),
    observations: obs,
    modelLabels: Int32Array.from({ length: nRuns }, (_, i) => (firstRun + i) % 2),
  };
}

describe('banks', () => {
  it('records the model versions and design it came from', () => {
    const id = newBank(25, 10, { paramNames: ['beta', 'gamma', 'rho'] });
    const b = p.banks.get(id)!;
    expect(b).toMatchObject({
      bankId: id, name: 'bank', designId, seed: 11, nTotal: 25, chunkSize: 10, noise: true, spec: { method: 'auto' },
      paramNames: ['beta', 'gamma', 'rho'], nParams: 3, nTimes: N_TIMES, nObs: N_OBS, obsDtype: null, status: 'writing',
      nChunks: 3, chunksWritten: 0, nDone: 0, nFailed: 0, bytes: 0, completedAt: null,
    });
    expect(b.models).toEqual(models.map((m, index) => ({ ...m, index })));
    expect(p.banks.list().map((x) => x.bankId)).toEqual([id]);
    expect(p.banks.get(999)).toBeUndefined();
  });

  it('refuses a bank on an unknown design or model version, or with bad sizes', () => {
    const base = { name: 'x', designId, models, seed: 1, nTotal: 10, chunkSize: 5, noise: false, spec: null };
    expect(() => p.banks.create({ ...base, designId: 99 })).toThrow('design 99 does not exist in b.sgnn');
    expect(() => p.banks.create({ ...base, models: [{ ...models[0], version: 7 }] })).toThrow(/model \d+ version 7 does not exist/);
    expect(() => p.banks.create({ ...base, models: [] })).toThrow('at least one model');
    expect(() => p.banks.create({ ...base, chunkSize: 0 })).toThrow('chunkSize must be an integer ≥ 1');
    expect(() => p.banks.create({ ...base, models: [{ ...models[0], weight: 0 }] })).toThrow('weight must be a positive number');
    expect(p.banks.list()).toEqual([]);
  });

  it('writes chunks in any order and streams them back in order, exactly', () => {
    const id = newBank(25, 10);
    const written = [2, 0, 1].map((c) => {
      const input = chunk(c * 10, c === 2 ? 5 : 10);
      expect(p.banks.writeChunk(id, c, input)).toBe(true);
      return [c, input] as const;
    });
    expect(p.banks.completedChunks(id)).toEqual(new Set([0, 1, 2]));
    p.close();
    p = openProject(join(dir, 'b.sgnn'));
    const read = [...p.banks.readChunks(id)];
    expect(read.map((c) => [c.chunkIndex, c.firstRun, c.nRuns])).toEqual([[0, 0, 10], [1, 10, 10], [2, 20, 5]]);
    for (const [c, input] of written) {
      const r = read[c];
      expect(r.params).toEqual(input.params);
      expect(r.observations).toBeInstanceOf(Float32Array);
      expect(r.observations).toEqual(input.observations);
      expect(r.modelLabels).toEqual(input.modelLabels);
      expect(r.params.byteOffset).toBe(0); // fresh aligned buffers, safe to transfer
    }
    expect([...p.banks.readChunks(id, { from: 1, to: 2 })].map((c) => c.chunkIndex)).toEqual([1]);
    expect(p.banks.readChunk(id, 2)!.nRuns).toBe(5);
    const b = p.banks.get(id)!;
    expect(b).toMatchObject({ nParams: 3, obsDtype: 'float32', chunksWritten: 3, nDone: 25 });
    expect(b.bytes).toBe(25 * (3 * 8 + N_TIMES * N_OBS * 4 + 4));
  });

  it('a chunk written twice with the same content is fine; different content is refused', () => {
    const id = newBank(20, 10);
    const input = chunk(0, 10);
    expect(p.banks.writeChunk(id, 0, input)).toBe(true);
    expect(p.banks.writeChunk(id, 0, chunk(0, 10))).toBe(false);
    const other = chunk(0, 10);
    other.observations[7] += 1;
    expect(() => p.banks.writeChunk(id, 0, other)).toThrow('chunk 0 was already written with different data');
    expect(() => p.banks.writeChunk(id, 0, { ...chunk(0, 10), nFailed: 2 })).toThrow('different data');
    expect(p.banks.readChunk(id, 0)!.observations).toEqual(input.observations);
  });

  it('records failed runs per chunk and in the bank', () => {
    const id = newBank(20, 10);
    p.banks.writeChunk(id, 0, { ...chunk(0, 10), nFailed: 2 });
    p.banks.writeChunk(id, 1, { ...chunk(10, 10), nFailed: 1 });
    expect(p.banks.get(id)!.nFailed).toBe(3);
    expect(p.banks.readChunk(id, 0)!.nFailed).toBe(2);
    expect(() => p.banks.writeChunk(id, 1, { ...chunk(10, 10), nFailed: 11 })).toThrow('nFailed must be an integer in 0…10');
  });

  it('says exactly what is wrong with a chunk', () => {
    const id = newBank(25, 10);
    expect(() => p.banks.writeChunk(id, 3, chunk(30, 10))).toThrow('the chunk index must be an integer in 0…2 (25 runs in chunks of 10)');
    expect(() => p.banks.writeChunk(id, 2, chunk(20, 10))).toThrow('holds 5 runs, but nRuns is 10');
    const short = chunk(0, 10);
    expect(() => p.banks.writeChunk(id, 0, { ...short, observations: short.observations.subarray(1) })).toThrow('observations has 99 values; expected 10 runs × 5 times × 2 observables = 100');
    expect(() => p.banks.writeChunk(id, 0, { ...short, params: short.params.subarray(1) })).toThrow('not a multiple of its 10 runs');
    expect(() => p.banks.writeChunk(id, 0, { ...short, modelLabels: Int32Array.from(short.modelLabels, () => 2) })).toThrow('run 0 has model label 2; the bank has 2 models (labels 0…1)');
    expect(() => p.banks.writeChunk(id, 0, { ...short, params: Array.from(short.params) as never })).toThrow('params must be a Float64Array');
    expect(() => p.banks.writeChunk(999, 0, short)).toThrow(expect.objectContaining({ code: 'not-found' }));
    // The first chunk fixes the shape: parameters per run and observation dtype.
    p.banks.writeChunk(id, 0, short);
    expect(() => p.banks.writeChunk(id, 1, chunk(10, 10, 4))).toThrow('params has 4 values per run; the bank has 3');
    expect(() => p.banks.writeChunk(id, 1, chunk(10, 10, 3, 'float64'))).toThrow("observations are float64; the bank's earlier chunks are float32");
    expect(p.banks.completedChunks(id)).toEqual(new Set([0]));
  });

  it('paramNames fix the number of parameters before any chunk', () => {
    const id = newBank(10, 10, { paramNames: ['a', 'b'] });
    expect(() => p.banks.writeChunk(id, 0, chunk(0, 10, 3))).toThrow('params has 3 values per run; the bank has 2');
    p.banks.writeChunk(id, 0, chunk(0, 10, 2, 'float64'));
    expect(p.banks.readChunk(id, 0)!.observations).toBeInstanceOf(Float64Array);
  });

  it('is marked complete only when every chunk is written; then takes no new chunk', () => {
    const id = newBank(25, 10);
    p.banks.writeChunk(id, 0, chunk(0, 10));
    expect(() => p.banks.markComplete(id)).toThrow('cannot be marked complete: 1 of 3 chunks (10 of 25 runs) are written');
    p.banks.writeChunk(id, 1, chunk(10, 10));
    p.banks.writeChunk(id, 2, chunk(20, 5));
    p.banks.markComplete(id);
    p.banks.markComplete(id);
    expect(p.banks.get(id)).toMatchObject({ status: 'complete', nDone: 25 });
    expect(p.banks.get(id)!.completedAt).not.toBeNull();
    expect(p.banks.writeChunk(id, 1, chunk(10, 10))).toBe(false); // a resumed job rewriting the same data is harmless
  });

  it('streams with one chunk in memory, and lets the caller write between chunks', () => {
    const id = newBank(50, 5);
    for (let c = 0; c < 10; c++) p.banks.writeChunk(id, c, chunk(c * 5, 5));
    const job = p.jobs.create({ kind: 'train', spec: {} });
    const it = p.banks.readChunks(id);
    let n = 0;
    for (const c of it) {
      // Writing progress while iterating: possible because no cursor stays open between chunks.
      p.jobs.setProgress(job, { step: 'read', current: c.chunkIndex + 1, total: 10 });
      n += c.nRuns;
    }
    expect(n).toBe(50);
    expect(p.jobs.get(job)!.progress).toMatchObject({ current: 10 });
  });

  it('an unknown bank fails when readChunks is called, not later', () => {
    expect(() => p.banks.readChunks(999)).toThrow(expect.objectContaining({ code: 'not-found' }));
  });

  it('removes a bank with its chunks', () => {
    const id = newBank(20, 10);
    p.banks.writeChunk(id, 0, chunk(0, 10));
    p.banks.remove(id);
    expect(p.banks.get(id)).toBeUndefined();
    expect(p.info().counts.bankRuns).toBe(0);
    expect(p.checkIntegrity().ok).toBe(true);
  });
});

describe('benchBankIo', () => {
  it('measures a small bank and removes its file', async () => {
    const { benchBankIo } = await import('../../../src-main/store/bench-bank-io.ts');
    const file = join(dir, 'bench.sgnn');
    const r = benchBankIo(file, 25_000);
    expect(r).toMatchObject({ nRuns: 25_000, chunkSize: 10_000 });
    expect(r.writeRunsPerSec).toBeGreaterThan(0);
    expect(r.readRunsPerSec).toBeGreaterThan(0);
    expect(r.peakRssMb).toBeGreaterThanOrEqual(r.baselineRssMb);
    expect(r.fileMb).toBeGreaterThan(9); // 25 000 × 100 float32 = 10 MB
    const { existsSync } = await import('node:fs');
    expect(existsSync(file)).toBe(false);
  });
});
