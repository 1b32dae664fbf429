import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  barChart, densityBins, heatmapTable, histogram, lineChart, linearScale, linearTicks, logScale, niceStep, pairPlot, scatterChart, sparkDensity,
} from '../../../src-main/report/svg-charts.ts';

describe('scales', () => {
  it('niceStep picks 1, 2 or 5 × 10^k', () => {
    expect(niceStep(0.23)).toBe(0.2);
    expect(niceStep(3.7)).toBe(5);
    expect(niceStep(80)).toBe(100);
    expect(niceStep(0)).toBe(1);
  });

  it('ticks are clean multiples of the step', () => {
    expect(linearTicks(0, 1, 5).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(linearTicks(0.1, 0.7, 6).ticks).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    const s = linearScale([3, 97], [0, 100], { nice: true });
    expect(s.domain).toEqual([0, 100]);
    expect(s.map(50)).toBe(50);
  });

  it('a degenerate domain still gives a usable scale', () => {
    const s = linearScale([5, 5], [0, 100]);
    expect(s.domain[0]).toBeLessThan(5);
    expect(s.domain[1]).toBeGreaterThan(5);
    expect(Number.isFinite(s.map(5))).toBe(true);
  });

  it('log ticks: powers of ten over decades, more within one', () => {
    expect(logScale([500, 200000], [0, 100]).ticks).toEqual([1000, 10000, 100000]);
    expect(logScale([0.1, 0.6], [0, 100]).ticks).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    expect(logScale([0.13, 0.34], [0, 100]).ticks).toEqual([0.15, 0.2, 0.25, 0.3]);
    expect(logScale([500, 200000], [0, 100]).label(10000)).toBe('10,000');
  });
});

describe('charts', () => {
  const valid = (svg: string): void => {
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*><title>[^<]*<\/title><desc>[^<]*<\/desc>/);
  };

  it('line chart with bands, points and gaps', () => {
    const svg = lineChart({
      title: 'a & b', desc: 'c < d', xLabel: 'time', yLabel: 'y',
      bands: [{ label: '95%', xs: [0, 1, 2, 3], lo: [0, 1, null, 1], hi: [2, 3, null, 3] }],
      lines: [{ label: 'median', xs: [0, 1, 2, 3], ys: [1, 2, NaN, 2] }],
      points: [{ label: 'observed', xs: [0, 1, 2], ys: [1, null, 2] }],
      refs: [{ x: 1, label: 'best' }, { y: 2.5 }],
    });
    valid(svg);
    expect(svg).toContain('<title>a &amp; b</title>');
    expect(svg.match(/<circle /g)).toHaveLength(2 + 1); // two data points + the legend mark
    expect(svg).toMatch(/d="M[\d. ]+L[\d. ]+M[\d. ]+"/); // the median breaks at the gap
  });

  it('histogram with overlay, band and expected level; density bins integrate to one', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => (i % 100) / 100);
    const bins = densityBins(xs, 0, 1, 10);
    expect(bins.reduce((a, b) => a + b.value * (b.x1 - b.x0), 0)).toBeCloseTo(1, 12);
    valid(histogram({
      title: 'h', desc: 'd', bins, overlay: { xs: [0.1, 0.5, 0.9], ys: [1, 5, 1], label: 'prior' },
      band: { lo: bins.map(() => 0.5), hi: bins.map(() => 1.5), label: 'band' }, expected: { values: bins.map(() => 1), label: 'expected' },
      refs: [{ x: 0.5, label: 'mean' }], yTicks: false,
    }));
  });

  it('scatter (linear and log), bars, spark, pair plot', () => {
    const pts = Array.from({ length: 50 }, (_, i) => ({ x: 0.1 + i, y: 0.2 + i, lo: 0.05 + i, hi: 0.5 + i }));
    valid(scatterChart({ title: 's', desc: 'd', points: pts, identity: true }));
    valid(scatterChart({ title: 's', desc: 'd', points: pts, identity: true, log: true }));
    valid(barChart({ title: 'b', desc: 'd', bars: [{ label: 'SIR <1>', value: 0.8, strong: true }, { label: 'SEIR', value: NaN }] }));
    valid(sparkDensity([0, 1, 2], [0, 1, 0], { title: 'prior of x' }));
    expect(sparkDensity([0], [1], { title: 'x' })).toBe('');
    const samples = { a: Array.from({ length: 200 }, (_, i) => Math.sin(i)), b: Array.from({ length: 200 }, (_, i) => Math.cos(i)) };
    const pp = pairPlot({ title: 'p', desc: 'd', ids: ['a', 'b'], samples });
    valid(pp);
    expect(pp).toContain('ρ = ');
  });

  it('heat-map table: headers, counts, row shares and escaped labels', () => {
    const t = heatmapTable({ title: 'SGNN', caption: 'accuracy 75%', rowHeader: 'true', colHeader: 'chosen', labels: ['A<', 'B'], counts: [[3, 1], [0, 4]], unassigned: [0, 1] });
    expect(t).toContain('<th scope="row">A&lt;</th>');
    expect(t).toContain('<th scope="col">none</th>');
    expect(t).toContain('<span class="share">75%</span>');
    expect(t).toMatch(/class="num diag"[^>]*><span class="count">4<\/span><span class="share">80%<\/span>/);
  });
});
