/**
 * The pipeline step by step on a project (`sgnn train|evaluate|estimate`, the app's Train → Check →
 * Apply): train a network on a stored bank, check it on the bank's held-out runs, apply it to
 * stored datasets. Each step stores its result in the project.
 */
import type { Project } from '../../store/project.ts';
import type { Model } from '../../model/schema.ts';
import { compileModel } from '../../model/compile.ts';
import { initBackend } from '../../learn/backend.ts';
import { loadNetwork, disposeNetwork, modelProbabilities } from '../../learn/infer.ts';
import type { EncoderKind, HeadKind, TrainingData } from '../../learn/types.ts';
import { confusionMatrix, chooseByProbability } from '../../analyze/confusion.ts';
import type { Dataset } from '../../interop/dataset-csv.ts';
import type { DatasetResult, FitReport } from '../../report/fit-report.ts';
import { AppError } from '../../contract/errors.ts';
import { readTrainingData, withoutFailedRuns } from '../training-data.ts';
import { storeNetwork, loadStoredNetwork } from '../network-store.ts';
import { alignDatasets } from './align.ts';
import { trainAll, heldOutChecks, estimateDatasets, checksToJson } from './pipeline.ts';
import type { FitHooks } from './pipeline.ts';

interface BankContext {
  models: Model[];
  labels: string[];
  weights: number[];
  times: Float64Array;
  observables: string[];
  paramIds: string[];
  tStart: number;
  nTotal: number;
}

/** What a stored, complete bank was made of. */
function bankContext(project: Project, bankId: number): BankContext {
  const bank = project.banks.get(bankId);
  if (!bank) throw new AppError('not-found', `${project.path} has no bank ${bankId}`);
  if (bank.status !== 'complete') throw new AppError('conflict', `bank ${bankId} is incomplete (${bank.nDone}/${bank.nTotal} runs): resume it first`);
  const design = project.designs.get(bank.designId);
  if (!design) throw new AppError('not-found', `bank ${bankId}: its design ${bank.designId} is missing`);
  const spec = bank.spec as { tStart?: number; observables?: string[]; paramIds?: string[] };
  const models = bank.models.map((m) => {
    const record = project.models.get(m.modelId, m.version);
    if (!record) throw new AppError('not-found', `bank ${bankId}: model ${m.modelId} version ${m.version} is missing`);
    return record.model;
  });
  return {
    models, labels: bank.models.map((m) => m.label), weights: bank.models.map((m) => m.weight),
    times: Float64Array.from(design.times), observables: spec.observables ?? design.observables,
    paramIds: spec.paramIds ?? bank.paramNames ?? [], tStart: spec.tStart ?? 0, nTotal: bank.nTotal,
  };
}

function read(project: Project, bankId: number, b: BankContext, from: number, to: number): TrainingData {
  const data = readTrainingData(project, bankId, b.models, b.times, b.observables, b.paramIds, b.weights, from, to);
  data.modelNames = b.labels;
  return data;
}

export interface TrainStepOptions {
  head?: HeadKind;
  encoder?: EncoderKind;
  epochs?: number;
  seed: number;
  /** Runs kept out of training for the checks (default min(1000, n/5)). */
  heldOut?: number;
  scaling?: boolean;
  name?: string;
  workers?: number;
}

/** Train a network on a stored bank (classifier by default when the bank has several models). */
export async function trainOnBank(project: Project, bankId: number, o: TrainStepOptions, hooks: FitHooks = {}): Promise<{ networkId: number; backend: string; epochs: number; seconds: number }> {
  const b = bankContext(project, bankId);
  const head: HeadKind = o.head ?? (b.models.length > 1 ? 'classifier' : 'density');
  if (head !== 'classifier' && b.models.length > 1) throw new AppError('invalid-input', `bank ${bankId} mixes ${b.models.length} models: train a classifier (--head classifier), or a parameter network on a single-model bank`);
  if (head === 'classifier' && b.models.length < 2) throw new AppError('invalid-input', `bank ${bankId} holds one model: a classifier needs a bank of several models`);
  const heldOut = o.heldOut ?? Math.min(1000, Math.max(20, Math.floor(b.nTotal / 5)));
  if (heldOut >= b.nTotal) throw new AppError('invalid-input', `--held-out (${heldOut}) must be smaller than the bank (${b.nTotal} runs)`);
  const nTrain = b.nTotal - heldOut;
  const backend = await initBackend('auto');
  const data = read(project, bankId, b, 0, nTrain);
  const options = { head, encoder: o.encoder ?? 'auto', seed: o.seed, epochs: o.epochs ?? 40, patience: 8, width: 128, components: 3 } as const;
  const trained = await trainAll(data, options, o.scaling ?? true, hooks, o.workers);
  let scaling: FitReport['checks']['scaling'] = null;
  if (head !== 'classifier') {
    const held = read(project, bankId, b, nTrain, b.nTotal);
    const net = loadNetwork(trained.main);
    try {
      scaling = heldOutChecks(net, held, data.priors, trained.scaled, nTrain, o.seed).scaling;
    } finally {
      disposeNetwork(net);
    }
  }
  const networkId = storeNetwork(project, trained.main, {
    name: o.name ?? `${b.labels.join(' + ')} (${head}, ${nTrain} runs)`, bankId, trainRuns: [0, nTrain], heldOutRuns: [nTrain, b.nTotal],
    checks: scaling ? { scaling } : undefined,
  });
  return { networkId, backend, epochs: trained.main.history.length, seconds: trained.seconds };
}

/** Check a stored network on its bank's held-out runs; stores and returns the checks. */
export async function evaluateNetwork(project: Project, networkId: number, seed: number): Promise<Pick<FitReport['checks'], 'parameters' | 'recovery' | 'scaling' | 'confusion'>> {
  await initBackend('auto');
  const { artifact, meta, bankId } = loadStoredNetwork(project, networkId);
  const b = bankContext(project, bankId);
  const held = withoutFailedRuns(read(project, bankId, b, meta.heldOutRuns[0], meta.heldOutRuns[1])).data;
  const previous = (project.networks.get(networkId)!.checks ?? {}) as { scaling?: FitReport['checks']['scaling'] };
  const net = loadNetwork(artifact);
  try {
    let checks: Pick<FitReport['checks'], 'parameters' | 'recovery' | 'scaling' | 'confusion'>;
    if (meta.head === 'classifier') {
      const prior = b.weights.map((w) => w / b.weights.reduce((a, c) => a + c, 0));
      const chosen = chooseByProbability(modelProbabilities(net, held.x, prior), b.labels.length);
      checks = { parameters: [], recovery: [], scaling: previous.scaling ?? null, confusion: { sgnn: confusionMatrix(held.modelLabels, chosen, b.labels), nHeldOut: held.nRuns, nWithFits: 0 } };
    } else {
      const r = heldOutChecks(net, held, held.priors, [], meta.trainRuns[1] - meta.trainRuns[0], seed);
      checks = { parameters: checksToJson(r.parameterChecks), recovery: r.recovery, scaling: previous.scaling ?? null };
    }
    project.networks.updateChecks(networkId, checks);
    return checks;
  } finally {
    disposeNetwork(net);
  }
}

/** Apply a stored network to stored datasets; saves one estimate per dataset and returns the results. */
export async function estimateWithNetwork(project: Project, networkId: number, datasetIds: number[], seed: number): Promise<{ estimateIds: number[]; datasets: DatasetResult[] }> {
  await initBackend('auto');
  const { artifact, meta, bankId } = loadStoredNetwork(project, networkId);
  const b = bankContext(project, bankId);
  const datasets: Dataset[] = datasetIds.map((id) => {
    const d = project.datasets.get(id);
    if (!d) throw new AppError('not-found', `${project.path} has no dataset ${id}`);
    return { id: d.name, times: Float64Array.from(d.times), observables: d.observables, values: Float64Array.from(d.values), columns: d.columns ?? {} };
  });
  // The network reads the bank's design: each dataset is placed on those times (others are refused).
  const aligned = alignDatasets(datasets, b.models);
  for (const t of aligned.times) {
    if (!b.times.includes(t)) throw new AppError('invalid-input', `the data have a time ${t} that the network's design (bank ${bankId}) does not have; create a design from this dataset and a bank for it`);
  }
  const nObs = b.observables.length;
  const nT = b.times.length;
  const x = new Float32Array(datasets.length * nT * nObs).fill(NaN);
  const values = datasets.map((_, di) => {
    const v = new Float64Array(nT * nObs).fill(NaN);
    aligned.times.forEach((t, k) => {
      const row = b.times.indexOf(t);
      aligned.observables.forEach((o, j) => {
        const col = b.observables.indexOf(o);
        if (col < 0) throw new AppError('invalid-input', `dataset "${datasets[di].id}" measures "${o}", which the network's design (bank ${bankId}) does not include; create a design with it and a bank for it`);
        const value = aligned.values[di][k * aligned.observables.length + j];
        v[row * nObs + col] = value;
        x[(di * nT + row) * nObs + col] = value;
      });
    });
    return v;
  });
  const onDesign = { times: b.times, observables: b.observables, x, values };
  const held = withoutFailedRuns(read(project, bankId, b, meta.heldOutRuns[0], meta.heldOutRuns[1])).data;
  const net = loadNetwork(artifact);
  try {
    let results: DatasetResult[];
    if (meta.head === 'classifier') {
      const prior = b.weights.map((w) => w / b.weights.reduce((a, c) => a + c, 0));
      const probs = modelProbabilities(net, x, prior);
      const nM = b.labels.length;
      results = datasets.map((d, di) => {
        const probabilities = Object.fromEntries(b.labels.map((l, m) => [l, probs[di * nM + m]]));
        const choice = b.labels.reduce((a, l) => (probabilities[l] > probabilities[a] ? l : a), b.labels[0]);
        return {
          id: d.id, observed: { times: Array.from(b.times), values: {} }, estimates: {}, derived: {}, samples: {}, predictive: {}, mismatch: null,
          attribution: { nearest: [], salient: {} },
          comparison: { sgnn: { probabilities, choice }, aic: { values: {}, choice: '—', weights: {} }, bic: { values: {}, choice: '—', weights: {} }, ml: {} },
        };
      });
    } else {
      const model = b.models[0];
      results = estimateDatasets(net, compileModel(model), model, datasets, onDesign, held, meta.heldOutRuns[0], b.tStart, seed).datasets;
    }
    const estimateIds = project.transaction(() => results.map((r, i) => project.estimates.save({ networkId, datasetId: datasetIds[i], result: r, name: `network ${networkId} on ${r.id}` })));
    return { estimateIds, datasets: results };
  } finally {
    disposeNetwork(net);
  }
}
