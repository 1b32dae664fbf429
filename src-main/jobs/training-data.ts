/** Reading a stored bank as the learner's TrainingData (one chunk in memory at a time while copying). */
import type { Project } from '../store/project.ts';
import type { TrainingData } from '../learn/types.ts';
import type { Model, Prior } from '../model/schema.ts';
import { usableRuns } from '../learn/transforms.ts';

/** Runs [from, to) of bank `bankId` as TrainingData; `models` are the bank's models in label order. */
export function readTrainingData(project: Project, bankId: number, models: readonly Model[], times: Float64Array, observables: readonly string[], paramIds: readonly string[], modelWeights: readonly number[], from: number, to: number): TrainingData {
  const nT = times.length;
  const nObs = observables.length;
  const nP = paramIds.length;
  const n = to - from;
  const x = new Float32Array(n * nT * nObs);
  const theta = new Float64Array(n * nP);
  const modelLabels = new Int32Array(n);
  for (const chunk of project.banks.readChunks(bankId)) {
    const start = Math.max(from, chunk.firstRun);
    const end = Math.min(to, chunk.firstRun + chunk.nRuns);
    if (start >= end) continue;
    const offset = start - chunk.firstRun;
    const count = end - start;
    x.set(chunk.observations.subarray(offset * nT * nObs, (offset + count) * nT * nObs), (start - from) * nT * nObs);
    theta.set(chunk.params.subarray(offset * nP, (offset + count) * nP), (start - from) * nP);
    modelLabels.set(chunk.modelLabels.subarray(offset, offset + count), start - from);
  }
  const priors: Prior[] = paramIds.map((id) => {
    for (const m of models) {
      const p = m.parameters.find((q) => q.id === id);
      if (p?.prior) return p.prior;
    }
    throw new Error(`parameter ${id} has no prior in any of the bank's models`);
  });
  const first = models[0];
  const total = modelWeights.reduce((a, b) => a + b, 0);
  return {
    runs: Int32Array.from({ length: n }, (_, i) => from + i),
    nRuns: n,
    times,
    observables: observables.map((id) => ({ id, noise: first.observables.find((o) => o.id === id)?.noise?.dist ?? null })),
    x,
    paramIds: [...paramIds],
    priors,
    theta,
    modelLabels,
    modelNames: models.map((m) => m.name),
    modelPrior: modelWeights.map((w) => w / total),
  };
}

/**
 * The runs that simulated (a failed run is stored as all-missing observations with its true θ):
 * checks, mismatch references and confusion matrices must not score the network on them.
 */
export function withoutFailedRuns(data: TrainingData): { data: TrainingData; dropped: number } {
  const per = data.x.length / Math.max(1, data.nRuns);
  const keep = usableRuns(data.x, data.nRuns, per);
  if (keep.length === data.nRuns) return { data, dropped: 0 };
  const nP = data.paramIds.length;
  const x = new Float32Array(keep.length * per);
  const theta = new Float64Array(keep.length * nP);
  const modelLabels = new Int32Array(keep.length);
  const runs = new Int32Array(keep.length);
  keep.forEach((r, i) => {
    x.set(data.x.subarray(r * per, (r + 1) * per), i * per);
    theta.set(data.theta.subarray(r * nP, (r + 1) * nP), i * nP);
    modelLabels[i] = data.modelLabels[r];
    runs[i] = data.runs ? data.runs[r] : r;
  });
  return { data: { ...data, nRuns: keep.length, x, theta, modelLabels, runs }, dropped: data.nRuns - keep.length };
}
