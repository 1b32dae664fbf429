/**
 * The data against the fit: posterior-predictive bands over each observed series, and the
 * posterior of each parameter (histogram of samples with the prior overlaid) plus a pair plot.
 * Together they answer "does the fitted model reproduce the data?" and "what did the data teach?".
 */
import type { SalientPoint } from '../analyze/attribution.ts';
import type { ReportContext } from './blocks.ts';
import { figure, note, section } from './blocks.ts';
import type { DatasetResult, PredictiveBand } from './fit-report.ts';
import { decimalsFor, escapeHtml, fmtFixed, fmtInterval, fmtPercent, isNum } from './format.ts';
import { priorBounds, priorCurve } from './model-text.ts';
import { PALETTE, binCount, densityBins, histogram, lineChart, pairPlot } from './svg-charts.ts';

/** Linear interpolation of a band quantile at time t (the predictive grid may differ from the data's). */
function interp(times: readonly number[], values: readonly (number | null)[], t: number): number {
  let prev = -1;
  for (let i = 0; i < times.length; i++) {
    if (!isNum(values[i])) continue;
    if (times[i] === t) return values[i] as number;
    if (times[i] > t) {
      if (prev < 0) return NaN;
      const w = (t - times[prev]) / (times[i] - times[prev]);
      return (values[prev] as number) * (1 - w) + (values[i] as number) * w;
    }
    prev = i;
  }
  return NaN;
}

/** Observed points inside the band's 95% interval: a first, plain check of the predictive fit. */
export function bandCoverage(obsTimes: readonly number[], obs: readonly (number | null)[], band: PredictiveBand): { inside: number; n: number } {
  let inside = 0, n = 0;
  for (let i = 0; i < obsTimes.length; i++) {
    const y = obs[i];
    if (!isNum(y)) continue;
    const lo = interp(band.times, band.q025, obsTimes[i]), hi = interp(band.times, band.q975, obsTimes[i]);
    if (!isNum(lo) || !isNum(hi)) continue;
    n++;
    if (y >= lo && y <= hi) inside++;
  }
  return { inside, n };
}

/** The most influential data points over all parameters (top 3 of each), for rings on the data plots. */
function influential(ds: DatasetResult): SalientPoint[] {
  const seen = new Map<string, SalientPoint>();
  for (const pts of Object.values(ds.attribution?.salient ?? {})) {
    for (const p of pts.slice(0, 3)) seen.set(`${p.observable}@${p.timeIndex}`, p);
  }
  return [...seen.values()];
}

/** One figure per observable of the dataset (titled with the dataset when there are several). */
function predictiveFigures(ctx: ReportContext, ds: DatasetResult, many: boolean): string[] {
  const observables = Object.keys(ds.predictive ?? {});
  const rings = influential(ds);
  const tUnit = ctx.report.models?.[0]?.model.timeUnits;
  return observables.map((obs) => {
    const band = ds.predictive[obs];
    const obsTimes = ds.observed?.times ?? [];
    const obsValues = ds.observed?.values?.[obs] ?? [];
    const ring = rings.filter((p) => p.observable === obs);
    const cov = bandCoverage(obsTimes, obsValues, band);
    const svg = lineChart({
      title: `${obs}: posterior predictive, dataset ${ds.id}`,
      desc: `Observed ${obs} (points) with the posterior-predictive median (line) and 50% and 95% bands over time. ${cov.inside} of ${cov.n} observed points lie inside the 95% band.`,
      width: 490, height: 270,
      xLabel: tUnit ? `time (${tUnit})` : 'time', yLabel: obs, yZero: true,
      bands: [
        { label: '95% band', xs: band.times, lo: band.q025, hi: band.q975, color: PALETTE[0], opacity: 0.14 },
        { label: '50% band', xs: band.times, lo: band.q25, hi: band.q75, color: PALETTE[0], opacity: 0.3 },
      ],
      lines: [{ label: 'median', xs: band.times, ys: band.q50, color: PALETTE[0], width: 1.8 }],
      points: [
        { label: 'observed', xs: obsTimes, ys: obsValues, radius: 3 },
        ...(ring.length > 0 ? [{ label: 'influential', xs: ring.map((p) => p.time), ys: ring.map((p) => obsValues[p.timeIndex] ?? null), color: PALETTE[1], radius: 5.5, ring: true }] : []),
      ],
    });
    const share = cov.n > 0 ? cov.inside / cov.n : NaN;
    const covText = cov.n > 0
      ? `${cov.inside} of ${cov.n} observed points (${fmtPercent(share)}) lie inside the 95% band; about 95% is expected when the model fits.`
      : 'No observed points to compare.';
    return figure(svg, covText, '', many ? `${ds.id} · ${obs}` : obs);
  });
}

function posteriorCharts(ctx: ReportContext, ds: DatasetResult): string {
  const ids = Object.keys(ds.samples ?? {}).filter((id) => (ds.samples[id]?.length ?? 0) > 0);
  if (ids.length === 0) return note('No posterior samples in this report.');
  const figs = ids.map((id) => {
    const xs = ds.samples[id].filter(isNum);
    const est = ds.estimates?.[id] ?? ds.derived?.[id];
    // The axis covers the bulk of the posterior (0.2%–99.8%): a wide prior or one stray sample
    // would otherwise flatten the histogram. It never extends past the prior's support.
    const sorted = [...xs].sort((a, b) => a - b);
    let lo = sorted[Math.floor(0.002 * (sorted.length - 1))], hi = sorted[Math.ceil(0.998 * (sorted.length - 1))];
    const pad = (hi - lo) * 0.08 || Math.abs(lo) * 0.1 || 1;
    lo -= pad; hi += pad;
    const prior = ctx.priors.get(id);
    const bounds = prior ? priorBounds(prior) : null;
    if (bounds) { lo = Math.max(lo, bounds[0]); hi = Math.min(hi, bounds[1]); }
    const curve = prior ? priorCurve(prior, 100, [lo, hi]) : null;
    const d = decimalsFor(est?.sd);
    const refs = est ? [
      { x: est.q025, color: '#868e96', dash: '2 3' },
      { x: est.q975, color: '#868e96', dash: '2 3' },
      { x: est.mean, color: '#1b2230', dash: '4 2', label: `mean ${fmtFixed(est.mean, d)}` },
    ] : [];
    const derived = !ds.estimates?.[id] && !!ds.derived?.[id];
    const svg = histogram({
      title: `Posterior of ${id}, dataset ${ds.id}`,
      desc: `Histogram of ${xs.length} posterior samples of ${id}${curve && curve.xs.length ? ' with the prior density overlaid' : ''}; dashed lines mark the posterior mean and 95% interval.`,
      width: 250, height: 195,
      bins: densityBins(xs, lo, hi, binCount(xs.length)),
      xLabel: id, barLabel: 'posterior',
      overlay: curve && curve.xs.length ? { xs: curve.xs, ys: curve.ys, label: 'prior', color: PALETTE[1] } : undefined,
      refs, yTicks: false,
    });
    const cap = est
      ? `${id}${derived ? ' (derived)' : ''}: mean ${fmtFixed(est.mean, d)}, 95% ${fmtInterval(est.q025, est.q975, d)}`
      : `${id}.`;
    return figure(svg, cap);
  });
  const pairIds = ids.filter((id) => ds.estimates?.[id]).slice(0, 4);
  if (pairIds.length < 2) return `<div class="grid cols-4">${figs.join('')}</div>`;
  const pair = figure(pairPlot({
    title: `Pair plot of ${pairIds.join(', ')}, dataset ${ds.id}`,
    desc: 'Joint posterior samples: scatter below the diagonal, marginal histograms on it, correlation coefficients above it.',
    ids: pairIds, samples: ds.samples,
  }), `Joint posterior${ids.filter((id) => ds.estimates?.[id]).length > 4 ? ' (first 4 parameters)' : ''}: a tilted cloud means the data pin down a combination of parameters better than each alone; ρ is the correlation.`);
  return `<div class="posterior-layout"><div class="grid cols-2">${figs.join('')}</div><div class="pair-wrap">${pair}</div></div>`;
}

function datasetHeading(ds: DatasetResult, many: boolean): string {
  return many ? `<h3 class="dataset">Dataset <q>${escapeHtml(ds.id)}</q></h3>` : '';
}

function skippedNote(ctx: ReportContext): string {
  const n = ctx.report.datasets?.length ?? 0;
  return ctx.plotted.length < n ? note(`Plots for the first ${ctx.plotted.length} of ${n} datasets; the tables cover all of them.`) : '';
}

export function predictiveSection(ctx: ReportContext): string {
  const many = (ctx.report.datasets?.length ?? 0) > 1;
  // One grid over datasets × observables: a single observable per dataset still fills the rows.
  const figs = ctx.plotted.flatMap((ds) => predictiveFigures(ctx, ds, many));
  const body = (figs.length ? `<div class="grid cols-2">${figs.join('')}</div>` : ctx.plotted.length ? note('No posterior-predictive bands in this report.') : '') + skippedNote(ctx);
  return section('data', 'Data and posterior predictive', body || note('No datasets in this report.'),
    'Simulations from the fitted posterior, with observation noise, against the observed data. Points far outside the bands show where the model cannot reproduce the data. Rings mark the points that move the estimates most.');
}

export function posteriorSection(ctx: ReportContext): string {
  const many = (ctx.report.datasets?.length ?? 0) > 1;
  const body = ctx.plotted.map((ds) => datasetHeading(ds, many) + posteriorCharts(ctx, ds)).join('') + skippedNote(ctx);
  return section('posterior', 'Posterior distributions', body || note('No datasets in this report.'),
    'Posterior samples per parameter (bars) against the prior (line). A posterior much narrower than the prior means the data were informative; one that looks like the prior means they were not.');
}
