/**
 * Mechanism classifier on two models with an exact answer (toy.ts): trained on a bank whose label
 * mix (70/30) differs from the user's prior (50/50), it must match the exact p(model|x) under the
 * prior (mean absolute error < 0.08; measured 0.015), classify held-out runs about as well as
 * the exact Bayes classifier (measured 90%), and move with
 * a changed prior exactly as Bayes' rule says (odds × prior ratio, to 1e-9).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src-main/learn/backend.ts';
import { trainNetwork } from '../../../src-main/learn/train.ts';
import { disposeNetwork, loadNetwork, modelProbabilities, posterior, saliency, type LoadedNetwork } from '../../../src-main/learn/infer.ts';
import { exactLevelProbability, twoModels } from './toy.ts';

const T = 8, N_TEST = 400;
let net: LoadedNetwork;
const test = twoModels(N_TEST, 2, 0.5, T);

beforeAll(async () => {
  await initBackend('wasm');
  const bank = twoModels(6000, 1, 0.7, T);
  const artifact = await trainNetwork(bank, { head: 'classifier', encoder: 'mlp', width: 64, epochs: 10, batchSize: 128, learningRate: 3e-3, seed: 2 });
  expect(artifact.modelNames).toEqual(['level', 'trend']);
  net = loadNetwork(artifact);
}, 120_000);

afterAll(() => disposeNetwork(net));

describe('classifier head', () => {
  it('corrects the bank label mix to the stated prior and matches the exact model probabilities', () => {
    expect(net.norm.modelFreq[0]).toBeCloseTo(0.7, 1);
    const p = modelProbabilities(net, test.x);
    let err = 0, correct = 0, confident = 0;
    for (let d = 0; d < N_TEST; d++) {
      const exact = exactLevelProbability(test.x.subarray(d * T, (d + 1) * T), 0.5);
      expect(p[2 * d] + p[2 * d + 1]).toBeCloseTo(1, 12);
      err += Math.abs(p[2 * d] - exact);
      const predicted = p[2 * d] > 0.5 ? 0 : 1;
      if (predicted === test.modelLabels[d]) correct++;
      if (Math.max(exact, 1 - exact) > 0.95) confident++;
    }
    expect(err / N_TEST).toBeLessThan(0.08);
    // The Bayes classifier itself errs where the models overlap (θ near 0); require near its accuracy.
    let bayesCorrect = 0;
    for (let d = 0; d < N_TEST; d++) {
      const exact = exactLevelProbability(test.x.subarray(d * T, (d + 1) * T), 0.5);
      if ((exact > 0.5 ? 0 : 1) === test.modelLabels[d]) bayesCorrect++;
    }
    expect(correct / N_TEST).toBeGreaterThan(bayesCorrect / N_TEST - 0.04);
    expect(correct / N_TEST).toBeGreaterThan(0.85);
    expect(confident).toBeGreaterThan(N_TEST / 2);
  });

  it('moves with a changed prior exactly as Bayes says', () => {
    const even = modelProbabilities(net, test.x.subarray(0, 20 * T), [1, 1]);
    const skewed = modelProbabilities(net, test.x.subarray(0, 20 * T), [0.9, 0.1]);
    for (let d = 0; d < 20; d++) {
      const oddsEven = even[2 * d] / even[2 * d + 1], oddsSkewed = skewed[2 * d] / skewed[2 * d + 1];
      expect(oddsSkewed / oddsEven).toBeCloseTo(9, 6);
    }
    const onlyLevel = modelProbabilities(net, test.x.subarray(0, T), [1, 0]);
    expect(Array.from(onlyLevel)).toEqual([1, 0]);
    expect(() => modelProbabilities(net, test.x, [1])).toThrow(/modelPrior has 1 entries for 2 models \(level, trend\)/);
  });

  it('refuses posterior on a classifier, and gives saliency of a model probability', () => {
    expect(() => posterior(net, test.x)).toThrow(/needs a mean or density network, this one has the classifier head/);
    const g = saliency(net, test.x.subarray(0, 2 * T), 1);
    expect(g.length).toBe(2 * T);
    expect(g.every(Number.isFinite)).toBe(true);
  });
});
