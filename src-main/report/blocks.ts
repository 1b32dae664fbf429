/**
 * Small HTML building blocks shared by the report's sections: verdict lines, tables, figures and
 * the context every section reads (priors by parameter, which datasets get plots). Cells and text
 * are escaped here unless passed as `Html` (markup this module or a chart built), so a section
 * cannot forget to escape a user-provided name.
 */
import type { Prior } from '../model/schema.ts';
import type { Severity, Verdict } from '../analyze/stats.ts';
import type { DatasetResult, FitReport } from './fit-report.ts';
import { escapeHtml } from './format.ts';

/** Markup that is already safe (built by the report itself); plain strings are escaped. */
export interface Html {
  html: string;
}

export function html(markup: string): Html {
  return { html: markup };
}

/** Plain text is escaped; Html passes through. */
export function cell(content: string | Html): string {
  return typeof content === 'string' ? escapeHtml(content) : content.html;
}

export interface ReportContext {
  report: FitReport;
  /** The prior of each unknown parameter (from the first model that declares it). */
  priors: Map<string, Prior>;
  /** Models each parameter appears in (compare: a parameter may belong to some mechanisms only). */
  paramModels: Map<string, string[]>;
  /** Datasets that get plots (all of them get tables). */
  plotted: DatasetResult[];
  compare: boolean;
}

const SEVERITY_LABEL: Record<Severity, string> = { ok: 'OK', warning: 'Check', problem: 'Problem' };
const SEVERITY_ICON: Record<Severity, string> = { ok: '✓', warning: '!', problem: '✕' };

/** A normalised severity: unknown values (an older or hand-edited report) read as a warning. */
export function severityOf(v: { severity?: unknown } | null | undefined): Severity {
  const s = v?.severity;
  return s === 'ok' || s === 'warning' || s === 'problem' ? s : 'warning';
}

/** A small coloured badge: "✓ OK", "! Check", "✕ Problem". */
export function badge(severity: Severity, label?: string): string {
  return `<span class="badge sev-${severity}"><span aria-hidden="true">${SEVERITY_ICON[severity]}</span> ${escapeHtml(label ?? SEVERITY_LABEL[severity])}</span>`;
}

/** One plain-language verdict with its severity. */
export function verdictLine(v: Verdict | null | undefined, tag: 'p' | 'li' | 'div' = 'p'): string {
  if (!v) return '';
  const s = severityOf(v);
  return `<${tag} class="verdict sev-${s}">${badge(s)}<span class="verdict-text">${escapeHtml(v.text)}</span></${tag}>`;
}

export interface TableOptions {
  caption?: string;
  /** Column indices that hold numbers (right-aligned, tabular figures). */
  numeric?: number[];
  /** Class on the table. */
  cls?: string;
  /** First column holds row headers (<th scope="row">). */
  rowHeaders?: boolean;
  /** Per-row class (e.g. a severity or "derived"). */
  rowClass?: (i: number) => string;
}

/** A table with proper column (and optionally row) headers. */
export function table(headers: (string | Html)[], rows: (string | Html)[][], options: TableOptions = {}): string {
  const num = new Set(options.numeric ?? []);
  const th = headers.map((h, j) => `<th scope="col"${num.has(j) ? ' class="num"' : ''}>${cell(h)}</th>`).join('');
  const body = rows.map((row, i) => {
    const cls = options.rowClass?.(i);
    const cells = row.map((c, j) => {
      if (j === 0 && options.rowHeaders) return `<th scope="row">${cell(c)}</th>`;
      return `<td${num.has(j) ? ' class="num"' : ''}>${cell(c)}</td>`;
    }).join('');
    return `<tr${cls ? ` class="${escapeHtml(cls)}"` : ''}>${cells}</tr>`;
  }).join('');
  const caption = options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : '';
  return `<div class="table-wrap"><table${options.cls ? ` class="${escapeHtml(options.cls)}"` : ''}>${caption}<thead><tr>${th}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** A chart with its caption (caption text is escaped; `extra` is markup such as a verdict). */
export function figure(svg: string, caption: string, extra = '', title = ''): string {
  if (!svg) return '';
  const head = title ? `<div class="fig-title">${escapeHtml(title)}</div>` : '';
  return `<figure>${head}${svg}<figcaption>${escapeHtml(caption)}</figcaption>${extra}</figure>`;
}

/** A section with an anchor for the table of contents. */
export function section(id: string, title: string, body: string, lead = ''): string {
  return `<section id="${escapeHtml(id)}"><h2>${escapeHtml(title)}</h2>${lead ? `<p class="lead">${escapeHtml(lead)}</p>` : ''}${body}</section>`;
}

/** A note in muted text (plain text in, escaped). */
export function note(text: string): string {
  return `<p class="note">${escapeHtml(text)}</p>`;
}

/** An inline horizontal bar for a 0..1 share inside a table cell. */
export function shareBar(value: number, label: string, color = '#3b5bdb'): Html {
  const w = Number.isFinite(value) ? Math.max(0, Math.min(1, value)) * 100 : 0;
  return html(`<span class="share-bar"><span class="share-fill" style="width:${w.toFixed(1)}%;background:${color}"></span></span><span class="share-num">${escapeHtml(label)}</span>`);
}

/** Sorted keys of an object that may be missing. */
export function keys(o: Record<string, unknown> | null | undefined): string[] {
  return o ? Object.keys(o) : [];
}
