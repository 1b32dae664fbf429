/** Operations on datasets (CSV import) and designs (observation times × observables). */
import type { Handlers } from '../engine.ts';
import { AppError } from '../../contract/errors.ts';
import type { DatasetRecord, DatasetSummary, DesignSummary } from '../../contract/types.ts';
import { parseDatasetCsv } from '../../interop/dataset-csv.ts';
import type { Project } from '../../store/project.ts';

function datasetSummary(d: { datasetId: number; name: string; observables: string[]; times: ArrayLike<number>; importedAt: string }): DatasetSummary {
  return { datasetId: d.datasetId, name: d.name, observables: d.observables, nTimes: d.times.length, importedAt: d.importedAt };
}

function designSummary(d: { designId: number; name: string; times: ArrayLike<number>; observables: string[]; datasetId?: number | null }): DesignSummary {
  return { designId: d.designId, name: d.name, times: Array.from(d.times), observables: d.observables, datasetId: d.datasetId ?? null };
}

/** A stored dataset, or a not-found error naming the project. */
export function requireDataset(p: Project, datasetId: number) {
  const d = p.datasets.get(datasetId);
  if (!d) throw new AppError('not-found', `${p.path} has no dataset ${datasetId}`);
  return d;
}

export const dataHandlers: Pick<Handlers, 'dataset.import' | 'dataset.list' | 'dataset.get' | 'design.create' | 'design.list'> = {
  'dataset.import'({ project, csv, fileName, name, observables, timeColumn, map }, { projects, emit }) {
    const p = projects.get(project);
    const { datasets, warnings } = parseDatasetCsv(csv, { observables, timeColumn, map, fileName });
    const importedAt = new Date().toISOString();
    const base = name ?? fileName?.replace(/\.[^.]*$/, '') ?? 'data';
    const saved = p.transaction(() => datasets.map((d) => {
      const datasetName = datasets.length > 1 ? `${base} / ${d.id}` : base;
      const datasetId = p.datasets.add({
        name: datasetName, times: d.times, observables: d.observables, values: d.values, columns: d.columns,
        source: { fileName: fileName ?? null, importedAt, datasetColumnValue: datasets.length > 1 ? d.id : null },
      });
      return datasetSummary({ datasetId, name: datasetName, observables: d.observables, times: d.times, importedAt });
    }));
    emit('project.changed', { project: p.path, what: 'datasets' });
    return { datasets: saved, warnings };
  },
  'dataset.list'({ project }, { projects }) {
    return projects.get(project).datasets.list().map(datasetSummary);
  },
  'dataset.get'({ project, datasetId }, { projects }): DatasetRecord {
    const d = requireDataset(projects.get(project), datasetId);
    const nObs = d.observables.length;
    const values = Array.from({ length: d.times.length }, (_, k) => Array.from({ length: nObs }, (_, j) => {
      const v = d.values[k * nObs + j];
      return Number.isNaN(v) ? null : v;
    }));
    return { ...datasetSummary(d), times: Array.from(d.times), values, columns: d.columns };
  },
  'design.create'({ project, name, times, datasetId, observables }, { projects, emit }) {
    const p = projects.get(project);
    let designTimes: Float64Array;
    let designObs: string[];
    if (datasetId !== undefined) {
      const d = requireDataset(p, datasetId);
      designTimes = Float64Array.from(d.times);
      designObs = observables ?? d.observables;
    } else {
      if (!observables) throw new AppError('invalid-input', 'a design from explicit times needs the observables it measures');
      designTimes = Float64Array.from(times!);
      for (let k = 1; k < designTimes.length; k++) {
        if (!(designTimes[k] > designTimes[k - 1])) throw new AppError('invalid-input', `design times must increase: time ${k + 1} (${designTimes[k]}) is not after ${designTimes[k - 1]}`);
      }
      designObs = observables;
    }
    const designName = name ?? (datasetId !== undefined ? `design of dataset ${datasetId}` : `${designTimes.length} times`);
    const designId = p.designs.add({ name: designName, times: designTimes, observables: designObs, datasetId: datasetId ?? null });
    emit('project.changed', { project: p.path, what: 'designs' });
    return designSummary({ designId, name: designName, times: designTimes, observables: designObs, datasetId });
  },
  'design.list'({ project }, { projects }) {
    return projects.get(project).designs.list().map(designSummary);
  },
};
