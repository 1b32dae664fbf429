/**
 * The Data screen's import: a CSV file read in the renderer, previewed and checked with the same
 * parser the engine uses (interop/dataset-csv.ts is pure), columns mapped to the model's
 * observables, then stored through `dataset.import`. Row-level problems carry their line numbers.
 */
import Papa from 'papaparse';
import { CsvError, parseDatasetCsv } from '../../src-main/interop/dataset-csv.ts';
import type { CsvProblem } from '../../src-main/interop/dataset-csv.ts';
import { isErrorData } from '../../src-main/contract/errors.ts';
import type { ProjectState } from './project.svelte.ts';

const TIME_NAMES = ['time', 't', 'day', 'days', 'week', 'weeks', 'hour', 'hours', 'year', 'years', 'minute', 'minutes'];

export class DataImport {
  readonly #project: ProjectState;
  fileName = $state('');
  text = $state('');
  header = $state.raw<string[]>([]);
  rows = $state.raw<string[][]>([]);
  nRows = $state(0);
  timeColumn = $state('');
  /** observable id → column ('' = not measured) */
  map = $state<Record<string, string>>({});
  name = $state('');
  importing = $state(false);
  /** Problems the engine reported on import (with lines), if the import failed. */
  importProblems = $state.raw<CsvProblem[]>([]);
  importMessage = $state<string | null>(null);
  warnings = $state.raw<string[]>([]);

  constructor(project: ProjectState) {
    this.#project = project;
  }

  get observables(): string[] {
    return this.#project.editor?.model.observables.map((o) => o.id) ?? [];
  }

  /** Read a file's text: header, first rows, guessed time column and mapping. */
  load(fileName: string, text: string): void {
    this.fileName = fileName;
    this.text = text;
    this.name = fileName.replace(/\.[^.]*$/, '');
    this.importProblems = [];
    this.importMessage = null;
    this.warnings = [];
    const parsed = Papa.parse<string[]>(text.trim(), { skipEmptyLines: true });
    const [header = [], ...rows] = parsed.data;
    this.header = header.map((h) => h.trim());
    this.rows = rows.slice(0, 200);
    this.nRows = rows.length;
    this.timeColumn = this.header.find((h) => TIME_NAMES.includes(h.toLowerCase())) ?? this.header[0] ?? '';
    const map: Record<string, string> = {};
    for (const o of this.observables) map[o] = this.header.find((h) => h.toLowerCase() === o.toLowerCase()) ?? '';
    this.map = map;
  }

  clear(): void {
    this.fileName = '';
    this.text = '';
    this.header = [];
    this.rows = [];
    this.importProblems = [];
    this.importMessage = null;
  }

  /** Observables with a column, and the options for the engine. */
  options() {
    const observables = Object.entries(this.map).filter(([, c]) => c !== '').map(([o]) => o);
    const map = Object.fromEntries(Object.entries(this.map).filter(([, c]) => c !== ''));
    return { observables, map, timeColumn: this.timeColumn };
  }

  /** Check the whole file with the engine's rules (no engine call): problems with lines. */
  check(): { problems: CsvProblem[]; message: string | null; nTimes: number } {
    const { observables, map, timeColumn } = this.options();
    if (!this.text) return { problems: [], message: null, nTimes: 0 };
    if (observables.length === 0) return { problems: [], message: 'Map at least one column to an observable.', nTimes: 0 };
    try {
      const { datasets } = parseDatasetCsv(this.text, { observables: this.observables, map, timeColumn, fileName: this.fileName });
      return { problems: [], message: null, nTimes: datasets.reduce((s, d) => s + d.times.length, 0) };
    } catch (err) {
      if (err instanceof CsvError) return { problems: err.problems, message: null, nTimes: 0 };
      return { problems: [], message: err instanceof Error ? err.message : String(err), nTimes: 0 };
    }
  }

  /** Store the data in the project; on success the new dataset is the one shown. */
  async import(): Promise<boolean> {
    const { observables, map, timeColumn } = this.options();
    this.importing = true;
    this.importProblems = [];
    this.importMessage = null;
    try {
      const r = await this.#project.client.call('dataset.import', {
        project: this.#project.path, csv: this.text, fileName: this.fileName, name: this.name || undefined, observables, timeColumn, map,
      });
      this.warnings = r.warnings;
      await this.#project.refresh('datasets');
      this.#project.datasetId = r.datasets.at(-1)?.datasetId ?? null;
      this.#project.app.notify('success', `Imported ${r.datasets.map((d) => `${d.name} (${d.nTimes} times)`).join(', ')}`);
      this.clear();
      return true;
    } catch (err) {
      const details = (err as { details?: { problems?: CsvProblem[] } }).details;
      this.importProblems = details?.problems ?? [];
      this.importMessage = isErrorData(err) || err instanceof Error ? (err as Error).message : String(err);
      return false;
    } finally {
      this.importing = false;
    }
  }
}
