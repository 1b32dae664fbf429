/**
 * Static charts as inline SVG strings for the report: no script, no fonts or images to fetch, and
 * vectors that print sharply to PDF. Every chart carries <title> and <desc> (its accessible name and
 * a sentence on what it shows), coordinates are rounded to 0.1 px to keep the file small, and all
 * text goes through escapeHtml (valid in XML too). Colours come from CSS custom properties with
 * fallbacks, so the report's stylesheet themes them and a chart copied on its own still renders.
 *
 * Non-finite values (NaN, or null from JSON) are skipped: a gap in a line, a missing point.
 */
import { escapeHtml, fmt, isNum } from './format.ts';

/** Series colours (the app's palette): blue, orange, green, purple, teal, red. */
export const PALETTE = ['#3b5bdb', '#e8590c', '#2b8a3e', '#ae3ec9', '#1098ad', '#c92a2a'] as const;

const INK = '#1b2230';
const MUTED = '#5a6475';
const AXIS = '#9aa3b1';
const GRID = '#e8ebf0';

/** Rounds a coordinate to 0.1 px. */
function r(v: number): string {
  const x = Math.round(v * 10) / 10;
  return String(Object.is(x, -0) ? 0 : x);
}

// ---------------------------------------------------------------- scales

export interface Scale {
  domain: [number, number];
  range: [number, number];
  log: boolean;
  ticks: number[];
  /** Data value → pixel. */
  map: (v: number) => number;
  /** Tick label text. */
  label: (v: number) => string;
}

/** A step of 1, 2 or 5 × 10^k near raw: tick spacing people can read off. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / p;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * p;
}

function clean(v: number): number {
  // k·step in binary floating point gives 0.30000000000000004; 12 digits removes the noise.
  return Number(v.toPrecision(12));
}

/** Ticks at multiples of a nice step within [lo, hi]. */
export function linearTicks(lo: number, hi: number, target = 5): { ticks: number[]; step: number } {
  const step = niceStep((hi - lo) / Math.max(1, target));
  const ticks: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) ticks.push(clean(k * step));
  return { ticks, step };
}

function tickLabel(step: number): (v: number) => string {
  const decimals = step >= 1 ? 0 : Math.min(8, Math.ceil(-Math.log10(step) - 1e-9));
  return (v: number) => {
    const a = Math.abs(v);
    if (a !== 0 && (a >= 1e5 || a < 1e-3)) return fmt(v, 2);
    if (a >= 1e4 && step >= 1) return fmt(v, 3);
    const s = v.toFixed(decimals);
    return Number(s) === 0 ? (0).toFixed(decimals) : s.replace(/^-/, '\u2212');
  };
}

/** Widens a degenerate or inverted extent so a scale can be built from any data. */
function extent(lo: number, hi: number): [number, number] {
  if (!isNum(lo) || !isNum(hi)) return [0, 1];
  if (hi > lo) return [lo, hi];
  const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
  return [lo - pad, hi + pad];
}

/** A linear scale; `nice` extends the domain to whole ticks (used for value axes). */
export function linearScale(domain: [number, number], range: [number, number], options: { nice?: boolean; ticks?: number } = {}): Scale {
  let [lo, hi] = extent(domain[0], domain[1]);
  const target = options.ticks ?? 5;
  if (options.nice) {
    const step = niceStep((hi - lo) / target);
    lo = clean(Math.floor(lo / step + 1e-9) * step);
    hi = clean(Math.ceil(hi / step - 1e-9) * step);
  }
  const { ticks, step } = linearTicks(lo, hi, target);
  const [r0, r1] = range;
  const k = (r1 - r0) / (hi - lo);
  return { domain: [lo, hi], range, log: false, ticks, map: (v) => r0 + (v - lo) * k, label: tickLabel(step) };
}

/** A log10 scale with ticks at powers of ten, plus 2 and 5 × when the domain spans under two decades. */
export function logScale(domain: [number, number], range: [number, number]): Scale {
  let lo = domain[0] > 0 ? domain[0] : 1e-3;
  let hi = domain[1] > lo ? domain[1] : lo * 10;
  if (hi / lo < 1.5) { lo /= 1.5; hi *= 1.5; }
  const l0 = Math.log10(lo), l1 = Math.log10(hi);
  // Enough ticks to read values off: every integer multiple within one decade, 1-2-5 within two.
  const span = l1 - l0;
  const mult = span < 0.5 ? [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9] : span < 1 ? [1, 2, 3, 4, 5, 6, 7, 8, 9] : span < 2 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let e = Math.floor(l0); e <= Math.ceil(l1); e++) {
    for (const m of mult) {
      const v = clean(m * Math.pow(10, e));
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) ticks.push(v);
    }
  }
  const [r0, r1] = range;
  const k = (r1 - r0) / (l1 - l0);
  const label = (v: number): string => (v >= 1e6 || v < 1e-3 ? fmt(v, 2) : v >= 1000 ? Math.round(v).toLocaleString('en-US') : String(clean(v)));
  return { domain: [lo, hi], range, log: true, ticks, map: (v) => r0 + (Math.log10(v) - l0) * k, label };
}

/** Min and max of the finite values ([NaN, NaN] when none). */
export function finiteExtent(...arrays: readonly (readonly (number | null | undefined)[])[]): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const a of arrays) for (const v of a) if (isNum(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
  return lo <= hi ? [lo, hi] : [NaN, NaN];
}

// ---------------------------------------------------------------- frame

export interface AxisSpec {
  label?: string;
  log?: boolean;
  /** Data extent; the scale pads or rounds it. */
  domain: [number, number];
  /** Extend a linear axis to whole ticks (default true for y, false for x). */
  nice?: boolean;
  /** Always include 0 in a linear axis (counts, densities). */
  zero?: boolean;
  ticks?: number;
}

export interface LegendItem {
  label: string;
  color: string;
  kind: 'line' | 'dash' | 'band' | 'point' | 'ring' | 'bar';
  opacity?: number;
}

export interface FrameSpec {
  title: string;
  desc: string;
  width?: number;
  height?: number;
  x: AxisSpec;
  y: AxisSpec;
  legend?: LegendItem[];
  grid?: 'y' | 'both';
  /** Extra room on the left for long tick labels. */
  marginLeft?: number;
  /** Leave out the y tick labels (densities, whose scale tells a reader little). */
  hideYTicks?: boolean;
}

interface Frame {
  sx: Scale;
  sy: Scale;
  /** Plot area in pixels. */
  box: { left: number; top: number; right: number; bottom: number };
  head: string;
  axes: string;
  tail: string;
}

function svgOpen(width: number, height: number, title: string, desc: string, cls = 'chart'): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" class="${cls}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`
    + `<title>${escapeHtml(title)}</title><desc>${escapeHtml(desc)}</desc>`;
}

function textWidth(s: string, size = 11): number {
  // Rough advance of a sans-serif at this size: enough to lay out legends without measuring.
  return s.length * size * 0.56;
}

/** Width a legend row takes (marks, labels and gaps). */
function legendWidth(items: readonly LegendItem[]): number {
  return items.reduce((w, it) => w + 21 + textWidth(it.label) + 12, -12);
}

function legendSvg(items: readonly LegendItem[], x0: number, y: number): string {
  let x = x0;
  const parts: string[] = [];
  for (const it of items) {
    const op = it.opacity ?? 1;
    let mark: string;
    switch (it.kind) {
      case 'line': mark = `<line x1="${r(x)}" y1="${r(y)}" x2="${r(x + 16)}" y2="${r(y)}" stroke="${it.color}" stroke-width="2" stroke-opacity="${op}"/>`; break;
      case 'dash': mark = `<line x1="${r(x)}" y1="${r(y)}" x2="${r(x + 16)}" y2="${r(y)}" stroke="${it.color}" stroke-width="1.6" stroke-dasharray="4 3" stroke-opacity="${op}"/>`; break;
      case 'band':
      case 'bar': mark = `<rect x="${r(x)}" y="${r(y - 5)}" width="16" height="10" fill="${it.color}" fill-opacity="${op}"/>`; break;
      case 'point': mark = `<circle cx="${r(x + 8)}" cy="${r(y)}" r="3" fill="${it.color}" fill-opacity="${op}" stroke="#fff" stroke-width="0.8"/>`; break;
      case 'ring': mark = `<circle cx="${r(x + 8)}" cy="${r(y)}" r="4.5" fill="none" stroke="${it.color}" stroke-width="1.4"/>`; break;
    }
    parts.push(mark, `<text x="${r(x + 21)}" y="${r(y + 3.5)}" class="legend">${escapeHtml(it.label)}</text>`);
    x += 21 + textWidth(it.label) + 12;
  }
  return `<g class="legend">${parts.join('')}</g>`;
}

function makeScale(axis: AxisSpec, range: [number, number], defaultNice: boolean): Scale {
  if (axis.log) return logScale(axis.domain, range);
  let [lo, hi] = axis.domain;
  if (axis.zero && isNum(lo) && isNum(hi)) { lo = Math.min(lo, 0); hi = Math.max(hi, 0); }
  return linearScale([lo, hi], range, { nice: axis.nice ?? defaultNice, ticks: axis.ticks });
}

/** Axes, grid, labels and legend around a plot area; charts draw their data between head and axes. */
export function frame(spec: FrameSpec): Frame {
  const width = spec.width ?? 520, height = spec.height ?? 280;
  const hasLegend = (spec.legend?.length ?? 0) > 0;
  const top = hasLegend ? 30 : 14;
  const left = spec.marginLeft ?? (spec.y.label ? 62 : 48);
  const bottom = height - (spec.x.label ? 44 : 28);
  const right = width - 16;
  const sx = makeScale(spec.x, [left, right], false);
  const sy = makeScale(spec.y, [bottom, top], true);
  const grid: string[] = [];
  for (const t of sy.ticks) grid.push(`<line x1="${left}" x2="${right}" y1="${r(sy.map(t))}" y2="${r(sy.map(t))}"/>`);
  if (spec.grid === 'both') for (const t of sx.ticks) grid.push(`<line y1="${top}" y2="${bottom}" x1="${r(sx.map(t))}" x2="${r(sx.map(t))}"/>`);
  const head = svgOpen(width, height, spec.title, spec.desc) + `<g stroke="${GRID}" stroke-width="1">${grid.join('')}</g>`;
  const ax: string[] = [];
  ax.push(`<path d="M${left} ${top}V${bottom}H${right}" fill="none" stroke="${AXIS}" stroke-width="1"/>`);
  // Every tick gets a mark; labels that would overlap the previous one are left out (dense log ticks).
  let lastRight = -Infinity;
  const xt = sx.ticks.map((t) => {
    const px = sx.map(t), x = r(px), text = sx.label(t), w = textWidth(text, 10.5);
    const show = px - w / 2 > lastRight + 4;
    if (show) lastRight = px + w / 2;
    return `<line x1="${x}" x2="${x}" y1="${bottom}" y2="${bottom + 4}" stroke="${AXIS}"/>${show ? `<text x="${x}" y="${bottom + 15}" text-anchor="middle">${escapeHtml(text)}</text>` : ''}`;
  });
  let lastTop = Infinity;
  const yt = spec.hideYTicks ? [] : sy.ticks.map((t) => {
    const py = sy.map(t), y = r(py);
    const show = py < lastTop - 12;
    if (show) lastTop = py;
    return `<line x1="${left - 4}" x2="${left}" y1="${y}" y2="${y}" stroke="${AXIS}"/>${show ? `<text x="${left - 7}" y="${r(py + 3.5)}" text-anchor="end">${escapeHtml(sy.label(t))}</text>` : ''}`;
  });
  ax.push(`<g class="tick">${xt.join('')}${yt.join('')}</g>`);
  if (spec.x.label) ax.push(`<text class="axis-label" x="${r((left + right) / 2)}" y="${height - 8}" text-anchor="middle">${escapeHtml(spec.x.label)}</text>`);
  if (spec.y.label) ax.push(`<text class="axis-label" transform="translate(13 ${r((top + bottom) / 2)}) rotate(-90)" text-anchor="middle">${escapeHtml(spec.y.label)}</text>`);
  // Aligned with the plot area, shifted left when it would run past the edge (it would be clipped in print).
  const legendX = hasLegend ? Math.max(4, Math.min(left, width - 6 - legendWidth(spec.legend!))) : 0;
  const tail = (hasLegend ? legendSvg(spec.legend!, legendX, 13) : '') + '</svg>';
  return { sx, sy, box: { left, top, right, bottom }, head, axes: ax.join(''), tail };
}

function clampY(f: Frame, y: number): number {
  return Math.max(f.box.top, Math.min(f.box.bottom, y));
}

// ---------------------------------------------------------------- primitives

/** Polyline through finite points, split at gaps. */
export function linePath(xs: readonly number[], ys: readonly (number | null)[], sx: Scale, sy: Scale, clamp?: (y: number) => number): string {
  const parts: string[] = [];
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i], y = ys[i];
    if (!isNum(x) || !isNum(y) || (sx.log && x <= 0) || (sy.log && y <= 0)) { pen = false; continue; }
    const py = clamp ? clamp(sy.map(y)) : sy.map(y);
    parts.push(`${pen ? 'L' : 'M'}${r(sx.map(x))} ${r(py)}`);
    pen = true;
  }
  return parts.join('');
}

/** Closed area between lower and upper curves, one polygon per run of finite points. */
export function bandPath(xs: readonly number[], lo: readonly (number | null)[], hi: readonly (number | null)[], sx: Scale, sy: Scale, clamp?: (y: number) => number): string {
  const out: string[] = [];
  let run: number[] = [];
  const c = clamp ?? ((y: number) => y);
  const flush = (): void => {
    if (run.length >= 2) {
      const up = run.map((i, k) => `${k === 0 ? 'M' : 'L'}${r(sx.map(xs[i]))} ${r(c(sy.map(hi[i] as number)))}`);
      const down = [...run].reverse().map((i) => `L${r(sx.map(xs[i]))} ${r(c(sy.map(lo[i] as number)))}`);
      out.push(`${up.join('')}${down.join('')}Z`);
    }
    run = [];
  };
  for (let i = 0; i < xs.length; i++) {
    if (isNum(xs[i]) && isNum(lo[i]) && isNum(hi[i])) run.push(i);
    else flush();
  }
  flush();
  return out.join('');
}

// ---------------------------------------------------------------- line chart

export interface LineSeries {
  label?: string;
  xs: readonly number[];
  ys: readonly (number | null)[];
  color?: string;
  dash?: boolean;
  width?: number;
}

export interface BandSeries {
  label?: string;
  xs: readonly number[];
  lo: readonly (number | null)[];
  hi: readonly (number | null)[];
  color?: string;
  opacity?: number;
}

export interface PointSeries {
  label?: string;
  xs: readonly number[];
  ys: readonly (number | null)[];
  color?: string;
  radius?: number;
  /** Hollow rings, e.g. to highlight chosen points over filled ones. */
  ring?: boolean;
}

export interface RefLine {
  /** A vertical line at x, or a horizontal one at y. */
  x?: number;
  y?: number;
  label?: string;
  color?: string;
  dash?: string;
}

export interface LineChartSpec {
  title: string;
  desc: string;
  width?: number;
  height?: number;
  xLabel?: string;
  yLabel?: string;
  xLog?: boolean;
  yLog?: boolean;
  /** Include 0 on the y axis. */
  yZero?: boolean;
  bands?: BandSeries[];
  lines?: LineSeries[];
  points?: PointSeries[];
  refs?: RefLine[];
  legend?: boolean;
  grid?: 'y' | 'both';
  /** Explicit extents instead of the data's. */
  xDomain?: [number, number];
  yDomain?: [number, number];
}

/** Lines, shaded bands and points on shared axes: predictive bands, loss curves, the scaling curve. */
export function lineChart(spec: LineChartSpec): string {
  const bands = spec.bands ?? [], lines = spec.lines ?? [], points = spec.points ?? [], refs = spec.refs ?? [];
  const pos = (a: readonly (number | null)[], log?: boolean): (number | null)[] => (log ? a.map((v) => (isNum(v) && v > 0 ? v : null)) : [...a]);
  const xd = spec.xDomain ?? finiteExtent(...bands.map((b) => pos(b.xs, spec.xLog)), ...lines.map((l) => pos(l.xs, spec.xLog)), ...points.map((p) => pos(p.xs, spec.xLog)));
  const yd = spec.yDomain ?? finiteExtent(
    ...bands.flatMap((b) => [pos(b.lo, spec.yLog), pos(b.hi, spec.yLog)]), ...lines.map((l) => pos(l.ys, spec.yLog)), ...points.map((p) => pos(p.ys, spec.yLog)),
    refs.filter((x) => x.y !== undefined).map((x) => x.y as number),
  );
  const legend: LegendItem[] = [];
  if (spec.legend !== false) {
    for (const b of bands) if (b.label) legend.push({ label: b.label, color: b.color ?? PALETTE[0], kind: 'band', opacity: b.opacity ?? 0.18 });
    for (const l of lines) if (l.label) legend.push({ label: l.label, color: l.color ?? PALETTE[0], kind: l.dash ? 'dash' : 'line' });
    for (const p of points) if (p.label) legend.push({ label: p.label, color: p.color ?? INK, kind: p.ring ? 'ring' : 'point' });
  }
  const f = frame({
    title: spec.title, desc: spec.desc, width: spec.width, height: spec.height, legend, grid: spec.grid,
    x: { label: spec.xLabel, log: spec.xLog, domain: xd, nice: false },
    y: { label: spec.yLabel, log: spec.yLog, domain: yd, zero: spec.yZero },
  });
  const cy = (y: number): number => clampY(f, y);
  const body: string[] = [];
  for (const b of bands) body.push(`<path d="${bandPath(b.xs, b.lo, b.hi, f.sx, f.sy, cy)}" fill="${b.color ?? PALETTE[0]}" fill-opacity="${b.opacity ?? 0.18}" stroke="none"/>`);
  for (const ref of refs) {
    const color = ref.color ?? MUTED;
    const dash = ref.dash ?? '3 3';
    if (ref.x !== undefined && isNum(ref.x)) {
      const x = r(f.sx.map(ref.x));
      body.push(`<line x1="${x}" x2="${x}" y1="${f.box.top}" y2="${f.box.bottom}" stroke="${color}" stroke-width="1" stroke-dasharray="${dash}"/>`);
      // Label right of the line, or left of it when it would run past the plot's edge.
      const px = f.sx.map(ref.x), flip = px + 4 + textWidth(ref.label ?? '', 10) > f.box.right;
      if (ref.label) body.push(`<text class="ref-label" x="${r(flip ? px - 4 : px + 4)}" y="${f.box.top + 10}"${flip ? ' text-anchor="end"' : ''} fill="${color}">${escapeHtml(ref.label)}</text>`);
    } else if (ref.y !== undefined && isNum(ref.y) && !(spec.yLog && ref.y <= 0)) {
      const y = r(cy(f.sy.map(ref.y)));
      body.push(`<line x1="${f.box.left}" x2="${f.box.right}" y1="${y}" y2="${y}" stroke="${color}" stroke-width="1" stroke-dasharray="${dash}"/>`);
      if (ref.label) body.push(`<text class="ref-label" x="${f.box.right - 4}" y="${r(cy(f.sy.map(ref.y)) - 4)}" text-anchor="end" fill="${color}">${escapeHtml(ref.label)}</text>`);
    }
  }
  for (const l of lines) {
    const d = linePath(l.xs, l.ys, f.sx, f.sy, cy);
    if (d) body.push(`<path d="${d}" fill="none" stroke="${l.color ?? PALETTE[0]}" stroke-width="${l.width ?? 1.8}" stroke-linejoin="round" stroke-linecap="round"${l.dash ? ' stroke-dasharray="5 4"' : ''}/>`);
  }
  for (const p of points) {
    const color = p.color ?? INK, rad = p.radius ?? 2.6;
    const cs: string[] = [];
    for (let i = 0; i < p.xs.length; i++) {
      const x = p.xs[i], y = p.ys[i];
      if (!isNum(x) || !isNum(y) || (spec.xLog && x <= 0) || (spec.yLog && y <= 0)) continue;
      cs.push(`<circle cx="${r(f.sx.map(x))}" cy="${r(cy(f.sy.map(y)))}" r="${rad}"/>`);
    }
    body.push(p.ring
      ? `<g fill="none" stroke="${color}" stroke-width="1.4">${cs.join('')}</g>`
      : `<g fill="${color}" stroke="#fff" stroke-width="0.7">${cs.join('')}</g>`);
  }
  return f.head + body.join('') + f.axes + f.tail;
}

// ---------------------------------------------------------------- histogram

export interface Bin {
  x0: number;
  x1: number;
  /** Bar height in the chart's units (count or density). */
  value: number;
}

/** Equal-width bins over [lo, hi] as densities (area 1), so a prior density can be overlaid. */
export function densityBins(values: readonly number[], lo: number, hi: number, nBins: number): Bin[] {
  const finite = values.filter((v) => isNum(v));
  const [a, b] = extent(lo, hi);
  const w = (b - a) / nBins;
  const counts = new Array<number>(nBins).fill(0);
  for (const v of finite) {
    if (v < a || v > b) continue;
    counts[Math.min(nBins - 1, Math.floor((v - a) / w))]++;
  }
  const n = Math.max(1, finite.length);
  return counts.map((c, i) => ({ x0: a + i * w, x1: a + (i + 1) * w, value: c / (n * w) }));
}

/** Freedman–Diaconis-like bin count for n samples, kept between 10 and 40 so small charts stay readable. */
export function binCount(n: number): number {
  return Math.max(10, Math.min(40, Math.round(2 * Math.cbrt(Math.max(1, n)))));
}

export interface HistogramSpec {
  title: string;
  desc: string;
  width?: number;
  height?: number;
  bins: Bin[];
  xLabel?: string;
  yLabel?: string;
  color?: string;
  barLabel?: string;
  /** A curve over the bars (e.g. the prior density). */
  overlay?: { xs: number[]; ys: number[]; label: string; color?: string };
  /** A shaded horizontal band per bin (e.g. the 99% range of counts under uniformity). */
  band?: { lo: number[]; hi: number[]; label: string };
  /** A dashed reference level per bin (e.g. the expected count). */
  expected?: { values: number[]; label: string };
  refs?: RefLine[];
  xDomain?: [number, number];
  /** Hide y tick labels (densities whose scale means little to a reader). */
  yTicks?: boolean;
}

/** Bars over bins, with an optional overlaid curve, band and reference level. */
export function histogram(spec: HistogramSpec): string {
  const color = spec.color ?? PALETTE[0];
  const xd = spec.xDomain ?? [spec.bins[0]?.x0 ?? 0, spec.bins[spec.bins.length - 1]?.x1 ?? 1];
  const barMax = Math.max(0, ...spec.bins.map((b) => b.value).filter(isNum));
  // The overlay should not flatten the bars: cap the axis at 1.6× the tallest bar and clip the curve.
  const ovMax = spec.overlay ? Math.max(0, ...spec.overlay.ys.filter(isNum)) : 0;
  const yMax = Math.max(barMax, spec.band ? Math.max(...spec.band.hi) : 0, Math.min(ovMax, barMax > 0 ? 1.6 * barMax : ovMax)) || 1;
  const legend: LegendItem[] = [];
  if (spec.barLabel) legend.push({ label: spec.barLabel, color, kind: 'bar', opacity: 0.55 });
  if (spec.band) legend.push({ label: spec.band.label, color: '#868e96', kind: 'band', opacity: 0.22 });
  if (spec.expected) legend.push({ label: spec.expected.label, color: MUTED, kind: 'dash' });
  if (spec.overlay) legend.push({ label: spec.overlay.label, color: spec.overlay.color ?? PALETTE[1], kind: 'line' });
  const f = frame({
    title: spec.title, desc: spec.desc, width: spec.width, height: spec.height, legend,
    x: { label: spec.xLabel, domain: xd, nice: false, ticks: (spec.width ?? 520) < 360 ? 4 : 5 },
    y: { label: spec.yLabel, domain: [0, yMax], zero: true },
    marginLeft: spec.yTicks === false ? (spec.yLabel ? 30 : 16) : undefined,
    hideYTicks: spec.yTicks === false,
  });
  const cy = (y: number): number => clampY(f, y);
  const body: string[] = [];
  if (spec.band) {
    const rects = spec.bins.map((b, i) => {
      const y0 = cy(f.sy.map(spec.band!.hi[i])), y1 = cy(f.sy.map(spec.band!.lo[i]));
      return `<rect x="${r(f.sx.map(b.x0))}" y="${r(y0)}" width="${r(f.sx.map(b.x1) - f.sx.map(b.x0))}" height="${r(Math.max(0, y1 - y0))}"/>`;
    });
    body.push(`<g fill="#868e96" fill-opacity="0.22">${rects.join('')}</g>`);
  }
  const bars = spec.bins.map((b) => {
    if (!isNum(b.value) || b.value <= 0) return '';
    const x0 = f.sx.map(b.x0), x1 = f.sx.map(b.x1);
    const gap = x1 - x0 > 4 ? 0.6 : 0;
    const y = cy(f.sy.map(b.value));
    return `<rect x="${r(x0 + gap)}" y="${r(y)}" width="${r(Math.max(0.5, x1 - x0 - 2 * gap))}" height="${r(f.box.bottom - y)}"/>`;
  });
  body.push(`<g fill="${color}" fill-opacity="0.55">${bars.join('')}</g>`);
  if (spec.expected) {
    const d = spec.bins.map((b, i) => `${i === 0 ? 'M' : 'L'}${r(f.sx.map(b.x0))} ${r(cy(f.sy.map(spec.expected!.values[i])))}H${r(f.sx.map(b.x1))}`).join('');
    body.push(`<path d="${d}" fill="none" stroke="${MUTED}" stroke-width="1.2" stroke-dasharray="4 3"/>`);
  }
  for (const ref of spec.refs ?? []) {
    if (ref.x === undefined || !isNum(ref.x)) continue;
    const x = r(f.sx.map(ref.x));
    body.push(`<line x1="${x}" x2="${x}" y1="${f.box.top}" y2="${f.box.bottom}" stroke="${ref.color ?? INK}" stroke-width="1.2" stroke-dasharray="${ref.dash ?? '3 3'}"/>`);
    if (ref.label) body.push(`<text class="ref-label" x="${r(f.sx.map(ref.x) + 3)}" y="${f.box.top + 10}" fill="${ref.color ?? INK}">${escapeHtml(ref.label)}</text>`);
  }
  if (spec.overlay) {
    const d = linePath(spec.overlay.xs, spec.overlay.ys, f.sx, f.sy, cy);
    body.push(`<path d="${d}" fill="none" stroke="${spec.overlay.color ?? PALETTE[1]}" stroke-width="1.8" stroke-linejoin="round"/>`);
  }
  return f.head + body.join('') + f.axes + f.tail;
}

// ---------------------------------------------------------------- scatter

export interface ScatterPoint {
  x: number;
  y: number;
  lo?: number;
  hi?: number;
}

export interface ScatterSpec {
  title: string;
  desc: string;
  width?: number;
  height?: number;
  points: ScatterPoint[];
  xLabel?: string;
  yLabel?: string;
  identity?: boolean;
  color?: string;
  legend?: LegendItem[];
  /** Log axes (positive, skewed parameters such as a lognormal rate: otherwise a few large values squash the rest). */
  log?: boolean;
}

/** Points with vertical error bars and the identity line on equal axes: truth against estimate. */
export function scatterChart(spec: ScatterSpec): string {
  const color = spec.color ?? PALETTE[0];
  const pts = spec.points.filter((p) => isNum(p.x) && isNum(p.y) && (!spec.log || (p.x > 0 && p.y > 0)));
  // Equal axes over truth and the point estimates (not the bars: one wide interval would squash the rest).
  const all = finiteExtent(pts.map((p) => p.x), pts.map((p) => p.y));
  const pad = (all[1] - all[0]) * 0.04;
  const dom: [number, number] = spec.log ? [all[0] / 1.08, all[1] * 1.08] : [all[0] - pad, all[1] + pad];
  const f = frame({
    title: spec.title, desc: spec.desc, width: spec.width ?? 300, height: spec.height ?? 290, legend: spec.legend, grid: spec.log ? 'both' : 'y',
    x: { label: spec.xLabel, domain: dom, nice: false, ticks: 4, log: spec.log },
    y: { label: spec.yLabel, domain: dom, nice: false, ticks: 4, log: spec.log },
  });
  const cy = (y: number): number => clampY(f, y);
  const body: string[] = [];
  const bars = pts.filter((p) => isNum(p.lo) && isNum(p.hi) && (!spec.log || (p.lo! > 0 && p.hi! > 0))).map((p) => {
    const x = r(f.sx.map(p.x));
    return `<line x1="${x}" x2="${x}" y1="${r(cy(f.sy.map(p.lo!)))}" y2="${r(cy(f.sy.map(p.hi!)))}"/>`;
  });
  body.push(`<g stroke="${color}" stroke-opacity="0.22" stroke-width="1">${bars.join('')}</g>`);
  if (spec.identity) {
    const [a, b] = f.sx.domain;
    body.push(`<line x1="${r(f.sx.map(a))}" y1="${r(cy(f.sy.map(a)))}" x2="${r(f.sx.map(b))}" y2="${r(cy(f.sy.map(b)))}" stroke="${INK}" stroke-width="1.1" stroke-dasharray="5 4"/>`);
  }
  const dots = pts.map((p) => `<circle cx="${r(f.sx.map(p.x))}" cy="${r(cy(f.sy.map(p.y)))}" r="2"/>`);
  body.push(`<g fill="${color}" fill-opacity="0.75">${dots.join('')}</g>`);
  return f.head + body.join('') + f.axes + f.tail;
}

// ---------------------------------------------------------------- bars

export interface BarItem {
  label: string;
  value: number;
  color?: string;
  /** Text after the bar (defaults to the formatted value). */
  note?: string;
  /** Bold label (e.g. the chosen model). */
  strong?: boolean;
}

/** Horizontal bars with labels and values: probabilities, shares. Values are drawn against [0, max]. */
export function barChart(spec: { title: string; desc: string; bars: BarItem[]; max?: number; width?: number; format?: (v: number) => string }): string {
  const width = spec.width ?? 420, rowH = 22;
  const labelW = Math.min(160, 14 + Math.max(20, ...spec.bars.map((b) => textWidth(b.label, 11.5))));
  const noteW = 64;
  const height = spec.bars.length * rowH + 8;
  const max = spec.max ?? Math.max(1e-12, ...spec.bars.map((b) => b.value).filter(isNum));
  const x0 = labelW, x1 = width - noteW;
  const fmtV = spec.format ?? ((v: number) => fmt(v));
  const rows = spec.bars.map((b, i) => {
    const y = 4 + i * rowH;
    const w = isNum(b.value) ? Math.max(0, Math.min(1, b.value / max)) * (x1 - x0) : 0;
    return `<text x="${x0 - 8}" y="${y + 15}" text-anchor="end" class="bar-label${b.strong ? ' strong' : ''}">${escapeHtml(b.label)}</text>`
      + `<rect x="${x0}" y="${y + 4}" width="${r(x1 - x0)}" height="${rowH - 8}" fill="${GRID}"/>`
      + `<rect x="${x0}" y="${y + 4}" width="${r(w)}" height="${rowH - 8}" fill="${b.color ?? PALETTE[0]}"/>`
      + `<text x="${x1 + 6}" y="${y + 15}" class="bar-value">${escapeHtml(b.note ?? (isNum(b.value) ? fmtV(b.value) : '\u2014'))}</text>`;
  });
  return svgOpen(width, height, spec.title, spec.desc, 'chart bars') + rows.join('') + '</svg>';
}

// ---------------------------------------------------------------- sparkline

/** A tiny filled density curve (no axes): a prior's shape beside its formula. */
export function sparkDensity(xs: readonly number[], ys: readonly number[], options: { title: string; width?: number; height?: number; color?: string }): string {
  const width = options.width ?? 120, height = options.height ?? 30;
  const pts = xs.map((x, i) => [x, ys[i]] as const).filter(([x, y]) => isNum(x) && isNum(y));
  if (pts.length < 2) return '';
  const [x0, x1] = finiteExtent(pts.map((p) => p[0]));
  const yMax = Math.max(...pts.map((p) => p[1])) || 1;
  const sx = (x: number): number => 1 + ((x - x0) / (x1 - x0 || 1)) * (width - 2);
  const sy = (y: number): number => height - 2 - (Math.min(y, yMax) / yMax) * (height - 5);
  const line = pts.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${r(sx(x))} ${r(sy(y))}`).join('');
  const area = `${line}L${r(sx(pts[pts.length - 1][0]))} ${height - 2}L${r(sx(pts[0][0]))} ${height - 2}Z`;
  const color = options.color ?? PALETTE[1];
  return svgOpen(width, height, options.title, `Shape of the ${options.title} over its central 99% range.`, 'spark')
    + `<path d="${area}" fill="${color}" fill-opacity="0.18"/><path d="${line}" fill="none" stroke="${color}" stroke-width="1.3"/>`
    + `<line x1="0" x2="${width}" y1="${height - 1.5}" y2="${height - 1.5}" stroke="${AXIS}" stroke-width="1"/></svg>`;
}

// ---------------------------------------------------------------- pair plot

function pearson(a: readonly number[], b: readonly number[]): number {
  let n = 0, sa = 0, sb = 0;
  for (let i = 0; i < a.length; i++) if (isNum(a[i]) && isNum(b[i])) { n++; sa += a[i]; sb += b[i]; }
  if (n < 3) return NaN;
  const ma = sa / n, mb = sb / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < a.length; i++) {
    if (!(isNum(a[i]) && isNum(b[i]))) continue;
    sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) ** 2; sbb += (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/**
 * Scatter of joint samples below the diagonal, marginal histograms on it and the correlation above
 * it: how parameters trade off against each other (a ridge means only a combination is identified).
 */
export function pairPlot(spec: { title: string; desc: string; ids: string[]; samples: Record<string, readonly number[]>; maxPoints?: number; cell?: number }): string {
  const ids = spec.ids.slice(0, 4);
  const k = ids.length, cell = spec.cell ?? (k <= 2 ? 200 : k === 3 ? 138 : 102), gap = 8;
  const left = 46, top = 8, bottom = 34;
  const width = left + k * cell + (k - 1) * gap + 10;
  const height = top + k * cell + (k - 1) * gap + bottom;
  const scales = ids.map((id) => {
    const [lo, hi] = finiteExtent(spec.samples[id] ?? []);
    const pad = (hi - lo) * 0.05 || Math.abs(lo) * 0.1 || 1;
    return [lo - pad, hi + pad] as [number, number];
  });
  const maxPts = spec.maxPoints ?? 500;
  const parts: string[] = [svgOpen(width, height, spec.title, spec.desc, 'chart pairs')];
  const cx = (j: number): number => left + j * (cell + gap);
  const cyTop = (i: number): number => top + i * (cell + gap);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const x0 = cx(j), y0 = cyTop(i);
      const sx = linearScale(scales[j], [x0 + 3, x0 + cell - 3], { ticks: 3 });
      const a = spec.samples[ids[j]] ?? [], b = spec.samples[ids[i]] ?? [];
      if (i === j) {
        parts.push(`<rect x="${r(x0)}" y="${r(y0)}" width="${cell}" height="${cell}" fill="#f8f9fb" stroke="${GRID}"/>`);
        const bins = densityBins([...a], scales[j][0], scales[j][1], 24);
        const m = Math.max(...bins.map((bb) => bb.value)) || 1;
        const bars = bins.map((bb) => {
          const h = (bb.value / m) * (cell - 22);
          return h > 0 ? `<rect x="${r(sx.map(bb.x0))}" y="${r(y0 + cell - h)}" width="${r(Math.max(0.5, sx.map(bb.x1) - sx.map(bb.x0) - 0.5))}" height="${r(h)}"/>` : '';
        });
        parts.push(`<g fill="${PALETTE[0]}" fill-opacity="0.55">${bars.join('')}</g>`);
        parts.push(`<text x="${r(x0 + 6)}" y="${r(y0 + 14)}" class="pair-name">${escapeHtml(ids[i])}</text>`);
      } else if (i > j) {
        const sy = linearScale(scales[i], [y0 + cell - 3, y0 + 3], { ticks: 3 });
        parts.push(`<rect x="${r(x0)}" y="${r(y0)}" width="${cell}" height="${cell}" fill="#fff" stroke="${GRID}"/>`);
        const n = Math.min(a.length, b.length);
        const stride = Math.max(1, Math.ceil(n / maxPts));
        const dots: string[] = [];
        for (let s = 0; s < n; s += stride) if (isNum(a[s]) && isNum(b[s])) dots.push(`<circle cx="${r(sx.map(a[s]))}" cy="${r(sy.map(b[s]))}" r="1.4"/>`);
        parts.push(`<g fill="${PALETTE[0]}" fill-opacity="0.35">${dots.join('')}</g>`);
        if (j === 0) {
          parts.push(`<g class="tick">${sy.ticks.filter((t) => sy.map(t) > y0 + 6 && sy.map(t) < y0 + cell - 6).map((t) => `<text x="${r(x0 - 4)}" y="${r(sy.map(t) + 3.5)}" text-anchor="end">${escapeHtml(sy.label(t))}</text>`).join('')}</g>`);
        }
      } else {
        const rho = pearson(a, b);
        const strength = isNum(rho) ? Math.abs(rho) : 0;
        parts.push(`<rect x="${r(x0)}" y="${r(y0)}" width="${cell}" height="${cell}" fill="${rho > 0 ? PALETTE[0] : PALETTE[5]}" fill-opacity="${r(0.04 + 0.22 * strength)}" stroke="${GRID}"/>`);
        parts.push(`<text x="${r(x0 + cell / 2)}" y="${r(y0 + cell / 2 + 5)}" text-anchor="middle" class="pair-rho">ρ = ${escapeHtml(isNum(rho) ? rho.toFixed(2).replace(/^-/, '\u2212') : '\u2014')}</text>`);
      }
      if (i === k - 1) {
        // Labels near a panel's edge would run into the neighbouring panel's.
        const inner = sx.ticks.filter((t) => sx.map(t) > x0 + 10 && sx.map(t) < x0 + cell - 10);
        parts.push(`<g class="tick">${inner.map((t) => `<text x="${r(sx.map(t))}" y="${r(y0 + cell + 13)}" text-anchor="middle">${escapeHtml(sx.label(t))}</text>`).join('')}</g>`);
        parts.push(`<text class="axis-label" x="${r(x0 + cell / 2)}" y="${r(y0 + cell + 28)}" text-anchor="middle">${escapeHtml(ids[j])}</text>`);
      }
    }
  }
  parts.push('</svg>');
  return parts.join('');
}

// ---------------------------------------------------------------- heat-map table

/**
 * A confusion matrix as an HTML table (not SVG: it must stay selectable, searchable and readable by
 * screen readers): rows are the true model, columns the chosen one; each cell's shade is its share
 * of the row, the diagonal in green and errors in red.
 */
export function heatmapTable(spec: { title?: string; caption: string; rowHeader: string; colHeader: string; labels: readonly string[]; counts: readonly (readonly number[])[]; unassigned?: readonly number[] }): string {
  const k = spec.labels.length;
  const withNone = (spec.unassigned ?? []).some((u) => u > 0);
  const head = spec.labels.map((l) => `<th scope="col">${escapeHtml(l)}</th>`).join('') + (withNone ? '<th scope="col">none</th>' : '');
  const rows = spec.labels.map((label, t) => {
    const row = spec.counts[t] ?? [];
    const none = spec.unassigned?.[t] ?? 0;
    const total = row.reduce((a, b) => a + (isNum(b) ? b : 0), 0) + none;
    const cells = Array.from({ length: k }, (_, c) => {
      const v = isNum(row[c]) ? row[c] : 0;
      const share = total > 0 ? v / total : 0;
      const diag = c === t;
      const rgb = diag ? '43,138,62' : '201,42,42';
      const alpha = (diag ? 0.08 + 0.5 * share : 0.05 + 0.7 * share).toFixed(2);
      const bg = v > 0 ? ` style="background:rgba(${rgb},${alpha})"` : '';
      return `<td class="num${diag ? ' diag' : ''}"${bg}><span class="count">${escapeHtml(fmt(v))}</span><span class="share">${total > 0 ? escapeHtml(`${Math.round(100 * share)}%`) : ''}</span></td>`;
    });
    const noneCell = withNone ? `<td class="num none">${escapeHtml(fmt(none))}</td>` : '';
    return `<tr><th scope="row">${escapeHtml(label)}</th>${cells.join('')}${noneCell}</tr>`;
  });
  const title = spec.title ? `<strong>${escapeHtml(spec.title)}</strong> ` : '';
  return `<table class="heatmap"><caption>${title}${escapeHtml(spec.caption)}</caption>`
    + `<thead><tr><th scope="col" class="corner"><span>${escapeHtml(spec.rowHeader)} ↓</span><span>${escapeHtml(spec.colHeader)} →</span></th>${head}</tr></thead>`
    + `<tbody>${rows.join('')}</tbody></table>`;
}
