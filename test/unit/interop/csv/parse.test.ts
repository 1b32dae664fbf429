/** Reading valid data CSVs: matching, datasets, missing cells, numbers and CSV dialects. */
import { describe, expect, it } from 'vitest';
import { parseDatasetCsv } from '../../../../src-main/interop/dataset-csv.ts';
import { rowsOf } from './helpers.ts';

const SIR = { observables: ['I', 'R'] } as const;

describe('columns', () => {
  it('finds time and observables by name, any case, in any order', () => {
    const { datasets, warnings } = parseDatasetCsv('r,TIME,i\n1,0,2\n3,1,4\n', SIR);
    expect(datasets[0].columns).toEqual({ I: 'i', R: 'r' });
    expect(Array.from(datasets[0].times)).toEqual([0, 1]);
    expect(rowsOf(datasets[0].values, 2)).toEqual([[2, 1], [4, 3]]);
    expect(warnings).toEqual([]);
  });

  it('prefers an exact match to a case-insensitive one', () => {
    const { datasets } = parseDatasetCsv('time,i,I\n0,1,2\n', { observables: ['i', 'I'] });
    expect(datasets[0].columns).toEqual({ i: 'i', I: 'I' });
    expect(Array.from(datasets[0].values)).toEqual([1, 2]);
  });

  it('a column taken by --map is not matched by name to another observable', () => {
    const { datasets, warnings } = parseDatasetCsv('time,I\n0,5\n', { observables: ['cases', 'I'], map: { cases: 'I' } });
    expect(datasets[0].observables).toEqual(['cases']);
    expect(warnings).toEqual(['observables not in the data: I (they are not observed; use --map OBS=COLUMN if a column holds one)']);
  });

  it('--time-col and --map match names case-insensitively too', () => {
    const { datasets } = parseDatasetCsv('Day,In Bed\n1,3\n', { observables: ['cases'], timeColumn: 'day', map: { cases: 'in bed' } });
    expect(datasets[0].columns).toEqual({ cases: 'In Bed' });
  });

  it('warns about columns it does not use, including a nameless one with data', () => {
    const { warnings } = parseDatasetCsv('time,I,note,\n0,1,x,7\n', { observables: ['I'] });
    expect(warnings).toEqual(['columns not used: note, column 4 (no name) (use --map OBS=COLUMN to read one as an observable)']);
  });

  it('ignores a trailing empty column (a stray delimiter at the end of every line)', () => {
    const { datasets, warnings } = parseDatasetCsv('time,I,\n0,1,\n1,2,\n', { observables: ['I'] });
    expect(Array.from(datasets[0].values)).toEqual([1, 2]);
    expect(warnings).toEqual([]);
  });

  it('accepts trailing empty cells beyond the header', () => {
    const { datasets } = parseDatasetCsv('time,I\n0,1,,\n1,2\n', { observables: ['I'] });
    expect(Array.from(datasets[0].values)).toEqual([1, 2]);
  });

  it('an observable named dataset is an observable, not a dataset column', () => {
    const { datasets } = parseDatasetCsv('time,dataset\n0,1\n1,2\n', { observables: ['dataset'] });
    expect(datasets).toHaveLength(1);
    expect(datasets[0].columns).toEqual({ dataset: 'dataset' });
  });
});

describe('datasets', () => {
  it('a dataset column splits rows, in order of first appearance, even interleaved', () => {
    const text = 'dataset,time,I\nschool B,0,1\nschool A,0,10\nschool B,1,2\nschool A,2,20\n';
    const { datasets, warnings } = parseDatasetCsv(text, { observables: ['I'], fileName: 'two.csv' });
    expect(datasets.map((d) => d.id)).toEqual(['school B', 'school A']);
    expect(Array.from(datasets[0].times)).toEqual([0, 1]);
    expect(Array.from(datasets[0].values)).toEqual([1, 2]);
    expect(Array.from(datasets[1].times)).toEqual([0, 2]);
    expect(Array.from(datasets[1].values)).toEqual([10, 20]);
    expect(datasets[1].columns).toEqual({ I: 'I' });
    expect(datasets[1].source).toEqual({ fileName: 'two.csv' });
    expect(warnings).toEqual([]);
  });

  it('the dataset column can be named, any case', () => {
    const { datasets } = parseDatasetCsv('Site,time,I\nx,0,1\ny,0,2\n', { observables: ['I'], datasetColumn: 'site' });
    expect(datasets.map((d) => d.id)).toEqual(['x', 'y']);
  });

  it('finds a Dataset column in any case', () => {
    const { datasets } = parseDatasetCsv('time,DataSet,I\n0,a,1\n0,b,2\n', { observables: ['I'] });
    expect(datasets.map((d) => d.id)).toEqual(['a', 'b']);
  });

  it('without a dataset column the id is the file stem, or "data"', () => {
    expect(parseDatasetCsv('time,I\n0,1\n', { observables: ['I'], fileName: 'C:\\data\\flu 2024.v2.csv' }).datasets[0].id).toBe('flu 2024.v2');
    expect(parseDatasetCsv('time,I\n0,1\n', { observables: ['I'] }).datasets[0].id).toBe('data');
    expect(parseDatasetCsv('time,I\n0,1\n', { observables: ['I'] }).datasets[0].source).toBeUndefined();
  });

  it('warns when an observable has no values in one dataset', () => {
    const text = 'dataset,time,I,R\na,0,1,2\nb,0,3,NA\nb,1,4,\n';
    const { datasets, warnings } = parseDatasetCsv(text, SIR);
    expect(rowsOf(datasets[1].values, 2)).toEqual([[3, null], [4, null]]);
    expect(warnings).toEqual(['dataset "b": observable R (column R) has no values: every cell is empty or NA']);
  });
});

describe('cells', () => {
  it('empty, NA, na, NaN and spaces mean missing', () => {
    const text = 'time,I,R\n0,,NA\n1,na, NaN \n2,nan,5\n3,  ,Na\n';
    const { datasets, warnings } = parseDatasetCsv(text, SIR);
    expect(rowsOf(datasets[0].values, 2)).toEqual([[null, null], [null, null], [null, 5], [null, null]]);
    expect(warnings).toEqual(['observable I (column I) has no values: every cell is empty or NA']);
  });

  it('keeps a row whose observations are all missing: its time still belongs to the data', () => {
    const { datasets } = parseDatasetCsv('time,I\n0,1\n1,NA\n2,3\n', { observables: ['I'] });
    expect(Array.from(datasets[0].times)).toEqual([0, 1, 2]);
    expect(rowsOf(datasets[0].values, 1)).toEqual([[1], [null], [3]]);
  });

  it('reads signs, decimals, exponents and spaces around numbers', () => {
    const text = 'time,I\n-1.5,+3\n0,.5\n1e-3,1.\n2,2.5E+2\n3, 7 \n4,-0\n5,1e300\n';
    const { datasets } = parseDatasetCsv(text, { observables: ['I'] });
    expect(Array.from(datasets[0].times)).toEqual([-1.5, 0, 0.001, 2, 3, 4, 5]);
    expect(Array.from(datasets[0].values)).toEqual([3, 0.5, 1, 250, 7, -0, 1e300]);
  });
});

describe('CSV dialects', () => {
  it('strips a byte-order mark and reads CRLF line ends', () => {
    const { datasets } = parseDatasetCsv('\uFEFFtime,I\r\n0,1\r\n1,2\r\n', { observables: ['I'] });
    expect(datasets[0].columns).toEqual({ I: 'I' });
    expect(Array.from(datasets[0].values)).toEqual([1, 2]);
  });

  it('reads old Mac line ends (CR only)', () => {
    const { datasets } = parseDatasetCsv('time,I\r0,1\r1,2', { observables: ['I'] });
    expect(Array.from(datasets[0].times)).toEqual([0, 1]);
  });

  it('reads quoted fields: names with delimiters, doubled quotes, line breaks, quoted numbers', () => {
    const text = '"time","I, infected","note"\n"0","1","say ""hi"""\n1,2,"two\nlines"\n2,"3",x\n';
    const { datasets, warnings } = parseDatasetCsv(text, { observables: ['I'], map: { I: 'I, infected' } });
    expect(Array.from(datasets[0].times)).toEqual([0, 1, 2]);
    expect(Array.from(datasets[0].values)).toEqual([1, 2, 3]);
    expect(warnings).toEqual(['columns not used: note (use --map OBS=COLUMN to read one as an observable)']);
  });

  it('skips blank lines, and counts lines across quoted line breaks', () => {
    const text = 'time,I,note\n\n0,1,"a\nb"\n   \n0,2,c\n';
    // The duplicate time is on line 6: the quoted break and the blank lines count.
    expect(() => parseDatasetCsv(text, { observables: ['I'] })).toThrow('line 6, column time: time 0 appears twice (also on line 3)');
  });

  it.each([
    ['semicolons, with decimal commas left alone in the guess', 'time;I\n0;1.5\n1;2\n'],
    ['tabs', 'time\tI\n0\t1.5\n1\t2\n'],
    ['pipes', 'time|I\n0|1.5\n1|2\n'],
  ])('guesses the delimiter from the header: %s', (_, text) => {
    const { datasets } = parseDatasetCsv(text, { observables: ['I'] });
    expect(Array.from(datasets[0].values)).toEqual([1.5, 2]);
  });
});
