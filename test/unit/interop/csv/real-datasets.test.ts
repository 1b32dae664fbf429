/** The two real datasets of ../shared/validation, read exactly as they are in the file. */
import { describe, expect, it } from 'vitest';
import { parseDatasetCsv } from '../../../../src-main/interop/dataset-csv.ts';
import { csvError, fixture, rowsOf } from './helpers.ts';

describe('boarding_school.csv (date, day, in_bed, convalescent)', () => {
  const text = fixture('boarding_school.csv');

  it('reads in_bed as the observable cases, against day', () => {
    const { datasets, warnings } = parseDatasetCsv(text, {
      observables: ['cases'], timeColumn: 'day', map: { cases: 'in_bed' }, fileName: 'boarding_school.csv',
    });
    expect(datasets).toHaveLength(1);
    const [ds] = datasets;
    expect(ds.id).toBe('boarding_school');
    expect(ds.observables).toEqual(['cases']);
    expect(ds.columns).toEqual({ cases: 'in_bed' });
    expect(ds.source).toEqual({ fileName: 'boarding_school.csv' });
    expect(Array.from(ds.times)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(Array.from(ds.values)).toEqual([3, 8, 26, 76, 225, 298, 258, 233, 189, 128, 68, 29, 14, 4]);
    expect(warnings).toEqual(['columns not used: date, convalescent (use --map OBS=COLUMN to read one as an observable)']);
  });

  it('matches every cell of the file, read independently', () => {
    const [header, ...lines] = text.trim().split('\n').map((l) => l.split(','));
    const day = header.indexOf('day');
    const inBed = header.indexOf('in_bed');
    const conv = header.indexOf('convalescent');
    const { datasets } = parseDatasetCsv(text, {
      observables: ['B', 'C'], timeColumn: 'day', map: { B: 'in_bed', C: 'convalescent' },
    });
    expect(Array.from(datasets[0].times)).toEqual(lines.map((l) => Number(l[day])));
    expect(rowsOf(datasets[0].values, 2)).toEqual(lines.map((l) => [Number(l[inBed]), Number(l[conv])]));
  });

  it('without --time-col, suggests the numeric day column, not the date column', () => {
    const err = csvError(text, { observables: ['cases'], map: { cases: 'in_bed' }, fileName: 'boarding_school.csv' });
    expect(err.message).toBe('boarding_school.csv, line 1: no time column: use --time-col NAME, e.g. --time-col day (columns: date, day, in_bed, convalescent)');
    expect(err.line).toBe(1);
  });

  it('without --map, says which flag would work', () => {
    const err = csvError(text, { observables: ['cases'], timeColumn: 'day' });
    expect(err.problems).toEqual([{
      line: 1,
      message: 'no column matches an observable of the model (cases): use --map OBS=COLUMN, e.g. --map cases=in_bed (columns: date, day, in_bed, convalescent)',
    }]);
  });

  it('with --time-col date, says once that dates are not times', () => {
    const err = csvError(text, { observables: ['cases'], timeColumn: 'date', map: { cases: 'in_bed' } });
    expect(err.problems).toEqual([{
      line: 2, column: 'date',
      message: '"1978-01-22" is a date, not a number: times must be numbers (e.g. days since the start); convert the dates, or choose a numeric column with --time-col NAME',
    }]);
  });

  it('did-you-mean on a misspelt --map column', () => {
    const err = csvError(text, { observables: ['cases'], timeColumn: 'day', map: { cases: 'inbed' }, fileName: 'boarding_school.csv' });
    expect(err.message).toBe('boarding_school.csv, line 1: --map cases=inbed: no column "inbed" (did you mean "in_bed"?) (columns: date, day, in_bed, convalescent)');
  });
});

describe('lynx_hare.csv (year, lynx, hare)', () => {
  const text = fixture('lynx_hare.csv');

  it('reads both observables by id against year', () => {
    const { datasets, warnings } = parseDatasetCsv(text, { observables: ['hare', 'lynx'], timeColumn: 'year', fileName: 'data/lynx_hare.csv' });
    expect(warnings).toEqual([]);
    expect(datasets).toHaveLength(1);
    const [ds] = datasets;
    expect(ds.id).toBe('lynx_hare');
    // The model's order, not the file's.
    expect(ds.observables).toEqual(['hare', 'lynx']);
    expect(ds.columns).toEqual({ hare: 'hare', lynx: 'lynx' });
    expect(Array.from(ds.times)).toEqual(Array.from({ length: 21 }, (_, i) => 1900 + i));
    const rows = rowsOf(ds.values, 2);
    expect(rows[0]).toEqual([30.0, 4.0]);
    expect(rows[4]).toEqual([36.3, 59.4]);
    expect(rows[20]).toEqual([24.7, 8.6]);
    const lines = text.trim().split('\n').slice(1).map((l) => l.split(',').map(Number));
    expect(rows).toEqual(lines.map(([, lynx, hare]) => [hare, lynx]));
  });

  it('matches observable ids case-insensitively, and maps the rest', () => {
    const { datasets, warnings } = parseDatasetCsv(text, { observables: ['Lynx', 'H'], timeColumn: 'YEAR', map: { H: 'hare' } });
    expect(datasets[0].columns).toEqual({ Lynx: 'lynx', H: 'hare' });
    expect(warnings).toEqual([]);
  });

  it('an observable the file lacks is not observed, with a warning', () => {
    const { datasets, warnings } = parseDatasetCsv(text, { observables: ['lynx', 'hare', 'wolf'], timeColumn: 'year' });
    expect(datasets[0].observables).toEqual(['lynx', 'hare']);
    expect(warnings).toEqual(['observables not in the data: wolf (they are not observed; use --map OBS=COLUMN if a column holds one)']);
  });
});
