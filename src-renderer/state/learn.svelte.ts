/**
 * The Train, Compare and Report forms: what to run (network choice, budget, seed, datasets),
 * starting the engine's jobs, and exporting reports (HTML download in the browser; save dialog
 * and printToPDF through the preload in the desktop app).
 */
import type { ProjectState } from './project.svelte.ts';
import type { FitReport } from '../../src-main/report/fit-report.ts';
import { errorText } from '../lib/errors.ts';
import { download } from '../lib/download.ts';
import { reportFileName, resolveHead } from '../lib/learn.ts';
import type { HeadChoice } from '../lib/learn.ts';

/** Keeps a selection map in step with the project's items: new items are off unless nothing is on. */
function syncSelection(map: Record<number, boolean>, ids: number[], preferred: number[]): void {
  for (const id of Object.keys(map).map(Number)) if (!ids.includes(id)) delete map[id];
  for (const id of ids) if (!(id in map)) map[id] = false;
  if (!Object.values(map).some(Boolean)) for (const id of preferred) if (id in map) map[id] = true;
}

function chosen(map: Record<number, boolean>): number[] {
  return Object.entries(map).filter(([, on]) => on).map(([id]) => Number(id));
}

export class TrainForm {
  readonly #project: ProjectState;
  /** 'fit': simulate, train, check and estimate in one job; 'bank': train on a stored bank. */
  mode = $state<'fit' | 'bank'>('fit');
  head = $state<HeadChoice>('auto');
  sims = $state(10_000);
  epochs = $state(40);
  seed = $state(1);
  datasets = $state<Record<number, boolean>>({});
  bankId = $state<number | null>(null);
  /** The job whose progress and loss curve the screen shows. */
  jobId = $state<number | null>(null);
  starting = $state(false);
  error = $state<string | null>(null);

  constructor(project: ProjectState) {
    this.#project = project;
  }

  sync(): void {
    const p = this.#project;
    syncSelection(this.datasets, p.datasets.map((d) => d.datasetId), p.datasets.slice(0, 1).map((d) => d.datasetId));
    const complete = p.banks.filter((b) => b.status === 'complete');
    if (this.bankId === null || !p.banks.some((b) => b.bankId === this.bankId)) this.bankId = complete.at(-1)?.bankId ?? null;
    if (this.jobId === null) {
      const last = [...p.jobs].reverse().find((j) => (j.kind === 'fit' && !p.isCompareJob(j.jobId)) || j.kind === 'train');
      if (last) this.jobId = last.jobId;
    }
  }

  chosenDatasets(): number[] {
    return chosen(this.datasets);
  }

  async start(): Promise<number | null> {
    const p = this.#project;
    this.error = null;
    const head = resolveHead(this.head, this.sims);
    try {
      this.starting = true;
      await p.editor?.flush();
      if (this.mode === 'fit') {
        const modelId = p.editor?.modelId;
        const datasetIds = this.chosenDatasets();
        if (modelId === undefined) throw new Error('Choose a model first (step 1).');
        if (datasetIds.length === 0) throw new Error('Choose at least one dataset to fit (import one in step 3).');
        const input = { project: p.path, modelId, datasetIds, sims: Math.round(this.sims), head, epochs: Math.round(this.epochs), seed: Math.round(this.seed) };
        const r = await p.client.call('fit.run', input);
        p.remember(r.jobId, 'fit.run', input);
        this.jobId = r.jobId;
      } else {
        if (this.bankId === null) throw new Error('Choose a complete simulation bank (build one in step 4).');
        const input = { project: p.path, bankId: this.bankId, head, epochs: Math.round(this.epochs), seed: Math.round(this.seed) };
        const r = await p.client.call('network.train', input);
        p.remember(r.jobId, 'network.train', input);
        this.jobId = r.jobId;
      }
      await p.refresh('jobs');
      return this.jobId;
    } catch (err) {
      this.error = errorText(err);
      return null;
    } finally {
      this.starting = false;
    }
  }

  /** Estimates for the chosen datasets with a trained network (after training on a bank). */
  async estimate(networkId: number): Promise<void> {
    const p = this.#project;
    const datasetIds = this.chosenDatasets();
    if (datasetIds.length === 0) {
      this.error = 'Choose at least one dataset to estimate (import one in step 3).';
      return;
    }
    try {
      const input = { project: p.path, networkId, datasetIds, seed: Math.round(this.seed) };
      const r = await p.client.call('estimate.run', input);
      p.remember(r.jobId, 'estimate.run', input);
      await p.refresh('jobs');
    } catch (err) {
      this.error = errorText(err);
    }
  }
}

export class CompareForm {
  readonly #project: ProjectState;
  models = $state<Record<number, boolean>>({});
  datasets = $state<Record<number, boolean>>({});
  sims = $state(8000);
  epochs = $state(30);
  seed = $state(1);
  /** Held-out simulations refitted by maximum likelihood for the AIC/BIC confusion matrices. */
  mlHeldOut = $state(60);
  jobId = $state<number | null>(null);
  starting = $state(false);
  error = $state<string | null>(null);

  constructor(project: ProjectState) {
    this.#project = project;
  }

  sync(): void {
    const p = this.#project;
    syncSelection(this.models, p.models.map((m) => m.modelId), p.models.map((m) => m.modelId));
    syncSelection(this.datasets, p.datasets.map((d) => d.datasetId), p.datasets.slice(0, 1).map((d) => d.datasetId));
    if (this.jobId === null) {
      const last = [...p.jobs].reverse().find((j) => j.kind === 'fit' && p.isCompareJob(j.jobId));
      if (last) this.jobId = last.jobId;
    }
  }

  chosenModels(): number[] {
    return chosen(this.models);
  }

  async start(): Promise<number | null> {
    const p = this.#project;
    this.error = null;
    const modelIds = this.chosenModels();
    const datasetIds = chosen(this.datasets);
    if (modelIds.length < 2) {
      this.error = 'Choose at least two models to compare. Make a variant with “Duplicate as variant” on the Model screen.';
      return null;
    }
    if (datasetIds.length === 0) {
      this.error = 'Choose at least one dataset (import one in step 3).';
      return null;
    }
    try {
      this.starting = true;
      await p.editor?.flush();
      const input = { project: p.path, modelIds, datasetIds, sims: Math.round(this.sims), epochs: Math.round(this.epochs), seed: Math.round(this.seed), mlHeldOut: Math.round(this.mlHeldOut) };
      const r = await p.client.call('compare.run', input);
      p.remember(r.jobId, 'compare.run', input, true);
      this.jobId = r.jobId;
      await p.refresh('jobs');
      return r.jobId;
    } catch (err) {
      this.error = errorText(err);
      return null;
    } finally {
      this.starting = false;
    }
  }
}

export class ReportExport {
  readonly #project: ProjectState;
  /** The job whose report the Report screen shows (null: the latest). */
  jobId = $state<number | null>(null);
  busy = $state<'html' | 'pdf' | 'preview' | null>(null);
  /** What happened last, for the screen ("Saved … (293 kB)"). */
  last = $state<{ kind: 'html' | 'pdf'; where: string; bytes: number } | null>(null);
  error = $state<string | null>(null);
  #html = new Map<number, { html: string; reportId: number | null }>();

  constructor(project: ProjectState) {
    this.#project = project;
  }

  /** The report as self-contained HTML (rendered by the engine once per job, and saved in the project). */
  async html(jobId: number, report: FitReport): Promise<string> {
    const cached = this.#html.get(jobId);
    if (cached) return cached.html;
    const p = this.#project;
    const r = await p.client.call('report.render', { report: report as unknown as Record<string, unknown>, project: p.path, name: report.title });
    this.#html.set(jobId, r);
    return r.html;
  }

  async exportHtml(jobId: number, report: FitReport): Promise<void> {
    await this.#run('html', async () => {
      const html = await this.html(jobId, report);
      const name = reportFileName(report.title, 'html');
      if (window.sgnn?.saveReport) {
        const path = await window.sgnn.saveReport(html, name);
        if (path) this.last = { kind: 'html', where: path, bytes: html.length };
      } else {
        download(html, name, 'text/html');
        this.last = { kind: 'html', where: name, bytes: html.length };
      }
    });
  }

  /** Desktop: a PDF through Electron's printToPDF. Browser: the printable HTML in a new tab (print it to PDF there). */
  async exportPdf(jobId: number, report: FitReport): Promise<void> {
    await this.#run('pdf', async () => {
      const html = await this.html(jobId, report);
      if (window.sgnn?.saveReportPdf) {
        const path = await window.sgnn.saveReportPdf(html, reportFileName(report.title, 'pdf'));
        if (path) this.last = { kind: 'pdf', where: path, bytes: html.length };
      } else {
        this.openPrintable(html);
      }
    });
  }

  openPrintable(html: string): void {
    const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
    const win = window.open(url, '_blank', 'noopener');
    if (!win) this.#project.app.notify('info', 'Allow pop-ups for this page to open the printable view, or download the HTML and open it.');
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  async #run(kind: 'html' | 'pdf', f: () => Promise<void>): Promise<void> {
    this.error = null;
    this.busy = kind;
    try {
      await f();
    } catch (err) {
      this.error = errorText(err);
    } finally {
      this.busy = null;
    }
  }
}
