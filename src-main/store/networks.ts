/**
 * Trained networks: architecture, normalisation, training history and weights (one typed-array
 * BLOB per tensor). A network names the bank it was trained on, and through it the exact model
 * versions and design.
 */
import { bytesPerElement, dtypeOf, fromBlob, isDtype, shapeSize, toBlob, type Dtype, type NumericArray } from './blob.ts';
import { checkInteger, checkName, fromJson, missing, toJson, type StoreContext } from './context.ts';
import { ProjectError } from './errors.ts';

export interface WeightTensorInput {
  name: string;
  shape: number[];
  dtype: Dtype;
  data: ArrayBufferView;
}

export interface WeightTensor {
  name: string;
  shape: number[];
  dtype: Dtype;
  data: NumericArray;
}

export interface NewNetwork {
  name: string;
  bankId: number;
  /** e.g. 'estimator' or 'classifier'. */
  kind: string;
  architecture: unknown;
  normalisation: unknown;
  weights: WeightTensorInput[];
  history: unknown;
  /** The training backend that produced it (e.g. 'tfjs-wasm'). */
  backend: string;
  checks?: unknown;
}

export interface NetworkSummary {
  networkId: number;
  name: string;
  bankId: number;
  kind: string;
  backend: string;
  architecture: unknown;
  normalisation: unknown;
  history: unknown;
  checks: unknown;
  weightBytes: number;
  createdAt: string;
  updatedAt: string;
}

export interface StoredNetwork extends NetworkSummary {
  weights: WeightTensor[];
}

interface NetworkRow {
  id: number;
  name: string;
  bank_id: number;
  kind: string;
  architecture: string;
  normalisation: string;
  history: string;
  backend: string;
  checks: string | null;
  created_at: string;
  updated_at: string;
  weight_bytes: number;
}

const SELECT = `SELECT n.*, (SELECT COALESCE(SUM(length(data)), 0) FROM network_weights w WHERE w.network_id = n.id) AS weight_bytes FROM networks n`;

/** Trained networks of a project. */
export class NetworkRepository {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** Stores a trained network with its weights in one transaction; returns its id. */
  save(input: NewNetwork): number {
    const ctx = this.#ctx;
    checkName(input.name, 'the network name');
    checkName(input.kind, `network "${input.name}": kind`);
    checkName(input.backend, `network "${input.name}": backend`);
    checkInteger(input.bankId, `network "${input.name}": bankId`, 1);
    if (!Array.isArray(input.weights)) throw new ProjectError('invalid', `network "${input.name}": weights must be a list of tensors`);
    const tensors = input.weights.map((w, i) => {
      const where = `network "${input.name}", weight ${i} ("${String(w.name)}")`;
      checkName(w.name, `${where}: name`);
      if (!isDtype(w.dtype)) throw new ProjectError('invalid', `${where}: dtype "${String(w.dtype)}" is not one of float64, float32, int32, uint32, int16, uint16, int8, uint8`);
      if (!Array.isArray(w.shape) || w.shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
        throw new ProjectError('invalid', `${where}: shape must be a list of non-negative integers (found ${JSON.stringify(w.shape)})`);
      }
      if (!ArrayBuffer.isView(w.data)) throw new ProjectError('invalid', `${where}: data must be a typed array`);
      const actual = dtypeOf(w.data);
      if (actual !== w.dtype) throw new ProjectError('invalid', `${where}: data is ${actual ?? w.data.constructor.name} but dtype says ${w.dtype}`);
      const expected = shapeSize(w.shape) * bytesPerElement(w.dtype);
      if (w.data.byteLength !== expected) {
        throw new ProjectError('invalid', `${where}: data has ${w.data.byteLength / bytesPerElement(w.dtype)} values; shape [${w.shape.join(', ')}] needs ${shapeSize(w.shape)}`);
      }
      return { name: w.name, shape: toJson(w.shape, 'shape'), dtype: w.dtype, data: toBlob(w.data) };
    });
    const architecture = toJson(input.architecture ?? null, `network "${input.name}": architecture`);
    const normalisation = toJson(input.normalisation ?? null, `network "${input.name}": normalisation`);
    const history = toJson(input.history ?? null, `network "${input.name}": history`);
    const checks = input.checks === undefined ? null : toJson(input.checks, `network "${input.name}": checks`);
    return ctx.write(() => {
      if (ctx.stmt('SELECT 1 FROM banks WHERE id = ?').get(input.bankId) === undefined) throw missing(ctx, `bank ${input.bankId}`);
      const now = ctx.now().toISOString();
      const id = Number(ctx.stmt(`INSERT INTO networks (name, bank_id, kind, architecture, normalisation, history, backend, checks, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(input.name, input.bankId, input.kind, architecture, normalisation, history, input.backend, checks, now, now).lastInsertRowid);
      const insert = ctx.stmt('INSERT INTO network_weights (network_id, idx, name, shape, dtype, data) VALUES (?, ?, ?, ?, ?, ?)');
      tensors.forEach((t, i) => insert.run(id, i, t.name, t.shape, t.dtype, t.data));
      return id;
    });
  }

  /** A network with its weights, or undefined. */
  get(id: number): StoredNetwork | undefined {
    const ctx = this.#ctx;
    const row = ctx.read(() => ctx.stmt(`${SELECT} WHERE n.id = ?`).get(id)) as NetworkRow | undefined;
    if (row === undefined) return undefined;
    const rows = ctx.read(() => ctx.stmt('SELECT name, shape, dtype, data FROM network_weights WHERE network_id = ? ORDER BY idx').all(id)) as
      { name: string; shape: string; dtype: string; data: Buffer }[];
    const weights = rows.map((w): WeightTensor => {
      const shape = fromJson<number[]>(ctx, w.shape, `the shape of weight "${w.name}" of network ${id}`);
      if (!isDtype(w.dtype) || !Array.isArray(shape) || w.data.length !== shapeSize(shape) * bytesPerElement(w.dtype)) {
        throw new ProjectError('corrupt', `${ctx.fileName}: weight "${w.name}" of network ${id} is damaged: run "sgnn project check ${ctx.fileName}"`, { file: ctx.path });
      }
      return { name: w.name, shape, dtype: w.dtype, data: fromBlob(w.data, w.dtype) };
    });
    return { ...this.#summary(row), weights };
  }

  /** Every network (without weights), optionally only those trained on one bank. */
  list(options: { bankId?: number } = {}): NetworkSummary[] {
    const ctx = this.#ctx;
    const rows = ctx.read(() => (options.bankId === undefined
      ? ctx.stmt(`${SELECT} ORDER BY n.id`).all()
      : ctx.stmt(`${SELECT} WHERE n.bank_id = ? ORDER BY n.id`).all(options.bankId))) as NetworkRow[];
    return rows.map((r) => this.#summary(r));
  }

  /** Replaces the stored checks (recovery, calibration, …) of a network. */
  updateChecks(id: number, checks: unknown): void {
    const ctx = this.#ctx;
    const json = toJson(checks, `the checks of network ${id}`);
    ctx.write(() => {
      const r = ctx.stmt('UPDATE networks SET checks = ?, updated_at = ? WHERE id = ?').run(json, ctx.now().toISOString(), id);
      if (r.changes === 0) throw missing(ctx, `network ${id}`);
    });
  }

  /** Deletes a network and its weights; refused while an estimate was made with it. */
  remove(id: number): void {
    const ctx = this.#ctx;
    ctx.write(() => {
      const net = ctx.stmt('SELECT name FROM networks WHERE id = ?').get(id) as { name: string } | undefined;
      if (net === undefined) throw missing(ctx, `network ${id}`);
      const n = (ctx.stmt('SELECT COUNT(*) AS n FROM estimates WHERE network_id = ?').get(id) as { n: number }).n;
      if (n > 0) {
        throw new ProjectError('invalid', `network "${net.name}" cannot be deleted: ${n} estimate${n > 1 ? 's were' : ' was'} made with it; delete ${n > 1 ? 'them' : 'it'} first`, { file: ctx.path });
      }
      ctx.stmt('DELETE FROM networks WHERE id = ?').run(id);
    });
  }

  #summary(r: NetworkRow): NetworkSummary {
    const ctx = this.#ctx;
    return {
      networkId: r.id,
      name: r.name,
      bankId: r.bank_id,
      kind: r.kind,
      backend: r.backend,
      architecture: fromJson(ctx, r.architecture, `the architecture of network ${r.id}`),
      normalisation: fromJson(ctx, r.normalisation, `the normalisation of network ${r.id}`),
      history: fromJson(ctx, r.history, `the training history of network ${r.id}`),
      checks: r.checks === null ? null : fromJson(ctx, r.checks, `the checks of network ${r.id}`),
      weightBytes: r.weight_bytes,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }
}
