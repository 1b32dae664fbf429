import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProject, openProject, ProjectError } from '../../../src-main/store/project.ts';
import { APPLICATION_ID, LATEST_SCHEMA_VERSION } from '../../../src-main/store/migrations.ts';
import { openRawDatabase } from '../../../src-main/store/raw-database.ts';
import { sampleModel, tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const fixedNow = (): Date => new Date('2025-03-01T12:00:00.000Z');

describe('create, open, close, reopen', () => {
  it('creates a project that reopens with its name, schema and metadata', () => {
    const path = join(dir, 'study.sgnn');
    const p = createProject(path, { name: 'My study', description: 'SIR fits', now: fixedNow, appVersion: 'sgnn-studio 9.9.9' });
    expect(p.path).toBe(path);
    expect(p.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    expect(p.upgrade).toBeNull();
    p.close();
    expect(p.isOpen).toBe(false);
    p.close(); // idempotent

    const q = openProject(path, { appVersion: 'sgnn-studio 10.0.0' });
    const info = q.info();
    expect(info.name).toBe('My study');
    expect(info.description).toBe('SIR fits');
    expect(info.createdWith).toBe('sgnn-studio 9.9.9');
    expect(info.createdAt).toBe('2025-03-01T12:00:00.000Z');
    expect(info.lastWrittenWith).toBe('sgnn-studio 9.9.9'); // opening alone writes nothing
    expect(info.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    q.models.save(sampleModel());
    expect(q.meta.get('lastWrittenWith')).toBe('sgnn-studio 10.0.0');
    q.close();
    // Closing folds the WAL back: the single file is the whole project (it can be emailed).
    expect(existsSync(`${path}-wal`)).toBe(false);

    const raw = openRawDatabase(path, { readonly: true });
    expect(raw.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('page_size', { simple: true })).toBe(16384);
    raw.close();
  });

  it('leaves no temporary file behind and refuses an existing path', () => {
    const path = join(dir, 'a.sgnn');
    createProject(path, { name: 'A' }).close();
    expect(readdirSync(dir)).toEqual(['a.sgnn']);
    const err = (() => { try { createProject(path, { name: 'B' }); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(ProjectError);
    expect((err as ProjectError).code).toBe('exists');
    expect((err as ProjectError).message).toContain('a.sgnn already exists');
    expect(openProject(path).info().name).toBe('A');
  });

  it('refuses an empty name and a missing folder', () => {
    expect(() => createProject(join(dir, 'x.sgnn'), { name: ' ' })).toThrow(expect.objectContaining({ code: 'invalid' }));
    expect(() => createProject(join(dir, 'no', 'x.sgnn'), { name: 'X' })).toThrow(expect.objectContaining({ code: 'not-found' }));
  });

  it('openProject with create makes the file when missing, named after it', () => {
    const path = join(dir, 'Measles 2019.sgnn');
    const p = openProject(path, { create: true });
    expect(p.info().name).toBe('Measles 2019');
    p.close();
    const q = openProject(path, { create: true });
    expect(q.info().name).toBe('Measles 2019');
    q.close();
  });

  it('info() counts each kind and its bytes', () => {
    const p = createProject(join(dir, 'i.sgnn'), { name: 'I' });
    p.models.save(sampleModel('A'));
    p.models.save(sampleModel('A', 0.7));
    p.reports.save({ name: 'r', html: '<p>é</p>' });
    p.jobs.create({ kind: 'bank', spec: {} });
    const info = p.info();
    expect(info.counts).toMatchObject({ models: 1, modelVersions: 2, reports: 1, jobs: 1, banks: 0 });
    expect(info.bytes.reports).toBe(Buffer.byteLength('<p>é</p>'));
    expect(info.bytes.models).toBeGreaterThan(100);
    expect(info.jobs.queued).toBe(1);
    expect(info.fileBytes).toBeGreaterThan(0);
    p.close();
  });

  it('transaction() keeps all or nothing, and nests', () => {
    const p = createProject(join(dir, 't.sgnn'), { name: 'T' });
    expect(() => p.transaction(() => {
      p.reports.save({ name: 'one', html: '' });
      p.transaction(() => p.reports.save({ name: 'two', html: '' }));
      throw new Error('boom');
    })).toThrow('boom');
    expect(p.reports.list()).toEqual([]);
    const ids = p.transaction(() => [p.reports.save({ name: 'one', html: '' }), p.reports.save({ name: 'two', html: '' })]);
    expect(p.reports.list().map((r) => r.reportId)).toEqual(ids);
    // An inner step that fails and is caught undoes only itself.
    p.transaction(() => {
      p.reports.save({ name: 'three', html: '' });
      try {
        p.transaction(() => { p.reports.save({ name: 'lost', html: '' }); throw new Error('inner'); });
      } catch { /* handled */ }
    });
    expect(p.reports.list().map((r) => r.name)).toEqual(['one', 'two', 'three']);
    p.close();
  });

  it('a read-only project reads but refuses writes with a clear error', () => {
    const path = join(dir, 'ro.sgnn');
    const p = createProject(path, { name: 'RO' });
    p.models.save(sampleModel());
    p.close();
    const before = statSync(path).mtimeMs;
    const q = openProject(path, { readonly: true });
    expect(q.readonly).toBe(true);
    expect(q.models.list()).toHaveLength(1);
    expect(() => q.models.save(sampleModel('B'))).toThrow(/opened read-only/);
    expect(q.checkIntegrity().ok).toBe(true);
    q.close();
    expect(statSync(path).mtimeMs).toBe(before);
  });

  it('metadata keys can be set, read and deleted', () => {
    const p = createProject(join(dir, 'm.sgnn'), { name: 'M' });
    p.meta.set('description', 'changed');
    p.meta.set('custom', 'x');
    expect(p.meta.get('description')).toBe('changed');
    expect(p.meta.all()).toMatchObject({ name: 'M', custom: 'x' });
    expect(p.meta.delete('custom')).toBe(true);
    expect(p.meta.get('custom')).toBeUndefined();
    p.close();
  });

  it('compact() shrinks the file after a bank is removed', () => {
    const p = createProject(join(dir, 'c.sgnn'), { name: 'C' });
    const designId = p.designs.add({ name: 'd', times: Float64Array.from([1, 2, 3, 4]), observables: ['x'] });
    const { modelId, version } = p.models.save(sampleModel());
    const bankId = p.banks.create({ name: 'b', designId, models: [{ modelId, version, label: 'm', weight: 1 }], seed: 1, nTotal: 20_000, chunkSize: 10_000, noise: true, spec: {} });
    for (const c of [0, 1]) {
      p.banks.writeChunk(bankId, c, { nRuns: 10_000, params: new Float64Array(10_000), observations: new Float64Array(40_000).fill(c), modelLabels: new Int32Array(10_000) });
    }
    p.banks.remove(bankId);
    const before = p.info().fileBytes;
    p.compact();
    p.close();
    expect(statSync(join(dir, 'c.sgnn')).size).toBeLessThan(before / 2);
  });
});
