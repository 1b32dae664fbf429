import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkProjectFile, createProject, openProject } from '../../../src-main/store/project.ts';
import { openRawDatabase } from '../../../src-main/store/raw-database.ts';
import { bytesPerElement, dtypeOf, fromBlob, toBlob } from '../../../src-main/store/blob.ts';
import { sampleModel, tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => void;
let path: string;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  path = join(dir, 'i.sgnn');
  const p = createProject(path, { name: 'I' });
  const designId = p.designs.add({ name: 'd', times: Float64Array.from([1, 2, 3]), observables: ['x'] });
  const { modelId, version } = p.models.save(sampleModel());
  const bankId = p.banks.create({ name: 'b', designId, models: [{ modelId, version, label: 'm', weight: 1 }], seed: 1, nTotal: 30, chunkSize: 10, noise: true, spec: {} });
  for (let c = 0; c < 3; c++) {
    p.banks.writeChunk(bankId, c, { nRuns: 10, params: new Float64Array(20).fill(c), observations: Float32Array.from({ length: 30 }, (_, i) => i + c), modelLabels: new Int32Array(10) });
  }
  p.banks.markComplete(bankId);
  p.networks.save({ name: 'n', bankId, kind: 'e', architecture: {}, normalisation: {}, history: [], backend: 'x', weights: [{ name: 'w', shape: [2], dtype: 'float32', data: new Float32Array(2) }] });
  p.close();
});
afterEach(() => cleanup());

/** Runs SQL on the closed project, bypassing the store (as damage would). */
function damage(sql: string, ...params: unknown[]): void {
  const db = openRawDatabase(path, { fileMustExist: true });
  db.prepare(sql).run(...params);
  db.close();
}

describe('integrity check', () => {
  it('a healthy project passes, open or closed', () => {
    expect(checkProjectFile(path)).toEqual({ ok: true, problems: [] });
    const p = openProject(path);
    expect(p.checkIntegrity()).toEqual({ ok: true, problems: [] });
    p.close();
  });

  it('finds a chunk missing from a complete bank', () => {
    damage('DELETE FROM bank_chunks WHERE chunk_index = 1');
    expect(checkProjectFile(path)).toEqual({ ok: false, problems: ['bank "b" (1) is marked complete but chunk 1 is missing'] });
  });

  it('finds a chunk of the wrong byte size', () => {
    damage('UPDATE bank_chunks SET observations = substr(observations, 1, 100) WHERE chunk_index = 2');
    expect(checkProjectFile(path).problems).toEqual(['bank "b" (1), chunk 2: observations 100 bytes, expected 120']);
    const p = openProject(path);
    expect(() => p.banks.readChunk(1, 2)).toThrow(expect.objectContaining({ code: 'corrupt', message: expect.stringContaining('chunk 2 of bank "b" (1) has the wrong size') }));
    p.close();
  });

  it('finds a chunk whose bytes changed (checksum), unless checksums are skipped', () => {
    const db = openRawDatabase(path, { fileMustExist: true });
    const row = db.prepare('SELECT observations FROM bank_chunks WHERE chunk_index = 0').get() as { observations: Buffer };
    const obs = fromBlob(row.observations, 'float32');
    obs[5] = 42;
    db.prepare('UPDATE bank_chunks SET observations = ? WHERE chunk_index = 0').run(toBlob(obs));
    db.close();
    expect(checkProjectFile(path).problems).toEqual(['bank "b" (1), chunk 0: checksum mismatch (its data changed after it was written)']);
    expect(checkProjectFile(path, { checksums: false }).ok).toBe(true);
  });

  it('finds wrong run counts, chunks beyond the bank, weights and JSON that do not fit, dangling references', () => {
    damage('UPDATE bank_chunks SET n_runs = 9 WHERE chunk_index = 0');
    damage("INSERT INTO bank_chunks (bank_id, chunk_index, n_runs, params, observations, model_labels, crc32, created_at) VALUES (1, 7, 1, x'', x'', x'', 0, '')");
    damage("UPDATE network_weights SET shape = '[3]'");
    damage("UPDATE networks SET history = '{oops'");
    const db = openRawDatabase(path, { fileMustExist: true });
    db.pragma('foreign_keys = OFF');
    db.prepare('DELETE FROM designs').run();
    db.close();
    const { ok, problems } = checkProjectFile(path);
    expect(ok).toBe(false);
    expect(problems).toEqual(expect.arrayContaining([
      'banks row 1 refers to a missing row of designs',
      'bank "b" (1), chunk 0: holds 9 runs; expected 10',
      'bank "b" (1), chunk 7: beyond the bank\'s 3 chunks',
      'network 1, weight "w": 8 bytes do not match shape [3] of float32',
      'networks.history: 1 row holds invalid JSON',
    ]));
  });
});

describe('blobs', () => {
  it('round-trip every dtype exactly, into fresh aligned buffers', () => {
    const arrays = [Float64Array.from([Math.PI, -0, NaN, Infinity]), Float32Array.from([1.5, -2]), Int32Array.from([-1, 2 ** 31 - 1]), Uint32Array.from([2 ** 32 - 1]),
      Int16Array.from([-3]), Uint16Array.from([65535]), Int8Array.from([-128]), Uint8Array.from([255])];
    for (const a of arrays) {
      const dtype = dtypeOf(a)!;
      // Read back from an odd offset, as a Buffer from SQLite may be.
      const blob = Buffer.concat([Buffer.from([0]), toBlob(a)]).subarray(1);
      const back = fromBlob(blob, dtype);
      expect(back).toEqual(a);
      expect(back.byteOffset).toBe(0);
      expect(back.buffer.byteLength).toBe(a.length * bytesPerElement(dtype));
    }
    expect(dtypeOf(Buffer.from([1]))).toBe('uint8');
    expect(dtypeOf(new DataView(new ArrayBuffer(1)))).toBeUndefined();
    expect(() => fromBlob(Buffer.alloc(3), 'float32')).toThrow('multiple of 4 bytes');
  });
});
