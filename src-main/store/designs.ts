/** Designs: the observation times and observables a bank is simulated for and a network is trained for. */
import { fromBlob, toBlob } from './blob.ts';
import { checkInteger, checkName, fromJson, missing, toJson, type StoreContext } from './context.ts';
import { ProjectError } from './errors.ts';

export interface NewDesign {
  name: string;
  /** Strictly increasing, finite. */
  times: Float64Array;
  /** Observable ids, distinct. */
  observables: string[];
  /** The dataset whose time points this design was made from, if any. */
  datasetId?: number | null;
}

export interface StoredDesign {
  designId: number;
  name: string;
  times: Float64Array;
  observables: string[];
  datasetId: number | null;
  createdAt: string;
}

interface DesignRow {
  id: number;
  name: string;
  times: Buffer;
  observables: string;
  dataset_id: number | null;
  created_at: string;
}

/** Designs of a project. */
export class DesignRepository {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** Stores a design; returns its id. */
  add(input: NewDesign): number {
    const ctx = this.#ctx;
    checkName(input.name, 'the design name');
    const times = input.times instanceof Float64Array ? input.times : Float64Array.from(input.times as ArrayLike<number>);
    if (times.length === 0) throw new ProjectError('invalid', `design "${input.name}": times must not be empty`);
    for (let i = 0; i < times.length; i++) {
      if (!Number.isFinite(times[i])) throw new ProjectError('invalid', `design "${input.name}": time ${i + 1} is ${times[i]}; times must be finite`);
      if (i > 0 && !(times[i] > times[i - 1])) {
        throw new ProjectError('invalid', `design "${input.name}": times must be strictly increasing (time ${i + 1} is ${times[i]} after ${times[i - 1]})`);
      }
    }
    const obs = input.observables;
    if (!Array.isArray(obs) || obs.length === 0 || obs.some((o) => typeof o !== 'string' || o === '')) {
      throw new ProjectError('invalid', `design "${input.name}": observables must be a non-empty list of observable ids`);
    }
    const dup = obs.find((o, i) => obs.indexOf(o) !== i);
    if (dup !== undefined) throw new ProjectError('invalid', `design "${input.name}": observable "${dup}" appears twice`);
    return ctx.write(() => {
      if (input.datasetId !== undefined && input.datasetId !== null) {
        checkInteger(input.datasetId, 'datasetId', 1);
        if (ctx.stmt('SELECT 1 FROM datasets WHERE id = ?').get(input.datasetId) === undefined) throw missing(ctx, `dataset ${input.datasetId}`);
      }
      return Number(ctx.stmt('INSERT INTO designs (name, times, observables, dataset_id, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(input.name, toBlob(times), toJson(obs, 'observables'), input.datasetId ?? null, ctx.now().toISOString()).lastInsertRowid);
    });
  }

  /** Every design. */
  list(): StoredDesign[] {
    const rows = this.#ctx.read(() => this.#ctx.stmt('SELECT * FROM designs ORDER BY id').all()) as DesignRow[];
    return rows.map((r) => this.#toDesign(r));
  }

  /** One design, or undefined. */
  get(id: number): StoredDesign | undefined {
    const row = this.#ctx.read(() => this.#ctx.stmt('SELECT * FROM designs WHERE id = ?').get(id)) as DesignRow | undefined;
    return row === undefined ? undefined : this.#toDesign(row);
  }

  /** Deletes a design; refused while a bank uses it. */
  remove(id: number): void {
    const ctx = this.#ctx;
    ctx.write(() => {
      const d = ctx.stmt('SELECT name FROM designs WHERE id = ?').get(id) as { name: string } | undefined;
      if (d === undefined) throw missing(ctx, `design ${id}`);
      const banks = ctx.stmt('SELECT id, name FROM banks WHERE design_id = ? ORDER BY id').all(id) as { id: number; name: string }[];
      if (banks.length > 0) {
        throw new ProjectError('invalid', `design "${d.name}" cannot be deleted: bank${banks.length > 1 ? 's' : ''} ${banks.map((b) => `"${b.name}" (${b.id})`).join(', ')} use${banks.length > 1 ? '' : 's'} it; delete ${banks.length > 1 ? 'them' : 'it'} first`, { file: ctx.path });
      }
      ctx.stmt('DELETE FROM designs WHERE id = ?').run(id);
    });
  }

  #toDesign(r: DesignRow): StoredDesign {
    return {
      designId: r.id,
      name: r.name,
      times: fromBlob(r.times, 'float64'),
      observables: fromJson<string[]>(this.#ctx, r.observables, `the observables of design ${r.id}`),
      datasetId: r.dataset_id,
      createdAt: r.created_at,
    };
  }
}
