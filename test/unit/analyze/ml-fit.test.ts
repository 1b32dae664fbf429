import { describe, expect, it } from 'vitest';
import { LikelihoodError, likelihoodFunction, logLikelihood } from '../../../src-main/analyze/likelihood.ts';
import type { ObservedData } from '../../../src-main/analyze/likelihood.ts';
import { compareByInformationCriteria, fitAndCompare, fitMaximumLikelihood, transformFor } from '../../../src-main/analyze/ml-fit.ts';
import { nelderMead } from '../../../src-main/analyze/nelder-mead.ts';
import { compileModel } from '../../../src-main/model/compile.ts';
import type { CompiledModel } from '../../../src-main/model/compiled.ts';
import { validateModel } from '../../../src-main/model/validate.ts';
import { negBinomialLogPmf, poissonLogPmf } from '../../../src-main/simulate/random/distributions.ts';
import { rngFor } from '../../../src-main/simulate/random/rng.ts';
import { simulate } from '../../../src-main/simulate/simulate.ts';

function compile(input: unknown): CompiledModel {
  const r = validateModel(input);
  if (!r.model) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return compileModel(r.model);
}

/** X' = −k·X, X(0) = X0, observed with Poisson noise. */
const DECAY = {
  format: 'sgnn-model/1',
  name: 'decay',
  parameters: [
    { id: 'k', prior: { dist: 'lognormal', mu: -1.2, sigma: 0.7 } },
    { id: 'X0', prior: { dist: 'lognormal', mu: 5, sigma: 0.7 } },
  ],
  species: [{ id: 'X', initial: 'X0' }],
  reactions: [{ id: 'decay', from: { X: 1 }, rate: 'k * X' }],
  observables: [{ id: 'count', expr: 'X', noise: { dist: 'poisson' } }],
};

/** The same data explained by a constant level: the wrong mechanism, for AIC/BIC. */
const CONSTANT = {
  format: 'sgnn-model/1',
  name: 'constant',
  parameters: [{ id: 'X0', prior: { dist: 'lognormal', mu: 4, sigma: 1 } }],
  species: [{ id: 'X', initial: 'X0' }],
  reactions: [],
  observables: [{ id: 'count', expr: 'X', noise: { dist: 'poisson' } }],
};

const SIR = {
  format: 'sgnn-model/1',
  name: 'SIR',
  parameters: [
    { id: 'beta', prior: { dist: 'lognormal', mu: 0.5, sigma: 0.5 } },
    { id: 'gamma', prior: { dist: 'uniform', low: 0.1, high: 1.0 } },
    { id: 'phi_inv', prior: { dist: 'exponential', rate: 5 } },
    { id: 'N', value: 763 },
  ],
  species: [{ id: 'S', initial: 'N - 1' }, { id: 'I', initial: 1 }, { id: 'R', initial: 0 }],
  reactions: [
    { id: 'infection', from: { S: 1, I: 1 }, to: { I: 2 }, rate: 'beta * S * I / N' },
    { id: 'recovery', from: { I: 1 }, to: { R: 1 }, rate: 'gamma * I' },
  ],
  observables: [{ id: 'cases', expr: 'I', noise: { dist: 'negbinomial', dispersion: '1 / phi_inv' } }],
};

function noisyData(c: CompiledModel, theta: number[], times: number[], seed: number): ObservedData {
  const p = Float64Array.from(c.paramDefaults);
  c.unknownParams.forEach((i, j) => { p[i] = theta[j]; });
  const sim = simulate(c, { times: Float64Array.from(times), tStart: 0, params: p, noise: true, rng: rngFor(seed) });
  return { times: Float64Array.from(times), observables: [...c.observableIds], values: sim.observables };
}

const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('Nelder–Mead', () => {
  it('finds the minimum of the Rosenbrock function', () => {
    const r = nelderMead((x) => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2, [-1.2, 1], { maxEvaluations: 5000, fTol: 1e-14, xTol: 1e-10 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 5);
    expect(r.x[1]).toBeCloseTo(1, 5);
  });

  it('moves away from an infeasible region (+Infinity) and minimises a 6-d quadratic', () => {
    const f = (x: Float64Array): number => (x[0] < -0.5 ? Infinity : x.reduce((s, v, i) => s + (i + 1) * (v - 0.3) ** 2, 0));
    const r = nelderMead(f, [-0.4, 1, 1, 1, 1, 1], { step: 0.2 });
    expect(r.converged).toBe(true);
    for (const v of r.x) expect(v).toBeCloseTo(0.3, 4);
  });

  it('stops when cancelled', () => {
    const ac = new AbortController();
    ac.abort(new Error('cancelled by the user'));
    expect(() => nelderMead((x) => x[0] ** 2, [1], { signal: ac.signal })).toThrow(/cancelled by the user/);
  });
});

describe('transforms', () => {
  it('map each support onto ℝ and back', () => {
    const cases = [
      { prior: { dist: 'uniform', low: 0.1, high: 1 } as const, x: 0.37, kind: 'logit' },
      { prior: { dist: 'lognormal', mu: 0, sigma: 1 } as const, x: 2.5, kind: 'log' },
      { prior: { dist: 'normal', mean: 0, sd: 1 } as const, x: -1.3, kind: 'identity' },
      { prior: { dist: 'normal', mean: 0, sd: 1, high: 2 } as const, x: 1.5, kind: 'log-upper' },
    ];
    for (const c of cases) {
      const t = transformFor(c.prior);
      expect(t.kind).toBe(c.kind);
      expect(t.fromUnconstrained(t.toUnconstrained(c.x))).toBeCloseTo(c.x, 12);
    }
  });
});

describe('exact log-likelihood', () => {
  const c = compile(DECAY);
  const times = range(1, 12);

  it('is the sum of Poisson log-pmfs at the noise-free solution, skipping missing points', () => {
    const data = noisyData(c, [0.3, 150], times, 1);
    data.values[3] = NaN;
    const r = logLikelihood(c, data, [0.3, 150]);
    let want = 0;
    times.forEach((t, i) => { if (i !== 3) want += poissonLogPmf(data.values[i], 150 * Math.exp(-0.3 * t)); });
    expect(r.nObserved).toBe(11);
    expect(r.logLik).toBeCloseTo(want, 6);
  });

  it('evaluates noise parameters that are unknown parameters (negative binomial dispersion 1/phi_inv)', () => {
    const sir = compile(SIR);
    const data = noisyData(sir, [1.8, 0.45, 0.1], range(1, 20), 2);
    const ll = likelihoodFunction(sir, data);
    const sim = simulate(sir, { times: data.times, tStart: 0, params: Float64Array.from([1.8, 0.45, 0.1, 763]) });
    let want = 0;
    for (let k = 0; k < 20; k++) want += negBinomialLogPmf(data.values[k], sim.observables[k], 10);
    expect(ll([1.8, 0.45, 0.1]).logLik).toBeCloseTo(want, 6);
    expect(ll.paramIds).toEqual(['beta', 'gamma', 'phi_inv']);
  });

  it('is −Infinity with a reason when the model fails at θ, and throws for unusable data', () => {
    const data = noisyData(c, [0.3, 150], times, 1);
    const bad = logLikelihood(c, data, [0.3, -50]);
    expect(bad.logLik).toBe(-Infinity);
    expect(bad.failure).toMatch(/poisson noise: the model value m must be ≥ 0/);
    expect(() => likelihoodFunction(c, { ...data, observables: ['counts'] })).toThrow(LikelihoodError);
    expect(() => likelihoodFunction(c, { ...data, observables: ['counts'] })).toThrow(/observable "counts", which model "decay" lacks \(its observables: count\)/);
    const exact = compile({ ...DECAY, observables: [{ id: 'count', expr: 'X' }] });
    expect(() => likelihoodFunction(exact, data)).toThrow(/observable "count" has data but no noise model/);
    expect(() => likelihoodFunction(c, data, { tStart: 2 })).toThrow(/tStart \(2\) is after the dataset's first time \(1\)/);
  });
});

describe('maximum-likelihood fits', () => {
  it('recover the parameters of an exponential decay with Poisson noise, with AIC and BIC arithmetic', () => {
    const c = compile(DECAY);
    const truth = [0.3, 200];
    const data = noisyData(c, truth, range(0, 15), 3);
    const fit = fitMaximumLikelihood(c, data, { seed: 1 });
    expect(fit.paramIds).toEqual(['k', 'X0']);
    expect(Math.abs(fit.theta[0] / truth[0] - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit.theta[1] / truth[1] - 1)).toBeLessThan(0.1);
    // The maximum must beat the truth, and agree with the likelihood evaluated afresh.
    expect(fit.logLik).toBeGreaterThanOrEqual(logLikelihood(c, data, truth).logLik);
    expect(logLikelihood(c, data, fit.theta).logLik).toBeCloseTo(fit.logLik, 9);
    expect(fit.k).toBe(2);
    expect(fit.n).toBe(16);
    expect(fit.aic).toBeCloseTo(2 * 2 - 2 * fit.logLik, 12);
    expect(fit.bic).toBeCloseTo(2 * Math.log(16) - 2 * fit.logLik, 12);
    expect(fit.aicc).toBeCloseTo(fit.aic + (2 * 2 * 3) / (16 - 2 - 1), 12);
    expect(fit.converged).toBe(true);
    expect(fit.agreeingStarts).toBeGreaterThanOrEqual(6);
    expect(fit.verdict.severity).toBe('ok');
    // Score ≈ 0 at the maximum: central differences of log L in each parameter.
    for (let j = 0; j < 2; j++) {
      const h = 1e-5 * fit.theta[j];
      const up = Float64Array.from(fit.theta), dn = Float64Array.from(fit.theta);
      up[j] += h;
      dn[j] -= h;
      const g = (logLikelihood(c, data, up).logLik - logLikelihood(c, data, dn).logLik) / (2 * h);
      expect(Math.abs(g * fit.theta[j])).toBeLessThan(1e-3);
    }
  });

  it('recover β and γ of an SIR epidemic with negative-binomial noise and unknown dispersion', () => {
    const c = compile(SIR);
    const truth = [1.8, 0.45, 0.05];
    const data = noisyData(c, truth, range(1, 30), 4);
    const fit = fitMaximumLikelihood(c, data, { seed: 2, starts: 6 });
    expect(Math.abs(fit.theta[0] / truth[0] - 1)).toBeLessThan(0.15);
    expect(Math.abs(fit.theta[1] / truth[1] - 1)).toBeLessThan(0.15);
    expect(fit.theta[2]).toBeGreaterThan(0);
    expect(fit.theta[2]).toBeLessThan(0.3);
    expect(fit.logLik).toBeGreaterThanOrEqual(logLikelihood(c, data, truth).logLik);
    expect(fit.k).toBe(3);
  });

  it('AIC and BIC prefer the true mechanism, with Akaike weights from the ΔAIC', () => {
    const decay = compile(DECAY), constant = compile(CONSTANT);
    const data = noisyData(decay, [0.2, 100], range(0, 10), 5);
    const { fits, comparison: cmp } = fitAndCompare([constant, decay], data, { seed: 1, starts: 3 });
    expect(cmp.bestByAic).toBe(1);
    expect(cmp.bestByBic).toBe(1);
    expect(cmp.aicWeights[1]).toBeGreaterThan(0.99);
    expect(cmp.verdict.text).toMatch(/^AIC prefers decay \(Akaike weight 1\); BIC agrees/);
    // The constant model's ML level is the mean count (Poisson MLE of a constant mean).
    const mean = data.values.reduce((s, v) => s + v, 0) / data.values.length;
    expect(fits[0].theta[0]).toBeCloseTo(mean, 3);
  });

  it('Akaike and Schwarz weights follow exp(−Δ/2) exactly', () => {
    const cmp = compareByInformationCriteria([
      { model: 'A', aic: 100, bic: 110, n: 20 },
      { model: 'B', aic: 102, bic: 106, n: 20 },
      { model: 'C', aic: Infinity, bic: Infinity, n: 20 },
    ]);
    const w = 1 / (1 + Math.exp(-1));
    expect(cmp.aicWeights[0]).toBeCloseTo(w, 12);
    expect(cmp.aicWeights[1]).toBeCloseTo(1 - w, 12);
    expect(cmp.aicWeights[2]).toBe(0);
    expect(cmp.deltaBic).toEqual([4, 0, Infinity]);
    expect(cmp.bestByAic).toBe(0);
    expect(cmp.bestByBic).toBe(1);
    expect(cmp.verdict.severity).toBe('warning');
    expect(() => compareByInformationCriteria([{ model: 'A', aic: 1, bic: 1, n: 20 }, { model: 'B', aic: 1, bic: 1, n: 19 }])).toThrow(/different numbers of data points/);
  });
});
