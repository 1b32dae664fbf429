/**
 * Training mechanics on small networks (wasm): determinism, exact resume from a checkpoint,
 * cancel within one batch, no tensor growth across epochs, online training, early stopping,
 * the temporal-convolution encoder training on wasm, and input errors.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src-main/learn/backend.ts';
import { TrainingCancelled, trainNetwork } from '../../../src-main/learn/train.ts';
import { disposeNetwork, embed, loadNetwork, posteriorMean } from '../../../src-main/learn/infer.ts';
import type { EpochRecord, NetworkArtifact, TrainingCheckpoint, TrainOptions, TrainProgress } from '../../../src-main/learn/types.ts';
import { linearGaussian } from './toy.ts';

const small = linearGaussian(600, 1);
const base: TrainOptions = { head: 'mean', encoder: 'mlp', width: 32, epochs: 4, batchSize: 64, learningRate: 3e-3, seed: 5, patience: 100 };

function sameWeights(a: NetworkArtifact, b: NetworkArtifact): boolean {
  return a.weights.length === b.weights.length && a.weights.every((w, i) => w.name === b.weights[i].name
    && w.data.length === b.weights[i].data.length && w.data.every((v, j) => Object.is(v, b.weights[i].data[j])));
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('trainNetwork', () => {
  it('is deterministic for a seed and backend, and the seed matters', async () => {
    const a = await trainNetwork(small, base);
    const b = await trainNetwork(small, base);
    expect(sameWeights(a, b)).toBe(true);
    expect(a.history.map((h) => h.valLoss)).toEqual(b.history.map((h) => h.valLoss));
    const c = await trainNetwork(small, { ...base, seed: 6 });
    expect(sameWeights(a, c)).toBe(false);
  });

  it('resumes from a checkpoint exactly as if never interrupted', async () => {
    const checkpoints: TrainingCheckpoint[] = [];
    const full = await trainNetwork(small, { ...base, schedule: 'plateau' }, { onEpoch: (_r, c) => void checkpoints.push(c) });
    expect(checkpoints.map((c) => c.training.epoch)).toEqual([1, 2, 3, 4]);
    // The checkpoint survives a JSON-like copy of its arrays (as the store would do).
    const stored = structuredClone(checkpoints[1]);
    const resumed = await trainNetwork(small, { ...base, schedule: 'plateau' }, { resumeFrom: stored });
    expect(sameWeights(full, resumed)).toBe(true);
    expect(resumed.history.map((h) => h.valLoss)).toEqual(full.history.map((h) => h.valLoss));
    // A checkpoint is itself a usable network (the best weights so far).
    const net = loadNetwork(checkpoints[0]);
    expect(posteriorMean(net, small.x.subarray(0, 8)).every(Number.isFinite)).toBe(true);
    disposeNetwork(net);
  });

  it('stops within one batch of an abort and rejects with TrainingCancelled', async () => {
    const controller = new AbortController();
    const seen: TrainProgress[] = [];
    const run = trainNetwork(small, base, {
      signal: controller.signal,
      progressIntervalMs: 0,
      onProgress: (p) => {
        seen.push(p);
        if (p.epoch === 2 && p.batch === 3) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(TrainingCancelled);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    const last = seen[seen.length - 1];
    expect([last.epoch, last.batch]).toEqual([2, 3]);
  });

  it('reports progress with an ETA, and keeps tensors constant across epochs', async () => {
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const records: EpochRecord[] = [];
    const progress: TrainProgress[] = [];
    await trainNetwork(small, { ...base, epochs: 5 }, {
      progressIntervalMs: 0,
      onProgress: (p) => progress.push(p),
      onEpoch: (r) => {
        counts.push(tf.memory().numTensors);
        records.push(r);
      },
    });
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    expect(records.map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(records[4].valLoss).toBeLessThan(records[0].valLoss);
    const mid = progress.find((p) => p.epoch === 2 && p.batch === 1);
    expect(mid?.etaSeconds).toBeGreaterThan(0);
    expect(mid?.valLoss).toBe(records[0].valLoss);
    expect(mid?.batches).toBe(Math.ceil(540 / 64));
  });

  it('stops early when validation stops improving and returns the best weights', async () => {
    const tiny = linearGaussian(60, 3);
    const net = await trainNetwork(tiny, { ...base, width: 64, epochs: 200, learningRate: 1e-2, patience: 3, validationFraction: 0.3 });
    expect(net.history.length).toBeLessThan(200);
    const best = Math.min(...net.history.map((h) => h.valLoss));
    expect(net.history[net.history.length - 4].valLoss).toBe(best);
  });

  it('trains online on fresh simulations every epoch', async () => {
    const asked: number[] = [];
    const net = await trainNetwork(small, { ...base, epochs: 3 }, {
      onlineBatch: (epoch) => {
        asked.push(epoch);
        return linearGaussian(400, 100 + epoch);
      },
    });
    expect(asked).toEqual([1, 2, 3]);
    expect(net.history[2].valLoss).toBeLessThan(net.history[0].valLoss);
  });

  it("trains the temporal-convolution encoder on wasm ('auto' picks it for long series)", async () => {
    const long = linearGaussian(800, 4, 100);
    const net = await trainNetwork(long, { head: 'mean', encoder: 'auto', width: 32, channels: 8, epochs: 4, batchSize: 64, learningRate: 3e-3, seed: 1 });
    expect(net.encoder).toBe('tcn');
    expect(net.architecture).toMatchObject({ levels: 4, paddedTimes: 112 });
    expect(net.history[3].valLoss).toBeLessThan(0.8 * net.history[0].valLoss);
    const loaded = loadNetwork(net);
    expect(embed(loaded, long.x.subarray(0, 300)).length).toBe(3 * 32);
    disposeNetwork(loaded);
  });

  it('says what is wrong with bad input', async () => {
    await expect(trainNetwork({ ...small, x: small.x.subarray(1) }, base)).rejects.toThrow(/x has 4799 values, expected nRuns × nTimes × nObs = 600 × 8 × 1/);
    await expect(trainNetwork(small, { ...base, head: 'classifier' })).rejects.toThrow(/at least two models/);
    const lacking = { ...small, theta: Float64Array.from(small.theta, (v, i) => (i === 3 ? NaN : v)) };
    await expect(trainNetwork(lacking, { ...base, head: 'density' })).rejects.toThrow(/run 1 lacks 'b'/);
  });
});
