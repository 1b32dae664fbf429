import { describe, expect, it } from 'vitest';
import { chooseByProbability, compareSelectors, confusionMatrix, mcNemarExact } from '../../../src-main/analyze/confusion.ts';

describe('confusion matrix', () => {
  const models = ['SIR', 'SEIR', 'SIRS'];
  const truth = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
  const chosen = [0, 0, 1, -1, 1, 1, 2, 2, 0, 2];

  it('counts true × chosen, with unassigned runs as errors', () => {
    const cm = confusionMatrix(truth, chosen, models);
    expect(cm.counts).toEqual([[2, 1, 0], [0, 2, 1], [1, 0, 2]]);
    expect(cm.unassigned).toEqual([1, 0, 0]);
    expect(cm.n).toBe(10);
    expect(cm.correct).toBe(6);
    expect(cm.accuracy).toBeCloseTo(0.6, 12);
    expect(cm.errorRate).toBeCloseTo(0.4, 12);
    expect(cm.perClass.map((c) => [c.model, c.n, c.recall, c.precision])).toEqual([
      ['SIR', 4, 0.5, 2 / 3], ['SEIR', 3, 2 / 3, 2 / 3], ['SIRS', 3, 2 / 3, 2 / 3],
    ]);
    expect(cm.accuracyLow).toBeLessThan(0.6);
    expect(cm.accuracyHigh).toBeGreaterThan(0.6);
  });

  it('refuses labels out of range, naming the run', () => {
    expect(() => confusionMatrix([0, 3], [0, 0], models)).toThrow(/true label 1 is 3, expected an integer in \[0, 2\]/);
    expect(() => confusionMatrix([0], [0, 1], models)).toThrow(/1 true labels but 2 choices/);
  });

  it('picks the most probable model per run', () => {
    expect(Array.from(chooseByProbability([0.2, 0.5, 0.3, 0.9, 0.05, 0.05, NaN, NaN, NaN], 3))).toEqual([1, 0, -1]);
  });
});

describe('selector comparison', () => {
  it('exact McNemar p-values match the binomial test', () => {
    // 2·P(X ≥ 10 | n = 12, ½) = 2·(66 + 12 + 1)/4096.
    expect(mcNemarExact(10, 2)).toBeCloseTo((2 * 79) / 4096, 12);
    expect(mcNemarExact(3, 3)).toBe(1);
    expect(mcNemarExact(0, 0)).toBe(1);
  });

  it('reports each selector against the first, with the error ratio', () => {
    // 100 runs of 2 models; the SGNN errs on 10, AIC on 20 (the SGNN's errors are a subset).
    const truth = Array.from({ length: 100 }, (_, i) => i % 2);
    const flip = (i: number): number => 1 - truth[i];
    const sgnn = truth.map((t, i) => (i < 10 ? flip(i) : t));
    const aic = truth.map((t, i) => (i < 20 ? flip(i) : t));
    const bic = truth.map((t, i) => (i < 10 ? flip(i) : t));
    const r = compareSelectors(truth, [{ name: 'SGNN', chosen: sgnn }, { name: 'AIC', chosen: aic }, { name: 'BIC', chosen: bic }], ['A', 'B']);
    expect(r.selectors.map((s) => s.confusion.accuracy)).toEqual([0.9, 0.8, 0.9]);
    expect(r.paired[0]).toMatchObject({ a: 'SGNN', b: 'AIC', onlyA: 10, onlyB: 0, errorRatio: 0.5 });
    expect(r.paired[0].pValue).toBeCloseTo(2 / 1024, 12);
    expect(r.paired[1]).toMatchObject({ onlyA: 0, onlyB: 0, errorRatio: 1, pValue: 1 });
    expect(r.verdict.text).toBe('SGNN error 10% vs AIC 20% (0.5× the error, McNemar p = 0.002); SGNN error 10% vs BIC 10% (1× the error, McNemar p = 1)');
  });
});
