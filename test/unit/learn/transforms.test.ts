/**
 * Transforms: θ ⇄ z round trips (1e-9 relative), Jacobians against central differences (1e-5),
 * the choice of transform by support and of input transform by noise model, standardisation that
 * ignores NaN, and the (value, mask) encoding of missing points.
 */
import { describe, expect, it } from 'vitest';
import type { Prior } from '../../../src-main/model/schema.ts';
import {
  applyInputTransform, computeNormalisation, dThetaDz, encodeInputs, fromUnconstrained, inputTransformDerivative,
  inputTransformFor, logAbsJacobian, targetTransform, toUnconstrained, usableRuns,
} from '../../../src-main/learn/transforms.ts';
import { priorQuantile } from '../../../src-main/simulate/priors.ts';

const PRIORS: [Prior, string][] = [
  [{ dist: 'normal', mean: 1, sd: 2 }, 'identity'],
  [{ dist: 'gamma', shape: 2, rate: 0.5 }, 'log'],
  [{ dist: 'lognormal', mu: 0, sigma: 1 }, 'log'],
  [{ dist: 'normal', mean: 3, sd: 1, low: 2 }, 'log'],
  [{ dist: 'normal', mean: 0, sd: 1, high: 0.5 }, 'neglog'],
  [{ dist: 'uniform', low: -2, high: 3 }, 'logit'],
  [{ dist: 'beta', a: 2, b: 5 }, 'logit'],
  [{ dist: 'loguniform', low: 1e-3, high: 10 }, 'logit'],
];

describe('target transforms', () => {
  for (const [prior, kind] of PRIORS) {
    const t = targetTransform(prior);
    it(`${JSON.stringify(prior)} → ${kind}: round trip, increasing, Jacobians`, () => {
      expect(t.kind).toBe(kind);
      expect(JSON.parse(JSON.stringify(t))).toEqual(t);
      let lastZ = -Infinity;
      for (const q of [0.001, 0.05, 0.3, 0.5, 0.7, 0.95, 0.999]) {
        const theta = priorQuantile(prior, q);
        const z = toUnconstrained(t, theta);
        expect(z).toBeGreaterThan(lastZ);
        lastZ = z;
        expect(Math.abs(fromUnconstrained(t, z) - theta)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(theta)));
        // log|dz/dθ| against a central difference of z(θ).
        const h = 1e-6 * Math.max(1e-3, Math.abs(theta));
        const numeric = (toUnconstrained(t, theta + h) - toUnconstrained(t, theta - h)) / (2 * h);
        expect(Math.abs(logAbsJacobian(t, theta) - Math.log(numeric))).toBeLessThan(1e-5);
        // dθ/dz is its reciprocal.
        expect(dThetaDz(t, z) * numeric).toBeCloseTo(1, 5);
      }
    });
  }

  it('keeps z finite for draws on a bound and maps far z back inside the support', () => {
    const t = targetTransform({ dist: 'uniform', low: 0, high: 1 });
    expect(Number.isFinite(toUnconstrained(t, 0))).toBe(true);
    expect(Number.isFinite(toUnconstrained(t, 1))).toBe(true);
    expect(fromUnconstrained(t, 800)).toBe(1);
    expect(fromUnconstrained(t, -800)).toBe(0);
    expect(Number.isFinite(toUnconstrained(targetTransform({ dist: 'exponential', rate: 1 }), 0))).toBe(true);
  });
});

describe('input transforms', () => {
  it('log1p for counts, log for lognormal, identity otherwise', () => {
    expect(inputTransformFor('poisson')).toBe('log1p');
    expect(inputTransformFor('negbinomial')).toBe('log1p');
    expect(inputTransformFor('binomial')).toBe('log1p');
    expect(inputTransformFor('lognormal')).toBe('log');
    expect(inputTransformFor('normal')).toBe('identity');
    expect(inputTransformFor(null)).toBe('identity');
  });

  it('treats values the noise model cannot produce as missing, and differentiates correctly', () => {
    expect(applyInputTransform('log1p', 3)).toBeCloseTo(Math.log(4), 14);
    expect(applyInputTransform('log1p', -1)).toBeNaN();
    expect(applyInputTransform('log', 0)).toBeNaN();
    expect(applyInputTransform('identity', Infinity)).toBeNaN();
    for (const [kind, v] of [['log1p', 7], ['log', 0.3], ['identity', -2]] as const) {
      const h = 1e-6;
      const numeric = (applyInputTransform(kind, v + h) - applyInputTransform(kind, v - h)) / (2 * h);
      expect(inputTransformDerivative(kind, v)).toBeCloseTo(numeric, 6);
    }
    expect(inputTransformDerivative('log', -1)).toBe(0);
  });
});

describe('normalisation and encoding', () => {
  // 3 runs × 2 times × 2 observables (counts, normal); run 2 failed (all NaN).
  const data = {
    times: Float64Array.from([0, 1]),
    observables: [{ id: 'cases', noise: 'poisson' as const }, { id: 'conc', noise: 'normal' as const }],
    x: Float32Array.from([0, 1, 3, NaN, 1, 3, 7, 5, NaN, NaN, NaN, NaN]),
    paramIds: ['k'], priors: [{ dist: 'gamma', shape: 2, rate: 1 } as Prior],
    theta: Float64Array.from([1, 2, 4]),
    modelLabels: Int32Array.from([0, 0, 1]), modelNames: ['a', 'b'], modelPrior: [3, 1],
  };

  it('skips failed runs, ignores NaN and standardises per (time, observable) or per observable', () => {
    const runs = usableRuns(data.x, 3, 4);
    expect(runs).toEqual([0, 1]);
    const perTime = computeNormalisation(data, runs, true);
    // cases at t=0: log1p(0), log1p(1) → mean log(2)/2.
    expect(perTime.inputMean[0]).toBeCloseTo(Math.log(2) / 2, 12);
    // conc at t=1: only run 1 (5) is finite: one value → sd 1.
    expect(perTime.inputMean[3]).toBe(5);
    expect(perTime.inputSd[3]).toBe(1);
    const pooled = computeNormalisation(data, runs, false);
    const cases = [0, 1, 3, 7].map(Math.log1p);
    const m = cases.reduce((a, b) => a + b) / 4;
    expect(pooled.inputMean[0]).toBeCloseTo(m, 12);
    expect(pooled.inputMean[2]).toBeCloseTo(m, 12);
    expect(pooled.zMean[0]).toBeCloseTo((Math.log(1) + Math.log(2)) / 2, 12);
    expect(pooled.modelFreq).toEqual([1, 0]);
    expect(pooled.modelPrior).toEqual([0.75, 0.25]);
    expect(JSON.parse(JSON.stringify(pooled))).toEqual(pooled);
  });

  it('encodes missing values as value 0 with mask 0', () => {
    const norm = computeNormalisation(data, [0, 1], true);
    const enc = encodeInputs(norm, data.x, [0]);
    // Layout per time: [cases, conc, mask cases, mask conc].
    expect(enc.length).toBe(8);
    expect(Array.from(enc.subarray(4, 8))).toEqual([expect.any(Number), 0, 1, 0]);
    expect(Array.from(enc.subarray(2, 4))).toEqual([1, 1]);
    expect(enc[0]).toBeCloseTo((Math.log1p(0) - norm.inputMean[0]) / norm.inputSd[0], 6);
    expect(() => encodeInputs(norm, new Float32Array(5))).toThrow(/not a multiple of nTimes × nObs = 2 × 2/);
  });
});
