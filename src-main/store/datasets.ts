/**
 * Imported data with their column mapping. A dataset is stored as observations — values at times
 * for each observable, NaN where missing — which is what designs and estimates use. Given as a
 * table (columns, rows, time column, mapping), the table is also kept exactly as imported, so
 * columns not mapped today are not lost.
 */
import { fromBlob, toBlob } from './blob.ts';
import { checkName, fromJson, missing, toJson, type StoreContext } from './context.ts';
import { ProjectError } from './errors.ts';

export interface DatasetSource {
  fileName?: string | null;
  importedAt?: string;
  [key: string]: unknown;
}

/** A dataset given as the table it was imported from. */
export interface NewDatasetTable {
  name: string;
  /** Column names of the table, in order. */
  columns: string[];
  /** Row-major cells (null where empty); give either rows or values. */
  rows?: (number | null)[][];
  /** Column-major cells, one array per column. */
  values?: ArrayLike<number | null>[];
  /** observable id → column name. */
  mapping: Record<string, string>;
  timeColumn: string;
  source: DatasetSource;
}

/** A dataset given as observations (what the CSV importer produces). */
export interface NewDatasetObservations {
  name: string;
  times: ArrayLike<number>;
  observables: string[];
  /** n_times × n_observables, row-major; NaN where missing. */
  values: ArrayLike<number>;
  /** observable id → the column it came from (called mapping in the table form). */
  columns?: Record<string, string>;
  mapping?: Record<string, string>;
  timeColumn?: string;
  source: DatasetSource;
}

export type NewDataset = NewDatasetTable | NewDatasetObservations;

export interface DatasetSummary {
  datasetId: number;
  name: string;
  times: Float64Array;
  nTimes: number;
  observables: string[];
  /** observable id → column name. */
  mapping: Record<string, string>;
  /** The same as mapping (the name the CSV importer uses). */
  columns: Record<string, string>;
  timeColumn: string | null;
  source: DatasetSource;
  importedAt: string;
  createdAt: string;
}

export interface StoredDataset extends DatasetSummary {
  /** n_times × n_observables, row-major; NaN where missing. */
  values: Float64Array;
  /** The table as imported, when the dataset was given as a table. */
  table: { columns: string[]; rows: (number | null)[][] } | null;
}

interface DatasetRow {
  id: number;
  name: string;
  times: Buffer;
  observables: string;
  mapping: string;
  time_column: string | null;
  source: string;
  created_at: string;
  data_values?: Buffer;
  table_columns?: string | null;
  table_values?: Buffer | null;
  table_missing?: Buffer | null;
}

interface Packed {
  times: Float64Array;
  observables: string[];
  values: Float64Array;
  mapping: Record<string, string>;
  timeColumn: string | null;
  table: { columns: string[]; values: Float64Array; missing: Uint8Array } | null;
}

/** Datasets of a project. */
export class DatasetRepository {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** Stores an imported dataset (as a table or as observations); returns its id. */
  add(input: NewDataset): number {
    const ctx = this.#ctx;
    checkName(input.name, 'the dataset name');
    const p = 'times' in input && input.times !== undefined ? packObservations(input) : packTable(input as NewDatasetTable);
    const source = toJson({ ...(input.source ?? {}), importedAt: input.source?.importedAt ?? ctx.now().toISOString() }, `dataset "${input.name}": source`);
    return ctx.write(() => Number(ctx.stmt(`INSERT INTO datasets (name, times, observables, data_values, mapping, time_column, source,
        table_columns, table_values, table_missing, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(input.name, toBlob(p.times), toJson(p.observables, 'observables'), toBlob(p.values), toJson(p.mapping, 'the mapping'), p.timeColumn, source,
        p.table === null ? null : toJson(p.table.columns, 'columns'), p.table === null ? null : toBlob(p.table.values),
        p.table === null ? null : toBlob(p.table.missing), ctx.now().toISOString()).lastInsertRowid));
  }

  /** Every dataset, without its values. */
  list(): DatasetSummary[] {
    const rows = this.#ctx.read(() => this.#ctx.stmt('SELECT id, name, times, observables, mapping, time_column, source, created_at FROM datasets ORDER BY id').all()) as DatasetRow[];
    return rows.map((r) => this.#summary(r));
  }

  /** A dataset with its values (and its table, if it was imported as one), or undefined. */
  get(datasetId: number): StoredDataset | undefined {
    const ctx = this.#ctx;
    const row = ctx.read(() => ctx.stmt('SELECT * FROM datasets WHERE id = ?').get(datasetId)) as DatasetRow | undefined;
    if (row === undefined) return undefined;
    const summary = this.#summary(row);
    const damaged = (): ProjectError => new ProjectError('corrupt',
      `${ctx.fileName}: the values of dataset ${datasetId} have the wrong size (the file is damaged): run "sgnn project check ${ctx.fileName}"`, { file: ctx.path });
    const values = fromBlob(row.data_values as Buffer, 'float64');
    if (values.length !== summary.nTimes * summary.observables.length) throw damaged();
    let table: StoredDataset['table'] = null;
    if (row.table_columns !== null && row.table_columns !== undefined) {
      const columns = fromJson<string[]>(ctx, row.table_columns, `the table columns of dataset ${datasetId}`);
      const cells = fromBlob(row.table_values as Buffer, 'float64');
      const isMissing = row.table_missing as Buffer;
      const nCols = columns.length;
      const nRows = nCols === 0 ? 0 : cells.length / nCols;
      if (!Number.isInteger(nRows) || isMissing.length !== cells.length) throw damaged();
      const rows: (number | null)[][] = [];
      for (let i = 0; i < nRows; i++) {
        const r: (number | null)[] = new Array(nCols);
        for (let j = 0; j < nCols; j++) r[j] = isMissing[j * nRows + i] === 1 ? null : cells[j * nRows + i];
        rows.push(r);
      }
      table = { columns, rows };
    }
    return { ...summary, values, table };
  }

  /** Deletes a dataset; refused while an estimate uses it (designs made from it keep their times). */
  remove(datasetId: number): void {
    const ctx = this.#ctx;
    ctx.write(() => {
      const ds = ctx.stmt('SELECT name FROM datasets WHERE id = ?').get(datasetId) as { name: string } | undefined;
      if (ds === undefined) throw missing(ctx, `dataset ${datasetId}`);
      const n = (ctx.stmt('SELECT COUNT(*) AS n FROM estimates WHERE dataset_id = ?').get(datasetId) as { n: number }).n;
      if (n > 0) {
        throw new ProjectError('invalid', `dataset "${ds.name}" cannot be deleted: ${n} estimate${n > 1 ? 's were' : ' was'} made from it; delete ${n > 1 ? 'them' : 'it'} first`, { file: ctx.path });
      }
      ctx.stmt('DELETE FROM datasets WHERE id = ?').run(datasetId);
    });
  }

  #summary(r: DatasetRow): DatasetSummary {
    const ctx = this.#ctx;
    const times = fromBlob(r.times, 'float64');
    const mapping = fromJson<Record<string, string>>(ctx, r.mapping, `the mapping of dataset ${r.id}`);
    const source = fromJson<DatasetSource>(ctx, r.source, `the source of dataset ${r.id}`);
    return {
      datasetId: r.id,
      name: r.name,
      times,
      nTimes: times.length,
      observables: fromJson<string[]>(ctx, r.observables, `the observables of dataset ${r.id}`),
      mapping,
      columns: mapping,
      timeColumn: r.time_column,
      source,
      importedAt: typeof source.importedAt === 'string' ? source.importedAt : r.created_at,
      createdAt: r.created_at,
    };
  }
}

function checkObservables(name: string, observables: unknown): string[] {
  if (!Array.isArray(observables) || observables.some((o) => typeof o !== 'string' || o === '')) {
    throw new ProjectError('invalid', `dataset "${name}": observables must be a list of observable ids`);
  }
  const dup = observables.find((o, i) => observables.indexOf(o) !== i);
  if (dup !== undefined) throw new ProjectError('invalid', `dataset "${name}": observable "${String(dup)}" appears twice`);
  return observables as string[];
}

function packObservations(input: NewDatasetObservations): Packed {
  const observables = checkObservables(input.name, input.observables);
  const times = Float64Array.from(input.times);
  for (let k = 0; k < times.length; k++) {
    if (!Number.isFinite(times[k])) throw new ProjectError('invalid', `dataset "${input.name}": time ${k + 1} is ${times[k]}; times must be finite numbers`);
  }
  const values = Float64Array.from(input.values ?? []);
  if (values.length !== times.length * observables.length) {
    throw new ProjectError('invalid', `dataset "${input.name}": values has ${values.length} numbers; expected ${times.length} times × ${observables.length} observables = ${times.length * observables.length}`);
  }
  const mapping = input.mapping ?? input.columns ?? {};
  return { times, observables, values, mapping: { ...mapping }, timeColumn: input.timeColumn ?? null, table: null };
}

function packTable(input: NewDatasetTable): Packed {
  const name = input.name;
  const columns = input.columns;
  if (!Array.isArray(columns) || columns.length === 0 || columns.some((c) => typeof c !== 'string' || c === '')) {
    throw new ProjectError('invalid', `dataset "${name}": columns must be a non-empty list of column names (or give times, observables and values)`);
  }
  const dup = columns.find((c, i) => columns.indexOf(c) !== i);
  if (dup !== undefined) throw new ProjectError('invalid', `dataset "${name}": column "${dup}" appears twice`);
  const timeIndex = columns.indexOf(input.timeColumn);
  if (timeIndex < 0) throw new ProjectError('invalid', `dataset "${name}": the time column "${String(input.timeColumn)}" is not one of its columns (${columns.join(', ')})`);
  const mapping = input.mapping ?? {};
  const observables = checkObservables(name, Object.keys(mapping));
  const obsIndex = observables.map((o) => {
    const j = columns.indexOf(mapping[o]);
    if (j < 0) throw new ProjectError('invalid', `dataset "${name}": observable "${o}" is mapped to column "${String(mapping[o])}", which is not one of its columns (${columns.join(', ')})`);
    return j;
  });

  const nCols = columns.length;
  if ((input.rows === undefined) === (input.values === undefined)) {
    throw new ProjectError('invalid', `dataset "${name}": give the cells either as rows or as column values, not ${input.rows === undefined ? 'neither' : 'both'}`);
  }
  const cell = (v: unknown, i: number, j: number): number | null => {
    if (v === null || v === undefined) return null;
    if (typeof v !== 'number') throw new ProjectError('invalid', `dataset "${name}": row ${i + 1}, column "${columns[j]}" must be a number or empty (found ${JSON.stringify(v)})`);
    return v;
  };
  let nRows: number;
  let at: (i: number, j: number) => unknown;
  if (input.rows !== undefined) {
    const rows = input.rows;
    nRows = rows.length;
    rows.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== nCols) {
        throw new ProjectError('invalid', `dataset "${name}": row ${i + 1} has ${Array.isArray(row) ? row.length : 0} cells; expected ${nCols} (one per column)`);
      }
    });
    at = (i, j) => rows[i][j];
  } else {
    const cols = input.values as ArrayLike<number | null>[];
    if (cols.length !== nCols) throw new ProjectError('invalid', `dataset "${name}": ${cols.length} value columns given for ${nCols} column names`);
    nRows = cols[0].length;
    cols.forEach((col, j) => {
      if (col.length !== nRows) throw new ProjectError('invalid', `dataset "${name}": column "${columns[j]}" has ${col.length} values; expected ${nRows}`);
    });
    at = (i, j) => cols[j][i];
  }
  const cells = new Float64Array(nRows * nCols);
  const isMissing = new Uint8Array(nRows * nCols);
  for (let j = 0; j < nCols; j++) {
    for (let i = 0; i < nRows; i++) {
      const v = cell(at(i, j), i, j);
      if (v === null) isMissing[j * nRows + i] = 1;
      else cells[j * nRows + i] = v;
    }
  }
  const times = new Float64Array(nRows);
  const values = new Float64Array(nRows * observables.length);
  for (let i = 0; i < nRows; i++) {
    const t = isMissing[timeIndex * nRows + i] === 1 ? NaN : cells[timeIndex * nRows + i];
    if (!Number.isFinite(t)) throw new ProjectError('invalid', `dataset "${name}": row ${i + 1} has no valid time in column "${input.timeColumn}"`);
    times[i] = t;
    obsIndex.forEach((j, o) => {
      values[i * observables.length + o] = isMissing[j * nRows + i] === 1 ? NaN : cells[j * nRows + i];
    });
  }
  return { times, observables, values, mapping: { ...mapping }, timeColumn: input.timeColumn, table: { columns: [...columns], values: cells, missing: isMissing } };
}
