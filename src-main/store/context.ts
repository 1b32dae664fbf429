/**
 * What every repository shares: the connection, a statement cache, the clock, and `write()`, the
 * one way repositories change the file (an IMMEDIATE transaction whose SQLite errors become
 * ProjectErrors).
 */
import { basename } from 'node:path';
import type Database from 'better-sqlite3';
import { ProjectError, translateSqliteError } from './errors.ts';

export interface StoreContext {
  readonly db: Database.Database;
  /** The project file as given to openProject. */
  readonly path: string;
  /** Its base name, for messages. */
  readonly fileName: string;
  readonly readonly: boolean;
  readonly busyTimeoutMs: number;
  /** Identifies this open project (host, pid, random id) as the owner of jobs it runs. */
  readonly session: JobOwner;
  readonly appVersion: string;
  now(): Date;
  /** A prepared statement, cached per SQL text. */
  stmt(sql: string): Database.Statement;
  /** Runs `fn` in one IMMEDIATE transaction (a savepoint inside an enclosing one); maps SQLite errors. */
  write<T>(fn: () => T): T;
  /** Runs a read; maps SQLite errors. */
  read<T>(fn: () => T): T;
}

export interface JobOwner {
  host: string;
  pid: number;
  session: string;
}

/** Builds the shared context of an open connection. */
export function createContext(args: {
  db: Database.Database;
  path: string;
  readonly: boolean;
  busyTimeoutMs: number;
  session: JobOwner;
  appVersion: string;
  now: () => Date;
  /** Called inside the first write transaction of the session (stamps "last written with"). */
  onFirstWrite: () => void;
}): StoreContext {
  const { db, path, busyTimeoutMs } = args;
  const statements = new Map<string, Database.Statement>();
  let stamped = false;
  const fileName = basename(path);
  const ctx: StoreContext = {
    db,
    path,
    fileName,
    readonly: args.readonly,
    busyTimeoutMs,
    session: args.session,
    appVersion: args.appVersion,
    now: args.now,
    stmt(sql) {
      let s = statements.get(sql);
      if (s === undefined) {
        s = db.prepare(sql);
        statements.set(sql, s);
      }
      return s;
    },
    write(fn) {
      if (args.readonly) {
        throw new ProjectError('invalid', `${fileName} was opened read-only: open it for writing to change it`, { file: path });
      }
      try {
        // Nested inside another write, better-sqlite3 makes this a SAVEPOINT: a failing inner step
        // that the caller catches undoes only itself.
        const outer = !db.inTransaction;
        return db.transaction(() => {
          if (outer && !stamped) args.onFirstWrite();
          const out = fn();
          if (outer) stamped = true;
          return out;
        }).immediate();
      } catch (err) {
        throw translateSqliteError(err, path, busyTimeoutMs);
      }
    },
    read(fn) {
      try {
        return fn();
      } catch (err) {
        throw translateSqliteError(err, path, busyTimeoutMs);
      }
    },
  };
  return ctx;
}

/** JSON text of a value for a JSON column; refuses undefined, functions and BigInts with a clear message. */
export function toJson(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new ProjectError('invalid', `${what} cannot be stored as JSON: ${(err as Error).message}`);
  }
  if (text === undefined) throw new ProjectError('invalid', `${what} cannot be stored as JSON (it is ${typeof value})`);
  return text;
}

/** Parses a JSON column; a value that does not parse means the file was damaged. */
export function fromJson<T = unknown>(ctx: StoreContext, text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ProjectError('corrupt', `${ctx.fileName}: ${what} is not valid JSON (the file is damaged): run "sgnn project check ${ctx.fileName}"`, { file: ctx.path });
  }
}

/** Throws 'invalid' naming `what` unless `n` is an integer ≥ min. */
export function checkInteger(n: unknown, what: string, min = 0): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min) {
    throw new ProjectError('invalid', `${what} must be an integer ≥ ${min} (found ${String(n)})`);
  }
  return n;
}

/** Throws 'invalid' unless `s` is a non-empty string. */
export function checkName(s: unknown, what: string): string {
  if (typeof s !== 'string' || s.trim() === '') throw new ProjectError('invalid', `${what} must be a non-empty string (found ${JSON.stringify(s)})`);
  return s;
}

/** The ProjectError for a row that does not exist. */
export function missing(ctx: StoreContext, what: string): ProjectError {
  return new ProjectError('not-found', `${what} does not exist in ${ctx.fileName}`, { file: ctx.path });
}
