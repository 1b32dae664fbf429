/**
 * The project schema as an ordered, append-only list of migrations (the habit of Actual and
 * tldraw). A migration that has shipped is NEVER edited or removed: a file written years ago must
 * upgrade through exactly the steps that were shipped. To change the schema, append a migration
 * with the next version, and add a fixture of the previous version to test/fixtures/projects.
 *
 * Each migration runs in its own IMMEDIATE transaction that also records it in
 * `schema_migrations` and sets PRAGMA user_version, so a crash leaves the file at a whole version.
 */
import { basename, dirname, extname, join } from 'node:path';
import { existsSync } from 'node:fs';
import type Database from 'better-sqlite3';

export interface Migration {
  /** 1, 2, 3, … without gaps. */
  version: number;
  /** A short kebab-case name; stored in the file and compared on open, so never renamed. */
  name: string;
  /** Applies the change; runs inside a transaction, must not open its own. */
  up(db: Database.Database): void;
}

export interface AppliedMigration {
  version: number;
  name: string;
  appliedAt: string;
  appVersion: string;
}

/** 'SGNN' in ASCII: written to PRAGMA application_id so our files are told from other SQLite files. */
export const APPLICATION_ID = 0x53474e4e;

/** Page size of new projects: 16 KiB writes chunk BLOBs ~1.5× faster than 4 KiB and costs little for small rows. */
export const PAGE_SIZE = 16384;

const m0001Initial: Migration = {
  version: 1,
  name: 'initial-schema',
  up(db) {
    db.exec(`
      CREATE TABLE project_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
      );

      -- Every saved version is kept; rows are never updated.
      CREATE TABLE model_versions (
        model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        version INTEGER NOT NULL CHECK (version >= 1),
        json TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (model_id, version)
      );

      -- A dataset is observations: values float64 (n_times × observables, row-major, NaN where
      -- missing) at times float64, with the column each observable came from (mapping). When it was
      -- imported as a table, the table is kept as it was: table_values float64 column-major
      -- (rows × table_columns), table_missing uint8, 1 where the cell was empty.
      CREATE TABLE datasets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        times BLOB NOT NULL,
        observables TEXT NOT NULL,
        data_values BLOB NOT NULL,
        mapping TEXT NOT NULL,
        time_column TEXT,
        source TEXT NOT NULL,
        table_columns TEXT,
        table_values BLOB,
        table_missing BLOB,
        created_at TEXT NOT NULL
      );

      CREATE TABLE designs (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        times BLOB NOT NULL,
        observables TEXT NOT NULL,
        dataset_id INTEGER REFERENCES datasets(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL
      );

      CREATE TABLE banks (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        design_id INTEGER NOT NULL REFERENCES designs(id),
        seed INTEGER NOT NULL,
        n_total INTEGER NOT NULL CHECK (n_total > 0),
        chunk_size INTEGER NOT NULL CHECK (chunk_size > 0),
        noise INTEGER NOT NULL CHECK (noise IN (0, 1)),
        spec TEXT NOT NULL,
        param_names TEXT,
        n_params INTEGER CHECK (n_params >= 0),
        n_times INTEGER NOT NULL,
        n_obs INTEGER NOT NULL,
        obs_dtype TEXT CHECK (obs_dtype IN ('float32', 'float64')),
        status TEXT NOT NULL CHECK (status IN ('writing', 'complete')),
        created_at TEXT NOT NULL,
        completed_at TEXT
      );

      -- idx is the value stored in a chunk's model_labels for runs of this model.
      CREATE TABLE bank_models (
        bank_id INTEGER NOT NULL REFERENCES banks(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        model_id INTEGER NOT NULL,
        version INTEGER NOT NULL,
        label TEXT NOT NULL,
        weight REAL NOT NULL,
        PRIMARY KEY (bank_id, idx),
        FOREIGN KEY (model_id, version) REFERENCES model_versions(model_id, version)
      );

      -- params float64 (n_runs × n_params), observations obs_dtype (n_runs × n_times × n_obs),
      -- model_labels int32 (n_runs); crc32 covers the three in that order. n_failed counts runs whose
      -- simulation failed (their observations are NaN).
      CREATE TABLE bank_chunks (
        bank_id INTEGER NOT NULL REFERENCES banks(id) ON DELETE CASCADE,
        chunk_index INTEGER NOT NULL CHECK (chunk_index >= 0),
        n_runs INTEGER NOT NULL CHECK (n_runs > 0),
        n_failed INTEGER NOT NULL DEFAULT 0 CHECK (n_failed >= 0),
        params BLOB NOT NULL,
        observations BLOB NOT NULL,
        model_labels BLOB NOT NULL,
        crc32 INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (bank_id, chunk_index)
      );

      CREATE TABLE networks (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        bank_id INTEGER NOT NULL REFERENCES banks(id),
        kind TEXT NOT NULL,
        architecture TEXT NOT NULL,
        normalisation TEXT NOT NULL,
        history TEXT NOT NULL,
        backend TEXT NOT NULL,
        checks TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE network_weights (
        network_id INTEGER NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        name TEXT NOT NULL,
        shape TEXT NOT NULL,
        dtype TEXT NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (network_id, idx)
      );

      CREATE TABLE estimates (
        id INTEGER PRIMARY KEY,
        network_id INTEGER NOT NULL REFERENCES networks(id),
        dataset_id INTEGER REFERENCES datasets(id),
        name TEXT,
        result TEXT NOT NULL,
        created_at TEXT NOT NULL
      );

      CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        html TEXT NOT NULL,
        created_at TEXT NOT NULL
      );

      CREATE TABLE jobs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        spec TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
        progress TEXT,
        error TEXT,
        result TEXT,
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        updated_at TEXT NOT NULL
      );
    `);
  },
};

const m0002JobCheckpoints: Migration = {
  version: 2,
  name: 'job-checkpoints-owners-and-indexes',
  up(db) {
    db.exec(`
      -- JSON text, or a BLOB when the checkpoint is bytes.
      ALTER TABLE jobs ADD COLUMN checkpoint;
      -- JSON {host, pid, session} of the process running the job, so that opening the project in a
      -- second process does not mark the first one's live jobs as interrupted.
      ALTER TABLE jobs ADD COLUMN owner TEXT;
      CREATE INDEX jobs_status ON jobs(status);
      -- Indexes on foreign keys: deleting a parent otherwise scans the child table.
      CREATE INDEX bank_models_model ON bank_models(model_id, version);
      CREATE INDEX banks_design ON banks(design_id);
      CREATE INDEX designs_dataset ON designs(dataset_id);
      CREATE INDEX networks_bank ON networks(bank_id);
      CREATE INDEX estimates_network ON estimates(network_id);
      CREATE INDEX estimates_dataset ON estimates(dataset_id);
    `);
  },
};

/** Every migration ever shipped, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [m0001Initial, m0002JobCheckpoints];

/** Checks that versions run 1, 2, 3, … and names are unique; throws an Error naming the first fault. */
export function validateMigrationList(list: readonly Migration[]): void {
  const names = new Set<string>();
  list.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration "${m.name}" has version ${m.version}; expected ${i + 1} (versions must run 1, 2, 3, … without gaps)`);
    if (names.has(m.name)) throw new Error(`migration name "${m.name}" is used twice`);
    names.add(m.name);
  });
}

validateMigrationList(MIGRATIONS);

/** The schema version this build writes (the last migration's version). */
export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** The migrations recorded in a database, in version order ([] when there is no record table). */
export function readAppliedMigrations(db: Database.Database): AppliedMigration[] {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (table === undefined) return [];
  return db.prepare('SELECT version, name, applied_at AS appliedAt, app_version AS appVersion FROM schema_migrations ORDER BY version')
    .all() as AppliedMigration[];
}

export type MigrationState =
  | { kind: 'current'; version: number }
  | { kind: 'behind'; version: number; pending: readonly Migration[] }
  | { kind: 'too-new'; version: number; latest: number }
  | { kind: 'diverged'; detail: string };

/**
 * Compares what a file has applied with what this build knows. The applied list must be a prefix
 * of the known list (same versions, same names); a longer list or a higher user_version is a file
 * from a newer build.
 */
export function compareMigrations(applied: readonly AppliedMigration[], userVersion: number, known: readonly Migration[]): MigrationState {
  const latest = known.length === 0 ? 0 : known[known.length - 1].version;
  const appliedTop = applied.length === 0 ? 0 : applied[applied.length - 1].version;
  const version = Math.max(userVersion, appliedTop);
  for (let i = 0; i < Math.min(applied.length, known.length); i++) {
    const a = applied[i];
    const k = known[i];
    if (a.version !== k.version || a.name !== k.name) {
      return { kind: 'diverged', detail: `its migration ${a.version} is "${a.name}" where this version of SGNN Studio has ${k.version} "${k.name}"` };
    }
  }
  if (version > latest || applied.length > known.length) return { kind: 'too-new', version, latest };
  if (userVersion !== appliedTop) {
    return { kind: 'diverged', detail: `its schema version (${userVersion}) does not match its recorded migrations (up to ${appliedTop})` };
  }
  if (applied.length === known.length) return { kind: 'current', version };
  return { kind: 'behind', version, pending: known.slice(applied.length) };
}

/**
 * Applies one migration in an IMMEDIATE transaction (call with PRAGMA foreign_keys = OFF), after re-reading user_version inside it so
 * that two processes upgrading the same file at once apply each step exactly once. Returns false
 * when another process had already applied it.
 */
export function applyMigration(db: Database.Database, migration: Migration, appVersion: string, now: Date): boolean {
  const run = db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current >= migration.version) return false;
    if (current !== migration.version - 1) {
      throw new Error(`cannot apply migration ${migration.version} "${migration.name}" to schema ${current}`);
    }
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TEXT NOT NULL,
      app_version TEXT NOT NULL
    )`);
    migration.up(db);
    // Migrations run with foreign keys off (so a table can be rebuilt); check them before committing.
    const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[];
    if (broken.length > 0) {
      throw new Error(`it leaves ${broken.length} row(s) of ${broken[0].table} referring to missing rows of ${broken[0].parent}`);
    }
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at, app_version) VALUES (?, ?, ?, ?)')
      .run(migration.version, migration.name, now.toISOString(), appVersion);
    db.pragma(`user_version = ${migration.version}`);
    return true;
  });
  return run.immediate();
}

/** 2025-01-02T03:04:05.678Z → 20250102T030405Z (no colons: valid in Windows file names). */
export function compactTimestamp(now: Date): string {
  return now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
}

/**
 * Where the copy taken before migrating goes: beside the file, `study.sgnn` →
 * `study.backup-v1-20250102T030405Z.sgnn` (a suffix -2, -3, … if that name is taken).
 */
export function backupPathFor(file: string, oldVersion: number, now: Date): string {
  const ext = extname(file);
  const stem = ext === '.sgnn' ? basename(file, ext) : basename(file);
  const base = join(dirname(file), `${stem}.backup-v${oldVersion}-${compactTimestamp(now)}`);
  let candidate = `${base}.sgnn`;
  for (let n = 2; existsSync(candidate); n++) candidate = `${base}-${n}.sgnn`;
  return candidate;
}
