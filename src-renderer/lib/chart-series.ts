/**
 * Engine series → Chart.js datasets: the one adapter every plot uses (lines, points, bands).
 * Library-neutral input ({x, y}), so screens never build Chart.js objects by hand.
 */
import type { ChartDataset } from 'chart.js';

export interface ChartSeries {
  label: string;
  x: readonly number[];
  y: readonly number[];
  /** 'band': y is the lower edge and `upper` the upper edge. */
  kind?: 'line' | 'points' | 'band';
  upper?: readonly number[];
  /** A CSS colour or a `--series-N` variable name. */
  color?: string;
  dashed?: boolean;
  width?: number;
  /** 0..1, for bands and faint lines. */
  opacity?: number;
  /** Hide from the legend. */
  quiet?: boolean;
  /** Point size for kind 'points' (default 3.5). */
  radius?: number;
  /** Fill down to zero (histograms), with this opacity. */
  fillOpacity?: number;
}

export function resolveColor(color: string | undefined, fallbackIndex: number, css: (name: string) => string): string {
  const c = color ?? `--series-${(fallbackIndex % 6) + 1}`;
  return c.startsWith('--') ? css(c).trim() || '#3b5bdb' : c;
}

/** `#rrggbb` + alpha → rgba(). Other colour syntaxes pass through. */
export function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color.trim());
  if (!m) return color;
  return `rgba(${parseInt(m[1], 16)}, ${parseInt(m[2], 16)}, ${parseInt(m[3], 16)}, ${alpha})`;
}

function points(x: readonly number[], y: readonly number[]): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  for (let i = 0; i < x.length; i++) if (Number.isFinite(y[i])) out.push({ x: x[i], y: y[i] });
  return out;
}

/** Datasets for Chart.js (type 'line' with a linear x axis). */
export function toDatasets(series: readonly ChartSeries[], css: (name: string) => string): ChartDataset<'line', { x: number; y: number }[]>[] {
  const out: ChartDataset<'line', { x: number; y: number }[]>[] = [];
  series.forEach((s, i) => {
    const color = resolveColor(s.color, i, css);
    if (s.kind === 'band') {
      const fill = withAlpha(color, s.opacity ?? 0.18);
      out.push({ label: `${s.label} (lower)`, data: points(s.x, s.y), borderWidth: 0, pointRadius: 0, borderColor: 'transparent', backgroundColor: fill, fill: false });
      out.push({ label: s.label, data: points(s.x, s.upper ?? s.y), borderWidth: 0, pointRadius: 0, borderColor: 'transparent', backgroundColor: fill, fill: '-1' });
      return;
    }
    const points_ = s.kind === 'points';
    out.push({
      label: s.quiet ? `_${s.label}` : s.label,
      data: points(s.x, s.y),
      borderColor: withAlpha(color, s.opacity ?? 1),
      backgroundColor: withAlpha(color, s.opacity ?? 1),
      borderWidth: points_ ? 0 : (s.width ?? 2),
      borderDash: s.dashed ? [5, 4] : undefined,
      pointRadius: points_ ? (s.radius ?? 3.5) : 0,
      pointHoverRadius: points_ ? (s.radius ?? 3.5) + 1.5 : 3,
      showLine: !points_,
      tension: 0,
      ...(s.fillOpacity !== undefined ? { fill: 'origin' as const, backgroundColor: withAlpha(color, s.fillOpacity) } : { fill: false }),
    });
  });
  return out;
}

/** A bar series on a category axis (BarChart). */
export interface BarSeries {
  label: string;
  values: readonly number[];
  color?: string;
  /** Drawn as a line over the bars (an expected level, a nominal value). */
  line?: boolean;
  dashed?: boolean;
  opacity?: number;
}
