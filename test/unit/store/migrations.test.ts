import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkProjectFile, openProject, ProjectError, type Project } from '../../../src-main/store/project.ts';
import {
  backupPathFor, compactTimestamp, compareMigrations, LATEST_SCHEMA_VERSION, MIGRATIONS, validateMigrationList, type Migration,
} from '../../../src-main/store/migrations.ts';
import { openRawDatabase } from '../../../src-main/store/raw-database.ts';
import {
  FIXTURE_BANKS, FIXTURE_DATASET, FIXTURE_DESIGN, FIXTURE_ESTIMATE, FIXTURE_JOBS, FIXTURE_MODELS, FIXTURE_NETWORK, FIXTURE_REPORT,
  FIXTURE_V2_CHECKPOINT, fixtureChunk,
} from '../../fixtures/projects/fixture-content.ts';
import { copyFixture, fileHash, FIXTURES_DIR, tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

const NOW = new Date('2026-02-03T04:05:06.789Z');

/** Everything fixture-content.ts put in, read back through the current repositories. */
function expectFixtureContent(p: Project): void {
  expect(p.meta.get('name')).toBe('Fixture project');
  expect(p.meta.get('createdWith')).toBe('sgnn-studio 0.1.0');

  const models = p.models.list();
  expect(models.map((m) => [m.name, m.version])).toEqual([['Decay', 2], ['Growth', 1]]);
  FIXTURE_MODELS.forEach((m, i) => m.versions.forEach((v, j) => expect(p.models.get(i + 1, j + 1)!.model).toEqual(v)));

  const d = p.datasets.get(1)!;
  expect(d).toMatchObject({ name: FIXTURE_DATASET.name, mapping: FIXTURE_DATASET.mapping, timeColumn: 'day', observables: ['total'] });
  expect(d.table).toEqual({ columns: FIXTURE_DATASET.columns, rows: FIXTURE_DATASET.rows });
  expect([...d.values]).toEqual([12, 15, 21, NaN, 30, 33]);

  const g = p.designs.get(1)!;
  expect([...g.times]).toEqual(FIXTURE_DESIGN.times);
  expect(g).toMatchObject({ observables: FIXTURE_DESIGN.observables, datasetId: 1 });

  FIXTURE_BANKS.forEach((fb, bi) => {
    const b = p.banks.get(bi + 1)!;
    expect(b).toMatchObject({ name: fb.name, designId: 1, seed: fb.seed, nTotal: fb.nTotal, chunkSize: fb.chunkSize, noise: fb.noise, spec: fb.spec,
      paramNames: fb.paramNames, nParams: fb.nParams, obsDtype: fb.obsDtype, status: fb.status, chunksWritten: fb.chunks.length });
    expect(b.models.map((m) => [m.modelId, m.version, m.label, m.weight])).toEqual(fb.models.map(([mi, v, l, w]) => [mi + 1, v, l, w]));
    const chunks = [...p.banks.readChunks(bi + 1)];
    expect(chunks.map((c) => c.chunkIndex)).toEqual(fb.chunks);
    for (const c of chunks) {
      const want = fixtureChunk(bi, c.chunkIndex);
      expect(c.params).toEqual(want.params);
      expect(c.observations).toEqual(want.observations);
      expect(c.modelLabels).toEqual(want.modelLabels);
      expect(c.nFailed).toBe(want.nFailed);
    }
  });
  expect(p.banks.get(1)!.nFailed).toBe(1);

  const n = p.networks.get(1)!;
  expect(n).toMatchObject({ name: FIXTURE_NETWORK.name, bankId: 1, architecture: FIXTURE_NETWORK.architecture, history: FIXTURE_NETWORK.history,
    normalisation: FIXTURE_NETWORK.normalisation, checks: FIXTURE_NETWORK.checks, backend: FIXTURE_NETWORK.backend });
  expect(n.weights.map((w) => [w.name, w.shape, w.dtype])).toEqual(FIXTURE_NETWORK.weights.map((w) => [w.name, w.shape, 'float32']));
  FIXTURE_NETWORK.weights.forEach((w, i) => expect(n.weights[i].data).toEqual(w.data));

  expect(p.estimates.get(1)).toMatchObject({ networkId: 1, datasetId: 1, name: FIXTURE_ESTIMATE.name, result: FIXTURE_ESTIMATE.result });
  expect(p.reports.get(1)).toMatchObject({ name: FIXTURE_REPORT.name, html: FIXTURE_REPORT.html });

  const jobs = p.jobs.list();
  expect(jobs.map((j) => j.kind)).toEqual(FIXTURE_JOBS.map((j) => j.kind));
  // The job the old app was running when it stopped is interrupted; the others keep their status.
  expect(jobs.map((j) => j.status)).toEqual(['succeeded', 'interrupted', 'queued']);
  expect(jobs[0]).toMatchObject({ result: FIXTURE_JOBS[0].result, progress: FIXTURE_JOBS[0].progress, spec: FIXTURE_JOBS[0].spec });
}

describe('upgrading fixture files of every earlier schema version', () => {
  it('v1 → latest: backup first, every migration recorded, all content kept, still intact', () => {
    const path = copyFixture('v1.sgnn', dir);
    const original = fileHash(path);
    const p = openProject(path, { now: () => NOW, appVersion: 'sgnn-studio 0.2.0' });
    const backup = join(dir, 'v1.backup-v1-20260203T040506Z.sgnn');
    expect(p.upgrade).toEqual({ from: 1, to: LATEST_SCHEMA_VERSION, backupPath: backup });
    expect(p.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    expect(p.interruptedOnOpen).toBe(1);
    expectFixtureContent(p);
    // The new column of v2 works on old rows.
    p.jobs.setCheckpoint(2, { epoch: 1 });
    expect(p.jobs.get(2)!.checkpoint).toEqual({ epoch: 1 });
    expect(p.checkIntegrity()).toEqual({ ok: true, problems: [] });
    p.close();

    const raw = openRawDatabase(path, { readonly: true });
    expect(raw.prepare('SELECT version, name, app_version FROM schema_migrations ORDER BY version').all())
      .toEqual(MIGRATIONS.map((m, i) => ({ version: m.version, name: m.name, app_version: i === 0 ? 'sgnn-studio 0.1.0' : 'sgnn-studio 0.2.0' })));
    expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    raw.close();

    // The backup is a v1 project with the same content that the old version can still open.
    expect(existsSync(backup)).toBe(true);
    expect(checkProjectFile(backup)).toEqual({ ok: true, problems: [] });
    const old = openProject(backup, { readonly: true, migrations: [MIGRATIONS[0]] });
    expect(old.schemaVersion()).toBe(1);
    expect(old.models.list()).toHaveLength(2);
    expect([...old.banks.readChunks(1)]).toHaveLength(3);
    old.close();
    expect(fileHash(join(FIXTURES_DIR, 'v1.sgnn'))).toBe(original); // the fixture itself is untouched

    // Reopening does not migrate or back up again.
    const again = openProject(path);
    expect(again.upgrade).toBeNull();
    again.close();
    expect(readdirSync(dir).filter((f) => f.includes('.backup-'))).toHaveLength(1);
  });

  it(`v2 (current) opens without an upgrade and keeps its content`, () => {
    const path = copyFixture('v2.sgnn', dir);
    const p = openProject(path);
    expect(p.upgrade).toBeNull();
    expectFixtureContent(p);
    expect(p.jobs.get(2)!.checkpoint).toEqual(FIXTURE_V2_CHECKPOINT);
    p.close();
    expect(readdirSync(dir).filter((f) => f.includes('.backup-'))).toEqual([]);
  });

  it('there is a fixture for every shipped schema version', () => {
    for (const m of MIGRATIONS) expect(existsSync(join(FIXTURES_DIR, `v${m.version}.sgnn`)), `test/fixtures/projects/v${m.version}.sgnn`).toBe(true);
  });

  it('a read-only open of an old file asks for an upgrade and changes nothing', () => {
    const path = copyFixture('v1.sgnn', dir);
    const before = fileHash(path);
    expect(() => openProject(path, { readonly: true })).toThrow(expect.objectContaining({ code: 'invalid', message: expect.stringContaining('uses schema 1 and must be upgraded to 2') }));
    expect(fileHash(path)).toBe(before);
  });

  it('a migration that fails leaves the file at the last good version, with the backup', () => {
    const path = copyFixture('v1.sgnn', dir);
    const failing: Migration = { version: 3, name: 'broken', up(db) { db.exec('CREATE TABLE ok_so_far (x)'); throw new Error('disk on fire'); } };
    let err: unknown;
    try {
      openProject(path, { migrations: [...MIGRATIONS, failing], now: () => NOW });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProjectError);
    expect((err as ProjectError).code).toBe('migration-failed');
    expect((err as ProjectError).message).toContain('v1.sgnn could not be upgraded: migration 3 "broken" failed (disk on fire). It was left at schema 2; a copy from before the upgrade is at');
    const raw = openRawDatabase(path, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(2);
    expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'ok_so_far'").get()).toBeUndefined();
    raw.close();
    // This build (which knows only 1–2) opens it normally.
    const p = openProject(path);
    expectFixtureContent(p);
    p.close();
  });

  it('a first migration that fails leaves the file unchanged and no copy', () => {
    const path = copyFixture('v1.sgnn', dir);
    const before = fileHash(path);
    const failing: Migration = { version: 2, name: 'broken', up() { throw new Error('nope'); } };
    expect(() => openProject(path, { migrations: [MIGRATIONS[0], failing] })).toThrow('v1.sgnn could not be upgraded: migration 2 "broken" failed (nope). The file was not changed. Please report this problem');
    expect(fileHash(path)).toBe(before);
    expect(readdirSync(dir)).toEqual(['v1.sgnn']);
  });

  it('a migration that breaks a foreign key is rolled back', () => {
    const path = copyFixture('v2.sgnn', dir);
    const breaking: Migration = { version: 3, name: 'orphan', up(db) { db.exec('DELETE FROM designs'); } };
    expect(() => openProject(path, { migrations: [...MIGRATIONS, breaking] })).toThrow(/migration 3 "orphan" failed \(it leaves \d+ row\(s\) of banks referring to missing rows of designs\)/);
    const p = openProject(path);
    expect(p.designs.list()).toHaveLength(1);
    p.close();
  });
});

describe('migration bookkeeping', () => {
  it('validates the list', () => {
    expect(() => validateMigrationList(MIGRATIONS)).not.toThrow();
    const up = (): void => {};
    expect(() => validateMigrationList([{ version: 2, name: 'a', up }])).toThrow('expected 1');
    expect(() => validateMigrationList([{ version: 1, name: 'a', up }, { version: 2, name: 'a', up }])).toThrow('used twice');
  });

  it('compares applied with known', () => {
    const up = (): void => {};
    const known = [{ version: 1, name: 'a', up }, { version: 2, name: 'b', up }];
    const rec = (version: number, name: string) => ({ version, name, appliedAt: '', appVersion: '' });
    expect(compareMigrations([rec(1, 'a'), rec(2, 'b')], 2, known)).toEqual({ kind: 'current', version: 2 });
    expect(compareMigrations([rec(1, 'a')], 1, known)).toMatchObject({ kind: 'behind', version: 1, pending: [known[1]] });
    expect(compareMigrations([rec(1, 'a'), rec(2, 'b'), rec(3, 'c')], 3, known)).toEqual({ kind: 'too-new', version: 3, latest: 2 });
    expect(compareMigrations([rec(1, 'a')], 5, known)).toEqual({ kind: 'too-new', version: 5, latest: 2 });
    expect(compareMigrations([rec(1, 'x')], 1, known)).toMatchObject({ kind: 'diverged' });
    expect(compareMigrations([rec(1, 'a'), rec(2, 'b')], 1, known)).toMatchObject({ kind: 'diverged', detail: expect.stringContaining('does not match') });
  });

  it('names backups after the file, the old version and the time, never overwriting', () => {
    expect(compactTimestamp(NOW)).toBe('20260203T040506Z');
    const file = join(dir, 'study.sgnn');
    expect(backupPathFor(file, 1, NOW)).toBe(join(dir, 'study.backup-v1-20260203T040506Z.sgnn'));
    const first = openProject(copyFixture('v1.sgnn', dir), { now: () => NOW });
    first.close();
    expect(backupPathFor(join(dir, 'v1.sgnn'), 1, NOW)).toBe(join(dir, 'v1.backup-v1-20260203T040506Z-2.sgnn'));
    expect(backupPathFor(join(dir, 'data.db'), 3, NOW)).toBe(join(dir, 'data.db.backup-v3-20260203T040506Z.sgnn'));
  });
});
