/**
 * The model section: each mechanism as a reader would write it down (reactions, the ODEs they
 * imply, rules, observables with their noise) and its parameters with priors, a sketch of each
 * prior's density and the fixed values, so the report states exactly what was assumed.
 */
import type { Model } from '../model/schema.ts';
import type { ReportContext } from './blocks.ts';
import { html, section, table } from './blocks.ts';
import { RANGE_DASH, escapeHtml, fmt } from './format.ts';
import { noiseText, odeLines, prettyText, priorCurve, priorSummary, priorText, reactionScheme } from './model-text.ts';
import { sparkDensity } from './svg-charts.ts';

function definitionList(items: { term: string; def: string; note?: string }[]): string {
  if (items.length === 0) return '';
  return `<dl class="defs">${items.map((it) => `<dt>${escapeHtml(it.term)}</dt><dd><span class="expr">${escapeHtml(it.def)}</span>${it.note ? `<span class="def-note">${escapeHtml(it.note)}</span>` : ''}</dd>`).join('')}</dl>`;
}

function parametersTable(model: Model): string {
  const unknown = model.parameters.filter((p) => p.prior);
  const fixed = model.parameters.filter((p) => !p.prior);
  const parts: string[] = [];
  if (unknown.length > 0) {
    const rows = unknown.map((p) => {
      const prior = p.prior!;
      const s = priorSummary(prior);
      const curve = priorCurve(prior, 60);
      const spark = sparkDensity(curve.xs, curve.ys, { title: `prior of ${p.id}` });
      return [
        html(`<code>${escapeHtml(p.id)}</code>${p.units ? ` <span class="units">${escapeHtml(p.units)}</span>` : ''}`),
        priorText(prior),
        html(spark ? `<span class="spark-wrap">${spark}</span>` : '—'),
        s ? fmt(s.median) : '—',
        s ? `${fmt(s.q025)}${RANGE_DASH}${fmt(s.q975)}` : '—',
        p.value !== undefined ? fmt(p.value, 4) : '—',
        p.description ?? '',
      ];
    });
    parts.push(table(['Parameter', 'Prior', 'Density', 'Prior median', 'Prior 95%', 'Default', 'Description'], rows, { numeric: [3, 4, 5], cls: 'params', caption: 'Unknown parameters (inferred)' }));
  }
  if (fixed.length > 0) {
    const rows = fixed.map((p) => [html(`<code>${escapeHtml(p.id)}</code>`), p.value !== undefined ? fmt(p.value, 6) : '—', p.units ?? '', p.description ?? '']);
    parts.push(table(['Parameter', 'Fixed value', 'Units', 'Description'], rows, { numeric: [1], cls: 'params fixed', caption: 'Fixed parameters' }));
  }
  return parts.join('');
}

function modelCard(name: string, model: Model, index: number, many: boolean): string {
  const structure: string[] = [];
  if (model.reactions.length > 0) {
    structure.push('<h4>Reactions</h4>', definitionList(model.reactions.map((r) => ({
      term: r.id, def: reactionScheme(r), note: `rate ${prettyText(r.rate)}${r.description ? ` — ${r.description}` : ''}`,
    }))));
  }
  const odes = odeLines(model);
  if (odes.length > 0) {
    structure.push(`<h4>Equations${model.reactions.length > 0 ? ' (from the reactions)' : ''}</h4>`);
    structure.push(`<pre class="odes" aria-label="differential equations">${odes.map((o) => escapeHtml(o.text)).join('\n')}</pre>`);
  }
  if (model.rules.length > 0) structure.push('<h4>Rules</h4>', definitionList(model.rules.map((r) => ({ term: r.id, def: `= ${prettyText(r.expr)}`, note: r.description }))));
  const side: string[] = [];
  if (model.species.length > 0 || model.odes.length > 0) {
    side.push('<h4>State and initial values</h4>', definitionList([
      ...model.species.map((s) => ({ term: s.id, def: `${s.id}(0) = ${prettyText(s.initial)}`, note: s.description })),
      ...model.odes.map((o) => ({ term: o.id, def: `${o.id}(0) = ${prettyText(o.initial)}`, note: o.description })),
    ]));
  }
  if (model.observables.length > 0) {
    side.push('<h4>Observables</h4>', definitionList(model.observables.map((o) => ({
      term: o.id, def: `= ${prettyText(o.expr)}`, note: `noise: ${noiseText(o.noise)}${o.description ? ` — ${o.description}` : ''}`,
    }))));
  }
  if (model.events && model.events.length > 0) {
    side.push('<h4>Events</h4>', definitionList(model.events.map((e, i) => ({
      term: e.id ?? `event ${i + 1}`,
      def: `at t = ${prettyText(e.at)}${e.every !== undefined ? `, every ${prettyText(e.every)}` : ''}: ${Object.entries(e.assign).map(([k, v]) => `${k} ← ${prettyText(v)}`).join(', ')}`,
      note: e.description,
    }))));
  }
  const heading = many ? `<h3><span class="model-index">M${index + 1}</span> ${escapeHtml(name)}</h3>` : `<h3>${escapeHtml(name)}</h3>`;
  const about = [model.description, model.source ? `Source: ${model.source}` : '', model.timeUnits ? `Time in ${model.timeUnits}.` : '']
    .filter(Boolean).map((t) => `<p class="model-about">${escapeHtml(t as string)}</p>`).join('');
  return `<article class="model-card">${heading}${about}<div class="model-cols"><div>${structure.join('')}</div><div>${side.join('')}</div></div>${parametersTable(model)}</article>`;
}

export function modelSection(ctx: ReportContext): string {
  const models = ctx.report.models ?? [];
  const many = models.length > 1;
  const lead = many
    ? `${models.length} candidate mechanisms. Each is simulated from its priors; the network learns which one produced the data and its parameters.`
    : 'The mechanistic model the network was trained on: simulations from these priors are its only training data.';
  return section('model', many ? 'Models' : 'Model', models.map((m, i) => modelCard(m.name, m.model, i, many)).join(''), lead);
}
