import { describe, expect, it } from 'vitest';
import type { Model } from '../../../src-main/model/schema.ts';
import { noiseText, odeLines, prettyText, priorCurve, priorSummary, priorText, reactionScheme } from '../../../src-main/report/model-text.ts';
import { SEIR, SIR } from './fixture.ts';

describe('model as text', () => {
  it('builds the ODEs from the reactions’ stoichiometry', () => {
    expect(odeLines(SIR).map((o) => o.text)).toEqual(['dS/dt = −beta·S·I/N', 'dI/dt = beta·S·I/N − gamma·I', 'dR/dt = gamma·I']);
    expect(odeLines(SEIR).map((o) => o.text)).toEqual([
      'dS/dt = −beta·S·I/N', 'dE/dt = beta·S·I/N − sigma·E', 'dI/dt = sigma·E − gamma·I', 'dR/dt = gamma·I',
    ]);
  });

  it('keeps sums together when they are scaled or subtracted, and handles sources, sinks and direct ODEs', () => {
    const m: Model = {
      format: 'sgnn-model/1', name: 'toy', parameters: [], rules: [], observables: [],
      species: [{ id: 'X', initial: 0 }, { id: 'Y', initial: 0 }],
      reactions: [
        { id: 'birth', to: { X: 2 }, rate: 'k + m' },
        { id: 'death', from: { X: 1 }, rate: 'd * X + e' },
        { id: 'conv', from: { X: 1 }, to: { Y: 1 }, rate: 'c * X' },
      ],
      odes: [{ id: 'v', initial: 1, derivative: 'mu * (1 - x^2) * v - x' }],
    };
    expect(odeLines(m).map((o) => o.text)).toEqual([
      'dX/dt = 2·(k + m) − (d·X + e) − c·X',
      'dY/dt = c·X',
      'dv/dt = mu·(1 − x²)·v − x',
    ]);
    expect(reactionScheme(m.reactions[0])).toBe('∅ → 2 X');
    expect(reactionScheme(m.reactions[1])).toBe('X → ∅');
    expect(reactionScheme(SIR.reactions[0])).toBe('S + I → 2 I');
  });

  it('prints expressions for reading, with the parentheses the meaning needs', () => {
    expect(prettyText('a - (b + c)')).toBe('a − (b + c)');
    expect(prettyText('(a + b) / (c * d)')).toBe('(a + b)/(c·d)');
    expect(prettyText('-x^2')).toBe('−x²');
    expect(prettyText('x^(n+1)')).toBe('x^(n + 1)');
    expect(prettyText('if(t < 5, a, b) <= 2')).toBe('if(t < 5, a, b) ≤ 2');
    expect(prettyText('N - 1')).toBe('N − 1');
    expect(prettyText('not valid (')).toBe('not valid (');
    expect(prettyText(763)).toBe('763');
  });

  it('describes priors and noise models', () => {
    expect(priorText({ dist: 'normal', mean: 0, sd: 1, low: 0 })).toBe('Normal(μ = 0, σ = 1) truncated to [0, ∞]');
    expect(priorText({ dist: 'gamma', shape: 4, rate: 2 })).toBe('Gamma(shape 4, rate 2)');
    expect(priorText({ dist: 'beta', a: 2, b: 5 })).toBe('Beta(2, 5)');
    expect(noiseText(SIR.observables[0].noise)).toBe('negative binomial, φ = 1/phi_inv');
    expect(noiseText(undefined)).toBe('exact (no observation noise)');
    expect(noiseText({ dist: 'normal', sd: 'sigma_obs' })).toBe('normal, sd = sigma_obs');
  });

  it('summarises and samples a prior’s density, and survives an invalid one', () => {
    const s = priorSummary({ dist: 'uniform', low: 0.1, high: 1 })!;
    expect(s.median).toBeCloseTo(0.55, 12);
    expect(s.q025).toBeCloseTo(0.1225, 12);
    const c = priorCurve({ dist: 'exponential', rate: 5 }, 20);
    expect(c.xs).toHaveLength(20);
    expect(c.ys[0]).toBeGreaterThan(c.ys[19]);
    // Outside the support: gaps, so the overlay does not draw a line along zero.
    expect(priorCurve({ dist: 'uniform', low: 0, high: 1 }, 4, [-1, 1]).ys.slice(0, 2).every(Number.isNaN)).toBe(true);
    expect(priorSummary({ dist: 'uniform', low: 1, high: 0 })).toBeNull();
    expect(priorCurve({ dist: 'uniform', low: 1, high: 0 })).toEqual({ xs: [], ys: [] });
  });
});
