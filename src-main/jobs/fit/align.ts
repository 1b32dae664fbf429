/**
 * Real datasets on one design: the union of their observation times (a dataset lacking a time is
 * simply missing there — the network was trained with masks) and the observables the model has.
 */
import type { Dataset } from '../../interop/dataset-csv.ts';
import type { Model } from '../../model/schema.ts';
import { AppError } from '../../contract/errors.ts';

export interface AlignedData {
  times: Float64Array;
  observables: string[];
  /** nDatasets × nTimes × nObs, NaN = missing. */
  x: Float32Array;
  /** The same in float64, per dataset (times × observables), for likelihoods. */
  values: Float64Array[];
}

/** Align datasets to the union of their times; every model must have every observed observable. */
export function alignDatasets(datasets: readonly Dataset[], models: readonly Model[]): AlignedData {
  if (datasets.length === 0) throw new AppError('invalid-input', 'the data file holds no dataset');
  const observables: string[] = [];
  for (const d of datasets) for (const o of d.observables) if (!observables.includes(o)) observables.push(o);
  if (observables.length === 0) throw new AppError('invalid-input', 'the data have no column for any observable of the model');
  for (const m of models) {
    const missing = observables.filter((o) => !m.observables.some((mo) => mo.id === o));
    if (missing.length) throw new AppError('invalid-input', `model "${m.name}" has no observable ${missing.map((o) => `"${o}"`).join(', ')} that the data measure`);
    for (const o of observables) {
      const obs = m.observables.find((mo) => mo.id === o)!;
      if (!obs.noise) throw new AppError('invalid-input', `observable "${o}" of model "${m.name}" has no noise model: real data need one (e.g. poisson, negbinomial, normal)`);
    }
  }
  const times = Float64Array.from([...new Set(datasets.flatMap((d) => Array.from(d.times)))].sort((a, b) => a - b));
  const nT = times.length;
  const nObs = observables.length;
  const x = new Float32Array(datasets.length * nT * nObs).fill(NaN);
  const values: Float64Array[] = [];
  datasets.forEach((d, di) => {
    const v = new Float64Array(nT * nObs).fill(NaN);
    const dObs = d.observables.length;
    for (let k = 0; k < d.times.length; k++) {
      const row = times.indexOf(d.times[k]);
      for (let j = 0; j < dObs; j++) {
        const col = observables.indexOf(d.observables[j]);
        const value = d.values[k * dObs + j];
        v[row * nObs + col] = value;
        x[(di * nT + row) * nObs + col] = value;
      }
    }
    values.push(v);
  });
  return { times, observables, x, values };
}
