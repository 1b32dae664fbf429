/** Estimates: a network applied to a dataset (posterior summary, samples, diagnostics as JSON). */
import { checkInteger, fromJson, missing, toJson, type StoreContext } from './context.ts';

export interface NewEstimate {
  networkId: number;
  datasetId: number;
  result: unknown;
  name?: string;
}

export interface StoredEstimate {
  estimateId: number;
  networkId: number;
  datasetId: number | null;
  name: string | null;
  result: unknown;
  createdAt: string;
}

interface EstimateRow {
  id: number;
  network_id: number;
  dataset_id: number | null;
  name: string | null;
  result: string;
  created_at: string;
}

/** Estimates of a project. */
export class EstimateRepository {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** Stores an estimate; returns its id. */
  save(input: NewEstimate): number {
    const ctx = this.#ctx;
    checkInteger(input.networkId, 'networkId', 1);
    checkInteger(input.datasetId, 'datasetId', 1);
    const result = toJson(input.result ?? null, 'the estimate result');
    return ctx.write(() => {
      if (ctx.stmt('SELECT 1 FROM networks WHERE id = ?').get(input.networkId) === undefined) throw missing(ctx, `network ${input.networkId}`);
      if (ctx.stmt('SELECT 1 FROM datasets WHERE id = ?').get(input.datasetId) === undefined) throw missing(ctx, `dataset ${input.datasetId}`);
      return Number(ctx.stmt('INSERT INTO estimates (network_id, dataset_id, name, result, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(input.networkId, input.datasetId, input.name ?? null, result, ctx.now().toISOString()).lastInsertRowid);
    });
  }

  /** Every estimate, or those of one network, oldest first. */
  list(networkId?: number): StoredEstimate[] {
    const ctx = this.#ctx;
    const rows = ctx.read(() => (networkId === undefined
      ? ctx.stmt('SELECT * FROM estimates ORDER BY id').all()
      : ctx.stmt('SELECT * FROM estimates WHERE network_id = ? ORDER BY id').all(networkId))) as EstimateRow[];
    return rows.map((r) => this.#toEstimate(r));
  }

  /** One estimate, or undefined. */
  get(id: number): StoredEstimate | undefined {
    const row = this.#ctx.read(() => this.#ctx.stmt('SELECT * FROM estimates WHERE id = ?').get(id)) as EstimateRow | undefined;
    return row === undefined ? undefined : this.#toEstimate(row);
  }

  /** Deletes an estimate. */
  remove(id: number): void {
    const ctx = this.#ctx;
    ctx.write(() => {
      if (ctx.stmt('DELETE FROM estimates WHERE id = ?').run(id).changes === 0) throw missing(ctx, `estimate ${id}`);
    });
  }

  #toEstimate(r: EstimateRow): StoredEstimate {
    return {
      estimateId: r.id,
      networkId: r.network_id,
      datasetId: r.dataset_id,
      name: r.name,
      result: fromJson(this.#ctx, r.result, `the result of estimate ${r.id}`),
      createdAt: r.created_at,
    };
  }
}
