import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderReportHtml, reportFileName } from '../../../src-main/report/html.ts';
import type { FitReport } from '../../../src-main/report/fit-report.ts';
import { bandCoverage } from '../../../src-main/report/section-data.ts';
import { binomialQuantiles } from '../../../src-main/report/section-checks.ts';
import { HOSTILE, buildCompareReport, buildFitReport, buildHostileReport } from './fixture.ts';

/** Every inline SVG element (the report never nests them). */
function svgs(html: string): string[] {
  return html.match(/<svg\b[\s\S]*?<\/svg>/g) ?? [];
}

/** Visible text: tags removed, the few entities the report uses decoded. */
function textOf(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

let fit: FitReport, compare: FitReport;
let fitHtml: string, compareHtml: string;

beforeAll(() => {
  fit = buildFitReport();
  compare = buildCompareReport();
  fitHtml = renderReportHtml(fit);
  compareHtml = renderReportHtml(compare);
  // Kept for looking at (chromium --screenshot / --print-to-pdf); the tests do not read them back.
  writeFileSync(join(tmpdir(), 'report-fit.html'), fitHtml);
  writeFileSync(join(tmpdir(), 'report-compare.html'), compareHtml);
});

describe('renderReportHtml: one self-contained file', () => {
  it('is a complete UTF-8 HTML document with its stylesheet inline', () => {
    for (const html of [fitHtml, compareHtml]) {
      expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
      expect(html).toContain('<meta charset="utf-8">');
      expect(html).toMatch(/<style>[\s\S]+<\/style>/);
      expect(html.trimEnd().endsWith('</html>')).toBe(true);
    }
  });

  it('has no external references: no scripts, stylesheets, images, fonts or URLs to fetch', () => {
    for (const html of [fitHtml, compareHtml]) {
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/<link\b/i);
      expect(html).not.toMatch(/<(img|iframe|object|embed|video|audio)\b/i);
      expect(html).not.toMatch(/\s(src|href|xlink:href|action|poster)\s*=\s*["']?\s*(https?:|\/\/|file:|data:)/i);
      expect(html).not.toMatch(/@import|url\(/i);
      // The only links are to the report's own sections.
      const hrefs = [...html.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1]);
      expect(hrefs.length).toBeGreaterThan(5);
      for (const h of hrefs) expect(h).toMatch(/^#[a-z]+$/);
      // The one URL-like string is SVG's namespace name, which is never fetched.
      expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:\/\//);
    }
  });

  it('renders the same bytes for the same report (no clocks, no random ids)', () => {
    expect(renderReportHtml(fit)).toBe(fitHtml);
  });

  it('suggests a file name from the title', () => {
    expect(reportFileName(fit)).toBe('influenza-in-a-boarding-school-sir-fit-report.html');
    expect(reportFileName({ title: '<>' }, 'pdf')).toBe('sgnn-report.pdf');
  });
});

describe('renderReportHtml: sections', () => {
  const FIT_SECTIONS = ['summary', 'model', 'data', 'posterior', 'checks', 'mismatch', 'attribution', 'reproduce'];

  it('has every section of a fit, each linked from the contents', () => {
    for (const id of FIT_SECTIONS) {
      expect(fitHtml).toContain(`id="${id}"`);
      expect(fitHtml).toContain(`href="#${id}"`);
    }
    expect(fitHtml).not.toContain('id="selection"');
  });

  it('shows the header facts, headline verdicts and per-dataset estimates in the summary', () => {
    const text = textOf(fitHtml);
    expect(text).toContain(fit.title);
    expect(text).toContain('2025-03-14 09:26 UTC');
    expect(text).toContain('v0.1.0');
    expect(text).toContain('tensorflow');
    for (const v of fit.verdicts) expect(text).toContain(v.text);
    const summary = fitHtml.slice(fitHtml.indexOf('id="summary"'), fitHtml.indexOf('id="model"'));
    for (const h of ['Mean', 'SD', 'Median', '95% interval']) expect(summary).toContain(`>${h}</th>`);
    for (const ds of fit.datasets) expect(summary).toContain(ds.id);
    // Severity colours: the worst headline verdict sets the status box.
    expect(summary).toMatch(/class="status sev-(warning|problem)"/);
    expect(summary).toContain('class="verdict sev-ok"');
  });

  it('writes the model as reactions, ODEs, rules, observables and priors', () => {
    const text = textOf(fitHtml);
    expect(text).toContain('S + I → 2 I');
    expect(text).toContain('dS/dt = −beta·S·I/N');
    expect(text).toContain('dI/dt = beta·S·I/N − gamma·I');
    expect(text).toContain('dR/dt = gamma·I');
    expect(text).toContain('R0');
    expect(text).toContain('negative binomial, φ = 1/phi_inv');
    expect(text).toContain('LogNormal(μ = 0.5, σ = 0.5)');
    expect(text).toContain('Uniform(0.1, 1)');
    expect(text).toContain('Exponential(rate 5)');
    expect(text).toContain('Fixed parameters');
    expect(fitHtml.match(/class="spark"/g)).toHaveLength(3);
  });

  it('plots predictive bands per dataset and observable, posteriors with priors, and a pair plot', () => {
    const titles = svgs(fitHtml).map((s) => /<title>([^<]*)<\/title>/.exec(s)![1]);
    expect(titles.filter((t) => t.startsWith('cases: posterior predictive'))).toHaveLength(2);
    expect(titles.filter((t) => t.startsWith('Posterior of '))).toHaveLength(8); // 3 parameters + R0, 2 datasets
    expect(titles.filter((t) => t.startsWith('Pair plot of beta, gamma, phi_inv'))).toHaveLength(2);
    expect(titles.filter((t) => t.startsWith('Recovery of '))).toHaveLength(3);
    expect(titles.filter((t) => t.startsWith('SBC rank histogram of '))).toHaveLength(3);
    expect(titles).toContain('Scaling curve: mean NRMSE against training simulations');
    expect(titles).toContain('Training and validation loss');
    expect(textOf(fitHtml)).toMatch(/13 of 14 observed points \(93%\) lie inside the 95% band/);
  });

  it('tabulates the checks with verdicts, and the mismatch and attribution per dataset', () => {
    const checks = fitHtml.slice(fitHtml.indexOf('id="checks"'), fitHtml.indexOf('id="mismatch"'));
    for (const h of ['R²', 'NRMSE', 'Contraction', 'Cover 50%', 'Cover 80%', 'Cover 95%', 'SBC p', 'Verdict']) expect(checks).toContain(`>${h}</th>`);
    for (const c of fit.checks.parameters) expect(textOf(checks)).toContain(c.summary);
    expect(textOf(checks)).toContain(fit.checks.scaling!.fit.verdict.text);
    const mismatch = textOf(fitHtml.slice(fitHtml.indexOf('id="mismatch"'), fitHtml.indexOf('id="attribution"')));
    expect(mismatch).toContain(fit.mismatch!.verdict.text);
    expect(mismatch).toContain('96%');
    const attribution = textOf(fitHtml.slice(fitHtml.indexOf('id="attribution"'), fitHtml.indexOf('id="reproduce"')));
    expect(attribution).toContain('Nearest simulated runs');
    expect(attribution).toContain('Most influential data points');
    expect(attribution).toContain(`#${fit.datasets[0].attribution.nearest[0].run}`);
  });

  it('records seed, budget, head and timings for reproduction', () => {
    const text = textOf(fitHtml.slice(fitHtml.indexOf('id="reproduce"')));
    expect(text).toMatch(/Seed\s+42/);
    expect(text).toMatch(/Training simulations\s+20,000/);
    expect(text).toMatch(/Network head\s+density/);
    expect(text).toContain('1 min 59 s');
    expect(text).toContain('3 min 04 s'); // total
    expect(text).toContain('TensorFlow.js native');
  });

  it('for a comparison: mechanism probabilities beside AIC/BIC, three confusion matrices, mechanism shares', () => {
    for (const id of [...FIT_SECTIONS, 'selection']) expect(compareHtml).toContain(`id="${id}"`);
    const text = textOf(compareHtml);
    expect(text).toContain('All three methods choose SIR (SGNN probability 81%)');
    for (const h of ['SGNN probability', 'ΔAIC', 'AIC weight', 'ΔBIC', 'BIC weight']) expect(compareHtml).toContain(`>${h}</th>`);
    expect(compareHtml.match(/<table class="heatmap">/g)).toHaveLength(3);
    const acc = compare.checks.confusion!.sgnn.accuracy;
    expect(text).toContain(`SGNN accuracy ${Math.round(100 * acc)}%`);
    expect(text).toContain(compare.checks.confusion!.comparison!.verdict.text);
    expect(text).toContain('Mechanism shares');
    expect(text).toContain('Maximum-likelihood estimates');
    for (const m of ['SIR', 'SEIR', 'SIRS']) expect(compareHtml).toContain(`</span> ${m}</h3>`);
    expect(text).toContain('dE/dt = beta·S·I/N − sigma·E');
    expect(text).toContain('HalfNormal(σ = 0.1)');
  });
});

describe('renderReportHtml: escaping', () => {
  let html: string;
  beforeAll(() => { html = renderReportHtml(buildHostileReport()); });

  it('never lets user text become markup', () => {
    for (const raw of Object.values(HOSTILE)) expect(html).not.toContain(raw);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<[^>]*\s(onerror|onload)=/i);
    expect(html).not.toMatch(/<b>bold/);
    // A description with </style> must not close the stylesheet early.
    expect(html.match(/<\/style>/g)).toHaveLength(1);
    expect(svgs(html).length).toBe((html.match(/<\/svg>/g) ?? []).length);
  });

  it('still shows the text, escaped, in body, titles and SVG', () => {
    expect(html).toContain('&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &amp; co');
    expect(html).toContain(`<title>${'&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &amp; co'}</title>`);
    expect(html).toContain('SIR &lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot; &amp; &#39;single&#39;');
    expect(html).toContain('&quot;&gt;&lt;svg onload=alert(3)&gt;');
    expect(html).toContain('R² &lt; 0.5 &amp; &quot;bad&quot; &lt;b&gt;bold&lt;/b&gt;');
    const text = textOf(html);
    for (const raw of Object.values(HOSTILE)) expect(text).toContain(raw);
    for (const svg of svgs(html)) expect(XMLValidator.validate(svg)).toBe(true);
  });
});

describe('renderReportHtml: charts and numbers', () => {
  it('every chart is well-formed SVG with a title and a description', () => {
    for (const html of [fitHtml, compareHtml]) {
      const all = svgs(html);
      expect(all.length).toBeGreaterThan(20);
      for (const svg of all) {
        const valid = XMLValidator.validate(svg);
        expect(valid, typeof valid === 'object' ? JSON.stringify(valid.err) : '').toBe(true);
        expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*><title>[^<]+<\/title><desc>[^<]+<\/desc>/);
        expect(svg).toMatch(/viewBox="0 0 \d+ \d+"/);
      }
    }
  });

  it('rounds coordinates and formats numbers for reading', () => {
    for (const html of [fitHtml, compareHtml]) {
      for (const m of html.matchAll(/\s(x|y|x1|x2|y1|y2|cx|cy|r|width|height)="(-?[\d.]+)"/g)) expect(m[2]).toMatch(/^-?\d+(\.\d)?$/);
      for (const m of html.matchAll(/\sd="([^"]*)"/g)) expect(m[1]).not.toMatch(/\d\.\d{2,}/);
      const text = textOf(html);
      expect(text).not.toMatch(/\d\.\d{6,}/);
      expect(text).not.toMatch(/\bNaN\b|\bundefined\b|\bnull\b|Infinity|\[object/);
      // Negative numbers use a true minus sign in text.
      expect(text).not.toMatch(/(^|\s)-\d/);
    }
    const text = textOf(fitHtml);
    const est = fit.datasets[0].estimates.beta;
    // Estimates are shown to the precision their sd warrants (sd ≈ 0.05 → 3 decimals).
    expect(text).toContain(est.mean.toFixed(3));
    expect(text).not.toContain(String(est.mean));
    expect(text).toContain('20,000');
  });

  it('reads a report that went through JSON (typed arrays as objects, NaN as null)', () => {
    const json = JSON.parse(JSON.stringify(fit, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))) as FitReport;
    expect(typeof (json.checks.parameters[0].sbc!.histogram as unknown as Record<string, number>)['0']).toBe('number');
    const html = renderReportHtml(json);
    expect(svgs(html).length).toBe(svgs(fitHtml).length);
    for (const svg of svgs(html)) expect(XMLValidator.validate(svg)).toBe(true);
    expect(textOf(html)).not.toMatch(/\bNaN\b|\bnull\b|undefined/);
  });
});

describe('renderReportHtml: edge cases', () => {
  it('renders a report with no datasets, checks, mismatch or training', () => {
    const bare: FitReport = {
      ...fit, datasets: [], mismatch: null, verdicts: [], timings: {},
      checks: { parameters: [], recovery: [], scaling: null },
      training: { history: [], seconds: 0, nTrain: 0, stoppedEarly: false },
    };
    const html = renderReportHtml(bare);
    const text = textOf(html);
    expect(text).toContain('No datasets in this report.');
    expect(text).toContain('No checks in this report.');
    expect(text).toContain('No mismatch check in this report.');
    expect(html).toContain('class="status sev-ok"');
    for (const svg of svgs(html)) expect(XMLValidator.validate(svg)).toBe(true);
  });

  it('with many datasets: one estimates matrix, and plots for the first few only', () => {
    const many: FitReport = { ...fit, datasets: Array.from({ length: 9 }, (_, i) => ({ ...fit.datasets[i % 2], id: `site-${i + 1}` })) };
    const html = renderReportHtml(many, { maxPlottedDatasets: 3 });
    const text = textOf(html);
    expect(text).toContain('Posterior mean [95% interval] per dataset');
    expect(text).toContain('site-9');
    expect(text).toContain('Plots for the first 3 of 9 datasets');
    expect(svgs(html).filter((s) => s.includes('posterior predictive'))).toHaveLength(3);
  });
});

describe('report helpers', () => {
  it('binomialQuantiles matches exact binomial quantiles, also for large n', () => {
    // Reference: the smallest k with P(X ≤ k) ≥ q, from the pmf by the plain recurrence (no underflow at n = 300).
    const reference = (n: number, p: number, q: number): number => {
      let pmf = Math.pow(1 - p, n), cdf = 0;
      for (let k = 0; k <= n; k++) {
        cdf += pmf;
        if (cdf >= q) return k;
        pmf *= ((n - k) / (k + 1)) * (p / (1 - p));
      }
      return n;
    };
    for (const q of [0.005, 0.025, 0.5, 0.975, 0.995]) expect(binomialQuantiles(300, 0.05, [q])).toEqual([reference(300, 0.05, q)]);
    expect(binomialQuantiles(300, 0.05, [0.005, 0.995])).toEqual([reference(300, 0.05, 0.005), reference(300, 0.05, 0.995)]);
    expect(binomialQuantiles(10, 0.5, [0.5])).toEqual([5]);
    const [lo, hi] = binomialQuantiles(100000, 0.5, [0.005, 0.995]);
    expect(lo).toBeGreaterThan(49500);
    expect(hi).toBeLessThan(50500);
    expect(binomialQuantiles(0, 0.5, [0.5])).toEqual([0]);
  });

  it('bandCoverage interpolates the band at the observed times and skips missing values', () => {
    const band = { times: [0, 2], q025: [0, 2], q25: [0, 2], q50: [1, 3], q75: [2, 4], q975: [2, 4] };
    expect(bandCoverage([0, 1, 2, 1.5], [1, 3.5, null, 0.5], band)).toEqual({ inside: 1, n: 3 });
  });
});
