/** Train/Results/Compare helpers: the "auto" network, step ETAs, histograms, verdict lines, report names. */
import { describe, expect, it } from 'vitest';
import {
  asArray, checkVerdicts, headExplanation, histogram, histogramOutline, nextClock, reportFileName, reportsOf, resolveHead, sampleRange, stepEta,
} from '../../../src-renderer/lib/learn.ts';
import type { ParameterCheckJson } from '../../../src-main/report/fit-report.ts';

describe('network choice', () => {
  it('auto picks the density network when the budget allows, the mean network on small budgets', () => {
    expect(resolveHead('auto', 10_000)).toBe('density');
    expect(resolveHead('auto', 500)).toBe('mean');
    expect(resolveHead('mean', 10_000)).toBe('mean');
    expect(resolveHead('density', 300)).toBe('density');
    expect(headExplanation('auto', 2000)).toMatch(/^Auto → density network/);
  });
});

describe('step ETA', () => {
  it('restarts with each step and extrapolates that step’s own rate', () => {
    let c = nextClock(undefined, 'bank', 0, 0);
    c = nextClock(c, 'bank', 500, 1000);
    expect(stepEta(c, 500, 1000, 1000)).toBeCloseTo(1, 5);
    const t = nextClock(c, 'train', 1, 5000);
    expect(t).toMatchObject({ step: 'train', startedAt: 5000, startCurrent: 1 });
    expect(Number.isNaN(stepEta(t, 1, 8, 5000))).toBe(true);
    expect(stepEta(t, 3, 8, 7000)).toBeCloseTo(5, 5);
    expect(stepEta(t, 8, 8, 9000)).toBe(0);
  });
});

describe('histograms and ranges', () => {
  it('bins samples into a density that integrates to 1, and outlines it as steps', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i / 999);
    const h = histogram(xs, 10);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(1000);
    const area = h.density.reduce((a, d, i) => a + d * (h.edges[i + 1] - h.edges[i]), 0);
    expect(area).toBeCloseTo(1, 6);
    const o = histogramOutline(h);
    expect(o.x).toHaveLength(2 * 10 + 2);
    expect(o.y[0]).toBe(0);
    expect(o.y.at(-1)).toBe(0);
    expect(sampleRange([1, 2, 3, NaN, 4])).toEqual([1, 4]);
  });

  it('reads typed arrays that JSON turned into objects', () => {
    expect(asArray({ 0: 3, 1: 5, 10: 7, 2: 1 })).toEqual([3, 5, 1, 7]);
    expect(asArray([1, 2])).toEqual([1, 2]);
    expect(asArray(null)).toEqual([]);
  });
});

describe('check verdicts', () => {
  const check = {
    paramId: 'beta', n: 400, r2: 0.87, rmse: 0.6, bias: 0, nrmse: 0.3, contraction: 0.7,
    coverage: [0.5, 0.8, 0.95].map((level, i) => ({ level, covered: 0, n: 400, rate: [0.52, 0.79, 0.95][i], low: 0, high: 1, verdict: { severity: 'ok' as const, text: 'fine' } })),
    sbc: { histogram: [20, 20], expected: [20, 20], chiSquare: 1, df: 1, pValue: 0.97, n: 40, shape: 'uniform' as const, ranks: [] },
    verdicts: [
      { severity: 'ok' as const, text: 'well calibrated (SBC p = 0.97; coverage 52%/79%/95% for 50%/80%/95%)' },
      { severity: 'ok' as const, text: 'identified: contraction 0.7' },
      { severity: 'ok' as const, text: 'recovered moderately (R² 0.87, NRMSE 0.31)' },
    ],
    severity: 'ok' as const, summary: 'well calibrated',
  } as unknown as ParameterCheckJson;

  it('gives one plain line per check', () => {
    const v = checkVerdicts(check);
    expect(v.recovery.text).toMatch(/^recovered moderately/);
    expect(v.coverage.text).toBe('intervals are honest: 50%/80%/95% intervals hold the truth 52%/79%/95% of the time');
    expect(v.sbc.text).toMatch(/SBC p = 0.97/);
    expect(v.identifiability?.text).toMatch(/^identified/);
  });

  it('reports the failing coverage level', () => {
    const bad = { ...check, coverage: [{ ...check.coverage[0], rate: 0.2, verdict: { severity: 'problem', text: '50% intervals cover only 20%' } }] } as unknown as ParameterCheckJson;
    expect(checkVerdicts(bad).coverage).toEqual({ severity: 'problem', text: '50% intervals cover only 20%' });
  });
});

describe('reports', () => {
  it('makes safe file names', () => {
    expect(reportFileName('SIR (Kermack-McKendrick): fit to b', 'html')).toBe('SIR-Kermack-McKendrick-fit-to-b-report.html');
    expect(reportFileName('///', 'pdf')).toBe('sgnn-report.pdf');
  });

  it('finds fit and comparison results among finished jobs, newest first', () => {
    const jobs = [
      { jobId: 1, kind: 'bank', status: 'succeeded', result: {} },
      { jobId: 2, kind: 'fit', status: 'succeeded', result: { kind: 'fit', datasets: [] } },
      { jobId: 3, kind: 'fit', status: 'failed', result: null },
      { jobId: 4, kind: 'fit', status: 'succeeded', result: { kind: 'compare', datasets: [] } },
      { jobId: 5, kind: 'fit', status: 'succeeded', result: { kind: 'fit', datasets: [] } },
    ];
    expect(reportsOf(jobs, 'fit').map((r) => r.jobId)).toEqual([5, 2]);
    expect(reportsOf(jobs, 'compare').map((r) => r.jobId)).toEqual([4]);
  });
});
