import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProject, openProject, type Project } from '../../../src-main/store/project.ts';
import { sampleModel, tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => void;
let p: Project;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  p = createProject(join(dir, 'r.sgnn'), { name: 'R' });
});
afterEach(() => {
  p.close();
  cleanup();
});

function reopen(): void {
  p.close();
  p = openProject(join(dir, 'r.sgnn'));
}

/** A design, a model and a bank, for repositories that need one. */
function bankFixture(): { designId: number; modelId: number; bankId: number } {
  const designId = p.designs.add({ name: 'd', times: Float64Array.from([1, 2]), observables: ['total'] });
  const { modelId, version } = p.models.save(sampleModel());
  const bankId = p.banks.create({ name: 'b', designId, models: [{ modelId, version, label: 'decay', weight: 1 }], seed: 3, nTotal: 4, chunkSize: 4, noise: true, spec: {} });
  return { designId, modelId, bankId };
}

describe('models', () => {
  it('keeps every saved version; identical content adds none', () => {
    const a = p.models.save(sampleModel('SIR', 0.1));
    expect(a).toEqual({ modelId: a.modelId, version: 1, created: true });
    const b = p.models.save(sampleModel('SIR', 0.2));
    expect(b).toMatchObject({ modelId: a.modelId, version: 2, created: true });
    expect(p.models.save(sampleModel('SIR', 0.2))).toMatchObject({ version: 2, created: false });
    const c = p.models.save(sampleModel('SIR', 0.3), { modelId: a.modelId });
    expect(c.version).toBe(3);
    reopen();
    expect(p.models.versions(a.modelId).map((v) => v.version)).toEqual([1, 2, 3]);
    expect((p.models.get(a.modelId, 1)!.model.parameters[0] as { value: number }).value).toBe(0.1);
    expect((p.models.get(a.modelId)!.model.parameters[0] as { value: number }).value).toBe(0.3);
    expect(p.models.get(a.modelId)).toMatchObject({ version: 3, latestVersion: 3, versions: 3, name: 'SIR' });
    expect(p.models.get(a.modelId, 9)).toBeUndefined();
    expect(p.models.get(999)).toBeUndefined();
    expect(p.models.list()).toEqual([expect.objectContaining({ modelId: a.modelId, name: 'SIR', version: 3, versions: 3 })]);
  });

  it('saves under an explicit name and finds by name', () => {
    const a = p.models.save(sampleModel('X'), { name: 'My X' });
    expect(p.models.findByName('My X')).toBe(a.modelId);
    expect(p.models.save(sampleModel('X', 0.9), { name: 'My X' }).version).toBe(2);
    expect(() => p.models.save(sampleModel('X'), { modelId: 999 })).toThrow(expect.objectContaining({ code: 'not-found' }));
    expect(() => p.models.save([] as never)).toThrow(expect.objectContaining({ code: 'invalid' }));
  });

  it('refuses to remove a model a bank came from, and removes it after the bank', () => {
    const { modelId, bankId } = bankFixture();
    expect(() => p.models.remove(modelId)).toThrow(/cannot be deleted: simulation bank "b" \(\d+\) came from it/);
    p.banks.remove(bankId);
    p.models.remove(modelId);
    expect(p.models.get(modelId)).toBeUndefined();
    expect(p.models.versions(modelId)).toEqual([]);
  });
});

describe('datasets', () => {
  it('stores a table with its mapping; missing cells stay missing', () => {
    const id = p.datasets.add({
      name: 'cases', columns: ['day', 'cases', 'note'], rows: [[1, 5, 0], [2, null, 1], [3, 9, null]],
      mapping: { total: 'cases' }, timeColumn: 'day', source: { fileName: 'cases.csv', importedAt: '2025-01-01T00:00:00.000Z' },
    });
    reopen();
    const d = p.datasets.get(id)!;
    expect(d).toMatchObject({ datasetId: id, name: 'cases', observables: ['total'], mapping: { total: 'cases' }, columns: { total: 'cases' }, timeColumn: 'day', nTimes: 3, importedAt: '2025-01-01T00:00:00.000Z' });
    expect([...d.times]).toEqual([1, 2, 3]);
    expect([...d.values]).toEqual([5, NaN, 9]);
    expect(d.table).toEqual({ columns: ['day', 'cases', 'note'], rows: [[1, 5, 0], [2, null, 1], [3, 9, null]] });
    expect(p.datasets.list()).toEqual([expect.objectContaining({ datasetId: id, name: 'cases' })]);
  });

  it('stores observations as the CSV importer gives them, and columnar tables', () => {
    const a = p.datasets.add({
      name: 'obs', times: Float64Array.from([0, 1]), observables: ['x', 'y'], values: Float64Array.from([1, 2, NaN, 4]),
      columns: { x: 'X', y: 'Y' }, source: { fileName: null, importedAt: '2025-01-01T00:00:00.000Z', datasetColumnValue: 'A' },
    });
    const b = p.datasets.add({ name: 'cols', columns: ['t', 'v'], values: [[0, 1], [Infinity, null]], mapping: { v: 'v' }, timeColumn: 't', source: { fileName: 'v.csv' } });
    const da = p.datasets.get(a)!;
    expect([...da.values]).toEqual([1, 2, NaN, 4]);
    expect(da.source).toMatchObject({ fileName: null, datasetColumnValue: 'A' });
    expect(da.table).toBeNull();
    const db = p.datasets.get(b)!;
    expect([...db.values]).toEqual([Infinity, NaN]);
    expect(db.table!.rows).toEqual([[0, Infinity], [1, null]]);
    expect(typeof db.importedAt).toBe('string');
  });

  it('says what is wrong with a bad dataset', () => {
    const base = { name: 'bad', columns: ['t', 'v'], mapping: { v: 'v' }, timeColumn: 't', source: { fileName: 'f.csv' } };
    expect(() => p.datasets.add({ ...base, rows: [[1, 2], [3]] })).toThrow('row 2 has 1 cells; expected 2');
    expect(() => p.datasets.add({ ...base, rows: [[1, 'x' as never]] })).toThrow('row 1, column "v" must be a number or empty');
    expect(() => p.datasets.add({ ...base, timeColumn: 'time', rows: [] })).toThrow('the time column "time" is not one of its columns (t, v)');
    expect(() => p.datasets.add({ ...base, mapping: { v: 'w' }, rows: [] })).toThrow('observable "v" is mapped to column "w"');
    expect(() => p.datasets.add({ ...base, rows: [[null, 1]] })).toThrow('row 1 has no valid time');
    expect(() => p.datasets.add({ name: 'o', times: [1, 2], observables: ['x'], values: [1], source: {} })).toThrow('values has 1 numbers; expected 2 times × 1 observables = 2');
    expect(p.datasets.list()).toEqual([]);
  });

  it('refuses to remove a dataset an estimate used; designs from it keep their times', () => {
    const datasetId = p.datasets.add({ name: 'o', times: [1, 2], observables: ['total'], values: [3, 4], source: {} });
    const designId = p.designs.add({ name: 'from data', times: Float64Array.from([1, 2]), observables: ['total'], datasetId });
    const { bankId } = bankFixture();
    const networkId = p.networks.save({ name: 'n', bankId, kind: 'estimator', architecture: {}, normalisation: {}, weights: [], history: [], backend: 'test' });
    const estimateId = p.estimates.save({ networkId, datasetId, result: { mean: 1 } });
    expect(() => p.datasets.remove(datasetId)).toThrow(/1 estimate was made from it/);
    p.estimates.remove(estimateId);
    p.datasets.remove(datasetId);
    expect(p.designs.get(designId)!.datasetId).toBeNull();
    expect([...p.designs.get(designId)!.times]).toEqual([1, 2]);
  });
});

describe('designs', () => {
  it('stores times exactly and validates them', () => {
    const times = Float64Array.from([0.1, 0.2, 1 / 3, 1e9]);
    const id = p.designs.add({ name: 'weekly', times, observables: ['a', 'b'], datasetId: null });
    reopen();
    const d = p.designs.get(id)!;
    expect(d).toMatchObject({ designId: id, name: 'weekly', observables: ['a', 'b'], datasetId: null });
    expect(d.times).toEqual(times);
    expect(p.designs.list()).toHaveLength(1);
    expect(() => p.designs.add({ name: 'x', times: Float64Array.from([1, 1]), observables: ['a'] })).toThrow('strictly increasing');
    expect(() => p.designs.add({ name: 'x', times: Float64Array.from([NaN]), observables: ['a'] })).toThrow('finite');
    expect(() => p.designs.add({ name: 'x', times: Float64Array.from([1]), observables: ['a', 'a'] })).toThrow('appears twice');
    expect(() => p.designs.add({ name: 'x', times: Float64Array.from([1]), observables: ['a'], datasetId: 77 })).toThrow(expect.objectContaining({ code: 'not-found' }));
  });

  it('refuses to remove a design a bank uses', () => {
    const { designId, bankId } = bankFixture();
    expect(() => p.designs.remove(designId)).toThrow(/bank "b" \(\d+\) uses it/);
    p.banks.remove(bankId);
    p.designs.remove(designId);
    expect(p.designs.get(designId)).toBeUndefined();
  });
});

describe('networks, estimates, reports', () => {
  it('stores weights bit-exactly with their shapes, and updates checks', () => {
    const { bankId } = bankFixture();
    const kernel = Float32Array.from({ length: 6 }, (_, i) => Math.fround(i * 0.1 - 0.25));
    const steps = Int32Array.from([3]);
    const networkId = p.networks.save({
      name: 'est', bankId, kind: 'estimator', architecture: { layers: [2, 3] }, normalisation: { mean: [1] }, history: { loss: [1, 0.5] }, backend: 'tfjs-wasm',
      weights: [{ name: 'k', shape: [2, 3], dtype: 'float32', data: kernel }, { name: 'step', shape: [], dtype: 'int32', data: steps }],
    });
    reopen();
    const n = p.networks.get(networkId)!;
    expect(n).toMatchObject({ networkId, name: 'est', bankId, kind: 'estimator', backend: 'tfjs-wasm', architecture: { layers: [2, 3] }, checks: null, weightBytes: 28 });
    expect(n.weights[0]).toEqual({ name: 'k', shape: [2, 3], dtype: 'float32', data: kernel });
    expect(n.weights[1].data).toEqual(steps);
    p.networks.updateChecks(networkId, { coverage: 0.94 });
    expect(p.networks.list()[0].checks).toEqual({ coverage: 0.94 });
    expect(p.networks.list({ bankId: 999 })).toEqual([]);
    expect(() => p.networks.updateChecks(999, {})).toThrow(expect.objectContaining({ code: 'not-found' }));
    expect(() => p.banks.remove(bankId)).toThrow(/network "est" \(\d+\) was trained on it/);
  });

  it('refuses weights whose data do not match shape or dtype', () => {
    const { bankId } = bankFixture();
    const base = { name: 'n', bankId, kind: 'estimator', architecture: {}, normalisation: {}, history: [], backend: 'x' };
    expect(() => p.networks.save({ ...base, weights: [{ name: 'w', shape: [2, 2], dtype: 'float32', data: new Float32Array(3) }] })).toThrow('data has 3 values; shape [2, 2] needs 4');
    expect(() => p.networks.save({ ...base, weights: [{ name: 'w', shape: [2], dtype: 'float32', data: new Float64Array(2) }] })).toThrow('data is float64 but dtype says float32');
    expect(() => p.networks.save({ ...base, bankId: 999, weights: [] })).toThrow(expect.objectContaining({ code: 'not-found' }));
    expect(p.networks.list()).toEqual([]);
  });

  it('estimates by network; reports with their HTML', () => {
    const { bankId } = bankFixture();
    const datasetId = p.datasets.add({ name: 'o', times: [1, 2], observables: ['total'], values: [3, 4], source: {} });
    const n1 = p.networks.save({ name: 'a', bankId, kind: 'e', architecture: {}, normalisation: {}, weights: [], history: [], backend: 'x' });
    const n2 = p.networks.save({ name: 'b', bankId, kind: 'e', architecture: {}, normalisation: {}, weights: [], history: [], backend: 'x' });
    const e1 = p.estimates.save({ networkId: n1, datasetId, result: { mean: { k: 0.4 } }, name: 'first' });
    p.estimates.save({ networkId: n2, datasetId, result: [1, 2] });
    expect(p.estimates.list(n1)).toEqual([expect.objectContaining({ estimateId: e1, networkId: n1, datasetId, name: 'first', result: { mean: { k: 0.4 } } })]);
    expect(p.estimates.list()).toHaveLength(2);
    expect(p.estimates.get(e1)!.result).toEqual({ mean: { k: 0.4 } });
    expect(() => p.networks.remove(n1)).toThrow(/1 estimate was made with it/);
    expect(() => p.estimates.save({ networkId: 999, datasetId, result: {} })).toThrow(expect.objectContaining({ code: 'not-found' }));

    const html = `<!doctype html><p>${'é'.repeat(1000)}</p>`;
    const r = p.reports.save({ name: 'Report', html });
    expect(p.reports.get(r)).toMatchObject({ reportId: r, name: 'Report', html, bytes: Buffer.byteLength(html) });
    expect(p.reports.list()).toEqual([expect.objectContaining({ reportId: r, name: 'Report' })]);
    expect(p.reports.list()[0]).not.toHaveProperty('html');
    p.reports.remove(r);
    expect(p.reports.get(r)).toBeUndefined();
  });
});

describe('jobs', () => {
  it('records status, progress, checkpoint, result and error', () => {
    const id = p.jobs.create({ kind: 'bank', spec: { bankId: 1 } });
    expect(p.jobs.get(id)).toMatchObject({ jobId: id, kind: 'bank', status: 'queued', spec: { bankId: 1 }, progress: null, startedAt: null });
    p.jobs.setStatus(id, 'running');
    p.jobs.setProgress(id, { step: 'simulate', current: 5, total: 10, message: 'half', etaSeconds: 3 });
    p.jobs.setCheckpoint(id, { chunk: 4 });
    const running = p.jobs.get(id)!;
    expect(running).toMatchObject({ status: 'running', progress: { step: 'simulate', current: 5, total: 10, message: 'half', etaSeconds: 3 }, checkpoint: { chunk: 4 } });
    expect(running.owner).toMatchObject({ pid: process.pid });
    expect(running.startedAt).not.toBeNull();
    p.jobs.setStatus(id, 'failed', { error: { code: 'simulation', message: 'solver failed', details: { run: 7 } } });
    expect(p.jobs.get(id)).toMatchObject({ status: 'failed', error: { code: 'simulation', message: 'solver failed', details: { run: 7 } } });
    expect(p.jobs.get(id)!.finishedAt).not.toBeNull();
    // A failed job may be resumed under its id: the error is cleared.
    p.jobs.setStatus(id, 'running');
    expect(p.jobs.get(id)).toMatchObject({ status: 'running', error: null, finishedAt: null });
    p.jobs.setStatus(id, 'succeeded', { result: { nDone: 10 } });
    expect(p.jobs.get(id)).toMatchObject({ status: 'succeeded', result: { nDone: 10 } });
    expect(() => p.jobs.setStatus(id, 'running')).toThrow('has already succeeded');
    expect(() => p.jobs.setStatus(999, 'running')).toThrow(expect.objectContaining({ code: 'not-found' }));
    expect(() => p.jobs.setStatus(id, 'done' as never)).toThrow('job status must be one of');
    expect(() => p.jobs.setProgress(id, { step: 's' } as never)).toThrow('progress must be');
  });

  it('stores byte checkpoints and string errors; lists by status and kind', () => {
    const a = p.jobs.create({ kind: 'train', spec: null });
    const b = p.jobs.create({ kind: 'bank', spec: null });
    p.jobs.setCheckpoint(a, Uint8Array.from([1, 2, 3]));
    expect(p.jobs.get(a)!.checkpoint).toEqual(Uint8Array.from([1, 2, 3]));
    p.jobs.setCheckpoint(a, null);
    expect(p.jobs.get(a)!.checkpoint).toBeNull();
    p.jobs.setStatus(b, 'cancelled', { error: 'cancelled by the user' });
    expect(p.jobs.get(b)!.error).toEqual({ code: 'error', message: 'cancelled by the user' });
    expect(p.jobs.list({ status: 'queued' }).map((j) => j.jobId)).toEqual([a]);
    expect(p.jobs.list({ status: ['queued', 'cancelled'] }).map((j) => j.jobId)).toEqual([a, b]);
    expect(p.jobs.list({ kind: 'bank' }).map((j) => j.jobId)).toEqual([b]);
    expect(p.jobs.list().map((j) => j.jobId)).toEqual([a, b]);
    expect(p.jobs.summary()).toMatchObject({ queued: 1, cancelled: 1, running: 0 });
  });

  it('on open, jobs left running by a process that is gone become interrupted; this process\'s live jobs stay', () => {
    const mine = p.jobs.create({ kind: 'train', spec: {} });
    p.jobs.setStatus(mine, 'running');
    // A second handle in the same process sees the first one alive.
    const other = openProject(join(dir, 'r.sgnn'));
    expect(other.interruptedOnOpen).toBe(0);
    expect(other.jobs.get(mine)!.status).toBe('running');
    other.close();
    // Once the owner is closed (as after a crash), the job is interrupted on the next open.
    reopen();
    expect(p.interruptedOnOpen).toBe(1);
    expect(p.jobs.get(mine)).toMatchObject({ status: 'interrupted', error: { code: 'interrupted' } });
    expect(p.jobs.markRunningAsInterrupted()).toBe(0);
  });
});
