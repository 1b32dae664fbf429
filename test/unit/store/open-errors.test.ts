import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkProjectFile, createProject, openProject, ProjectError, type ProjectErrorCode } from '../../../src-main/store/project.ts';
import { MIGRATIONS, type Migration } from '../../../src-main/store/migrations.ts';
import { openRawDatabase } from '../../../src-main/store/raw-database.ts';
import { fileHash, sampleModel, tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir()));
afterEach(() => cleanup());

function openError(path: string, options: Parameters<typeof openProject>[1] = {}): ProjectError {
  try {
    openProject(path, options).close();
  } catch (err) {
    expect(err).toBeInstanceOf(ProjectError);
    return err as ProjectError;
  }
  throw new Error(`openProject(${path}) did not fail`);
}

/** Refused with `code`, a message naming the file, and the file's bytes untouched, with nothing left beside it. */
function expectRefused(path: string, code: ProjectErrorCode, message: RegExp | string): ProjectError {
  const before = fileHash(path);
  const siblings = readdirSync(dir).sort();
  const err = openError(path);
  expect(err.code).toBe(code);
  expect(err.message).toMatch(message);
  expect(err.file).toBe(path);
  expect(fileHash(path)).toBe(before);
  expect(readdirSync(dir).sort()).toEqual(siblings);
  return err;
}

/** A real project with some content; returns its path. */
function realProject(name = 'real.sgnn'): string {
  const path = join(dir, name);
  const p = createProject(path, { name: 'Real' });
  for (let i = 0; i < 30; i++) p.models.save(sampleModel(`M${i}`));
  p.reports.save({ name: 'big', html: 'x'.repeat(200_000) });
  p.close();
  return path;
}

describe('opening what is not a (healthy) project', () => {
  it('a missing file: not-found', () => {
    const err = openError(join(dir, 'nope.sgnn'));
    expect(err.code).toBe('not-found');
    expect(err.message).toContain('nope.sgnn does not exist');
    expect(existsSync(join(dir, 'nope.sgnn'))).toBe(false);
  });

  it('a folder: not-a-project', () => {
    mkdirSync(join(dir, 'folder.sgnn'));
    const err = openError(join(dir, 'folder.sgnn'));
    expect(err).toMatchObject({ code: 'not-a-project' });
    expect(err.message).toContain('folder.sgnn is a folder');
  });

  it('an empty file: not-a-project, left empty', () => {
    writeFileSync(join(dir, 'empty.sgnn'), '');
    expectRefused(join(dir, 'empty.sgnn'), 'not-a-project', 'empty.sgnn is empty (0 bytes)');
  });

  it('random bytes: not-a-project, untouched', () => {
    const bytes = Buffer.alloc(50_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    writeFileSync(join(dir, 'noise.sgnn'), bytes);
    expectRefused(join(dir, 'noise.sgnn'), 'not-a-project', /noise\.sgnn is not an SGNN Studio project \(it is not an SQLite database\)/);
  });

  it('a text file named .sgnn: not-a-project', () => {
    writeFileSync(join(dir, 'notes.sgnn'), 'SQLite is great\n');
    expectRefused(join(dir, 'notes.sgnn'), 'not-a-project', 'not an SQLite database');
  });

  it("another application's SQLite file (rollback and WAL mode): not-a-project, bytes unchanged, never opened", () => {
    for (const [name, wal] of [['other.db', false], ['other-wal.db', true]] as const) {
      const path = join(dir, name);
      const db = openRawDatabase(path);
      if (wal) db.pragma('journal_mode = WAL');
      db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('keep me')");
      db.close();
      expectRefused(path, 'not-a-project', `${name} is an SQLite database but not an SGNN Studio project`);
      expect(() => openProject(path, { readonly: true })).toThrow(expect.objectContaining({ code: 'not-a-project' }));
      expect(() => checkProjectFile(path)).toThrow(expect.objectContaining({ code: 'not-a-project' }));
      expect(readdirSync(dir).filter((f) => f.startsWith(name))).toEqual([name]); // no -wal/-shm left beside it
    }
    const other = join(dir, 'app.db');
    const db = openRawDatabase(other);
    db.pragma('application_id = 1234');
    db.exec('CREATE TABLE t (x)');
    db.close();
    expectRefused(other, 'not-a-project', 'another application (application id 0x4d2)');
  });

  it('a project truncated to half (an interrupted copy): corrupt, untouched; check reports it', () => {
    const path = realProject();
    const bytes = readFileSync(path);
    const half = join(dir, 'half.sgnn');
    writeFileSync(half, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const err = expectRefused(half, 'corrupt', /half\.sgnn is damaged: it is truncated \(\d+ KB of the \d+ KB it should have\)/);
    expect(err.message).toContain('open a backup');
    expect(checkProjectFile(half)).toEqual({ ok: false, problems: [err.message] });
    // Cut inside the 100-byte header.
    writeFileSync(join(dir, 'stub.sgnn'), bytes.subarray(0, 60));
    expectRefused(join(dir, 'stub.sgnn'), 'corrupt', 'shorter than a database header');
  });

  it('a project whose pages are damaged: corrupt (never a raw SQLite error), check lists the damage', () => {
    const path = realProject();
    const bytes = readFileSync(path);
    // Overwrite the second page (part of the schema or a table b-tree) with garbage.
    for (let i = 16384; i < 16384 + 4096; i++) bytes[i] = 0xa5;
    writeFileSync(path, bytes);
    let err: unknown;
    try {
      const p = openProject(path);
      p.models.list();
      p.reports.list();
      p.close();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProjectError);
    expect((err as ProjectError).code).toBe('corrupt');
    expect((err as ProjectError).message).toMatch(/real\.sgnn is damaged/);
    const report = checkProjectFile(path);
    expect(report.ok).toBe(false);
    expect(report.problems.length).toBeGreaterThan(0);
  });

  it('a file from a newer app version: too-new, with the schema numbers, untouched', () => {
    const path = realProject('future.sgnn');
    const db = openRawDatabase(path);
    db.transaction(() => {
      for (let v = MIGRATIONS.length + 1; v <= 7; v++) db.prepare("INSERT INTO schema_migrations (version, name, applied_at, app_version) VALUES (?, ?, '2030-01-01', 'sgnn-studio 3.0.0')").run(v, `future-${v}`);
      db.pragma('user_version = 7');
      db.prepare("UPDATE project_meta SET value = 'sgnn-studio 3.0.0' WHERE key = 'lastWrittenWith'").run();
    })();
    db.close();
    const err = expectRefused(path, 'too-new', `future.sgnn was written by a newer SGNN Studio (schema 7, by sgnn-studio 3.0.0; this version reads up to ${MIGRATIONS.length}): update the app to open it`);
    expect(err.message).not.toMatch(/SQLITE/);
    expect(() => openProject(path, { readonly: true })).toThrow(expect.objectContaining({ code: 'too-new' }));
    // The integrity check still runs, and says what it could not judge.
    expect(checkProjectFile(path).problems).toEqual([expect.stringContaining('schema: version 7 is newer than this build knows')]);
  });

  it('a file whose schema history is not a prefix of the known one: refused, untouched', () => {
    const path = realProject('fork.sgnn');
    const renamed: Migration[] = [MIGRATIONS[0], { ...MIGRATIONS[1], name: 'something-else' }];
    const before = fileHash(path);
    const err = openError(path, { migrations: renamed });
    expect(err.code).toBe('migration-failed');
    expect(err.message).toContain(`fork.sgnn has a schema history this version of SGNN Studio does not recognise (its migration 2 is "${MIGRATIONS[1].name}" where this version of SGNN Studio has 2 "something-else")`);
    expect(fileHash(path)).toBe(before);
    // A build that knows fewer migrations sees a newer file.
    expect(openError(path, { migrations: [MIGRATIONS[0]] }).code).toBe('too-new');
  });

  it('a project file with our id but no schema (creation interrupted): corrupt', () => {
    const path = join(dir, 'bare.sgnn');
    const db = openRawDatabase(path);
    db.pragma('application_id = 0x53474e4e');
    db.exec('CREATE TABLE x (y)');
    db.close();
    expectRefused(path, 'corrupt', 'without a schema');
  });

  it('migration lists must run 1, 2, 3 with unique names', () => {
    const bad: Migration[] = [MIGRATIONS[0], { ...MIGRATIONS[1], version: 3 }];
    expect(() => openProject(realProject('m.sgnn'), { migrations: bad })).toThrow('has version 3; expected 2');
  });
});
