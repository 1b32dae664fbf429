/**
 * The checks on held-out simulations (runs with known parameters the network never trained on):
 * recovery, coverage and calibration per parameter, the scaling curve, training curves and, for a
 * comparison, the confusion matrices of the SGNN against AIC and BIC. These say whether the
 * estimates of the real data deserve trust; each comes with its plain-language verdict.
 */
import type { ConfusionMatrix } from '../analyze/confusion.ts';
import type { CoverageResult } from '../analyze/metrics.ts';
import type { ReportContext } from './blocks.ts';
import { badge, figure, html, note, section, severityOf, table, verdictLine } from './blocks.ts';
import type { ParameterCheckJson } from './fit-report.ts';
import { escapeHtml, fmt, fmtCount, fmtDuration, fmtFixed, fmtP, fmtPercent, isNum, toNumbers } from './format.ts';
import { PALETTE, finiteExtent, heatmapTable, histogram, lineChart, scatterChart } from './svg-charts.ts';

/** Quantiles of Binomial(n, p) at the given levels (exact, summing the pmf in logs so large n does not underflow). */
export function binomialQuantiles(n: number, p: number, levels: readonly number[]): number[] {
  if (!(n > 0) || !(p > 0)) return levels.map(() => 0);
  if (p >= 1) return levels.map(() => n);
  const lp = Math.log(p), lq = Math.log1p(-p);
  let logPmf = n * lq, cdf = 0;
  const out = new Array<number>(levels.length).fill(n);
  const done = new Array<boolean>(levels.length).fill(false);
  for (let k = 0; k <= n; k++) {
    cdf += Math.exp(logPmf);
    levels.forEach((q, i) => { if (!done[i] && cdf >= q - 1e-12) { out[i] = k; done[i] = true; } });
    if (done.every(Boolean)) break;
    logPmf += Math.log((n - k) / (k + 1)) + lp - lq;
  }
  return out;
}

function coverageCell(c: CoverageResult | undefined): string | ReturnType<typeof html> {
  if (!c) return '—';
  const s = severityOf(c.verdict);
  return html(`<span class="cov sev-${s}" title="${escapeHtml(c.verdict?.text ?? '')}">${escapeHtml(fmtPercent(c.rate))}</span>`);
}

function checksTable(checks: ParameterCheckJson[]): string {
  const levels = [0.5, 0.8, 0.95];
  const rows = checks.map((c) => {
    const cov = levels.map((l) => c.coverage?.find((x) => Math.abs(x.level - l) < 1e-9));
    const s = severityOf({ severity: c.severity });
    return [
      html(`<code>${escapeHtml(c.paramId)}</code>`),
      fmtFixed(c.r2, 2), fmtFixed(c.nrmse, 2), fmtFixed(c.contraction, 2),
      ...cov.map(coverageCell),
      c.sbc ? fmtP(c.sbc.pValue) : '—',
      html(`${badge(s)} <span class="summary-text">${escapeHtml(c.summary ?? '')}</span>`),
    ];
  });
  return table(
    ['Parameter', 'R²', 'NRMSE', 'Contraction', 'Cover 50%', 'Cover 80%', 'Cover 95%', 'SBC p', 'Verdict'],
    rows,
    { numeric: [1, 2, 3, 4, 5, 6, 7], cls: 'checks' },
  );
}

function findings(checks: ParameterCheckJson[]): string {
  const items = checks.map((c) => {
    const vs = (c.verdicts ?? []).map((v) => verdictLine(v, 'li')).join('');
    return `<div class="finding"><h4><code>${escapeHtml(c.paramId)}</code></h4><ul class="verdicts compact">${vs}</ul></div>`;
  });
  return `<div class="findings">${items.join('')}</div>`;
}

function recoveryFigures(ctx: ReportContext): string {
  const rec = ctx.report.checks?.recovery ?? [];
  const byId = new Map((ctx.report.checks?.parameters ?? []).map((c) => [c.paramId, c]));
  const figs = rec.map((r) => {
    const pts = r.truth.map((t, i) => ({ x: t, y: r.mean[i], lo: r.lower?.[i], hi: r.upper?.[i] }));
    const c = byId.get(r.paramId);
    // Log axes for positive parameters spread over orders of magnitude (a lognormal rate): on
    // linear axes a few large draws squash most runs into a corner.
    const prior = ctx.priors.get(r.paramId);
    const positive = pts.every((p) => !isNum(p.x) || !isNum(p.y) || (p.x > 0 && p.y > 0));
    const [lo, hi] = finiteExtent(r.truth);
    const log = positive && lo > 0 && (prior?.dist === 'lognormal' || prior?.dist === 'loguniform' || hi / lo > 30);
    const svg = scatterChart({
      title: `Recovery of ${r.paramId}`,
      desc: `Posterior mean (points) and 95% interval (bars) against the true value for ${pts.length} held-out simulations; the dashed line is perfect recovery.`,
      points: pts, xLabel: `true ${r.paramId}${log ? ' (log scale)' : ''}`, yLabel: `estimated ${r.paramId}`, identity: true, log,
      width: 310, height: 300,
    });
    const cap = c ? `${r.paramId}: R² ${fmt(c.r2, 2)}, NRMSE ${fmt(c.nrmse, 2)}, 95% coverage ${fmtPercent(c.coverage?.find((x) => Math.abs(x.level - 0.95) < 1e-9)?.rate)}.` : `${r.paramId}.`;
    return figure(svg, cap, c ? verdictLine({ severity: c.severity, text: c.summary }, 'div') : '');
  });
  return figs.length ? `<h3>Parameter recovery</h3>${note('Each point is one held-out simulation: on the dashed line the estimate equals the truth. Bars are 95% posterior intervals; about 95% of them should cross the line.')}<div class="grid cols-3">${figs.join('')}</div>` : '';
}

function sbcFigures(checks: ParameterCheckJson[]): string {
  const figs = checks.filter((c) => c.sbc).map((c) => {
    const sbc = c.sbc!;
    const hist = toNumbers(sbc.histogram);
    const expected = toNumbers(sbc.expected);
    const n = isNum(sbc.n) ? sbc.n : hist.reduce((a, b) => a + b, 0);
    const band = expected.map((e) => binomialQuantiles(n, n > 0 ? e / n : 0, [0.005, 0.995]));
    const B = hist.length;
    const bins = hist.map((v, b) => ({ x0: b / B, x1: (b + 1) / B, value: v }));
    const svg = histogram({
      title: `SBC rank histogram of ${c.paramId}`,
      desc: `Normalised ranks of the true ${c.paramId} among its posterior samples over ${n} held-out simulations, in ${B} bins, with the 99% range of counts expected if the posterior is calibrated.`,
      width: 320, height: 200, bins, xLabel: 'rank of the truth (normalised)', yLabel: 'runs',
      band: { lo: band.map((b) => b[0]), hi: band.map((b) => b[1]), label: '99% if calibrated' },
      expected: { values: expected, label: 'expected' },
      barLabel: 'ranks', color: PALETTE[4],
    });
    const sbcVerdict = (c.verdicts ?? []).find((v) => /SBC/.test(v.text));
    return figure(svg, `${c.paramId}: χ² = ${fmt(sbc.chiSquare)} on ${sbc.df} df, ${fmtP(sbc.pValue) === '< 0.001' ? 'p < 0.001' : `p = ${fmtP(sbc.pValue)}`}.`, sbcVerdict ? verdictLine(sbcVerdict, 'div') : '');
  });
  return figs.length ? `<h3>Simulation-based calibration</h3>${note('If the posterior is calibrated, the rank of the true value among posterior samples is uniform: bars should stay within the grey band. A U shape means overconfident, a hump underconfident, a slope biased.')}<div class="grid cols-3">${figs.join('')}</div>` : '';
}

function scalingFigure(ctx: ReportContext): string {
  const sc = ctx.report.checks?.scaling;
  if (!sc) return '';
  const pts = sc.points ?? [];
  const { a, b, c } = sc.fit;
  const ns = pts.map((p) => p.nTrain).filter((n) => n > 0);
  const parts: string[] = ['<h3>Error against the simulation budget</h3>'];
  // Stacked (not side by side): the section shares a row with the training curves.
  if (ns.length > 0) {
    const nMin = Math.min(...ns), nMax = Math.max(...ns);
    const fitted = isNum(a) && isNum(b) && isNum(c);
    const f = (n: number): number => a * Math.pow(n, -b) + c;
    const grid = (from: number, to: number, k: number): number[] => Array.from({ length: k }, (_, i) => from * Math.pow(to / from, i / (k - 1)));
    const inRange = grid(nMin, nMax, 40), beyond = grid(nMax, 10 * nMax, 20);
    const metric = sc.metric || 'error';
    const svg = lineChart({
      title: `Scaling curve: ${metric} against training simulations`,
      desc: `Held-out ${metric} (points) at ${pts.length} training budgets on log–log axes${fitted ? `, with the fitted curve ${fmt(a)}·n^(−${fmt(b)}) + ${fmt(c)} and its extrapolation to 10× the largest budget` : ''}.`,
      width: 480, height: 280, xLog: true, yLog: true, grid: 'both',
      xLabel: 'training simulations n', yLabel: metric,
      lines: fitted ? [
        { label: `fit ${fmt(a, 2)}·n^−${fmt(b, 2)} + ${fmt(c, 2)}`, xs: inRange, ys: inRange.map(f), color: PALETTE[0] },
        { label: 'extrapolated', xs: beyond, ys: beyond.map(f), color: PALETTE[0], dash: true },
      ] : [],
      points: [{ label: 'held-out error', xs: pts.map((p) => p.nTrain), ys: pts.map((p) => p.error), color: '#1b2230', radius: 3.2 }],
      refs: fitted && c > 0 ? [{ y: c, label: `floor c = ${fmt(c, 2)}`, color: '#868e96' }] : [],
    });
    const stats = fitted
      ? `Predicted ${metric}: ${fmt(sc.fit.atLargest)} at n = ${fmtCount(nMax)}, ${fmt(sc.fit.atDouble)} at 2×, ${fmt(sc.fit.atTenfold)} at 10×; ${fmtPercent(sc.fit.reducible)} of the current error is still reducible.`
      : 'Too few budgets for a fit.';
    parts.push(figure(svg, `${stats} The curve a·n^(−b) + c separates what more simulations would remove (a·n^(−b)) from the floor c set by the information in the data or the network.`, verdictLine(sc.fit.verdict, 'div')));
  } else {
    parts.push(verdictLine(sc.fit.verdict));
  }
  return parts.join('');
}

function trainingFigure(ctx: ReportContext): string {
  const tr = ctx.report.training;
  const hist = tr?.history ?? [];
  if (hist.length === 0) return '';
  const epochs = hist.map((h) => h.epoch);
  let best = -1;
  hist.forEach((h, i) => { if (isNum(h.valLoss) && (best < 0 || h.valLoss < hist[best].valLoss)) best = i; });
  const svg = lineChart({
    title: 'Training and validation loss',
    desc: `Loss per epoch on the training simulations and on the validation simulations over ${hist.length} epochs${best >= 0 ? `; the best validation loss was at epoch ${hist[best].epoch}` : ''}.`,
    width: 480, height: 280, xLabel: 'epoch', yLabel: 'loss',
    lines: [
      { label: 'training', xs: epochs, ys: hist.map((h) => h.trainLoss), color: PALETTE[0] },
      { label: 'validation', xs: epochs, ys: hist.map((h) => h.valLoss), color: PALETTE[1] },
    ],
    refs: best >= 0 ? [{ x: hist[best].epoch, label: `best (epoch ${hist[best].epoch})`, color: '#5a6475' }] : [],
  });
  const last = hist[hist.length - 1];
  const gap = isNum(last.valLoss) && isNum(last.trainLoss) ? last.valLoss - last.trainLoss : NaN;
  const facts = [
    `${fmtCount(tr.nTrain)} training simulations, ${hist.length} epochs in ${fmtDuration(tr.seconds)}`,
    tr.stoppedEarly ? 'stopped early when the validation loss stopped improving' : 'ran all epochs',
    best >= 0 ? `best validation loss ${fmt(hist[best].valLoss)} at epoch ${hist[best].epoch} (these weights are used)` : '',
    isNum(gap) ? `final gap validation − training ${fmt(gap, 2)}` : '',
  ].filter(Boolean);
  return `<h3>Training</h3>${figure(svg, 'Loss on training and validation simulations per epoch. A validation curve rising while training falls would mean overfitting.')}<ul class="facts">${facts.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>`;
}

export function checksSection(ctx: ReportContext): string {
  const checks = ctx.report.checks?.parameters ?? [];
  const parts: string[] = [];
  if (checks.length > 0) {
    parts.push(checksTable(checks));
    parts.push(note('R²: share of the variation in the true values the estimates explain (1 = perfect). NRMSE: error as a fraction of the prior sd (1 = no better than the prior mean). Contraction: how much narrower the posterior is than the prior (0 = nothing learnt, 1 = pinned down). Coverage: how often the central 50/80/95% intervals contain the truth.'));
    parts.push(findings(checks));
  }
  parts.push(recoveryFigures(ctx), sbcFigures(checks));
  const scaling = scalingFigure(ctx), training = trainingFigure(ctx);
  if (scaling || training) parts.push(`<div class="grid cols-2 start">${scaling ? `<div>${scaling}</div>` : ''}${training ? `<div>${training}</div>` : ''}</div>`);
  const body = parts.filter(Boolean).join('');
  const nHeld = ctx.report.settings?.heldOut;
  return section('checks', 'Checks on held-out simulations', body || note('No checks in this report.'),
    `Before trusting the estimates of the real data: how well the network recovers known parameters from ${isNum(nHeld) ? fmtCount(nHeld) : 'held-out'} simulations it never trained on, and whether its uncertainty is honest.`);
}

function confusionBlock(name: string, cm: ConfusionMatrix): string {
  const t = heatmapTable({
    title: name,
    caption: `accuracy ${fmtPercent(cm.accuracy)} (95% CI ${fmtPercent(cm.accuracyLow)}–${fmtPercent(cm.accuracyHigh)}), n = ${fmtCount(cm.n)}`,
    rowHeader: 'true', colHeader: 'chosen', labels: cm.models, counts: cm.counts, unassigned: cm.unassigned,
  });
  return `<div class="confusion">${t}</div>`;
}

export function selectionSection(ctx: ReportContext): string {
  const conf = ctx.report.checks?.confusion;
  if (!conf) return '';
  const blocks = [confusionBlock('SGNN', conf.sgnn)];
  if (conf.aic) blocks.push(confusionBlock('AIC', conf.aic));
  if (conf.bic) blocks.push(confusionBlock('BIC', conf.bic));
  const parts = [`<div class="grid cols-3 confusions">${blocks.join('')}</div>`];
  parts.push(note(`Rows: the mechanism that generated each held-out simulation; columns: the one each method chose. Green diagonal = correct. ${fmtCount(conf.nHeldOut)} held-out simulations; AIC and BIC need a maximum-likelihood fit per model, done on ${fmtCount(conf.nWithFits)} of them, and all three are compared on those.`));
  const cmp = conf.comparison;
  if (cmp) {
    parts.push(verdictLine(cmp.verdict));
    if (cmp.paired?.length) {
      parts.push(table(
        ['Comparison', `Only ${cmp.paired[0].a} right`, 'Only the other right', 'Error ratio', 'McNemar p'],
        cmp.paired.map((p) => [`${p.a} vs ${p.b}`, fmtCount(p.onlyA), fmtCount(p.onlyB), isNum(p.errorRatio) ? `${fmt(p.errorRatio, 2)}×` : '—', fmtP(p.pValue)]),
        { numeric: [1, 2, 3, 4], caption: 'Paired comparison on the same runs (the discordant runs decide)' },
      ));
    }
  }
  return section('selection', 'Mechanism selection on held-out simulations', parts.join(''),
    'How often each method picks the mechanism that truly generated a simulation, on simulations none of them was trained or tuned on.');
}
