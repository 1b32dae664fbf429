/** Every user mistake in a data CSV: a CsvError naming the file, line and column, and what is valid. */
import { describe, expect, it } from 'vitest';
import { CsvError, MAX_CSV_PROBLEMS, formatCsvProblem, parseDatasetCsv } from '../../../../src-main/interop/dataset-csv.ts';
import { csvError, onlyProblem } from './helpers.ts';

const I = { observables: ['I'] } as const;

describe('CsvError', () => {
  it('is an Error named CsvError whose message lists each problem with file, line and column', () => {
    const err = csvError('time,I\n0,abc\n1,x\n', { ...I, fileName: 'flu.csv' });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('CsvError');
    expect(err.fileName).toBe('flu.csv');
    expect(err.line).toBe(2);
    expect(err.column).toBe('I');
    expect(err.truncated).toBe(false);
    expect(err.message).toBe([
      'flu.csv, line 2, column I: "abc" is not a number (empty or NA means missing)',
      'flu.csv, line 3, column I: "x" is not a number (empty or NA means missing)',
    ].join('\n'));
  });

  it('formats a problem without a file, line or column as its bare message', () => {
    expect(formatCsvProblem({ message: 'm' })).toBe('m');
    expect(formatCsvProblem({ line: 3, message: 'm' })).toBe('line 3: m');
    expect(formatCsvProblem({ column: 'c', message: 'm' }, 'f.csv')).toBe('f.csv, column c: m');
  });

  it(`stops after ${MAX_CSV_PROBLEMS} problems and says there may be more`, () => {
    const rows = Array.from({ length: 50 }, (_, i) => `${i},bad`).join('\n');
    const err = csvError(`time,I\n${rows}\n`, I);
    expect(err.problems).toHaveLength(MAX_CSV_PROBLEMS);
    expect(err.problems[MAX_CSV_PROBLEMS - 1].line).toBe(MAX_CSV_PROBLEMS + 1);
    expect(err.truncated).toBe(true);
    expect(err.message.split('\n').at(-1)).toBe(`(stopped after ${MAX_CSV_PROBLEMS} problems; there may be more)`);
  });

  it('reports every bad row, not only the first', () => {
    const err = csvError('time,I,R\n0,1,2\nx,1,2\n2,3\n3,1,y\n', { observables: ['I', 'R'] });
    expect(err.problems.map((p) => [p.line, p.column])).toEqual([[3, 'time'], [4, undefined], [5, 'R']]);
  });
});

describe('the file and its header', () => {
  it.each([[''], ['\uFEFF'], ['\n  \n'], [',,,\n,,\n']])('an empty file (%j)', (text) => {
    expect(onlyProblem(text, I)).toEqual({ message: 'the file is empty: expected a header line such as "time,cases" and one row per time' });
  });

  it('a header without rows', () => {
    expect(onlyProblem('time,I\n', I)).toEqual({ line: 1, message: 'no data rows below the header: expected one row per time' });
  });

  it('a column named twice', () => {
    expect(onlyProblem('time,I,I\n0,1,2\n', I)).toEqual({ line: 1, column: 'I', message: 'column "I" appears twice in the header (columns 2 and 3): rename one' });
  });

  it('header problems are placed at the header line, after leading blank lines', () => {
    expect(onlyProblem('\n\ntime,I,I\n0,1,2\n', I).line).toBe(3);
    expect(onlyProblem('\n\nday,I\n0,1\n', I).line).toBe(3);
  });

  it('an unclosed quote', () => {
    const err = csvError('time,I\n0,1\n1,"2\n2,3\n', I);
    expect(err.problems[0]).toEqual({ line: 3, message: 'a quoted field is not closed: every " that opens a field needs a closing "' });
  });

  it('text after a closing quote', () => {
    expect(onlyProblem('time,I\n0,"1"2\n', I)).toEqual({ line: 2, message: 'a quoted field has text after its closing quote: write "" for a quote inside a quoted field' });
  });
});

describe('the time column', () => {
  it('missing, with the columns listed', () => {
    expect(onlyProblem('when,I\n0,1\n', I)).toEqual({ line: 1, message: 'no time column: use --time-col NAME (columns: when, I)' });
  });

  it('missing, suggesting the single numeric time-like column', () => {
    expect(onlyProblem('Year,I\n1900,1\n', I).message).toBe('no time column: use --time-col NAME, e.g. --time-col Year (columns: Year, I)');
    // Two candidates: no guess.
    expect(onlyProblem('t,days,I\n0,0,1\n', I).message).toBe('no time column: use --time-col NAME (columns: t, days, I)');
  });

  it('--time-col naming no column, with did-you-mean', () => {
    expect(onlyProblem('day,I\n0,1\n', { ...I, timeColumn: 'dya' })).toEqual({ line: 1, message: '--time-col dya: no column "dya" (did you mean "day"?) (columns: day, I)' });
  });

  it('names that differ only in case are ambiguous', () => {
    expect(onlyProblem('Time,TIME,I\n0,0,1\n', I).message).toBe('several columns are named "time" in different cases: pick one with --time-col NAME (columns: Time, TIME, I)');
    expect(onlyProblem('Day,DAY,I\n0,0,1\n', { ...I, timeColumn: 'day' }).message).toBe('--time-col day: several columns differ only in case from "day"; write the name exactly (columns: Day, DAY, I)');
  });

  it('a missing time', () => {
    expect(onlyProblem('time,I\n0,1\nNA,2\n', I)).toEqual({ line: 3, column: 'time', message: 'no time: every row needs a number in the time column (got "NA")' });
    expect(onlyProblem('time,I\n,2\n', I)).toEqual({ line: 2, column: 'time', message: 'no time: every row needs a number in the time column (got "")' });
  });

  it('a time that is not a number', () => {
    expect(onlyProblem('time,I\nzero,1\n', I)).toEqual({ line: 2, column: 'time', message: '"zero" is not a number (times cannot be missing)' });
    expect(onlyProblem('time,I\nInf,1\n', I).message).toBe('"Inf" is not a finite number (times cannot be missing)');
    expect(onlyProblem('time,I\n1e999,1\n', I).message).toBe('"1e999" is too large to be a number here');
  });

  it('a repeated time, with both lines', () => {
    expect(onlyProblem('time,I\n0,1\n1,2\n1,3\n', I)).toEqual({ line: 4, column: 'time', message: 'time 1 appears twice (also on line 3): each time may appear once' });
  });

  it('a time going back, with the line of the later time before it', () => {
    expect(onlyProblem('time,I\n0,1\n5,2\n3,3\n', I)).toEqual({ line: 4, column: 'time', message: 'time 3 is earlier than time 5 on line 3: times must increase down the file' });
  });

  it('order is checked within each dataset, and the dataset is named', () => {
    const text = 'dataset,time,I\na,0,1\nb,5,1\na,1,1\nb,2,1\n';
    expect(onlyProblem(text, I)).toEqual({ line: 5, column: 'time', message: 'time 2 is earlier than time 5 on line 3 in dataset "b": times must increase down the file' });
  });
});

describe('observable columns and --map', () => {
  it('no column matches any observable', () => {
    expect(onlyProblem('time,infected\n0,1\n', { observables: ['I', 'R'] })).toEqual({
      line: 1, message: 'no column matches an observable of the model (I, R): use --map OBS=COLUMN, e.g. --map I=infected (columns: time, infected)',
    });
  });

  it('suggests the closest column in the example', () => {
    expect(onlyProblem('time,note,case\n0,x,1\n', { observables: ['cases'] }).message)
      .toBe('no column matches an observable of the model (cases): use --map OBS=COLUMN, e.g. --map cases=case (columns: time, note, case)');
  });

  it('reports the missing time and the missing observables together', () => {
    const err = csvError('day,in_bed\n1,3\n', { observables: ['cases'] });
    expect(err.problems.map((p) => p.message)).toEqual([
      'no time column: use --time-col NAME, e.g. --time-col day (columns: day, in_bed)',
      'no column matches an observable of the model (cases): use --map OBS=COLUMN, e.g. --map cases=in_bed (columns: day, in_bed)',
    ]);
  });

  it('a model without observables', () => {
    expect(onlyProblem('time,I\n0,1\n', { observables: [] })).toEqual({ message: 'the model has no observables, so there is nothing to import data for: add an observable to the model first' });
    expect(onlyProblem('time,I\n0,1\n', { observables: [], requireAll: true }).message).toMatch(/^the model has no observables/);
  });

  it('requireAll: each observable without a column', () => {
    expect(onlyProblem('time,I,extra\n0,1,2\n', { observables: ['I', 'R'], requireAll: true })).toEqual({
      line: 1, message: 'observable R has no column: use --map R=COLUMN (columns not used: extra)',
    });
  });

  it('--map to a column that does not exist, with did-you-mean', () => {
    expect(onlyProblem('time,infected\n0,1\n', { ...I, map: { I: 'infectd' } })).toEqual({
      line: 1, message: '--map I=infectd: no column "infectd" (did you mean "infected"?) (columns: time, infected)',
    });
    expect(onlyProblem('time,infected\n0,1\n', { ...I, map: { I: 'zzz' } }).message).toBe('--map I=zzz: no column "zzz" (columns: time, infected)');
  });

  it('--map for an observable the model does not have, with did-you-mean', () => {
    expect(onlyProblem('time,x\n0,1\n', { observables: ['cases', 'deaths'], map: { case: 'x' } })).toEqual({
      line: 1, message: '--map case=x: the model has no observable "case" (did you mean "cases"?) (observables: cases, deaths)',
    });
  });

  it('--map to the time column, the dataset column, or a column already mapped', () => {
    expect(onlyProblem('time,x\n0,1\n', { ...I, map: { I: 'time' } })).toEqual({
      line: 1, column: 'time', message: '--map I=time: "time" is the time column; map I to a column of observations',
    });
    expect(onlyProblem('time,dataset,x\n0,a,1\n', { ...I, map: { I: 'dataset' } }).message)
      .toBe('--map I=dataset: "dataset" is the dataset column; map I to a column of observations (or name another dataset column)');
    expect(onlyProblem('time,x\n0,1\n', { observables: ['I', 'R'], map: { I: 'x', R: 'x' } }).message)
      .toBe('--map R=x: column "x" is already mapped to I; each column holds one observable');
  });

  it('an observable matching two columns that differ only in case', () => {
    expect(onlyProblem('time,Cases,CASES\n0,1,2\n', { observables: ['cases'] }).message)
      .toBe('observable cases: several columns differ only in case from "cases"; pick one with --map cases=COLUMN (columns: time, Cases, CASES)');
  });

  it('a dataset column that does not exist, or is the time column', () => {
    expect(onlyProblem('time,site,I\n0,a,1\n', { ...I, datasetColumn: 'sites' }).message).toBe('dataset column: no column "sites" (did you mean "site"?) (columns: time, site, I)');
    expect(onlyProblem('time,I\n0,1\n', { ...I, datasetColumn: 'time' })).toEqual({ line: 1, column: 'time', message: 'the dataset column cannot also be the time column' });
  });
});

describe('rows and cells', () => {
  it('a row with too few or too many cells', () => {
    expect(onlyProblem('time,I,R\n0,1,2\n1,2\n', { observables: ['I', 'R'] })).toEqual({
      line: 3, message: '2 cells, but the header has 3 columns (time, I, R): give every row one cell per column, and quote cells that contain ","',
    });
    expect(onlyProblem('time;I\n0;1;2\n', I).message).toBe('3 cells, but the header has 2 columns (time, I): give every row one cell per column, and quote cells that contain ";"');
    expect(onlyProblem('time\tI\n0\t1\t2\n', I).message).toContain('quote cells that contain a tab');
  });

  it('a row without a dataset id', () => {
    expect(onlyProblem('dataset,time,I\na,0,1\n ,1,2\n', I)).toEqual({
      line: 3, column: 'dataset', message: 'no dataset id: every row needs one when the file has a dataset column',
    });
  });

  it.each([
    ['abc', '"abc" is not a number (empty or NA means missing)'],
    ['1,234', '"1,234" is not a number: use "." for decimals and no thousands separators'],
    ['1,5', '"1,5" is not a number: use "." for decimals and no thousands separators'],
    ['12,345.5', '"12,345.5" is not a number: use "." for decimals and no thousands separators'],
    ['1 234', '"1 234" is not a number: write it without thousands separators'],
    ["1'234'567", '"1\'234\'567" is not a number: write it without thousands separators'],
    ['1.234.567', '"1.234.567" is not a number: write it without thousands separators'],
    ['-Infinity', '"-Infinity" is not a finite number (empty or NA means missing)'],
    ['1e999', '"1e999" is too large to be a number here'],
    ['N/A', '"N/A" is not a number (empty or NA means missing)'],
    ['0x10', '"0x10" is not a number (empty or NA means missing)'],
    ['5%', '"5%" is not a number (empty or NA means missing)'],
    ['2020-01-01', '"2020-01-01" is a date, not a number (empty or NA means missing)'],
  ])('an observation %j', (cell, message) => {
    expect(onlyProblem(`time,I\n0,1\n1,"${cell}"\n`, I)).toEqual({ line: 3, column: 'I', message });
  });

  it('names the CSV column, not the observable, when they differ', () => {
    expect(onlyProblem('day,in_bed\n1,lots\n', { observables: ['cases'], timeColumn: 'day', map: { cases: 'in_bed' } }))
      .toEqual({ line: 2, column: 'in_bed', message: '"lots" is not a number (empty or NA means missing)' });
  });

  it('throws nothing but CsvError for arbitrary text', () => {
    const samples = ['"', '""', ',', '\n,\n', 'time', 'time\n"', '\u0000\u0001', 'time,I\n0,1\n"""', 'a"b,c\n1,2'];
    for (const text of samples) {
      try {
        parseDatasetCsv(text, I);
      } catch (err) {
        expect(err, JSON.stringify(text)).toBeInstanceOf(CsvError);
      }
    }
  });
});

describe('order of problems', () => {
  it('lists quote problems and row problems in file order', () => {
    const err = csvError('time,I\n0,x\n1,2\n2,"3\n', I);
    expect(err.problems.map((p) => p.line)).toEqual([2, 4]);
  });
});
