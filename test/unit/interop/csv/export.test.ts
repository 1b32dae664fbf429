/** Writing datasets as CSV, and reading them back unchanged. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { datasetToCsv, datasetsToCsv, parseDatasetCsv } from '../../../../src-main/interop/dataset-csv.ts';
import type { Dataset } from '../../../../src-main/interop/dataset-csv.ts';
import { fixture } from './helpers.ts';

function dataset(id: string, times: number[], observables: string[], values: number[]): Dataset {
  return { id, times: Float64Array.from(times), observables, values: Float64Array.from(values), columns: Object.fromEntries(observables.map((o) => [o, o])) };
}

describe('datasetToCsv', () => {
  it('writes time and observable columns named by id, NA for missing', () => {
    const ds = dataset('x', [0, 0.5, 1e-7], ['I', 'R'], [1, NaN, 2.5, 3, NaN, -0.125]);
    expect(datasetToCsv(ds)).toBe('time,I,R\n0,1,NA\n0.5,2.5,3\n1e-7,NA,-0.125\n');
  });

  it('names columns by observable id, whatever the source column was', () => {
    const { datasets } = parseDatasetCsv(fixture('boarding_school.csv'), { observables: ['cases'], timeColumn: 'day', map: { cases: 'in_bed' } });
    const csv = datasetToCsv(datasets[0]);
    expect(csv.split('\n').slice(0, 3)).toEqual(['time,cases', '1,3', '2,8']);
    // Read back without any flags.
    const again = parseDatasetCsv(csv, { observables: ['cases'] }).datasets[0];
    expect(again.times).toEqual(datasets[0].times);
    expect(again.values).toEqual(datasets[0].values);
  });

  it('round-trips any dataset exactly (times, values, missing cells)', () => {
    const ids = fc.uniqueArray(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/).filter((s) => !['t', 'time', 'dataset'].includes(s.toLowerCase())), {
      minLength: 1, maxLength: 4, comparator: (a, b) => a.toLowerCase() === b.toLowerCase(),
    });
    const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
    const arb = ids.chain((observables) => fc.record({
      observables: fc.constant(observables),
      times: fc.uniqueArray(finite, { minLength: 1, maxLength: 12, comparator: (a, b) => a === b || (a === 0 && b === 0) }).map((t) => t.sort((a, b) => a - b)),
      cells: fc.array(fc.oneof(finite, fc.constant(NaN)), { minLength: 12 * observables.length, maxLength: 12 * observables.length }),
    }));
    fc.assert(fc.property(arb, ({ observables, times, cells }) => {
      const ds = dataset('d', times, observables, cells.slice(0, times.length * observables.length));
      const back = parseDatasetCsv(datasetToCsv(ds), { observables }).datasets[0];
      expect(back.observables).toEqual(observables);
      // Exact, except that -0 is written as 0 (String(-0) is "0"); toEqual takes NaN as equal to NaN.
      const plain = (xs: Float64Array): number[] => Array.from(xs, (x) => x + 0);
      expect(Array.from(back.times)).toEqual(plain(ds.times));
      expect(Array.from(back.values)).toEqual(plain(ds.values));
    }), { numRuns: 200 });
  });
});

describe('datasetsToCsv', () => {
  it('writes a dataset column and the union of observables, and reads back as the same datasets', () => {
    const a = dataset('school, A', [0, 1], ['I'], [1, 2]);
    const b = dataset('B "2"', [0.5], ['R', 'I'], [7, NaN]);
    const csv = datasetsToCsv([a, b]);
    expect(csv).toBe('dataset,time,I,R\n"school, A",0,1,NA\n"school, A",1,2,NA\n"B ""2""",0.5,NA,7\n');
    const { datasets, warnings } = parseDatasetCsv(csv, { observables: ['I', 'R'] });
    expect(datasets.map((d) => d.id)).toEqual(['school, A', 'B "2"']);
    expect(Array.from(datasets[1].values)).toEqual([NaN, 7]);
    expect(warnings).toEqual([
      'dataset "school, A": observable R (column R) has no values: every cell is empty or NA',
      'dataset "B "2"": observable I (column I) has no values: every cell is empty or NA',
    ]);
  });

  it('an observable named Dataset still round-trips: only the exact name is the dataset column', () => {
    const csv = datasetsToCsv([dataset('a', [0], ['Dataset'], [3])]);
    expect(csv).toBe('dataset,time,Dataset\na,0,3\n');
    const { datasets } = parseDatasetCsv(csv, { observables: ['Dataset'] });
    expect(datasets[0].id).toBe('a');
    expect(datasets[0].columns).toEqual({ Dataset: 'Dataset' });
  });

  it('refuses an observable named dataset, which would clash with the dataset column', () => {
    expect(() => datasetsToCsv([dataset('a', [0], ['dataset'], [3])])).toThrow('an observable is named "dataset"');
  });
});
