/**
 * The report's stylesheet, inlined into the HTML (no network). Light theme with the app's tokens;
 * print rules keep figures, tables and verdicts whole across pages and keep the severity colours
 * (print-color-adjust), so the PDF from Electron's printToPDF or a browser reads like the screen.
 */
export const REPORT_CSS = `
:root {
  --font: 'Inter', system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
  --mono: 'JetBrains Mono', 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', monospace;
  --text: #1b2230; --text-2: #5a6475; --text-3: #8b94a3;
  --bg: #ffffff; --surface-2: #f5f6f8; --border: #e2e5ea; --border-strong: #cdd2da;
  --accent: #3b5bdb; --accent-2: #e8edff;
  --ok: #2b8a3e; --ok-bg: #ebfbee; --warn: #b35c00; --warn-bg: #fff4e6; --danger: #c92a2a; --danger-bg: #fff0f0;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #eef0f3; color: var(--text); font: 14px/1.5 var(--font); -webkit-font-smoothing: antialiased; }
.page { max-width: 1080px; margin: 24px auto; background: var(--bg); padding: 40px 48px 32px; border-radius: 10px; box-shadow: 0 1px 3px rgba(16,24,40,.08), 0 8px 24px rgba(16,24,40,.06); }
h1, h2, h3, h4 { line-height: 1.25; margin: 0; font-weight: 650; letter-spacing: -0.01em; }
h1 { font-size: 27px; margin-bottom: 4px; }
h2 { font-size: 20px; margin: 0 0 6px; padding-top: 26px; border-top: 1px solid var(--border); }
h3 { font-size: 15.5px; margin: 22px 0 8px; }
h4 { font-size: 13px; margin: 14px 0 6px; color: var(--text-2); text-transform: uppercase; letter-spacing: .04em; font-weight: 600; }
section { margin-top: 30px; }
p { margin: 6px 0; }
code, .expr, pre { font-family: var(--mono); font-size: 12.5px; }
code { background: var(--surface-2); padding: 0 4px; border-radius: 4px; }
q { quotes: '“' '”'; }
.lead { color: var(--text-2); max-width: 80ch; margin-bottom: 12px; }
.note { color: var(--text-2); font-size: 12.5px; max-width: 95ch; }
.stats { font-size: 13px; color: var(--text-2); }
.num, td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }

/* header */
.report-header { display: grid; grid-template-columns: 1fr auto; gap: 24px; align-items: start; padding-bottom: 18px; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 11.5px; font-weight: 650; color: var(--accent); margin-bottom: 6px; }
.subtitle { color: var(--text-2); font-size: 14.5px; }
.meta { display: grid; grid-template-columns: auto auto; gap: 2px 14px; font-size: 12.5px; margin: 0; }
.meta dt { color: var(--text-3); }
.meta dd { margin: 0; font-variant-numeric: tabular-nums; max-width: 280px; }
nav.toc { margin: 4px 0 0; padding: 10px 0; border-top: 1px solid var(--border); font-size: 13px; }
nav.toc ol { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 4px 18px; counter-reset: toc; }
nav.toc li { counter-increment: toc; }
nav.toc li::before { content: counter(toc) '  '; color: var(--text-3); font-variant-numeric: tabular-nums; }
nav.toc a { color: var(--accent); text-decoration: none; }

/* verdicts */
.badge { display: inline-flex; align-items: center; gap: 3px; font-size: 11px; font-weight: 650; padding: 1px 7px; border-radius: 999px; white-space: nowrap; line-height: 1.6; vertical-align: 1px; }
.badge.sev-ok { color: var(--ok); background: var(--ok-bg); }
.badge.sev-warning { color: var(--warn); background: var(--warn-bg); }
.badge.sev-problem { color: #fff; background: var(--danger); }
.verdict { display: flex; gap: 8px; align-items: baseline; margin: 6px 0; }
.verdict .verdict-text { flex: 1; }
ul.verdicts { list-style: none; padding: 0; margin: 0; }
ul.verdicts li.verdict { padding: 7px 10px; border-left: 3px solid; border-radius: 0 6px 6px 0; margin: 6px 0; }
ul.verdicts li.sev-ok { border-color: var(--ok); background: #f6fdf7; }
ul.verdicts li.sev-warning { border-color: #f08c00; background: #fffaf2; }
ul.verdicts li.sev-problem { border-color: var(--danger); background: #fff6f6; }
ul.verdicts.compact li.verdict { padding: 3px 8px; margin: 3px 0; font-size: 12.5px; }
figure .verdict { font-size: 12.5px; margin-top: 4px; }

/* summary */
.summary { border: 1px solid var(--border); border-radius: 10px; padding: 18px 20px; margin-top: 6px; background: #fcfcfd; }
.summary > h2 { border-top: 0; padding-top: 0; }
.status { display: flex; gap: 12px; align-items: center; padding: 10px 14px; border-radius: 8px; font-weight: 600; margin: 8px 0 12px; }
.status .status-icon { font-size: 18px; line-height: 1; }
.status.sev-ok { background: var(--ok-bg); color: var(--ok); }
.status.sev-warning { background: var(--warn-bg); color: var(--warn); }
.status.sev-problem { background: var(--danger-bg); color: var(--danger); }
.choice-line { font-size: 13.5px; margin: 6px 0 10px; }
.chosen { font-weight: 650; }
.tick-mark { color: var(--ok); font-weight: 700; }

/* tables */
.table-wrap { overflow-x: auto; margin: 8px 0 14px; }
table { border-collapse: collapse; font-size: 13px; width: auto; min-width: 50%; }
caption { text-align: left; font-size: 12.5px; color: var(--text-2); padding: 0 0 6px; caption-side: top; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--border); vertical-align: top; text-align: left; }
thead th { font-size: 11.5px; font-weight: 650; color: var(--text-2); border-bottom: 1.5px solid var(--border-strong); white-space: nowrap; }
tbody th { font-weight: 600; }
tbody tr:last-child td, tbody tr:last-child th { border-bottom: 1.5px solid var(--border-strong); }
tr.derived td, tr.derived th { color: var(--text-2); font-style: italic; }
tr.derived:first-of-type td { border-top: 1px dashed var(--border-strong); }
table.checks td:last-child { min-width: 300px; white-space: normal; }
table.params td:nth-child(2) { font-family: var(--mono); font-size: 12px; }
table.mismatch td:last-child { white-space: normal; min-width: 260px; }
.summary-text { font-size: 12.5px; }
.cov { padding: 1px 6px; border-radius: 4px; }
.cov.sev-ok { color: var(--ok); }
.cov.sev-warning { color: var(--warn); background: var(--warn-bg); font-weight: 600; }
.cov.sev-problem { color: #fff; background: var(--danger); font-weight: 600; }
.units { color: var(--text-3); font-size: 12px; }
.spark-wrap svg { display: block; }
.share-bar { display: inline-block; width: 90px; height: 8px; background: #e8ebf0; border-radius: 4px; vertical-align: middle; margin-right: 8px; overflow: hidden; }
.share-fill { display: block; height: 100%; border-radius: 4px; }
.share-num { font-variant-numeric: tabular-nums; font-size: 12.5px; }
.strip { position: relative; display: inline-block; width: 120px; height: 10px; background: #e8ebf0; border-radius: 5px; vertical-align: middle; }
.strip-warn { position: absolute; left: 95%; width: 4%; top: 0; bottom: 0; background: #ffd8a8; }
.strip-bad { position: absolute; left: 99%; width: 1%; top: 0; bottom: 0; background: #ffa8a8; border-radius: 0 5px 5px 0; }
.strip-dot { position: absolute; top: -2px; width: 14px; height: 14px; margin-left: -7px; border-radius: 50%; border: 2px solid #fff; box-shadow: 0 0 0 1px rgba(0,0,0,.15); }
.strip-dot.sev-ok { background: var(--ok); } .strip-dot.sev-warning { background: #f08c00; } .strip-dot.sev-problem { background: var(--danger); }

/* heat-map tables */
table.heatmap { min-width: 0; font-size: 12.5px; }
table.heatmap td { text-align: center; vertical-align: middle; min-width: 62px; padding: 6px 8px; border: 1px solid #fff; }
table.heatmap caption strong { display: block; color: var(--text); font-size: 13px; }
.confusion table.heatmap { width: 100%; }
table.heatmap td .count { display: block; font-weight: 650; font-variant-numeric: tabular-nums; }
table.heatmap td .share { display: block; font-size: 10.5px; color: var(--text-2); }
table.heatmap td.diag .count { color: #1e6b30; }
table.heatmap th.corner { font-size: 10px; color: var(--text-3); line-height: 1.2; }
table.heatmap th.corner span { display: block; }
table.heatmap tbody th { font-size: 12px; }

/* model */
.model-card { border: 1px solid var(--border); border-radius: 10px; padding: 4px 20px 10px; margin: 14px 0; }
.model-card h3 { margin-top: 16px; }
.model-index { display: inline-block; font-size: 11px; font-weight: 700; color: #fff; background: var(--accent); border-radius: 4px; padding: 1px 6px; margin-right: 6px; vertical-align: 2px; }
.model-about { color: var(--text-2); margin: 2px 0; }
.model-cols { display: grid; grid-template-columns: 1.25fr 1fr; gap: 8px 32px; }
dl.defs { display: grid; grid-template-columns: auto 1fr; gap: 3px 14px; margin: 0; font-size: 13px; }
dl.defs dt { font-family: var(--mono); font-size: 12.5px; color: var(--text-2); }
dl.defs dd { margin: 0; }
.def-note { display: block; color: var(--text-2); font-size: 12px; }
pre.odes { background: var(--surface-2); border-radius: 6px; padding: 10px 12px; margin: 0; white-space: pre-wrap; line-height: 1.7; font-size: 13px; }

/* figures */
.grid { display: grid; gap: 14px 18px; margin: 10px 0; }
.grid.cols-2 { grid-template-columns: repeat(2, minmax(0, 1fr)); }
.grid.cols-3 { grid-template-columns: repeat(3, minmax(0, 1fr)); }
.grid.align-center { align-items: center; }
.grid.start { align-items: start; }
figure { margin: 0; }
figcaption { font-size: 12px; color: var(--text-2); margin-top: 2px; line-height: 1.4; }
svg.chart { display: block; max-width: 100%; height: auto; overflow: visible; }
svg.chart text { font-family: var(--font); font-size: 10.5px; fill: var(--text-2); }
svg.chart .axis-label { font-size: 11.5px; fill: var(--text); font-weight: 500; }
svg.chart text.legend { font-size: 11px; fill: var(--text); }
svg.chart .ref-label { font-size: 10px; }
svg.chart .pair-name { font-size: 12px; font-weight: 650; fill: var(--text); font-family: var(--mono); }
svg.chart .pair-rho { font-size: 13px; fill: var(--text); font-variant-numeric: tabular-nums; }
svg.chart .bar-label { font-size: 11.5px; fill: var(--text); }
svg.chart .bar-label.strong { font-weight: 700; }
svg.chart .bar-value { font-size: 11px; fill: var(--text-2); font-variant-numeric: tabular-nums; }
.posterior-layout { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 18px; align-items: start; }
.pair-wrap figure { max-width: 560px; }
.fig-title { font-size: 12.5px; font-weight: 650; margin-bottom: 2px; }
.grid.cols-4 { grid-template-columns: repeat(4, minmax(0, 1fr)); }
.nowrap { white-space: nowrap; }
table.params td:first-child, table.params td:nth-child(2) { white-space: nowrap; }
svg.chart .ref-label { paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
.findings { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 4px 24px; }
.findings h4 { text-transform: none; letter-spacing: 0; margin-top: 6px; }
ul.facts { margin: 0; padding-left: 18px; font-size: 13px; color: var(--text-2); }
ul.facts li { margin: 4px 0; }
h3.dataset { padding-top: 6px; }
.kv { display: grid; grid-template-columns: max-content 1fr; gap: 3px 18px; font-size: 13px; margin: 6px 0; }
.kv dt { color: var(--text-2); }
.kv dd { margin: 0; font-variant-numeric: tabular-nums; }
footer { margin-top: 36px; padding-top: 12px; border-top: 1px solid var(--border); font-size: 12px; color: var(--text-3); }

@media screen and (max-width: 820px) {
  .page { padding: 20px; margin: 0; border-radius: 0; }
  .grid.cols-2, .grid.cols-3, .grid.cols-4, .posterior-layout, .model-cols, .findings, .report-header { grid-template-columns: 1fr; }
}

@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { background: #fff; font-size: 10pt; }
  .page { max-width: none; margin: 0; padding: 0; box-shadow: none; border-radius: 0; }
  nav.toc { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3, h4, .lead { break-after: avoid; page-break-after: avoid; }
  section { break-before: auto; }
  figure, .verdict, tr, .model-card dl, pre.odes, .confusion, .summary .status, .finding { break-inside: avoid; page-break-inside: avoid; }
  /* Small tables move whole to the next page rather than leave their header behind. */
  .table-wrap { overflow: visible; break-inside: avoid; page-break-inside: avoid; }
  table.heatmap td { min-width: 0; padding: 4px 3px; }
  table.heatmap { font-size: 11px; }
  a { color: inherit; text-decoration: none; }
}
`;
