/**
 * Networks in a project: the learner's NetworkArtifact stored with what it was trained on (bank,
 * training and held-out run ranges), and rebuilt from the store for evaluation and estimation.
 */
import type { Project } from '../store/project.ts';
import type { NetworkArtifact } from '../learn/types.ts';
import { AppError } from '../contract/errors.ts';

/** What a stored network's `architecture` column holds besides the learner's own architecture. */
export interface NetworkMeta {
  net: NetworkArtifact['architecture'];
  head: NetworkArtifact['head'];
  encoder: NetworkArtifact['encoder'];
  paramIds: string[];
  modelNames: string[];
  seed: number;
  /** Runs [from, to) of the bank used for training, and those held out for the checks. */
  trainRuns: [number, number];
  heldOutRuns: [number, number];
}

/** Save a trained network; returns its id. */
export function storeNetwork(project: Project, a: NetworkArtifact, o: { name: string; bankId: number; trainRuns: [number, number]; heldOutRuns: [number, number]; checks?: unknown }): number {
  const meta: NetworkMeta = { net: a.architecture, head: a.head, encoder: a.encoder, paramIds: a.paramIds, modelNames: a.modelNames, seed: a.seed, trainRuns: o.trainRuns, heldOutRuns: o.heldOutRuns };
  return project.networks.save({
    name: o.name, bankId: o.bankId, kind: a.head, architecture: meta, normalisation: a.normalisation,
    weights: a.weights.map((w) => ({ name: w.name, shape: w.shape, dtype: 'float32', data: w.data })),
    history: a.history, backend: a.backend, checks: o.checks,
  });
}

/** Rebuild a stored network's artifact (and its metadata). */
export function loadStoredNetwork(project: Project, networkId: number): { artifact: NetworkArtifact; meta: NetworkMeta; bankId: number } {
  const stored = project.networks.get(networkId);
  if (!stored) throw new AppError('not-found', `${project.path} has no network ${networkId}`);
  const meta = stored.architecture as NetworkMeta;
  const artifact: NetworkArtifact = {
    head: meta.head, encoder: meta.encoder, architecture: meta.net,
    normalisation: stored.normalisation as NetworkArtifact['normalisation'],
    weights: stored.weights.map((w) => ({ name: w.name, shape: w.shape, data: w.data instanceof Float32Array ? w.data : Float32Array.from(w.data as ArrayLike<number>) })),
    history: stored.history as NetworkArtifact['history'], backend: stored.backend as NetworkArtifact['backend'],
    paramIds: meta.paramIds, modelNames: meta.modelNames, seed: meta.seed,
  };
  return { artifact, meta, bankId: stored.bankId };
}
