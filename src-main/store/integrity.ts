/**
 * The integrity check behind `sgnn project check`: SQLite's own page-level check, foreign keys,
 * then our invariants — the schema record, bank chunk counts, sizes and checksums, tensor sizes,
 * JSON columns. Uses only what schema v1 already had, so it also runs on files not yet upgraded.
 * Reads only; never repairs.
 */
import type Database from 'better-sqlite3';
import { bytesPerElement, isDtype, shapeSize } from './blob.ts';
import { chunkCount, chunkCrc, runsInChunk } from './banks.ts';
import { APPLICATION_ID, compareMigrations, readAppliedMigrations, type Migration } from './migrations.ts';

export interface IntegrityReport {
  ok: boolean;
  problems: string[];
}

export interface IntegrityOptions {
  /** Recompute every bank chunk's CRC-32 (reads every byte of every bank). Default true. */
  checksums?: boolean;
  /** Stop listing after this many problems. Default 100. */
  maxProblems?: number;
}

/** Checks an open project connection; returns every problem found (at most maxProblems). */
export function checkDatabase(db: Database.Database, known: readonly Migration[], options: IntegrityOptions = {}): IntegrityReport {
  const max = options.maxProblems ?? 100;
  const problems: string[] = [];
  const add = (p: string): boolean => {
    if (problems.length < max) problems.push(p);
    return problems.length < max;
  };
  const done = (): IntegrityReport => ({ ok: problems.length === 0, problems });

  const integrity = db.prepare('PRAGMA integrity_check(100)').pluck().all() as string[];
  if (!(integrity.length === 1 && integrity[0] === 'ok')) {
    for (const line of integrity) add(`SQLite: ${line}`);
  }
  for (const fk of db.prepare('PRAGMA foreign_key_check').all() as { table: string; rowid: number; parent: string; fkid: number }[]) {
    if (!add(`${fk.table} row ${fk.rowid} refers to a missing row of ${fk.parent}`)) return done();
  }

  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId !== APPLICATION_ID) add(`application_id is 0x${(appId >>> 0).toString(16)}, not 0x${APPLICATION_ID.toString(16)} (SGNN)`);
  const state = compareMigrations(readAppliedMigrations(db), db.pragma('user_version', { simple: true }) as number, known);
  if (state.kind === 'diverged') add(`schema: ${state.detail}`);
  if (state.kind === 'too-new') add(`schema: version ${state.version} is newer than this build knows (${state.latest}); only part of the file was checked`);
  if (problems.length >= max) return done();

  // Banks: every chunk where it belongs, of the right size, with the right checksum.
  const banks = db.prepare('SELECT id, name, n_total, chunk_size, n_params, n_times, n_obs, obs_dtype, status FROM banks ORDER BY id').all() as {
    id: number; name: string; n_total: number; chunk_size: number; n_params: number | null; n_times: number; n_obs: number; obs_dtype: string | null; status: string;
  }[];
  const chunkMeta = db.prepare(`SELECT chunk_index, n_runs, length(params) AS p, length(observations) AS o, length(model_labels) AS l, crc32
    FROM bank_chunks WHERE bank_id = ? ORDER BY chunk_index`);
  const chunkData = db.prepare('SELECT params, observations, model_labels FROM bank_chunks WHERE bank_id = ? AND chunk_index = ?');
  const nModels = db.prepare('SELECT COUNT(*) FROM bank_models WHERE bank_id = ?').pluck();
  for (const b of banks) {
    const name = `bank "${b.name}" (${b.id})`;
    const nChunks = chunkCount(b.n_total, b.chunk_size);
    const chunks = chunkMeta.all(b.id) as { chunk_index: number; n_runs: number; p: number; o: number; l: number; crc32: number }[];
    if ((nModels.get(b.id) as number) === 0) add(`${name} lists no model`);
    if (chunks.length > 0 && (b.n_params === null || b.obs_dtype === null)) add(`${name} has chunks but no recorded shape (n_params, obs_dtype)`);
    const obsBytes = b.obs_dtype === 'float32' ? 4 : 8;
    for (const c of chunks) {
      const where = `${name}, chunk ${c.chunk_index}`;
      if (c.chunk_index >= nChunks) {
        if (!add(`${where}: beyond the bank's ${nChunks} chunks`)) return done();
        continue;
      }
      const runs = runsInChunk(b.n_total, b.chunk_size, c.chunk_index);
      if (c.n_runs !== runs) { if (!add(`${where}: holds ${c.n_runs} runs; expected ${runs}`)) return done(); continue; }
      const expect = { p: runs * (b.n_params ?? 0) * 8, o: runs * b.n_times * b.n_obs * obsBytes, l: runs * 4 };
      const bad = (['p', 'o', 'l'] as const).filter((k) => c[k] !== expect[k]);
      if (bad.length > 0) {
        const label = { p: 'params', o: 'observations', l: 'model labels' };
        if (!add(`${where}: ${bad.map((k) => `${label[k]} ${c[k]} bytes, expected ${expect[k]}`).join('; ')}`)) return done();
        continue;
      }
      if (options.checksums ?? true) {
        const d = chunkData.get(b.id, c.chunk_index) as { params: Buffer; observations: Buffer; model_labels: Buffer };
        if (chunkCrc(d.params, d.observations, d.model_labels) !== c.crc32) {
          if (!add(`${where}: checksum mismatch (its data changed after it was written)`)) return done();
        }
      }
    }
    if (b.status === 'complete') {
      const have = new Set(chunks.map((c) => c.chunk_index));
      const absent: number[] = [];
      for (let i = 0; i < nChunks; i++) if (!have.has(i)) absent.push(i);
      if (absent.length > 0) {
        const list = absent.length > 10 ? `${absent.slice(0, 10).join(', ')}, … (${absent.length} in all)` : absent.join(', ');
        if (!add(`${name} is marked complete but chunk${absent.length > 1 ? 's' : ''} ${list} ${absent.length > 1 ? 'are' : 'is'} missing`)) return done();
      }
    }
  }

  // Network weights: size agrees with shape and dtype.
  for (const w of db.prepare('SELECT network_id, name, shape, dtype, length(data) AS bytes FROM network_weights ORDER BY network_id, idx').iterate() as
    IterableIterator<{ network_id: number; name: string; shape: string; dtype: string; bytes: number }>) {
    let shape: unknown;
    try { shape = JSON.parse(w.shape); } catch { shape = undefined; }
    if (!isDtype(w.dtype) || !Array.isArray(shape) || shapeSize(shape as number[]) * bytesPerElement(w.dtype) !== w.bytes) {
      if (!add(`network ${w.network_id}, weight "${w.name}": ${w.bytes} bytes do not match shape ${w.shape} of ${w.dtype}`)) return done();
    }
  }

  // Datasets: values agree with times × observables; a kept table with its columns.
  for (const d of db.prepare(`SELECT id, name, observables, table_columns, length(times) AS t, length(data_values) AS v,
      length(table_values) AS tv, length(table_missing) AS tm FROM datasets ORDER BY id`).all() as
    { id: number; name: string; observables: string; table_columns: string | null; t: number; v: number; tv: number | null; tm: number | null }[]) {
    const count = (json: string | null): number => {
      try { return json === null ? 0 : (JSON.parse(json) as unknown[]).length; } catch { return -1; }
    };
    const nObs = count(d.observables);
    if (nObs < 0 || d.t % 8 !== 0 || d.v !== (d.t / 8) * nObs * 8) {
      if (!add(`dataset "${d.name}" (${d.id}): its values do not match its times × observables`)) return done();
    }
    if (d.table_columns !== null) {
      const nCols = count(d.table_columns);
      if (nCols <= 0 || d.tv === null || d.tm === null || d.tv !== d.tm * 8 || d.tm % nCols !== 0) {
        if (!add(`dataset "${d.name}" (${d.id}): its imported table does not match its columns`)) return done();
      }
    }
  }

  // JSON columns parse.
  const jsonColumns: [table: string, columns: string[]][] = [
    ['model_versions', ['json']], ['datasets', ['observables', 'mapping', 'source', 'table_columns']], ['designs', ['observables']], ['banks', ['spec', 'param_names']],
    ['networks', ['architecture', 'normalisation', 'history', 'checks']], ['estimates', ['result']], ['jobs', ['spec', 'progress', 'error', 'result']],
  ];
  for (const [table, columns] of jsonColumns) {
    for (const column of columns) {
      const n = db.prepare(`SELECT COUNT(*) FROM ${table} WHERE ${column} IS NOT NULL AND NOT json_valid(${column})`).pluck().get() as number;
      if (n > 0 && !add(`${table}.${column}: ${n} row${n > 1 ? 's hold' : ' holds'} invalid JSON`)) return done();
    }
  }
  return done();
}
