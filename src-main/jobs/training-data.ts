/** Reading a stored bank as the learner's TrainingData (one chunk in memory at a time while copying). */
import type { Project } from '../store/project.ts';
import type { TrainingData } from '../learn/types.ts';
import type { Model, Prior } from '../model/schema.ts';

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
