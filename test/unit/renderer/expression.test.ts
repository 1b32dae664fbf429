/** Live checking, suggestions and name completion of expression fields; equations as LaTeX. */
import { describe, expect, it } from 'vitest';
import { applyCompletion, checkExpression, completions } from '../../../src-renderer/lib/expression.ts';
import { exprToLatex, latexName, modelEquations } from '../../../src-renderer/lib/equations.ts';
import { parseExpr } from '../../../src-main/model/expr/parse.ts';
import { History } from '../../../src-renderer/lib/history.ts';
import { densityCurve, defaultPrior, priorSummary } from '../../../src-renderer/lib/priors.ts';
import { formatDuration } from '../../../src-renderer/lib/format.ts';
import type { Model } from '../../../src-main/model/schema.ts';

const names = ['beta', 'gamma', 'N', 'S', 'I', 'R', 't'];

describe('expression checks', () => {
  it('accepts a valid rate', () => {
    expect(checkExpression('beta * S * I / N', names)).toEqual({ ok: true });
  });
  it('names an unknown name, where it is, and the fix', () => {
    expect(checkExpression('bta * S * I / N', names)).toMatchObject({ ok: false, message: 'unknown name "bta"', pos: 0, suggestion: 'beta', fixed: 'beta * S * I / N' });
  });
  it('reports syntax errors with a position', () => {
    const c = checkExpression('beta * (S', names);
    expect(c.ok).toBe(false);
    expect(c.pos).toBeGreaterThan(0);
    expect(checkExpression('  ', names).message).toMatch(/empty/);
  });
  it('completes names and functions', () => {
    expect(completions('gam', 3, names)).toEqual(['gamma']);
    expect(completions('ex', 2, names)).toContain('exp');
    expect(completions('2', 1, names)).toEqual([]);
    expect(applyCompletion('x + gam * I', 7, 'gamma')).toEqual({ text: 'x + gamma * I', cursor: 9 });
    expect(applyCompletion('ex', 2, 'exp')).toEqual({ text: 'exp(', cursor: 4 });
  });
});

describe('equations', () => {
  it('typesets names and expressions', () => {
    expect(latexName('beta')).toBe('\\beta');
    expect(latexName('phi_inv')).toBe('\\phi_{\\mathrm{inv}}');
    expect(exprToLatex(parseExpr('beta * S * I / N'))).toBe('\\frac{\\beta \\, S \\, I}{N}');
    expect(exprToLatex(parseExpr('(a + b) * c'))).toBe('\\left(a + b\\right) \\, c');
  });
  it('derives dX/dt from the flows', () => {
    const m: Model = {
      format: 'sgnn-model/1', name: 'sir', parameters: [], rules: [], odes: [], observables: [],
      species: [{ id: 'S', initial: 1 }, { id: 'I', initial: 1 }, { id: 'R', initial: 0 }],
      reactions: [{ id: 'inf', from: { S: 1, I: 1 }, to: { I: 2 }, rate: 'b * S * I' }, { id: 'rec', from: { I: 1 }, to: { R: 1 }, rate: 'g * I' }],
    };
    const eq = modelEquations(m).odes.map((e) => e.latex);
    expect(eq[0]).toBe('\\frac{dS}{dt} = - b \\, S \\, I');
    expect(eq[1]).toBe('\\frac{dI}{dt} = b \\, S \\, I - g \\, I');
    expect(eq[2]).toBe('\\frac{dR}{dt} = g \\, I');
  });
});

describe('small helpers', () => {
  it('undo/redo history', () => {
    const h = new History<number>();
    h.push(1);
    h.push(2);
    expect(h.undo(3)).toBe(2);
    expect(h.undo(2)).toBe(1);
    expect(h.undo(1)).toBeNull();
    expect(h.redo(1)).toBe(2);
    h.push(2);
    expect(h.canRedo).toBe(false);
  });
  it('prior density curves integrate to about 1 and summaries read well', () => {
    const c = densityCurve({ dist: 'lognormal', mu: 0, sigma: 0.5 });
    let area = 0;
    for (let i = 1; i < c.x.length; i++) area += ((c.y[i] + c.y[i - 1]) / 2) * (c.x[i] - c.x[i - 1]);
    expect(area).toBeGreaterThan(0.97);
    expect(area).toBeLessThan(1.01);
    expect(priorSummary({ dist: 'lognormal', mu: 0, sigma: 1 })).toBe('median 1, 95% in 0.14–7.1');
    expect(defaultPrior('gamma', 2)).toEqual({ dist: 'gamma', shape: 2, rate: 1 });
  });
  it('formats durations', () => {
    expect(formatDuration(75)).toBe('1 min 15 s');
    expect(formatDuration(0.2)).toBe('< 1 s');
    expect(formatDuration(NaN)).toBe('—');
  });
});
