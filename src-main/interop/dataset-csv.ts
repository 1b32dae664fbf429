/**
 * Observed data from CSV: one or more datasets, each a time column and observable columns.
 *
 * Pure (no file access), so the renderer can preview an import with the same rules the CLI
 * applies. Every user mistake becomes a CsvError listing problems with their file, line and
 * column; nothing here is meant to escape as a raw stack.
 */
import Papa from 'papaparse';
import { closestName } from '../model/expr/names.ts';

/** One dataset: observations at its times. */
export interface Dataset {
  id: string;
  /** Strictly increasing. */
  times: Float64Array;
  /** The ids of the observables that have a column, in the model's order. */
  observables: string[];
  /** times.length × observables.length, row-major; NaN marks a missing observation. */
  values: Float64Array;
  /** Observable id → the CSV column it was read from. */
  columns: Record<string, string>;
  source?: { fileName?: string };
}

export interface DatasetCsvOptions {
  /** The time column's name; default `time` (any case). */
  timeColumn?: string;
  /** Observable id → column name, for columns not named like the observable. */
  map?: Record<string, string>;
  /** The model's observable ids. */
  observables: readonly string[];
  /** The column that splits rows into datasets; default `dataset` (any case) when present. */
  datasetColumn?: string;
  /** When true, an observable without a column is an error; by default it is simply not observed. */
  requireAll?: boolean;
  /** Used in messages and, without a dataset column, as the dataset's id (its stem). */
  fileName?: string;
}

/** One problem with a CSV file; `line` is the 1-based line in the file, `column` the header name. */
export interface CsvProblem {
  line?: number;
  column?: string;
  message: string;
}

/** The most row problems collected before giving up: enough to see a pattern, few enough to read. */
export const MAX_CSV_PROBLEMS = 20;

/** Thrown when a CSV file cannot be imported; holds every problem found (up to MAX_CSV_PROBLEMS). */
export class CsvError extends Error {
  readonly problems: CsvProblem[];
  /** Where the first problem is. */
  readonly line: number | undefined;
  readonly column: string | undefined;
  readonly fileName: string | undefined;
  /** True when reading stopped at MAX_CSV_PROBLEMS, so there may be more. */
  readonly truncated: boolean;
  constructor(problems: CsvProblem[], fileName?: string, truncated = false) {
    const lines = problems.map((p) => formatCsvProblem(p, fileName));
    if (truncated) lines.push(`(stopped after ${problems.length} problems; there may be more)`);
    super(lines.join('\n'));
    this.name = 'CsvError';
    this.problems = problems;
    this.line = problems[0]?.line;
    this.column = problems[0]?.column;
    this.fileName = fileName;
    this.truncated = truncated;
  }
}

/** One line per problem, e.g. `cases.csv, line 12, column cases: "abc" is not a number (...)`. */
export function formatCsvProblem(p: CsvProblem, fileName?: string): string {
  const where: string[] = [];
  if (fileName !== undefined && fileName !== '') where.push(fileName);
  if (p.line !== undefined) where.push(`line ${p.line}`);
  if (p.column !== undefined) where.push(`column ${p.column}`);
  return where.length === 0 ? p.message : `${where.join(', ')}: ${p.message}`;
}

const MISSING_HINT = '(empty or NA means missing)';

/** Cells that mean "not observed". Case-insensitive; `NaN` too, as R and pandas write it. */
function isMissing(cell: string): boolean {
  const lower = cell.toLowerCase();
  return lower === '' || lower === 'na' || lower === 'nan';
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
// Grouped digits such as 1 234 or 1'234 or 1.234.567: a plausible number a spreadsheet formatted.
const GROUPED = /^[+-]?\d{1,3}(?:([ '\u00a0\u202f_])\d{3})(?:\1\d{3})*(?:\.\d+)?$|^[+-]?\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?$/;
const DATE = /^\d{4}-\d{1,2}-\d{1,2}(?:[T ].*)?$|^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$/;
const INFINITE = /^[+-]?inf(?:inity)?$/i;

/** A trimmed, non-missing cell as a number, or why it is not one. */
function readNumber(cell: string): { value: number } | { why: string; date?: boolean } {
  if (NUMBER.test(cell)) {
    const value = Number(cell);
    if (Number.isFinite(value)) return { value };
    return { why: `"${cell}" is too large to be a number here` };
  }
  if (INFINITE.test(cell)) return { why: `"${cell}" is not a finite number ${MISSING_HINT}` };
  if (DATE.test(cell)) return { why: `"${cell}" is a date, not a number`, date: true };
  if (/^[+-]?[\d.]*\d,\d[\d,]*(?:\.\d+)?$/.test(cell)) {
    return { why: `"${cell}" is not a number: use "." for decimals and no thousands separators` };
  }
  if (GROUPED.test(cell)) return { why: `"${cell}" is not a number: write it without thousands separators` };
  return { why: `"${cell}" is not a number ${MISSING_HINT}` };
}

/** A CSV row as parsed, with the line it starts on. */
interface RawRow {
  cells: string[];
  line: number;
  broken: boolean;
}

const DELIMITERS = [',', ';', '\t', '|'];

/**
 * The delimiter, guessed from the header alone: column names hold no decimal commas, while data
 * rows may (papaparse's guess over all rows is thrown off by `1,5;2`). Ties go to the comma.
 */
function guessDelimiter(text: string): string {
  // Only the first non-blank line is needed; splitting the whole file would copy all of it.
  const firstLine = /^[ \t]*\S[^\r\n]*/m.exec(text)?.[0] ?? '';
  const unquoted = firstLine.replace(/"(?:[^"]|"")*"/g, '');
  let best = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const count = unquoted.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/** Rows with their starting line numbers; quoted fields may span lines, so rows and lines differ. */
function readRows(text: string, delimiter: string, problems: CsvProblem[]): RawRow[] {
  const rows: RawRow[] = [];
  let start = 0;
  let line = 1;
  Papa.parse<string[]>(text, {
    delimiter,
    skipEmptyLines: false,
    step: (result) => {
      const end = result.meta.cursor;
      const broken = result.errors.length > 0;
      // One message per row: a malformed quote also leaves the field unterminated, which is the same mistake.
      for (const err of result.errors.slice(0, 1)) {
        const message = err.code === 'MissingQuotes'
          ? 'a quoted field is not closed: every " that opens a field needs a closing "'
          : err.code === 'InvalidQuotes'
            ? 'a quoted field has text after its closing quote: write "" for a quote inside a quoted field'
            : err.message;
        problems.push({ line, message });
      }
      if (!result.data.every((c) => c.trim() === '')) rows.push({ cells: result.data, line, broken });
      line += countLineBreaks(text, start, end);
      start = end;
    },
  });
  return rows;
}

function countLineBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) n++; // a lone \r (old Mac files)
  }
  return n;
}

/** The column index for `name`: exact match first, then a unique case-insensitive one. */
function findColumn(header: readonly string[], name: string, exclude: ReadonlySet<number>): number | 'ambiguous' | -1 {
  const exact = header.findIndex((h, i) => h === name && !exclude.has(i));
  if (exact >= 0) return exact;
  const lower = name.toLowerCase();
  const loose = header.flatMap((h, i) => (h.toLowerCase() === lower && !exclude.has(i) ? [i] : []));
  if (loose.length > 1) return 'ambiguous';
  return loose.length === 1 ? loose[0] : -1;
}

function quoteList(names: readonly string[]): string {
  return names.length === 0 ? '(none)' : names.join(', ');
}

function didYouMean(name: string, candidates: readonly string[]): string {
  const near = closestName(name, candidates);
  return near === null ? '' : ` (did you mean "${near}"?)`;
}

// Column names that usually hold the time axis, for the hint when there is no `time` column.
const TIME_LIKE = /^(?:t|times?|days?|weeks?|months?|years?|hours?|minutes?|generations?|date|time[_ ].*|day[_ ].*)$/i;

/** Whether the column's first non-missing cell reads as a number: a cheap test for hints. */
function looksNumeric(rows: readonly RawRow[], col: number): boolean {
  for (const row of rows) {
    const cell = (row.cells[col] ?? '').trim();
    if (isMissing(cell)) continue;
    return 'value' in readNumber(cell);
  }
  return false;
}

/** The id of the single dataset in a file without a dataset column: the file's stem, or `data`. */
function defaultDatasetId(fileName: string | undefined): string {
  const base = (fileName ?? '').split(/[\\/]/).pop() ?? '';
  const stem = base.replace(/\.[^.]*$/, '');
  return stem === '' ? 'data' : stem;
}

interface Columns {
  time: number;
  dataset: number;
  /** Observable id → column index, in the model's order. */
  observed: Map<string, number>;
}

/** Resolves the time, dataset and observable columns from the header (at `line`); problems go to `problems`. */
function resolveColumns(header: string[], line: number, body: readonly RawRow[], options: DatasetCsvOptions, problems: CsvProblem[]): Columns {
  const named = header.filter((h) => h !== '');
  const columnsHint = `(columns: ${quoteList(named)})`;
  const none = new Set<number>();

  let time = -1;
  if (options.timeColumn !== undefined) {
    const found = findColumn(header, options.timeColumn, none);
    if (found === 'ambiguous') problems.push({ line, message: `--time-col ${options.timeColumn}: several columns differ only in case from "${options.timeColumn}"; write the name exactly ${columnsHint}` });
    else if (found < 0) problems.push({ line, message: `--time-col ${options.timeColumn}: no column "${options.timeColumn}"${didYouMean(options.timeColumn, named)} ${columnsHint}` });
    else time = found;
  } else {
    const found = findColumn(header, 'time', none);
    if (found === 'ambiguous') problems.push({ line, message: `several columns are named "time" in different cases: pick one with --time-col NAME ${columnsHint}` });
    else if (found >= 0) time = found;
    else {
      const candidates = header.flatMap((h, i) => (TIME_LIKE.test(h) && looksNumeric(body, i) ? [h] : []));
      const hint = candidates.length === 1 ? `, e.g. --time-col ${candidates[0]}` : '';
      problems.push({ line, message: `no time column: use --time-col NAME${hint} ${columnsHint}` });
    }
  }

  let dataset = -1;
  const claimed = new Set<number>(time >= 0 ? [time] : []);
  if (options.datasetColumn !== undefined) {
    const found = findColumn(header, options.datasetColumn, none);
    if (found === 'ambiguous' || found < 0) {
      const why = found === 'ambiguous' ? `several columns differ only in case from "${options.datasetColumn}"` : `no column "${options.datasetColumn}"${didYouMean(options.datasetColumn, named)}`;
      problems.push({ line, message: `dataset column: ${why} ${columnsHint}` });
    } else if (found === time) {
      problems.push({ line, column: header[found], message: 'the dataset column cannot also be the time column' });
    } else dataset = found;
  } else {
    // A column named exactly like an observable holds that observable, even if it is `dataset`.
    const found = findColumn(header, 'dataset', claimed);
    if (typeof found === 'number' && found >= 0 && !options.observables.includes(header[found])) dataset = found;
  }
  if (dataset >= 0) claimed.add(dataset);

  const observed = new Map<string, number>();
  const mapped = new Map<number, string>();
  const map = options.map ?? {};
  for (const [obs, column] of Object.entries(map)) {
    const flag = `--map ${obs}=${column}`;
    if (!options.observables.includes(obs)) {
      problems.push({ line, message: `${flag}: the model has no observable "${obs}"${didYouMean(obs, options.observables)} (observables: ${quoteList(options.observables)})` });
      continue;
    }
    const found = findColumn(header, column, none);
    if (found === 'ambiguous') {
      problems.push({ line, message: `${flag}: several columns differ only in case from "${column}"; write the name exactly ${columnsHint}` });
    } else if (found < 0) {
      problems.push({ line, message: `${flag}: no column "${column}"${didYouMean(column, named)} ${columnsHint}` });
    } else if (found === time) {
      problems.push({ line, column: header[found], message: `${flag}: "${header[found]}" is the time column; map ${obs} to a column of observations` });
    } else if (found === dataset) {
      problems.push({ line, column: header[found], message: `${flag}: "${header[found]}" is the dataset column; map ${obs} to a column of observations (or name another dataset column)` });
    } else if (mapped.has(found)) {
      problems.push({ line, column: header[found], message: `${flag}: column "${header[found]}" is already mapped to ${mapped.get(found)}; each column holds one observable` });
    } else {
      observed.set(obs, found);
      mapped.set(found, obs);
    }
  }
  for (const i of mapped.keys()) claimed.add(i);

  let ambiguous = false;
  // Exact names before case-insensitive ones, so `I` and `i` columns go to `I` and `i` observables.
  for (const exactOnly of [true, false]) {
    for (const obs of options.observables) {
      if (Object.hasOwn(map, obs) || observed.has(obs)) continue;
      const found = exactOnly ? header.findIndex((h, i) => h === obs && !claimed.has(i)) : findColumn(header, obs, claimed);
      if (found === 'ambiguous') {
        ambiguous = true;
        problems.push({ line, message: `observable ${obs}: several columns differ only in case from "${obs}"; pick one with --map ${obs}=COLUMN ${columnsHint}` });
      } else if (found >= 0) {
        observed.set(obs, found);
        claimed.add(found);
      }
    }
  }

  const unmatched = options.observables.filter((o) => !observed.has(o) && !Object.hasOwn(map, o));
  const unused = header.flatMap((h, i) => (h !== '' && !claimed.has(i) ? [h] : []));
  const first = options.observables[0];
  if (first === undefined) {
    problems.push({ message: 'the model has no observables, so there is nothing to import data for: add an observable to the model first' });
  } else if (options.requireAll) {
    for (const obs of unmatched) {
      problems.push({ line, message: `observable ${obs} has no column: use --map ${obs}=COLUMN (columns not used: ${quoteList(unused)})` });
    }
  } else if (observed.size === 0 && Object.keys(map).length === 0 && !ambiguous) {
    // Time-like columns make a poor example even when the time column is still unresolved.
    const numeric = header.flatMap((h, i) => (h !== '' && !claimed.has(i) && !TIME_LIKE.test(h) && looksNumeric(body, i) ? [h] : []));
    const example = closestName(first, unused) ?? numeric[0] ?? unused[0] ?? 'COLUMN';
    problems.push({ line, message: `no column matches an observable of the model (${quoteList(options.observables)}): use --map OBS=COLUMN, e.g. --map ${first}=${example} ${columnsHint}` });
  }

  // Keep the model's order, whichever way each observable was matched.
  const ordered = new Map<string, number>();
  for (const obs of options.observables) {
    const col = observed.get(obs);
    if (col !== undefined) ordered.set(obs, col);
  }
  return { time, dataset, observed: ordered };
}

/** A dataset being filled, row by row. */
interface Building {
  id: string;
  times: number[];
  values: number[];
  lastTime: number;
  lastLine: number;
}

/**
 * Parse a data CSV into datasets. Throws CsvError naming each problem's line and column; what is
 * merely surprising (unused columns, an observable with no values) comes back as warnings.
 */
export function parseDatasetCsv(text: string, options: DatasetCsvOptions): { datasets: Dataset[]; warnings: string[] } {
  const fileName = options.fileName;
  const fail = (problems: CsvProblem[], truncated = false): never => {
    throw new CsvError(problems, fileName, truncated);
  };
  // papaparse drops a BOM too, but stripping it here keeps its offsets equal to ours.
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const empty: CsvProblem = { message: 'the file is empty: expected a header line such as "time,cases" and one row per time' };
  if (clean.trim() === '') fail([empty]);

  // Quote problems are kept apart so that header problems are reported alone, and row problems
  // alongside them, in file order.
  const quoteProblems: CsvProblem[] = [];
  const delimiter = guessDelimiter(clean);
  const rows = readRows(clean, delimiter, quoteProblems);
  if (rows.length === 0 || rows[0].broken) fail(quoteProblems.length > 0 ? quoteProblems.slice(0, 1) : [empty]);
  const headerRow = rows[0];
  const problems: CsvProblem[] = [];
  const header = headerRow.cells.map((h) => h.trim());
  const body = rows.slice(1);

  const seen = new Map<string, number>();
  header.forEach((h, i) => {
    if (h === '') return;
    if (seen.has(h)) problems.push({ line: headerRow.line, column: h, message: `column "${h}" appears twice in the header (columns ${(seen.get(h) ?? 0) + 1} and ${i + 1}): rename one` });
    else seen.set(h, i);
  });
  if (problems.length > 0) fail(problems);

  const columns = resolveColumns(header, headerRow.line, body, options, problems);
  if (problems.length > 0) fail(problems);
  if (body.length === 0) fail([{ line: headerRow.line, message: 'no data rows below the header: expected one row per time' }]);

  const timeName = header[columns.time];
  const datasetName = columns.dataset >= 0 ? header[columns.dataset] : undefined;
  const observed = [...columns.observed];
  const building = new Map<string, Building>();
  const singleId = defaultDatasetId(fileName);
  let reportedDates = false;
  let truncated = false;

  for (const row of body) {
    if (problems.length >= MAX_CSV_PROBLEMS) {
      truncated = true;
      break;
    }
    if (row.broken) continue; // already reported by readRows
    const { cells, line } = row;
    const extra = cells.slice(header.length);
    // Trailing empty cells (a spreadsheet's stray commas) carry nothing, so they are let through.
    if (cells.length < header.length || extra.some((c) => c.trim() !== '')) {
      const shown = delimiter === '\t' ? 'a tab' : `"${delimiter}"`;
      problems.push({ line, message: `${cells.length} cells, but the header has ${header.length} columns (${quoteList(header.map((h, i) => h || `column ${i + 1}`))}): give every row one cell per column, and quote cells that contain ${shown}` });
      continue;
    }

    let id = singleId;
    if (datasetName !== undefined) {
      id = cells[columns.dataset].trim();
      if (id === '') {
        problems.push({ line, column: datasetName, message: 'no dataset id: every row needs one when the file has a dataset column' });
        continue;
      }
    }

    const rawTime = cells[columns.time].trim();
    let time = NaN;
    if (isMissing(rawTime)) {
      problems.push({ line, column: timeName, message: `no time: every row needs a number in the time column (got "${rawTime}")` });
    } else {
      const read = readNumber(rawTime);
      if ('value' in read) time = read.value;
      else if ('date' in read && read.date) {
        // One message for a column of dates, not one per row.
        if (!reportedDates) problems.push({ line, column: timeName, message: `${read.why}: times must be numbers (e.g. days since the start); convert the dates, or choose a numeric column with --time-col NAME` });
        reportedDates = true;
      } else problems.push({ line, column: timeName, message: read.why.replace(MISSING_HINT, '(times cannot be missing)') });
    }

    let ds = building.get(id);
    if (ds === undefined) {
      ds = { id, times: [], values: [], lastTime: -Infinity, lastLine: 0 };
      building.set(id, ds);
    }
    if (!Number.isNaN(time) && ds.lastLine > 0) {
      const inDataset = datasetName === undefined ? '' : ` in dataset "${id}"`;
      if (time === ds.lastTime) {
        problems.push({ line, column: timeName, message: `time ${rawTime} appears twice${inDataset} (also on line ${ds.lastLine}): each time may appear once` });
      } else if (time < ds.lastTime) {
        problems.push({ line, column: timeName, message: `time ${rawTime} is earlier than time ${ds.lastTime} on line ${ds.lastLine}${inDataset}: times must increase down the file` });
      }
    }

    const rowValues: number[] = [];
    for (const [, col] of observed) {
      const cell = cells[col].trim();
      if (isMissing(cell)) {
        rowValues.push(NaN);
        continue;
      }
      const read = readNumber(cell);
      if ('value' in read) rowValues.push(read.value);
      else {
        problems.push({ line, column: header[col], message: 'date' in read ? `${read.why} ${MISSING_HINT}` : read.why });
        rowValues.push(NaN);
      }
    }
    if (!Number.isNaN(time) && time > ds.lastTime) {
      ds.times.push(time);
      ds.values.push(...rowValues);
      ds.lastTime = time;
      ds.lastLine = line;
    }
  }
  problems.push(...quoteProblems);
  if (problems.length > 0) {
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    fail(problems.slice(0, MAX_CSV_PROBLEMS), truncated || problems.length > MAX_CSV_PROBLEMS);
  }

  const observables = observed.map(([obs]) => obs);
  // fromEntries defines own properties, so even an observable called __proto__ is safe.
  const columnNames: Record<string, string> = Object.fromEntries(observed.map(([obs, col]) => [obs, header[col]]));
  const datasets: Dataset[] = [...building.values()].map((b) => ({
    id: b.id,
    times: Float64Array.from(b.times),
    observables: [...observables],
    values: Float64Array.from(b.values),
    columns: Object.fromEntries(Object.entries(columnNames)),
    ...(fileName === undefined ? {} : { source: { fileName } }),
  }));

  const warnings: string[] = [];
  const used = new Set<number>([columns.time, columns.dataset, ...columns.observed.values()]);
  const unused = header.flatMap((h, i) => {
    if (used.has(i)) return [];
    if (h !== '') return [h];
    // A nameless column with data is worth a mention; an empty one is a stray delimiter.
    return body.some((r) => (r.cells[i] ?? '').trim() !== '') ? [`column ${i + 1} (no name)`] : [];
  });
  if (unused.length > 0) warnings.push(`columns not used: ${unused.join(', ')} (use --map OBS=COLUMN to read one as an observable)`);
  const unobserved = options.observables.filter((o) => !columns.observed.has(o));
  if (unobserved.length > 0) warnings.push(`observables not in the data: ${unobserved.join(', ')} (they are not observed; use --map OBS=COLUMN if a column holds one)`);
  for (const ds of datasets) {
    observables.forEach((obs, j) => {
      let any = false;
      for (let i = j; i < ds.values.length; i += observables.length) if (!Number.isNaN(ds.values[i])) any = true;
      if (!any) {
        const where = datasets.length > 1 || datasetName !== undefined ? `dataset "${ds.id}": ` : '';
        warnings.push(`${where}observable ${obs} (column ${ds.columns[obs]}) has no values: every cell is empty or NA`);
      }
    });
  }
  return { datasets, warnings };
}

/** A CSV field, quoted when it holds a delimiter, quote, line break or edge spaces. */
function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

// String(x) is the shortest text that reads back as the same double, so round-trips are exact.
function csvNumber(value: number): string {
  return Number.isNaN(value) ? 'NA' : String(value);
}

/** A dataset as CSV: `time` and one column per observable (named by id), NA for missing. */
export function datasetToCsv(dataset: Dataset): string {
  const n = dataset.observables.length;
  const lines = [['time', ...dataset.observables].map(csvField).join(',')];
  for (let i = 0; i < dataset.times.length; i++) {
    const row = [csvNumber(dataset.times[i])];
    for (let j = 0; j < n; j++) row.push(csvNumber(dataset.values[i * n + j]));
    lines.push(row.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Several datasets in one CSV, with a `dataset` column; the observable columns are the union,
 * in order of first appearance, NA where a dataset lacks one.
 */
export function datasetsToCsv(datasets: readonly Dataset[]): string {
  const observables: string[] = [];
  for (const ds of datasets) for (const o of ds.observables) if (!observables.includes(o)) observables.push(o);
  // Two columns named `dataset` could not be told apart when the file is read back.
  if (observables.includes('dataset')) {
    throw new Error('cannot write several datasets to one CSV when an observable is named "dataset": write each with datasetToCsv, or rename the observable');
  }
  const lines = [['dataset', 'time', ...observables].map(csvField).join(',')];
  for (const ds of datasets) {
    const n = ds.observables.length;
    const index = observables.map((o) => ds.observables.indexOf(o));
    for (let i = 0; i < ds.times.length; i++) {
      const row = [csvField(ds.id), csvNumber(ds.times[i])];
      for (const j of index) row.push(j < 0 ? 'NA' : csvNumber(ds.values[i * n + j]));
      lines.push(row.join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}
