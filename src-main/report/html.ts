/**
 * The fit/comparison report as one self-contained HTML file: inline CSS, charts as inline SVG, no
 * script and no external reference, so it opens offline, can be mailed or archived as a single
 * file, and prints to PDF as it shows (`sgnn fit --report FILE.html`, and the app's export).
 *
 * Pure string building: no Node or DOM API, so the CLI (main process) and the renderer can both
 * call it. Everything that comes from the user or the data (model and dataset names, ids,
 * descriptions, verdict texts) is escaped.
 */
import type { Prior } from '../model/schema.ts';
import { worstSeverity } from '../analyze/stats.ts';
import type { Severity } from '../analyze/stats.ts';
import type { ReportContext } from './blocks.ts';
import { html, keys, note, severityOf, shareBar, table, verdictLine } from './blocks.ts';
import type { DatasetResult, FitReport } from './fit-report.ts';
import { RANGE_DASH, columnDecimals, decimalsFor, escapeHtml, fmt, fmtCount, fmtDate, fmtDuration, fmtFixed, fmtInterval, fmtPercent, isNum } from './format.ts';
import { priorSummary } from './model-text.ts';
import { checksSection, selectionSection } from './section-checks.ts';
import { posteriorSection, predictiveSection } from './section-data.ts';
import { attributionSection, mismatchSection } from './section-diagnostics.ts';
import { modelSection } from './section-model.ts';
import { REPORT_CSS } from './styles.ts';

export interface ReportOptions {
  /** Datasets that get plots (the rest get table rows only); default 6, which keeps the file a few MB at most. */
  maxPlottedDatasets?: number;
}

/** A file name for the report from its title: "SIR fit" → "sir-fit-report.html". */
export function reportFileName(report: Pick<FitReport, 'title'>, extension: 'html' | 'pdf' = 'html'): string {
  const base = (report.title ?? '').toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return `${base || 'sgnn'}-report.${extension}`;
}

function buildContext(report: FitReport, options: ReportOptions): ReportContext {
  const priors = new Map<string, Prior>();
  const paramModels = new Map<string, string[]>();
  for (const { name, model } of report.models ?? []) {
    for (const p of model.parameters ?? []) {
      if (!p.prior) continue;
      if (!priors.has(p.id)) priors.set(p.id, p.prior);
      paramModels.set(p.id, [...(paramModels.get(p.id) ?? []), name]);
    }
  }
  const datasets = report.datasets ?? [];
  return { report, priors, paramModels, plotted: datasets.slice(0, Math.max(0, options.maxPlottedDatasets ?? 6)), compare: report.kind === 'compare' };
}

const STATUS: Record<Severity, { icon: string; text: string }> = {
  ok: { icon: '✓', text: 'No problems found: the checks support the estimates below.' },
  warning: { icon: '!', text: 'Usable, with caveats: read the warnings before relying on the estimates.' },
  problem: { icon: '✕', text: 'Problems found: do not trust the estimates as they stand.' },
};

function header(r: FitReport): string {
  const models = (r.models ?? []).map((m) => m.name);
  const kind = r.kind === 'compare' ? 'Mechanism comparison' : 'Fit report';
  const subtitle = r.kind === 'compare'
    ? `${models.length} candidate mechanisms: ${models.join(', ')}`
    : `Model ${models[0] ?? '—'}, ${fmtCount(r.datasets?.length ?? 0)} dataset${r.datasets?.length === 1 ? '' : 's'}`;
  const meta: [string, string][] = [
    ['Created', fmtDate(r.createdAt)],
    ['SGNN Studio', r.appVersion ? `v${r.appVersion.replace(/^v/, '')}` : '—'],
    ['Backend', r.backend || '—'],
    ['Seed', isNum(r.settings?.seed) ? String(r.settings.seed) : '—'],
  ];
  const metaHtml = meta.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('');
  return `<header class="report-header"><div><div class="kicker">SGNN Studio · ${escapeHtml(kind)}</div><h1>${escapeHtml(r.title || kind)}</h1><p class="subtitle">${escapeHtml(subtitle)}</p></div><dl class="meta">${metaHtml}</dl></header>`;
}

function toc(ctx: ReportContext): string {
  const items: [string, string][] = [['summary', 'Summary'], ['model', ctx.compare ? 'Models' : 'Model'], ['data', 'Data and predictive'], ['posterior', 'Posteriors'], ['checks', 'Checks']];
  if (ctx.report.checks?.confusion) items.push(['selection', 'Mechanism selection']);
  items.push(['mismatch', 'Mismatch'], ['attribution', 'Attribution'], ['reproduce', 'Reproducibility']);
  return `<nav class="toc" aria-label="Contents"><ol>${items.map(([id, t]) => `<li><a href="#${id}">${escapeHtml(t)}</a></li>`).join('')}</ol></nav>`;
}

function estimatesTable(ctx: ReportContext, ds: DatasetResult): string {
  const rows: (string | ReturnType<typeof html>)[][] = [];
  const entries = [
    ...Object.entries(ds.estimates ?? {}).map(([id, s]) => ({ id, s, derived: false })),
    ...Object.entries(ds.derived ?? {}).filter(([id]) => !ds.estimates?.[id]).map(([id, s]) => ({ id, s, derived: true })),
  ];
  for (const { id, s, derived } of entries) {
    const d = decimalsFor(s.sd);
    const prior = ctx.priors.get(id);
    const ps = prior ? priorSummary(prior) : null;
    const models = ctx.compare ? ctx.paramModels.get(id) : undefined;
    const label = `<code>${escapeHtml(id)}</code>${derived ? ' <span class="units">derived</span>' : ''}${models && models.length < (ctx.report.models?.length ?? 0) ? ` <span class="units">(${escapeHtml(models.join(', '))})</span>` : ''}`;
    rows.push([
      html(label), fmtFixed(s.mean, d), fmtFixed(s.sd, d), fmtFixed(s.q50, d), fmtInterval(s.q025, s.q975, d),
      ps ? `${fmt(ps.q025)}${RANGE_DASH}${fmt(ps.q975)}` : derived ? '' : '—',
    ]);
  }
  if (rows.length === 0) return note('No estimates.');
  const nEst = Object.keys(ds.estimates ?? {}).length;
  return table(['Parameter', 'Mean', 'SD', 'Median', '95% interval', 'Prior 95%'], rows, {
    numeric: [1, 2, 3, 4, 5], cls: 'estimates', rowClass: (i) => (i >= nEst ? 'derived' : ''),
    caption: ctx.compare ? 'Posterior estimates (with several mechanisms: averaged over them by their probabilities)' : undefined,
  });
}

/** Many datasets: one row per dataset, one column per parameter (mean and 95% interval). */
function estimatesMatrix(datasets: DatasetResult[]): string {
  const ids = [...new Set(datasets.flatMap((d) => keys(d.estimates)))];
  const rows = datasets.map((d) => [
    html(`<q>${escapeHtml(d.id)}</q>`),
    ...ids.map((id) => {
      const s = d.estimates?.[id];
      if (!s) return '—';
      const dec = decimalsFor(s.sd);
      return html(`${escapeHtml(fmtFixed(s.mean, dec))} <span class="units">[${escapeHtml(fmtInterval(s.q025, s.q975, dec))}]</span>`);
    }),
  ]);
  return table(['Dataset', ...ids.map((id) => html(`<code>${escapeHtml(id)}</code>`))], rows, {
    numeric: ids.map((_, i) => i + 1), caption: 'Posterior mean [95% interval] per dataset',
  });
}

function comparisonTable(ctx: ReportContext, ds: DatasetResult): string {
  const c = ds.comparison;
  if (!c) return '';
  const models = (ctx.report.models ?? []).map((m) => m.name);
  const names = models.length ? models : Object.keys(c.sgnn?.probabilities ?? {});
  const minOf = (o: Record<string, number>): number => Math.min(...Object.values(o ?? {}).filter(isNum));
  const aicMin = minOf(c.aic?.values), bicMin = minOf(c.bic?.values);
  const mark = (chosen: boolean): string => (chosen ? ' <span class="tick-mark" title="chosen">✓</span>' : '');
  const rows = names.map((m) => [
    html(`<span class="${m === c.sgnn?.choice ? 'chosen' : ''}">${escapeHtml(m)}</span>`),
    html(`${shareBar(c.sgnn?.probabilities?.[m] ?? NaN, fmtPercent(c.sgnn?.probabilities?.[m])).html}${mark(m === c.sgnn?.choice)}`),
    html(`${escapeHtml(fmtFixed(c.aic?.values?.[m] - aicMin, 1))}${mark(m === c.aic?.choice)}`),
    fmtPercent(c.aic?.weights?.[m]),
    html(`${escapeHtml(fmtFixed(c.bic?.values?.[m] - bicMin, 1))}${mark(m === c.bic?.choice)}`),
    fmtPercent(c.bic?.weights?.[m]),
    c.ml?.[m] ? fmtFixed(c.ml[m].logLik, 2) : '—',
  ]);
  const agree = c.sgnn?.choice === c.aic?.choice && c.aic?.choice === c.bic?.choice;
  const line = agree
    ? `All three methods choose <span class="chosen">${escapeHtml(c.sgnn.choice)}</span> (SGNN probability ${escapeHtml(fmtPercent(c.sgnn.probabilities?.[c.sgnn.choice]))}).`
    : `SGNN chooses <span class="chosen">${escapeHtml(c.sgnn?.choice ?? '—')}</span> (probability ${escapeHtml(fmtPercent(c.sgnn?.probabilities?.[c.sgnn?.choice]))}); AIC chooses <span class="chosen">${escapeHtml(c.aic?.choice ?? '—')}</span>; BIC chooses <span class="chosen">${escapeHtml(c.bic?.choice ?? '—')}</span>.`;
  return `<p class="choice-line">${line}</p>` + table(
    ['Mechanism', 'SGNN probability', 'ΔAIC', 'AIC weight', 'ΔBIC', 'BIC weight', 'Max log-lik.'],
    rows, { numeric: [2, 3, 4, 5, 6], cls: 'comparison', caption: 'Mechanism probabilities from the network beside the information criteria (Δ: difference to the best; lower is better)' },
  );
}

function mlTable(ds: DatasetResult): string {
  const ml = ds.comparison?.ml;
  if (!ml || Object.keys(ml).length === 0) return '';
  const ids = [...new Set(Object.values(ml).flatMap((m) => Object.keys(m.theta ?? {})))];
  const dec = ids.map((id) => columnDecimals(Object.values(ml).map((m) => m.theta?.[id])));
  const rows = Object.entries(ml).map(([name, m]) => [
    name, ...ids.map((id, j) => (m.theta?.[id] !== undefined ? fmtFixed(m.theta[id], dec[j]) : '')), m.converged ? 'yes' : 'no',
  ]);
  return table(['Mechanism', ...ids.map((id) => html(`<code>${escapeHtml(id)}</code>`)), 'Converged'], rows, {
    numeric: ids.map((_, i) => i + 1), caption: 'Maximum-likelihood estimates (used by AIC and BIC)', cls: 'ml',
  });
}

function summary(ctx: ReportContext): string {
  const r = ctx.report;
  const verdicts = r.verdicts ?? [];
  const sev = worstSeverity(verdicts.map((v) => ({ severity: severityOf(v), text: v.text })));
  const parts: string[] = [];
  parts.push(`<div class="status sev-${sev}" role="status"><span class="status-icon" aria-hidden="true">${STATUS[sev].icon}</span><span>${escapeHtml(STATUS[sev].text)}</span></div>`);
  if (verdicts.length > 0) parts.push(`<ul class="verdicts">${verdicts.map((v) => verdictLine(v, 'li')).join('')}</ul>`);
  const datasets = r.datasets ?? [];
  const many = datasets.length > 1;
  if (datasets.length > 4 && !ctx.compare) {
    parts.push('<h3>Estimates</h3>', estimatesMatrix(datasets));
  } else {
    for (const ds of datasets) {
      parts.push(`<h3>${many || ctx.compare ? `Dataset <q>${escapeHtml(ds.id)}</q>` : `Estimates for <q>${escapeHtml(ds.id)}</q>`}</h3>`);
      if (ds.mismatch) parts.push(verdictLine({ severity: severityOf(ds.mismatch.verdict), text: `Data vs simulations: ${ds.mismatch.verdict?.text ?? ''}` }));
      if (ctx.compare) parts.push(comparisonTable(ctx, ds));
      parts.push(estimatesTable(ctx, ds));
      if (ctx.compare) parts.push(mlTable(ds));
    }
  }
  return `<section id="summary" class="summary"><h2>Summary</h2>${parts.join('')}</section>`;
}

function reproduce(r: FitReport): string {
  const s = r.settings;
  const d = r.design;
  const times = d?.times ?? [];
  const settings: [string, string][] = s ? [
    ['Seed', String(s.seed)],
    ['Training simulations', fmtCount(s.sims)],
    ['Held-out simulations', fmtCount(s.heldOut)],
    ['Network head', s.head],
    ['Encoder', s.encoder],
    ['Width', fmtCount(s.width)],
    ['Epochs (maximum)', fmtCount(s.epochs)],
  ] : [];
  if (d) {
    settings.push(
      ['Observables', (d.observables ?? []).join(', ') || '—'],
      ['Design', times.length ? `${times.length} times from ${fmt(times[0])} to ${fmt(times[times.length - 1])} (simulations start at t = ${fmt(d.tStart)})` : '—'],
    );
  }
  settings.push(['Backend', `${r.backend}${r.backendDescription ? ` — ${r.backendDescription}` : ''}`], ['SGNN Studio version', r.appVersion || '—']);
  const kv = `<dl class="kv">${settings.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
  const timings = Object.entries(r.timings ?? {}).filter(([, v]) => isNum(v));
  const total = timings.reduce((a, [, v]) => a + v, 0);
  const tRows = timings.map(([k, v]) => [k, fmtDuration(v), shareBar(total > 0 ? v / total : 0, fmtPercent(total > 0 ? v / total : NaN), '#1098ad')]);
  if (timings.length) tRows.push([html('<strong>total</strong>'), html(`<strong>${escapeHtml(fmtDuration(total))}</strong>`), '']);
  const tTable = timings.length ? table(['Step', 'Time', 'Share'], tRows, { numeric: [1], caption: 'Time per step' }) : '';
  return `<section id="reproduce"><h2>Reproducibility</h2><p class="lead">The same model file, data, settings and seed give the same simulations and, on the same backend, the same network.</p><div class="grid cols-2"><div>${kv}</div><div>${tTable}</div></div></section>`;
}

/** The whole report as one HTML document (UTF-8, no external references). */
export function renderReportHtml(report: FitReport, options: ReportOptions = {}): string {
  const ctx = buildContext(report, options);
  const title = report.title || (report.kind === 'compare' ? 'Mechanism comparison' : 'Fit report');
  const body = [
    header(report),
    toc(ctx),
    summary(ctx),
    modelSection(ctx),
    predictiveSection(ctx),
    posteriorSection(ctx),
    checksSection(ctx),
    selectionSection(ctx),
    mismatchSection(ctx),
    attributionSection(ctx),
    reproduce(report),
    `<footer>Generated by SGNN Studio${report.appVersion ? ` v${escapeHtml(report.appVersion.replace(/^v/, ''))}` : ''} on ${escapeHtml(fmtDate(report.createdAt))}. Self-contained: this file needs no network.</footer>`,
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="SGNN Studio ${escapeHtml(report.appVersion ?? '')}">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main class="page">
${body}
</main>
</body>
</html>
`;
}
