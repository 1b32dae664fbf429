/**
 * Simulation banks: runs (θ, x, model label) stored in chunks of typed-array BLOBs, so a bank of
 * 10^6 runs is written and read one chunk at a time with bounded memory. A bank records exactly
 * which model versions and which design it came from.
 *
 * Chunk i holds runs [i·chunkSize, min((i+1)·chunkSize, nTotal)). Writing a chunk is one
 * transaction and is idempotent: a job resumed after a crash may write the same chunk again.
 */
import { crc32 } from 'node:zlib';
import { fromBlob, toBlob } from './blob.ts';
import { checkInteger, checkName, fromJson, missing, toJson, type StoreContext } from './context.ts';
import { ProjectError } from './errors.ts';

export interface BankModelRef {
  modelId: number;
  version: number;
  /** What the user calls this mechanism ("SIR", "SEIR"). */
  label: string;
  /** Prior probability weight of this model (> 0). */
  weight: number;
}

export interface NewBank {
  name: string;
  designId: number;
  /** Runs' model labels are indexes into this list. */
  models: BankModelRef[];
  /** Integer in [0, 2^53). */
  seed: number;
  nTotal: number;
  chunkSize: number;
  /** Whether observations include the observation noise. */
  noise: boolean;
  /** The full simulation spec (solver options, priors used, …), stored as JSON. */
  spec: unknown;
  /** Names of the columns of `params`; fixes nParams. Without it, the first chunk fixes nParams. */
  paramNames?: string[];
}

export interface BankChunkInput {
  nRuns: number;
  /** nRuns × nParams, row-major. */
  params: Float64Array;
  /** nRuns × nTimes × nObs, row-major (run, time, observable). */
  observations: Float32Array | Float64Array;
  /** nRuns indexes into the bank's models. */
  modelLabels: Int32Array;
  /** How many of the runs failed to simulate (their observations are NaN). Default 0. */
  nFailed?: number;
}

export interface BankChunk extends BankChunkInput {
  nFailed: number;
  chunkIndex: number;
  /** Index of the chunk's first run in the bank. */
  firstRun: number;
}

export type BankStatus = 'writing' | 'complete';

export interface BankInfo {
  bankId: number;
  name: string;
  designId: number;
  models: (BankModelRef & { index: number })[];
  seed: number;
  nTotal: number;
  chunkSize: number;
  noise: boolean;
  spec: unknown;
  paramNames: string[] | null;
  /** Null until fixed by paramNames or the first chunk. */
  nParams: number | null;
  nTimes: number;
  nObs: number;
  obsDtype: 'float32' | 'float64' | null;
  status: BankStatus;
  /** Chunks a complete bank has. */
  nChunks: number;
  chunksWritten: number;
  /** Runs written so far. */
  nDone: number;
  /** Of those, runs whose simulation failed. */
  nFailed: number;
  /** Bytes of chunk data stored. */
  bytes: number;
  createdAt: string;
  completedAt: string | null;
}

interface BankRow {
  id: number;
  name: string;
  design_id: number;
  seed: number;
  n_total: number;
  chunk_size: number;
  noise: number;
  spec: string;
  param_names: string | null;
  n_params: number | null;
  n_times: number;
  n_obs: number;
  obs_dtype: 'float32' | 'float64' | null;
  status: BankStatus;
  created_at: string;
  completed_at: string | null;
}

interface ChunkRow {
  chunk_index: number;
  n_runs: number;
  n_failed: number;
  params: Buffer;
  observations: Buffer;
  model_labels: Buffer;
  crc32: number;
}

/** The CRC-32 of a chunk's three blobs in order, as stored in bank_chunks.crc32. */
export function chunkCrc(params: Uint8Array, observations: Uint8Array, modelLabels: Uint8Array): number {
  return crc32(modelLabels, crc32(observations, crc32(params)));
}

/** Number of chunks of a complete bank. */
export function chunkCount(nTotal: number, chunkSize: number): number {
  return Math.ceil(nTotal / chunkSize);
}

/** Number of runs chunk `index` must hold. */
export function runsInChunk(nTotal: number, chunkSize: number, index: number): number {
  return Math.min(chunkSize, nTotal - index * chunkSize);
}

/** Simulation banks of a project: create, write chunks, stream them back. */
export class BankRepository {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** Creates an empty bank ('writing'); returns its id. */
  create(input: NewBank): number {
    const ctx = this.#ctx;
    checkName(input.name, 'the bank name');
    const nTotal = checkInteger(input.nTotal, `bank "${input.name}": nTotal`, 1);
    const chunkSize = checkInteger(input.chunkSize, `bank "${input.name}": chunkSize`, 1);
    checkInteger(input.seed, `bank "${input.name}": seed`, 0);
    if (typeof input.noise !== 'boolean') throw new ProjectError('invalid', `bank "${input.name}": noise must be true or false`);
    if (!Array.isArray(input.models) || input.models.length === 0) {
      throw new ProjectError('invalid', `bank "${input.name}": models must list at least one model version`);
    }
    input.models.forEach((m, i) => {
      checkInteger(m.modelId, `bank "${input.name}": models[${i}].modelId`, 1);
      checkInteger(m.version, `bank "${input.name}": models[${i}].version`, 1);
      checkName(m.label, `bank "${input.name}": models[${i}].label`);
      if (typeof m.weight !== 'number' || !(m.weight > 0) || !Number.isFinite(m.weight)) {
        throw new ProjectError('invalid', `bank "${input.name}": models[${i}].weight must be a positive number (found ${String(m.weight)})`);
      }
    });
    const paramNames = input.paramNames;
    if (paramNames !== undefined && (!Array.isArray(paramNames) || paramNames.some((p) => typeof p !== 'string'))) {
      throw new ProjectError('invalid', `bank "${input.name}": paramNames must be a list of names`);
    }
    const spec = toJson(input.spec ?? null, `bank "${input.name}": spec`);
    return ctx.write(() => {
      const design = ctx.stmt('SELECT times, observables FROM designs WHERE id = ?').get(input.designId) as { times: Buffer; observables: string } | undefined;
      if (design === undefined) throw missing(ctx, `design ${String(input.designId)}`);
      for (const m of input.models) {
        if (ctx.stmt('SELECT 1 FROM model_versions WHERE model_id = ? AND version = ?').get(m.modelId, m.version) === undefined) {
          throw missing(ctx, `model ${m.modelId} version ${m.version}`);
        }
      }
      const nTimes = design.times.length / 8;
      const nObs = fromJson<string[]>(ctx, design.observables, `the observables of design ${input.designId}`).length;
      const now = ctx.now().toISOString();
      const id = Number(ctx.stmt(`INSERT INTO banks (name, design_id, seed, n_total, chunk_size, noise, spec, param_names, n_params, n_times, n_obs, obs_dtype, status, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, 'writing', ?)`).run(input.name, input.designId, input.seed, nTotal, chunkSize, input.noise ? 1 : 0, spec,
        paramNames === undefined ? null : toJson(paramNames, 'paramNames'), paramNames?.length ?? null, nTimes, nObs, now).lastInsertRowid);
      const insertModel = ctx.stmt('INSERT INTO bank_models (bank_id, idx, model_id, version, label, weight) VALUES (?, ?, ?, ?, ?, ?)');
      input.models.forEach((m, i) => insertModel.run(id, i, m.modelId, m.version, m.label, m.weight));
      return id;
    });
  }

  /**
   * Writes one chunk in one transaction. Writing a chunk that is already there with identical
   * content does nothing and returns false; different content is refused.
   */
  writeChunk(bankId: number, chunkIndex: number, chunk: BankChunkInput): boolean {
    const ctx = this.#ctx;
    const bank = this.#row(bankId);
    const where = `bank "${bank.name}" (${bankId}), chunk ${chunkIndex}`;
    const nChunks = chunkCount(bank.n_total, bank.chunk_size);
    if (!Number.isSafeInteger(chunkIndex) || chunkIndex < 0 || chunkIndex >= nChunks) {
      throw new ProjectError('invalid', `${where}: the chunk index must be an integer in 0…${nChunks - 1} (${bank.n_total} runs in chunks of ${bank.chunk_size})`);
    }
    const nRuns = runsInChunk(bank.n_total, bank.chunk_size, chunkIndex);
    if (chunk.nRuns !== nRuns) throw new ProjectError('invalid', `${where}: holds ${nRuns} runs, but nRuns is ${String(chunk.nRuns)}`);
    if (!(chunk.params instanceof Float64Array)) throw new ProjectError('invalid', `${where}: params must be a Float64Array`);
    if (!(chunk.modelLabels instanceof Int32Array)) throw new ProjectError('invalid', `${where}: modelLabels must be an Int32Array`);
    const obsDtype = chunk.observations instanceof Float32Array ? 'float32' : chunk.observations instanceof Float64Array ? 'float64' : null;
    if (obsDtype === null) throw new ProjectError('invalid', `${where}: observations must be a Float32Array or a Float64Array`);
    if (chunk.params.length % nRuns !== 0) {
      throw new ProjectError('invalid', `${where}: params has ${chunk.params.length} values, not a multiple of its ${nRuns} runs`);
    }
    const nParams = chunk.params.length / nRuns;
    if (bank.n_params !== null && nParams !== bank.n_params) {
      throw new ProjectError('invalid', `${where}: params has ${nParams} values per run; the bank has ${bank.n_params} (expected ${nRuns} × ${bank.n_params} = ${nRuns * bank.n_params} values)`);
    }
    const nObsValues = nRuns * bank.n_times * bank.n_obs;
    if (chunk.observations.length !== nObsValues) {
      throw new ProjectError('invalid', `${where}: observations has ${chunk.observations.length} values; expected ${nRuns} runs × ${bank.n_times} times × ${bank.n_obs} observables = ${nObsValues}`);
    }
    if (bank.obs_dtype !== null && obsDtype !== bank.obs_dtype) {
      throw new ProjectError('invalid', `${where}: observations are ${obsDtype}; the bank's earlier chunks are ${bank.obs_dtype}`);
    }
    const nFailed = chunk.nFailed ?? 0;
    if (!Number.isSafeInteger(nFailed) || nFailed < 0 || nFailed > nRuns) throw new ProjectError('invalid', `${where}: nFailed must be an integer in 0…${nRuns} (found ${String(chunk.nFailed)})`);
    if (chunk.modelLabels.length !== nRuns) throw new ProjectError('invalid', `${where}: modelLabels has ${chunk.modelLabels.length} values; expected ${nRuns}`);
    const nModels = (ctx.read(() => ctx.stmt('SELECT COUNT(*) AS n FROM bank_models WHERE bank_id = ?').get(bankId)) as { n: number }).n;
    const labels = chunk.modelLabels;
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= nModels) {
        throw new ProjectError('invalid', `${where}: run ${i} has model label ${labels[i]}; the bank has ${nModels} model${nModels > 1 ? 's' : ''} (labels 0…${nModels - 1})`);
      }
    }
    const params = toBlob(chunk.params);
    const observations = toBlob(chunk.observations);
    const modelLabels = toBlob(labels);
    const crc = chunkCrc(params, observations, modelLabels);
    return ctx.write(() => {
      const existing = ctx.stmt('SELECT n_runs, n_failed, params, observations, model_labels, crc32 FROM bank_chunks WHERE bank_id = ? AND chunk_index = ?')
        .get(bankId, chunkIndex) as ChunkRow | undefined;
      if (existing !== undefined) {
        const same = existing.crc32 === crc && existing.n_failed === nFailed && existing.params.equals(params) && existing.observations.equals(observations) && existing.model_labels.equals(modelLabels);
        if (!same) throw new ProjectError('invalid', `${where} was already written with different data; a chunk is never overwritten (remove the bank to simulate it again)`, { file: ctx.path });
        return false;
      }
      // Re-read inside the transaction: another process may have fixed the shape meanwhile.
      const current = ctx.stmt('SELECT status, n_params, obs_dtype FROM banks WHERE id = ?').get(bankId) as Pick<BankRow, 'status' | 'n_params' | 'obs_dtype'> | undefined;
      if (current === undefined) throw missing(ctx, `bank ${bankId}`);
      if (current.status === 'complete') throw new ProjectError('invalid', `${where}: the bank is complete; no chunk can be added`, { file: ctx.path });
      if (current.n_params !== null && current.n_params !== nParams) throw new ProjectError('invalid', `${where}: params has ${nParams} values per run; the bank has ${current.n_params}`);
      if (current.obs_dtype !== null && current.obs_dtype !== obsDtype) throw new ProjectError('invalid', `${where}: observations are ${obsDtype}; the bank's earlier chunks are ${current.obs_dtype}`);
      if (current.n_params === null || current.obs_dtype === null) {
        ctx.stmt('UPDATE banks SET n_params = ?, obs_dtype = ? WHERE id = ?').run(nParams, obsDtype, bankId);
      }
      ctx.stmt(`INSERT INTO bank_chunks (bank_id, chunk_index, n_runs, n_failed, params, observations, model_labels, crc32, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(bankId, chunkIndex, nRuns, nFailed, params, observations, modelLabels, crc, ctx.now().toISOString());
      return true;
    });
  }

  /** Indexes of the chunks already written (what a resumed job can skip). */
  completedChunks(bankId: number): Set<number> {
    const rows = this.#ctx.read(() => this.#ctx.stmt('SELECT chunk_index FROM bank_chunks WHERE bank_id = ? ORDER BY chunk_index').pluck().all(bankId)) as number[];
    return new Set(rows);
  }

  /** One chunk, or undefined when it has not been written. */
  readChunk(bankId: number, chunkIndex: number): BankChunk | undefined {
    const bank = this.#row(bankId);
    return this.#readOne(bank, chunkIndex);
  }

  /**
   * The written chunks in index order, one at a time: memory holds one chunk, whatever the bank's
   * size. Each chunk is fetched by its own query rather than through one open cursor, so the caller
   * may write to the project (progress, checkpoints) between chunks — better-sqlite3 refuses writes
   * while a cursor is open — and no read snapshot is held for the whole pass, which would stop WAL
   * checkpoints while another process writes. Chunks are immutable once written, so the pass is
   * consistent; chunks written after it started appear if their index is still ahead.
   */
  readChunks(bankId: number, options: { from?: number; to?: number } = {}): Generator<BankChunk, void, undefined> {
    const bank = this.#row(bankId); // now, so an unknown bank fails at the call rather than at the first next()
    return this.#iterate(bank, options.from ?? 0, options.to ?? chunkCount(bank.n_total, bank.chunk_size));
  }

  *#iterate(bank: BankRow, from: number, to: number): Generator<BankChunk, void, undefined> {
    const bankId = bank.id;
    const next = this.#ctx.stmt('SELECT chunk_index FROM bank_chunks WHERE bank_id = ? AND chunk_index >= ? AND chunk_index < ? ORDER BY chunk_index LIMIT 1').pluck();
    let index = from;
    for (;;) {
      const found = this.#ctx.read(() => next.get(bankId, index, to)) as number | undefined;
      if (found === undefined) return;
      const chunk = this.#readOne(bank, found);
      if (chunk !== undefined) yield chunk;
      index = found + 1;
    }
  }

  /** A bank's metadata, status and counts, or undefined. */
  get(bankId: number): BankInfo | undefined {
    const row = this.#ctx.read(() => this.#ctx.stmt('SELECT * FROM banks WHERE id = ?').get(bankId)) as BankRow | undefined;
    return row === undefined ? undefined : this.#info(row);
  }

  /** Every bank, oldest first. */
  list(): BankInfo[] {
    const rows = this.#ctx.read(() => this.#ctx.stmt('SELECT * FROM banks ORDER BY id').all()) as BankRow[];
    return rows.map((r) => this.#info(r));
  }

  /** Marks a bank complete; refused unless every chunk is written. Idempotent. */
  markComplete(bankId: number): void {
    const ctx = this.#ctx;
    ctx.write(() => {
      const bank = this.#row(bankId);
      if (bank.status === 'complete') return;
      const { n, runs } = ctx.stmt('SELECT COUNT(*) AS n, COALESCE(SUM(n_runs), 0) AS runs FROM bank_chunks WHERE bank_id = ?').get(bankId) as { n: number; runs: number };
      const expected = chunkCount(bank.n_total, bank.chunk_size);
      if (n !== expected || runs !== bank.n_total) {
        throw new ProjectError('invalid', `bank "${bank.name}" (${bankId}) cannot be marked complete: ${n} of ${expected} chunks (${runs} of ${bank.n_total} runs) are written`, { file: ctx.path });
      }
      ctx.stmt("UPDATE banks SET status = 'complete', completed_at = ? WHERE id = ?").run(ctx.now().toISOString(), bankId);
    });
  }

  /** Deletes a bank and its chunks; refused while a network was trained on it. */
  remove(bankId: number): void {
    const ctx = this.#ctx;
    ctx.write(() => {
      const bank = this.#row(bankId);
      const nets = ctx.stmt('SELECT id, name FROM networks WHERE bank_id = ? ORDER BY id').all(bankId) as { id: number; name: string }[];
      if (nets.length > 0) {
        throw new ProjectError('invalid', `bank "${bank.name}" cannot be deleted: network${nets.length > 1 ? 's' : ''} ${nets.map((n) => `"${n.name}" (${n.id})`).join(', ')} ` +
          `${nets.length > 1 ? 'were' : 'was'} trained on it; delete ${nets.length > 1 ? 'them' : 'it'} first`, { file: ctx.path });
      }
      ctx.stmt('DELETE FROM bank_chunks WHERE bank_id = ?').run(bankId);
      ctx.stmt('DELETE FROM bank_models WHERE bank_id = ?').run(bankId);
      ctx.stmt('DELETE FROM banks WHERE id = ?').run(bankId);
    });
  }

  #row(bankId: number): BankRow {
    const row = this.#ctx.read(() => this.#ctx.stmt('SELECT * FROM banks WHERE id = ?').get(bankId)) as BankRow | undefined;
    if (row === undefined) throw missing(this.#ctx, `bank ${String(bankId)}`);
    return row;
  }

  #readOne(bank: BankRow, chunkIndex: number): BankChunk | undefined {
    const ctx = this.#ctx;
    const row = ctx.read(() => ctx.stmt('SELECT chunk_index, n_runs, n_failed, params, observations, model_labels, crc32 FROM bank_chunks WHERE bank_id = ? AND chunk_index = ?')
      .get(bank.id, chunkIndex)) as ChunkRow | undefined;
    if (row === undefined) return undefined;
    // The bank's shape was fixed by its first chunk, read in a later snapshot if needed.
    const shape = bank.obs_dtype === null || bank.n_params === null
      ? ctx.read(() => ctx.stmt('SELECT n_params, obs_dtype FROM banks WHERE id = ?').get(bank.id)) as Pick<BankRow, 'n_params' | 'obs_dtype'>
      : bank;
    const obsDtype = shape.obs_dtype ?? 'float64';
    const nParams = shape.n_params ?? 0;
    const bytesPerObs = obsDtype === 'float32' ? 4 : 8;
    const n = row.n_runs;
    if (row.params.length !== n * nParams * 8 || row.observations.length !== n * bank.n_times * bank.n_obs * bytesPerObs || row.model_labels.length !== n * 4) {
      throw new ProjectError('corrupt', `${ctx.fileName}: chunk ${chunkIndex} of bank "${bank.name}" (${bank.id}) has the wrong size (the file is damaged): run "sgnn project check ${ctx.fileName}"`, { file: ctx.path });
    }
    return {
      chunkIndex: row.chunk_index,
      firstRun: row.chunk_index * bank.chunk_size,
      nRuns: n,
      nFailed: row.n_failed,
      params: fromBlob(row.params, 'float64'),
      observations: obsDtype === 'float32' ? fromBlob(row.observations, 'float32') : fromBlob(row.observations, 'float64'),
      modelLabels: fromBlob(row.model_labels, 'int32'),
    };
  }

  #info(r: BankRow): BankInfo {
    const ctx = this.#ctx;
    const models = ctx.read(() => ctx.stmt('SELECT idx AS "index", model_id AS modelId, version, label, weight FROM bank_models WHERE bank_id = ? ORDER BY idx').all(r.id)) as BankInfo['models'];
    const counts = ctx.read(() => ctx.stmt(`SELECT COUNT(*) AS n, COALESCE(SUM(n_runs), 0) AS runs, COALESCE(SUM(n_failed), 0) AS failed,
      COALESCE(SUM(length(params) + length(observations) + length(model_labels)), 0) AS bytes FROM bank_chunks WHERE bank_id = ?`).get(r.id)) as { n: number; runs: number; failed: number; bytes: number };
    return {
      bankId: r.id,
      name: r.name,
      designId: r.design_id,
      models,
      seed: r.seed,
      nTotal: r.n_total,
      chunkSize: r.chunk_size,
      noise: r.noise === 1,
      spec: fromJson(ctx, r.spec, `the spec of bank ${r.id}`),
      paramNames: r.param_names === null ? null : fromJson<string[]>(ctx, r.param_names, `the parameter names of bank ${r.id}`),
      nParams: r.n_params,
      nTimes: r.n_times,
      nObs: r.n_obs,
      obsDtype: r.obs_dtype,
      status: r.status,
      nChunks: chunkCount(r.n_total, r.chunk_size),
      chunksWritten: counts.n,
      nDone: counts.runs,
      nFailed: counts.failed,
      bytes: counts.bytes,
      createdAt: r.created_at,
      completedAt: r.completed_at,
    };
  }
}
