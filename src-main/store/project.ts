/**
 * A project is one SQLite file (`*.sgnn`) holding models, datasets, designs, banks, networks,
 * estimates, reports and jobs; it can be copied, emailed and reopened years later.
 *
 * Opening never damages a file. The 100-byte header is read first: a missing file, a folder, a
 * file that is not SQLite, a truncated copy or another application's database (application_id is
 * not 'SGNN') is refused without SQLite ever opening it. Then the connection only reads until the
 * schema history is known to be usable (a newer schema, an unknown history: refused, and closing
 * the connection leaves the file as it was); only then does anything write.
 * Before migrating, a copy is made beside it: `study.backup-v1-20250102T030405Z.sgnn`.
 * A read-only open may leave empty `-wal`/`-shm` files beside the project (SQLite needs them to
 * read a WAL database safely); the next read-write close removes them.
 *
 * Concurrency (WAL, busy_timeout):
 * - any number of processes may read at once, each seeing the last committed state;
 * - a reader never waits for a writer: while a bank is being written, other processes see the
 *   chunks committed so far (each chunk is its own transaction);
 * - writers are serialized by SQLite's write lock; each waits up to busyTimeoutMs (default 5 s) for
 *   it, then fails with ProjectError 'locked'. Writes are short (one chunk, one row), so two
 *   processes writing the same project interleave rather than fail;
 * - opening takes the write lock only when it must (migrating, marking dead jobs interrupted), so a
 *   project that another process is writing can still be opened and read.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, linkSync, renameSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import Database from 'better-sqlite3';
import { appVersion as defaultAppVersion } from './app-version.ts';
import { BankRepository } from './banks.ts';
import { createContext, type JobOwner, type StoreContext } from './context.ts';
import { DatasetRepository } from './datasets.ts';
import { DesignRepository } from './designs.ts';
import { isProjectError, ProjectError, sqliteCode, translateSqliteError } from './errors.ts';
import { EstimateRepository } from './estimates.ts';
import { readProjectHeader } from './file-check.ts';
import { checkDatabase, type IntegrityOptions, type IntegrityReport } from './integrity.ts';
import { JobRepository, registerSession, unregisterSession, type JobStatus } from './jobs.ts';
import { MetaRepository } from './meta.ts';
import {
  APPLICATION_ID, applyMigration, backupPathFor, compareMigrations, MIGRATIONS, PAGE_SIZE, readAppliedMigrations,
  validateMigrationList, type Migration, type MigrationState,
} from './migrations.ts';
import { ModelRepository } from './models.ts';
import { NetworkRepository } from './networks.ts';
import { ReportRepository } from './reports.ts';

export { ProjectError, isProjectError, type ProjectErrorCode } from './errors.ts';

/** How long a write waits for another process's write lock before failing with 'locked'. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

export interface OpenProjectOptions {
  /** Create the project when the file does not exist (named after the file). */
  create?: boolean;
  /** Open without the right to write: no migration, no job bookkeeping. */
  readonly?: boolean;
  /** The clock (tests pin it). */
  now?: () => Date;
  /** Wait this long for another process's write lock before 'locked'. Default 5000. */
  busyTimeoutMs?: number;
  /** Recorded as "created with" / "last written with". Default: name and version of package.json. */
  appVersion?: string;
  /**
   * The migration list this build knows; only tests pass another one, to check refusals (the
   * repositories need the full list).
   */
  migrations?: readonly Migration[];
}

export interface CreateProjectOptions extends Omit<OpenProjectOptions, 'create' | 'migrations'> {
  name: string;
  description?: string;
}

export interface ProjectInfo {
  path: string;
  fileName: string;
  name: string;
  description: string;
  schemaVersion: number;
  /** The highest schema this build can read. */
  latestSchemaVersion: number;
  createdWith: string;
  createdAt: string;
  lastWrittenWith: string;
  lastWrittenAt: string;
  /** Size on disk: the database plus its write-ahead log. */
  fileBytes: number;
  counts: {
    models: number; modelVersions: number; datasets: number; designs: number; banks: number; bankRuns: number;
    networks: number; estimates: number; reports: number; jobs: number;
  };
  /** Bytes of stored content per kind (JSON text, BLOBs), not counting SQLite's overhead. */
  bytes: { models: number; datasets: number; designs: number; banks: number; networks: number; estimates: number; reports: number; jobs: number };
  jobs: Record<JobStatus, number>;
}

export interface ProjectUpgrade {
  from: number;
  to: number;
  backupPath: string;
}

/** An open project. Make one with openProject or createProject; close it when done. */
export class Project {
  readonly path: string;
  readonly readonly: boolean;
  /** Set when opening upgraded the file's schema (and where the copy taken before is). */
  readonly upgrade: ProjectUpgrade | null;
  /** Jobs found 'running' without a live owner on open, now 'interrupted'. */
  readonly interruptedOnOpen: number;
  readonly meta: MetaRepository;
  readonly models: ModelRepository;
  readonly datasets: DatasetRepository;
  readonly designs: DesignRepository;
  readonly banks: BankRepository;
  readonly networks: NetworkRepository;
  readonly estimates: EstimateRepository;
  readonly reports: ReportRepository;
  readonly jobs: JobRepository;
  readonly #ctx: StoreContext;
  readonly #migrations: readonly Migration[];
  #open = true;

  /** Internal: use openProject / createProject. */
  constructor(ctx: StoreContext, migrations: readonly Migration[], upgrade: ProjectUpgrade | null) {
    this.#ctx = ctx;
    this.#migrations = migrations;
    this.path = ctx.path;
    this.readonly = ctx.readonly;
    this.upgrade = upgrade;
    this.meta = new MetaRepository(ctx);
    this.models = new ModelRepository(ctx);
    this.datasets = new DatasetRepository(ctx);
    this.designs = new DesignRepository(ctx);
    this.banks = new BankRepository(ctx);
    this.networks = new NetworkRepository(ctx);
    this.estimates = new EstimateRepository(ctx);
    this.reports = new ReportRepository(ctx);
    this.jobs = new JobRepository(ctx);
    registerSession(ctx.session);
    try {
      this.interruptedOnOpen = ctx.readonly ? 0 : this.jobs.markRunningAsInterrupted();
    } catch (err) {
      unregisterSession(ctx.session);
      throw err;
    }
  }

  /** Whether close() has not been called yet. */
  get isOpen(): boolean {
    return this.#open;
  }

  /** Closes the connection (the last one to close folds the WAL back into the file). Idempotent. */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    unregisterSession(this.#ctx.session);
    this.#ctx.db.close();
  }

  /** Runs `fn` in one write transaction: everything it writes is kept, or nothing is (nested calls are savepoints). */
  transaction<T>(fn: () => T): T {
    return this.#ctx.write(fn);
  }

  /** The schema version of the open file. */
  schemaVersion(): number {
    return this.#ctx.read(() => this.#ctx.db.pragma('user_version', { simple: true }) as number);
  }

  /** What the project holds: counts and sizes per kind, schema, app versions, jobs. */
  info(): ProjectInfo {
    const ctx = this.#ctx;
    const one = (sql: string): number => Number(ctx.read(() => ctx.stmt(sql).pluck().get()) ?? 0);
    const meta = this.meta.all();
    let fileBytes = 0;
    for (const suffix of ['', '-wal']) {
      try { fileBytes += statSync(this.path + suffix).size; } catch { /* no WAL */ }
    }
    return {
      path: this.path,
      fileName: ctx.fileName,
      name: meta.name ?? '',
      description: meta.description ?? '',
      schemaVersion: this.schemaVersion(),
      latestSchemaVersion: this.#migrations[this.#migrations.length - 1].version,
      createdWith: meta.createdWith ?? '',
      createdAt: meta.createdAt ?? '',
      lastWrittenWith: meta.lastWrittenWith ?? '',
      lastWrittenAt: meta.lastWrittenAt ?? '',
      fileBytes,
      counts: {
        models: one('SELECT COUNT(*) FROM models'),
        modelVersions: one('SELECT COUNT(*) FROM model_versions'),
        datasets: one('SELECT COUNT(*) FROM datasets'),
        designs: one('SELECT COUNT(*) FROM designs'),
        banks: one('SELECT COUNT(*) FROM banks'),
        bankRuns: one('SELECT COALESCE(SUM(n_runs), 0) FROM bank_chunks'),
        networks: one('SELECT COUNT(*) FROM networks'),
        estimates: one('SELECT COUNT(*) FROM estimates'),
        reports: one('SELECT COUNT(*) FROM reports'),
        jobs: one('SELECT COUNT(*) FROM jobs'),
      },
      bytes: {
        models: one('SELECT COALESCE(SUM(length(CAST(json AS BLOB))), 0) FROM model_versions'),
        datasets: one('SELECT COALESCE(SUM(length(times) + length(data_values) + COALESCE(length(table_values) + length(table_missing), 0)), 0) FROM datasets'),
        designs: one('SELECT COALESCE(SUM(length(times)), 0) FROM designs'),
        banks: one('SELECT COALESCE(SUM(length(params) + length(observations) + length(model_labels)), 0) FROM bank_chunks'),
        networks: one('SELECT COALESCE(SUM(length(data)), 0) FROM network_weights')
          + one('SELECT COALESCE(SUM(length(CAST(architecture AS BLOB)) + length(CAST(normalisation AS BLOB)) + length(CAST(history AS BLOB)) + COALESCE(length(CAST(checks AS BLOB)), 0)), 0) FROM networks'),
        estimates: one('SELECT COALESCE(SUM(length(CAST(result AS BLOB))), 0) FROM estimates'),
        reports: one('SELECT COALESCE(SUM(length(CAST(html AS BLOB))), 0) FROM reports'),
        jobs: one('SELECT COALESCE(SUM(length(CAST(spec AS BLOB)) + COALESCE(length(CAST(result AS BLOB)), 0) + COALESCE(length(CAST(checkpoint AS BLOB)), 0)), 0) FROM jobs'),
      },
      jobs: this.jobs.summary(),
    };
  }

  /**
   * PRAGMA integrity_check, foreign_key_check and the store's own invariants (bank chunk counts,
   * sizes and checksums, weight sizes, JSON). Reads every page: seconds for a large project.
   */
  checkIntegrity(options: IntegrityOptions = {}): IntegrityReport {
    const ctx = this.#ctx;
    try {
      return checkDatabase(ctx.db, this.#migrations, options);
    } catch (err) {
      const e = translateSqliteError(err, ctx.path, ctx.busyTimeoutMs);
      if (isProjectError(e, 'corrupt')) return { ok: false, problems: [e.message] };
      throw e;
    }
  }

  /** Rewrites the file without free space (after deleting banks). Needs no other connection writing. */
  compact(): void {
    const ctx = this.#ctx;
    if (ctx.readonly) throw new ProjectError('invalid', `${ctx.fileName} was opened read-only: open it for writing to compact it`, { file: ctx.path });
    ctx.read(() => ctx.db.exec('VACUUM'));
  }
}

/** Opens a project file (see the module comment for what is checked and how concurrency behaves). */
export function openProject(path: string, options: OpenProjectOptions = {}): Project {
  const migrations = options.migrations ?? MIGRATIONS;
  if (options.migrations !== undefined) validateMigrationList(migrations);
  if (options.create === true && !existsSync(path)) {
    const ext = extname(path);
    return createProject(path, { ...options, name: basename(path, ext === '' ? undefined : ext) });
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const now = options.now ?? ((): Date => new Date());
  const app = options.appVersion ?? defaultAppVersion();
  const name = basename(path);

  readProjectHeader(path);
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: options.readonly === true, fileMustExist: true, timeout: busyTimeoutMs });
    // Only reads until the schema is known to be one this build can use, so a refused file is left
    // as it was; a read-write connection (rather than a read-only one) removes the -wal/-shm files
    // SQLite creates when it closes.
    const state = inspect(db, path, migrations);
    if (options.readonly === true) {
      if (state.kind === 'behind') {
        throw new ProjectError('invalid', `${name} uses schema ${state.version} and must be upgraded to ${migrations[migrations.length - 1].version} before ` +
          'it can be read: open it once for writing (a backup copy is kept)', { file: path });
      }
      const project = new Project(context(db, path, true, busyTimeoutMs, app, now), migrations, null);
      db = undefined;
      return project;
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    let upgrade: ProjectUpgrade | null = null;
    if (state.kind === 'behind') upgrade = migrate(db, path, state, app, now, busyTimeoutMs);
    db.pragma('foreign_keys = ON');
    const project = new Project(context(db, path, false, busyTimeoutMs, app, now), migrations, upgrade);
    db = undefined;
    return project;
  } catch (err) {
    if (sqliteCode(err) === 'SQLITE_CANTOPEN') {
      throw new ProjectError('invalid', `${name} cannot be opened (${(err as Error).message}): check that you may read and write it and its folder`, { file: path, cause: err });
    }
    throw translateSqliteError(err, path, busyTimeoutMs);
  } finally {
    db?.close();
  }
}

/** Creates a new project file; refuses a path that exists. The file appears complete or not at all. */
export function createProject(path: string, options: CreateProjectOptions): Project {
  const migrations = MIGRATIONS;
  const file = basename(path);
  if (typeof options.name !== 'string' || options.name.trim() === '') {
    throw new ProjectError('invalid', `the project name must be a non-empty string (found ${JSON.stringify(options.name)})`);
  }
  if (existsSync(path)) throw new ProjectError('exists', `${path} already exists: choose another name, or open it instead`, { file: path });
  const dir = dirname(path);
  if (!existsSync(dir)) throw new ProjectError('not-found', `the folder ${dir} does not exist: create it first or choose another place for ${file}`, { file: path });
  const now = options.now ?? ((): Date => new Date());
  const app = options.appVersion ?? defaultAppVersion();

  // Built under a temporary name and linked into place, so a crash never leaves a half-made project
  // under the real name, and two processes creating the same name cannot both succeed.
  const tmp = join(dir, `.${file}.creating-${process.pid}-${randomUUID().slice(0, 8)}`);
  const cleanup = (): void => { for (const s of ['', '-wal', '-shm', '-journal']) rmSync(tmp + s, { force: true }); };
  try {
    const db = new Database(tmp);
    try {
      db.pragma(`page_size = ${PAGE_SIZE}`);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      const at = now();
      for (const m of migrations) applyMigration(db, m, app, at);
      const put = db.prepare('INSERT INTO project_meta (key, value) VALUES (?, ?)');
      db.transaction(() => {
        const iso = at.toISOString();
        for (const [k, v] of [['name', options.name], ['description', options.description ?? ''], ['createdWith', app], ['createdAt', iso],
          ['lastWrittenWith', app], ['lastWrittenAt', iso]] as const) put.run(k, v);
      })();
    } finally {
      db.close();
    }
    try {
      linkSync(tmp, path);
      rmSync(tmp);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new ProjectError('exists', `${path} already exists: choose another name, or open it instead`, { file: path });
      // Some file systems (FAT on USB sticks) have no hard links: rename, after checking again.
      if (existsSync(path)) throw new ProjectError('exists', `${path} already exists: choose another name, or open it instead`, { file: path });
      renameSync(tmp, path);
    }
  } catch (err) {
    cleanup();
    if (err instanceof ProjectError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && !code.startsWith('SQLITE_')) {
      throw new ProjectError('invalid', `${file} could not be created in ${dir} (${code}): check that the folder is writable`, { file: path, cause: err });
    }
    throw translateSqliteError(err, path, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
  }
  return openProject(path, { ...options, create: false });
}

/**
 * `sgnn project check FILE`: opens read-only (whatever the schema version, never migrating) and
 * runs the integrity check. Throws ProjectError for a file that is missing, not a project or
 * locked; damage is reported in the problems, not thrown.
 */
export function checkProjectFile(path: string, options: IntegrityOptions & { busyTimeoutMs?: number; migrations?: readonly Migration[] } = {}): IntegrityReport {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  try {
    readProjectHeader(path);
  } catch (err) {
    if (isProjectError(err, 'corrupt')) return { ok: false, problems: [err.message] };
    throw err;
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
    const appId = db.pragma('application_id', { simple: true }) as number;
    if (appId !== APPLICATION_ID) throw notOurs(path, appId);
    return checkDatabase(db, options.migrations ?? MIGRATIONS, options);
  } catch (err) {
    const e = translateSqliteError(err, path, busyTimeoutMs);
    if (isProjectError(e, 'corrupt')) return { ok: false, problems: [e.message] };
    throw e;
  } finally {
    db?.close();
  }
}

function context(db: Database.Database, path: string, readonly: boolean, busyTimeoutMs: number, app: string, now: () => Date): StoreContext {
  const session: JobOwner = { host: hostname(), pid: process.pid, session: randomUUID() };
  const ctx: StoreContext = createContext({
    db, path, readonly, busyTimeoutMs, session, appVersion: app, now,
    onFirstWrite() {
      const put = ctx.stmt('INSERT INTO project_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
      put.run('lastWrittenWith', app);
      put.run('lastWrittenAt', now().toISOString());
    },
  });
  return ctx;
}

function notOurs(path: string, appId: number): ProjectError {
  const name = basename(path);
  return appId === 0
    ? new ProjectError('not-a-project', `${name} is an SQLite database but not an SGNN Studio project: choose a .sgnn project file`, { file: path })
    : new ProjectError('not-a-project', `${name} is an SQLite database of another application (application id 0x${(appId >>> 0).toString(16)}), ` +
      'not an SGNN Studio project: choose a .sgnn project file', { file: path });
}

/** Decides, by reading only, whether the file is ours and whether this build can use its schema. */
function inspect(db: Database.Database, path: string, migrations: readonly Migration[]): MigrationState {
  const name = basename(path);
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId !== APPLICATION_ID) throw notOurs(path, appId);
  const userVersion = db.pragma('user_version', { simple: true }) as number;
  const applied = readAppliedMigrations(db);
  const state = compareMigrations(applied, userVersion, migrations);
  if (state.kind === 'too-new') {
    const by = lastWrittenWith(db);
    throw new ProjectError('too-new', `${name} was written by a newer SGNN Studio (schema ${state.version}${by === undefined ? '' : `, by ${by}`}; ` +
      `this version reads up to ${state.latest}): update the app to open it`, { file: path });
  }
  if (state.kind === 'diverged') {
    throw new ProjectError('migration-failed', `${name} has a schema history this version of SGNN Studio does not recognise (${state.detail}); ` +
      'it was probably written by a development build: open it with the build that wrote it. The file was not changed', { file: path });
  }
  if (state.kind === 'behind' && applied.length === 0) {
    throw new ProjectError('corrupt', `${name} is an SGNN Studio project without a schema (its creation was interrupted?): create the project again`, { file: path });
  }
  return state;
}

function lastWrittenWith(db: Database.Database): string | undefined {
  try {
    const row = db.prepare("SELECT value FROM project_meta WHERE key = 'lastWrittenWith'").get() as { value: string } | undefined;
    return row?.value;
  } catch {
    return undefined; // a newer schema may have moved it; the version number alone is enough
  }
}

/** Copies the file aside, then applies the pending migrations one transaction each. */
function migrate(db: Database.Database, path: string, state: Extract<MigrationState, { kind: 'behind' }>, app: string, now: () => Date, busyTimeoutMs: number): ProjectUpgrade {
  const name = basename(path);
  const at = now();
  const backupPath = backupPathFor(path, state.version, at);
  try {
    // VACUUM INTO writes a consistent snapshot (WAL included) through SQLite, so no other process's
    // half-written transaction can end up in the copy.
    db.prepare('VACUUM INTO ?').run(backupPath);
  } catch (err) {
    rmSync(backupPath, { force: true });
    const e = translateSqliteError(err, path, busyTimeoutMs);
    if (e instanceof ProjectError) throw e;
    throw new ProjectError('migration-failed', `${name} needs an upgrade from schema ${state.version}, but a backup copy could not be written to ` +
      `${backupPath} (${(err as Error).message}); the file was not changed: free some space or make the folder writable, then open it again`, { file: path, cause: err });
  }
  db.pragma('foreign_keys = OFF');
  let applied = 0;
  for (const m of state.pending) {
    try {
      if (applyMigration(db, m, app, at)) applied++;
    } catch (err) {
      // Nothing changed yet (typically: another process holds the write lock): the copy is not needed.
      if (applied === 0) rmSync(backupPath, { force: true });
      const e = translateSqliteError(err, path, busyTimeoutMs);
      if (e instanceof ProjectError) throw e;
      throw new ProjectError('migration-failed', `${name} could not be upgraded: migration ${m.version} "${m.name}" failed (${(err as Error).message}). ` +
        (applied === 0 ? 'The file was not changed' : `It was left at schema ${m.version - 1}; a copy from before the upgrade is at ${backupPath}`) +
        '. Please report this problem', { file: path, cause: err });
    }
  }
  return { from: state.version, to: state.pending[state.pending.length - 1].version, backupPath };
}
