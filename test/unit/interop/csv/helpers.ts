/** Shared helpers for the dataset CSV tests. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { CsvError, parseDatasetCsv } from '../../../../src-main/interop/dataset-csv.ts';
import type { CsvProblem, DatasetCsvOptions } from '../../../../src-main/interop/dataset-csv.ts';

/** The text of a file in test/fixtures/data. */
export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../../fixtures/data/${name}`, import.meta.url)), 'utf8');
}

/** The CsvError that parsing throws; fails the test when parsing succeeds or throws anything else. */
export function csvError(text: string, options: DatasetCsvOptions): CsvError {
  try {
    parseDatasetCsv(text, options);
  } catch (err) {
    expect(err).toBeInstanceOf(CsvError);
    return err as CsvError;
  }
  throw new Error('expected a CsvError, but the CSV was accepted');
}

/** The only problem of a CsvError (asserting there is exactly one). */
export function onlyProblem(text: string, options: DatasetCsvOptions): CsvProblem {
  const err = csvError(text, options);
  expect(err.problems, err.message).toHaveLength(1);
  return err.problems[0];
}

/** A dataset's values as rows, with null for missing, for readable expectations. */
export function rowsOf(values: Float64Array, nObs: number): (number | null)[][] {
  const rows: (number | null)[][] = [];
  for (let i = 0; i < values.length; i += nObs) rows.push(Array.from(values.subarray(i, i + nObs), (v) => (Number.isNaN(v) ? null : v)));
  return rows;
}
