/**
 * The one error type of the store. Every failure a user can meet when opening or writing a project
 * (missing file, foreign file, damage, a newer schema, another process writing) becomes a
 * ProjectError whose message names the file and says what to do, never a raw SQLite error.
 */
import { basename } from 'node:path';

export type ProjectErrorCode =
  | 'not-found'
  | 'not-a-project'
  | 'corrupt'
  | 'too-new'
  | 'locked'
  | 'exists'
  | 'migration-failed'
  | 'invalid';

/** A failure on a project file, with a code the UI can act on and a message the user can read. */
export class ProjectError extends Error {
  readonly code: ProjectErrorCode;
  /** The project file concerned (absolute or as given), when there is one. */
  readonly file: string | undefined;

  constructor(code: ProjectErrorCode, message: string, options?: { file?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProjectError';
    this.code = code;
    this.file = options?.file;
  }
}

/** True when `err` is a ProjectError (optionally with the given code). */
export function isProjectError(err: unknown, code?: ProjectErrorCode): err is ProjectError {
  return err instanceof ProjectError && (code === undefined || err.code === code);
}

/** The SQLite result code of an error thrown by better-sqlite3 (e.g. 'SQLITE_BUSY'), if any. */
export function sqliteCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/**
 * Turns the SQLite errors that mean "locked", "damaged" or "not a database" into ProjectErrors
 * naming the file; returns any other error unchanged so programming errors keep their stack.
 */
export function translateSqliteError(err: unknown, path: string, busyTimeoutMs: number): unknown {
  if (err instanceof ProjectError) return err;
  const code = sqliteCode(err);
  if (code === undefined) return err;
  const name = basename(path);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new ProjectError('locked',
      `${name} is being written by another process (SGNN Studio or the sgnn command line) and stayed locked for ` +
      `${busyTimeoutMs} ms: wait for that process to finish or close it, then try again`, { file: path, cause: err });
  }
  if (code.startsWith('SQLITE_CORRUPT')) {
    return new ProjectError('corrupt',
      `${name} is damaged (${(err as Error).message}): open a backup copy, or run "sgnn project check ${name}" to see what is affected`,
      { file: path, cause: err });
  }
  if (code === 'SQLITE_NOTADB') {
    return new ProjectError('not-a-project',
      `${name} is not an SGNN Studio project (not an SQLite database): choose a .sgnn project file`, { file: path, cause: err });
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new ProjectError('invalid',
      `${name} cannot be written (${(err as Error).message}): it is open read-only or the file or folder is not writable`,
      { file: path, cause: err });
  }
  if (code === 'SQLITE_FULL') {
    return new ProjectError('invalid', `${name} could not be written because the disk is full: free some space and try again`,
      { file: path, cause: err });
  }
  return err;
}
