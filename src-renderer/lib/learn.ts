/**
 * Pure helpers for the Train, Results and Compare screens: the "auto" network choice, step-aware
 * ETAs, histograms, plain-language verdicts for each check, and file names for exported reports.
 */
import type { FitReport, ParameterCheckJson, Severity, Verdict } from './report-types.ts';

export type HeadChoice = 'auto' | 'mean' | 'density';

/** Below this many training simulations "auto" picks the mean network. */
export const DENSITY_MIN_SIMS = 1000;

/**
 * "auto": a density network (the full posterior shape: skewed or correlated parameters) when the
 * budget allows, a mean network (mean and sd per parameter; steadier on small banks) otherwise.
 */
export function resolveHead(choice: HeadChoice, sims: number): 'mean' | 'density' {
  if (choice !== 'auto') return choice;
  return sims >= DENSITY_MIN_SIMS ? 'density' : 'mean';
}

export function headExplanation(choice: HeadChoice, sims: number): string {
  const head = resolveHead(choice, sims);
  const what = head === 'density'
    ? 'density network: the full posterior (skewed or correlated parameters, calibrated intervals)'
    : 'mean network: posterior mean and sd per parameter (fast, steady on small budgets)';
  return choice === 'auto' ? `Auto → ${what}. Auto picks the density network from ${DENSITY_MIN_SIMS.toLocaleString('en-US')} simulations.` : what[0].toUpperCase() + what.slice(1) + '.';
}

/** Steps of a fit job in order, with the label the UI shows. */
export const FIT_STEPS: { step: string; label: string }[] = [
  { step: 'bank', label: 'Simulate' },
  { step: 'train', label: 'Train' },
  { step: 'checks', label: 'Check' },
  { step: 'estimate', label: 'Estimate' },
];

/** Tracks the rate of one job's current step, so the ETA restarts when a new step begins. */
export interface StepClock {
  step: string;
  startedAt: number;
  startCurrent: number;
}

export function nextClock(clock: StepClock | undefined, step: string, current: number, now: number): StepClock {
  if (!clock || clock.step !== step || current < clock.startCurrent) return { step, startedAt: now, startCurrent: current };
  return clock;
}

/** Seconds left in the current step, from its own rate (NaN until there is a rate). */
export function stepEta(clock: StepClock, current: number, total: number, now: number): number {
  const done = current - clock.startCurrent;
  const elapsed = (now - clock.startedAt) / 1000;
  if (done <= 0 || elapsed < 0.3 || total <= current) return total <= current ? 0 : NaN;
  return (elapsed / done) * (total - current);
}

/** Typed arrays serialised by JSON.stringify become {"0": …}: back to a plain array. */
export function asArray(v: unknown): number[] {
  if (Array.isArray(v)) return v as number[];
  if (v && typeof v === 'object') {
    return Object.keys(v).sort((a, b) => Number(a) - Number(b)).map((k) => Number((v as Record<string, unknown>)[k]));
  }
  return [];
}

export interface Histogram {
  /** Bin edges (bins + 1). */
  edges: number[];
  counts: number[];
  /** counts / (n · width): comparable with a density. */
  density: number[];
}

export function histogram(values: readonly number[], bins = 30, range?: [number, number]): Histogram {
  const v = values.filter(Number.isFinite);
  let lo = range?.[0] ?? Math.min(...v);
  let hi = range?.[1] ?? Math.max(...v);
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  const w = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const x of v) {
    if (x < lo || x > hi) continue;
    counts[Math.min(bins - 1, Math.floor((x - lo) / w))]++;
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * w);
  const density = counts.map((c) => (v.length > 0 ? c / (v.length * w) : 0));
  return { edges, counts, density };
}

/** Step-shaped outline of a histogram (x, y) for a line chart: flat tops, vertical sides. */
export function histogramOutline(h: Histogram, use: 'density' | 'counts' = 'density'): { x: number[]; y: number[] } {
  const ys = use === 'density' ? h.density : h.counts;
  const x: number[] = [h.edges[0]];
  const y: number[] = [0];
  ys.forEach((c, i) => {
    x.push(h.edges[i], h.edges[i + 1]);
    y.push(c, c);
  });
  x.push(h.edges.at(-1)!);
  y.push(0);
  return { x, y };
}

/** Central range of samples (drops the outer `tail` on each side), for axis limits. */
export function sampleRange(values: readonly number[], tail = 0.005): [number, number] {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return [0, 1];
  const lo = s[Math.floor(tail * (s.length - 1))];
  const hi = s[Math.ceil((1 - tail) * (s.length - 1))];
  return hi > lo ? [lo, hi] : [lo - 0.5, hi + 0.5];
}

export interface CheckVerdicts {
  recovery: Verdict;
  coverage: Verdict;
  sbc: Verdict;
  identifiability: Verdict | null;
}

function worst(vs: readonly Verdict[]): Severity {
  return vs.some((v) => v.severity === 'problem') ? 'problem' : vs.some((v) => v.severity === 'warning') ? 'warning' : 'ok';
}

/** One plain-language line per check of a parameter (recovery, coverage, SBC, identifiability). */
export function checkVerdicts(p: ParameterCheckJson): CheckVerdicts {
  const find = (re: RegExp): Verdict | undefined => p.verdicts.find((v) => re.test(v.text));
  const recovery = find(/^recover/) ?? { severity: 'ok' as Severity, text: `R² ${p.r2.toFixed(2)}` };
  const cov = p.coverage ?? [];
  const sev = worst(cov.map((c) => c.verdict));
  const nominal = cov.map((c) => `${Math.round(c.level * 100)}%`).join('/');
  const actual = cov.map((c) => `${Math.round(c.rate * 100)}%`).join('/');
  const bad = cov.find((c) => c.verdict.severity !== 'ok');
  const coverage: Verdict = cov.length === 0
    ? { severity: 'warning', text: 'coverage could not be measured' }
    : sev === 'ok'
      ? { severity: 'ok', text: `intervals are honest: ${nominal} intervals hold the truth ${actual} of the time` }
      : { severity: sev, text: bad?.verdict.text ?? `coverage ${actual} for ${nominal}` };
  const sbcV = find(/SBC/);
  const sbc: Verdict = sbcV ?? (p.sbc
    ? { severity: p.sbc.pValue < 0.01 ? 'warning' : 'ok', text: p.sbc.pValue < 0.01 ? `SBC ranks are not uniform (p = ${p.sbc.pValue.toPrecision(2)})` : `SBC ranks look uniform (p = ${p.sbc.pValue.toPrecision(2)}): the posterior is calibrated` }
    : { severity: 'ok', text: 'no SBC for a mean network (no posterior samples)' });
  const identifiability = find(/identif/) ?? null;
  return { recovery, coverage, sbc, identifiability };
}

export function severityIcon(s: Severity): string {
  return s === 'ok' ? '✓' : s === 'warning' ? '!' : '✕';
}

/** "SIR: fit to b" → "SIR-fit-to-b-report" (safe on every file system). */
export function reportFileName(title: string, ext: 'html' | 'pdf'): string {
  const base = title.normalize('NFKD').replace(/[^\w\s.-]+/g, ' ').trim().replace(/\s+/g, '-').replace(/-+/g, '-').slice(0, 80) || 'sgnn';
  return `${base}-report.${ext}`;
}

/** The fit reports among finished jobs (newest first). */
export function reportsOf(jobs: readonly { jobId: number; kind: string; status: string; result: unknown }[], kind: FitReport['kind']): { jobId: number; report: FitReport }[] {
  const out: { jobId: number; report: FitReport }[] = [];
  for (const j of jobs) {
    const r = j.result as Partial<FitReport> | null;
    if (j.kind === 'fit' && j.status === 'succeeded' && r && r.kind === kind && Array.isArray(r.datasets)) out.push({ jobId: j.jobId, report: r as FitReport });
  }
  return out.sort((a, b) => b.jobId - a.jobId);
}

/** Nice label for a job kind. */
export function jobLabel(kind: string, spec?: { compare?: boolean }): string {
  if (kind === 'fit') return spec?.compare ? 'Compare' : 'Fit';
  return { bank: 'Simulate', train: 'Train', evaluate: 'Check', estimate: 'Estimate', report: 'Report' }[kind] ?? kind;
}
