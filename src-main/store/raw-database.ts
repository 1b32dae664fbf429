/**
 * Direct SQL on a project file, bypassing every check of openProject. For tests that damage files
 * on purpose, for the fixture script that writes old schema versions, and for repair tools; never
 * for application code, which goes through openProject and the repositories. Lives in store/
 * because only store/ may touch SQLite.
 */
import Database from 'better-sqlite3';

export type RawDatabase = Database.Database;

/** Opens any SQLite file (creating it unless readonly or fileMustExist) with no checks or migrations. */
export function openRawDatabase(path: string, options: { readonly?: boolean; fileMustExist?: boolean; timeoutMs?: number } = {}): RawDatabase {
  return new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.fileMustExist ?? options.readonly ?? false, timeout: options.timeoutMs ?? 5000 });
}
