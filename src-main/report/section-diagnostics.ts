/**
 * Mismatch and attribution: whether the real data look like the simulations the network learnt
 * from (if not, no check on simulations can vouch for the estimates), and what the estimates rest
 * on: the nearest simulated runs, the most influential data points and, with several mechanisms,
 * each one's share.
 */
import type { ReportContext } from './blocks.ts';
import { html, note, section, shareBar, table, verdictLine, severityOf, badge } from './blocks.ts';
import type { DatasetResult } from './fit-report.ts';
import { columnDecimals, escapeHtml, fmt, fmtCount, fmtFixed, fmtP, fmtPercent, isNum } from './format.ts';

/** A 0–100% strip with the 95th and 99th percentile marked and the dataset's position as a dot. */
function percentileStrip(p: number, severity: string): ReturnType<typeof html> {
  const x = isNum(p) ? Math.max(0, Math.min(1, p)) * 100 : NaN;
  const dot = isNum(x) ? `<span class="strip-dot sev-${severity}" style="left:${x.toFixed(1)}%"></span>` : '';
  return html(`<span class="strip" role="img" aria-label="${escapeHtml(`percentile ${fmtPercent(p)}`)}"><span class="strip-warn"></span><span class="strip-bad"></span>${dot}</span>`);
}

export function mismatchSection(ctx: ReportContext): string {
  const mm = ctx.report.mismatch;
  const datasets = ctx.report.datasets ?? [];
  const parts: string[] = [];
  if (mm) {
    parts.push(verdictLine(mm.verdict));
    const m = mm.mmd;
    parts.push(`<p class="stats">Kernel two-sample test (MMD) between the ${fmtCount(m.nReal)} real dataset${m.nReal === 1 ? '' : 's'} and ${fmtCount(m.nSimulated)} simulations in the network's embedding: MMD² = ${escapeHtml(fmt(m.mmd2))} (${escapeHtml(m.estimator)}), bandwidth ${escapeHtml(fmt(m.bandwidth))}, ${escapeHtml(m.pValue <= m.pFloor * (1 + 1e-12) ? `p ≤ ${fmt(m.pFloor, 2)}` : `p = ${fmtP(m.pValue)}`)} from ${fmtCount(m.permutations)} permutations.</p>`);
  }
  const rows = datasets.filter((d) => d.mismatch).map((d) => {
    const s = severityOf(d.mismatch!.verdict);
    return [
      html(`<q class="nowrap">${escapeHtml(d.id)}</q>`), fmt(d.mismatch!.distance), percentileStrip(d.mismatch!.percentile, s),
      fmtPercent(d.mismatch!.percentile), fmtP(d.mismatch!.pValue), html(`${badge(s)} ${escapeHtml(d.mismatch!.verdict?.text ?? '')}`),
    ];
  });
  if (rows.length > 0) {
    parts.push(table(['Dataset', 'Distance', 'Atypicality', 'Percentile', 'p', 'Verdict'], rows, {
      numeric: [1, 3, 4], cls: 'mismatch',
      caption: 'Per dataset: distance to the nearest simulations in embedding space, ranked among simulations themselves (the strip marks 95% and 99%)',
    }));
  }
  if (parts.length === 0) parts.push(note('No mismatch check in this report.'));
  return section('mismatch', 'Simulator–data mismatch', parts.join(''),
    'The network is only validated on simulations. If the real data look unlike any simulation, the checks above cannot vouch for the estimates.');
}

function nearestTable(ds: DatasetResult, compare: boolean): string {
  const near = ds.attribution?.nearest ?? [];
  if (near.length === 0) return '';
  const paramIds = [...new Set(near.flatMap((n) => Object.keys(n.params ?? {})))];
  const headers = ['Run', ...(compare ? ['Model'] : []), 'Distance', ...paramIds];
  const dDist = columnDecimals(near.map((n) => n.distance));
  const dParam = paramIds.map((p) => columnDecimals(near.map((n) => n.params?.[p])));
  const rows = near.map((n) => [
    `#${n.run}`, ...(compare ? [n.model] : []), fmtFixed(n.distance, dDist),
    ...paramIds.map((p, j) => fmtFixed(n.params?.[p], dParam[j])),
  ]);
  const numeric = [0, ...Array.from({ length: paramIds.length + 1 }, (_, i) => i + (compare ? 2 : 1))];
  return `<h4>Nearest simulated runs</h4>${table(headers, rows, { numeric, cls: 'nearest' })}`;
}

function salientTables(ds: DatasetResult): string {
  const sal = ds.attribution?.salient ?? {};
  const ids = Object.keys(sal).filter((k) => (sal[k]?.length ?? 0) > 0);
  if (ids.length === 0) return '';
  const blocks = ids.map((id) => {
    const rows = sal[id].slice(0, 6).map((p) => [fmt(p.time), p.observable, shareBar(p.share, fmtPercent(p.share)), p.saliency >= 0 ? '↑ raises' : '↓ lowers']);
    return `<div>${table(['Time', 'Observable', 'Share of influence', 'Effect'], rows, { numeric: [0], caption: `Estimate of ${id}`, cls: 'salient' })}</div>`;
  });
  return `<h4>Most influential data points</h4><div class="grid cols-2">${blocks.join('')}</div>`;
}

function mechanismTables(ds: DatasetResult): string {
  const mech = ds.attribution?.mechanisms ?? [];
  if (mech.length === 0) return '';
  const blocks = mech.map((m) => {
    const dec = columnDecimals(m.models.map((s) => s.mean));
    const rows = m.models.map((s) => [
      s.model, fmtPercent(s.probability), isNum(s.mean) ? fmtFixed(s.mean, dec) : 'not in model', shareBar(s.share, isNum(s.share) ? fmtPercent(s.share) : '—', '#ae3ec9'),
    ]);
    const caption = `${m.paramId} = ${fmt(m.estimate)} ± ${fmt(m.sd, 2)}; ${fmtPercent(m.betweenModelFraction)} of its variance is uncertainty about the mechanism`;
    return `<div>${table(['Model', 'Probability', 'Model’s mean', 'Share of estimate'], rows, { numeric: [1, 2], caption, cls: 'mechanisms' })}</div>`;
  });
  return `<h4>Mechanism shares</h4><div class="grid cols-2">${blocks.join('')}</div>`;
}

export function attributionSection(ctx: ReportContext): string {
  const datasets = ctx.report.datasets ?? [];
  const many = datasets.length > 1;
  const body = datasets.map((ds) => {
    const inner = nearestTable(ds, ctx.compare) + salientTables(ds) + mechanismTables(ds);
    if (!inner) return '';
    return (many ? `<h3 class="dataset">Dataset <q>${escapeHtml(ds.id)}</q></h3>` : '') + inner;
  }).join('');
  return section('attribution', 'Attribution', body || note('No attribution in this report.'),
    'What the estimates rest on: the simulations the data most resemble, the observations that move each estimate most (share of the summed gradient magnitude), and, with several mechanisms, how much each contributes.');
}
