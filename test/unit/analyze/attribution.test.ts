import { describe, expect, it } from 'vitest';
import { mechanismContribution, nearestRuns, rankBySaliency } from '../../../src-main/analyze/attribution.ts';
import { sampleStandardNormal } from '../../../src-main/simulate/random/distributions.ts';
import { rngFor } from '../../../src-main/simulate/random/rng.ts';

describe('nearest simulated runs', () => {
  it('agrees with sorting all distances, nearest first', () => {
    const rng = rngFor(1);
    const sims = Array.from({ length: 500 }, () => Float32Array.from({ length: 6 }, () => sampleStandardNormal(rng)));
    const q = Float32Array.from({ length: 6 }, () => sampleStandardNormal(rng));
    const all = sims.map((s, index) => ({ index, distance: Math.sqrt(s.reduce((t, v, i) => t + (v - q[i]) ** 2, 0)) }))
      .sort((a, b) => a.distance - b.distance);
    const got = nearestRuns(q, sims, 7);
    expect(got.map((g) => g.index)).toEqual(all.slice(0, 7).map((a) => a.index));
    got.forEach((g, i) => expect(g.distance).toBeCloseTo(all[i].distance, 5));
  });

  it('returns fewer when the bank is small, and an exact match at distance 0', () => {
    const sims = [Float32Array.from([0, 0]), Float32Array.from([3, 4])];
    expect(nearestRuns(Float32Array.from([3, 4]), sims, 5)).toEqual([{ index: 1, distance: 0 }, { index: 0, distance: 5 }]);
    expect(nearestRuns(Float32Array.from([3, 4]), [], 5)).toEqual([]);
  });
});

describe('mechanism contribution', () => {
  it('is the probability-weighted mixture, with shares that sum to 1 and the law of total variance', () => {
    // Two models, two parameters; model B lacks parameter "k".
    const means = [2, 10, /* B: */ 4, NaN];
    const sds = [1, 1, 2, NaN];
    const [beta, k] = mechanismContribution(['A', 'B'], [0.75, 0.25], ['beta', 'k'], means, sds);
    expect(beta.estimate).toBeCloseTo(0.75 * 2 + 0.25 * 4, 12);
    expect(beta.models[0].share).toBeCloseTo(1.5 / 2.5, 12);
    expect(beta.models[1].share).toBeCloseTo(1 / 2.5, 12);
    // within = 0.75·1 + 0.25·4 = 1.75; between = 0.75·0.25 + 0.25·2.25 = 0.75.
    expect(beta.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(beta.betweenModelFraction).toBeCloseTo(0.3, 12);
    // k exists only in A: B's probability is renormalised away.
    expect(k.estimate).toBe(10);
    expect(k.models[0].weight).toBe(1);
    expect(k.models[1].weight).toBe(0);
    expect(k.models[1].share).toBe(0);
  });

  it('checks the shapes it is given', () => {
    expect(() => mechanismContribution(['A', 'B'], [1], ['x'], [1, 2])).toThrow(/1 probabilities for 2 models/);
    expect(() => mechanismContribution(['A'], [1], ['x', 'y'], [1])).toThrow(/models × params = 1 × 2/);
  });
});

describe('saliency ranking', () => {
  it('orders points by |saliency|, skips missing ones and gives shares of the total', () => {
    const times = [0, 1, 2];
    const s = [0.1, -3, NaN, 0.5, 2, -0.4];
    const ranked = rankBySaliency(s, times, ['cases', 'deaths']);
    expect(ranked.map((r) => [r.time, r.observable, r.saliency])).toEqual([
      [0, 'deaths', -3], [2, 'cases', 2], [1, 'deaths', 0.5], [2, 'deaths', -0.4], [0, 'cases', 0.1],
    ]);
    expect(ranked[0].share).toBeCloseTo(3 / 6, 12);
    expect(rankBySaliency(s, times, ['cases', 'deaths'], 2)).toHaveLength(2);
    expect(() => rankBySaliency(s, [0, 1], ['cases', 'deaths'])).toThrow(/nTimes × nObs = 2 × 2/);
  });
});
