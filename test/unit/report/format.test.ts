import { describe, expect, it } from 'vitest';
import {
  columnDecimals, decimalsFor, escapeHtml, fmt, fmtCount, fmtDate, fmtDuration, fmtFixed, fmtInterval, fmtP, fmtPercent, toNumbers,
} from '../../../src-main/report/format.ts';

describe('report number formatting', () => {
  it('fmt: significant digits, a true minus, scientific outside [1e-3, 1e5), a dash for missing', () => {
    expect(fmt(0.123456)).toBe('0.123');
    expect(fmt(1.23456, 4)).toBe('1.235');
    expect(fmt(-0.5)).toBe('−0.5');
    expect(fmt(763)).toBe('763');
    expect(fmt(12345)).toBe('12345');
    expect(fmt(0.00012)).toBe('1.2×10⁻⁴');
    expect(fmt(-2.5e7)).toBe('−2.5×10⁷');
    expect(fmt(0)).toBe('0');
    for (const missing of [NaN, null, undefined, Infinity, 'x']) expect(fmt(missing)).toBe('—');
  });

  it('fmtPercent, fmtP and fmtCount', () => {
    expect(fmtPercent(0.71)).toBe('71%');
    expect(fmtPercent(0.9972)).toBe('99.7%');
    expect(fmtPercent(0.004)).toBe('0.4%');
    expect(fmtPercent(0.5, 1)).toBe('50.0%');
    expect(fmtPercent(null)).toBe('—');
    expect(fmtP(0.0412)).toBe('0.041');
    expect(fmtP(0.0001)).toBe('< 0.001');
    expect(fmtCount(20000)).toBe('20,000');
  });

  it('shows a value to the precision its sd warrants', () => {
    expect(decimalsFor(0.0213)).toBe(3);
    expect(decimalsFor(0.52)).toBe(2);
    expect(decimalsFor(12)).toBe(0);
    expect(decimalsFor(0)).toBeNull();
    expect(fmtFixed(0.41234, decimalsFor(0.0213))).toBe('0.412');
    expect(fmtFixed(-0.0004, 2)).toBe('0.00');
    expect(fmtFixed(-1.5, 1)).toBe('−1.5');
    expect(fmtFixed(2.5e-6, 3)).toBe('0.000');
    expect(fmtFixed(2.5e-6, 7)).toBe('2.5×10⁻⁶');
    expect(fmtFixed(123456, 1)).toBe('1.23×10⁵');
    expect(fmtInterval(1.59, 1.798, 3)).toBe('1.590\u00a0–\u2060\u00a01.798');
  });

  it('columnDecimals: one number of decimals per column, enough for its smallest value', () => {
    expect(columnDecimals([1.76, 1.69, 1.5])).toBe(2);
    expect(columnDecimals([0.078, 0.0818])).toBe(4);
    expect(columnDecimals([120, 1300])).toBe(0);
    expect(columnDecimals([1e-4, 1])).toBeNull();
    expect(columnDecimals([NaN, null])).toBe(0);
  });

  it('durations and dates', () => {
    expect(fmtDuration(0.42)).toBe('0.42 s');
    expect(fmtDuration(42.3)).toBe('42 s');
    expect(fmtDuration(184.4)).toBe('3 min 04 s');
    expect(fmtDuration(4000)).toBe('1 h 07 min');
    expect(fmtDate('2025-03-14T09:26:53.000Z')).toBe('2025-03-14 09:26 UTC');
    expect(fmtDate('yesterday')).toBe('yesterday');
  });

  it('escapeHtml escapes the five characters that matter in text and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(escapeHtml(null)).toBe('');
  });

  it('toNumbers reads arrays, typed arrays and what JSON makes of typed arrays', () => {
    expect(toNumbers([1, null, 3])).toEqual([1, NaN, 3]);
    expect(toNumbers(Int32Array.of(4, 5))).toEqual([4, 5]);
    expect(toNumbers(JSON.parse(JSON.stringify(Int32Array.of(7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17))))).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect(toNumbers(undefined)).toEqual([]);
  });
});
