/**
 * The open project: its info, models (one `ModelEditor` for the model being edited; SBML import
 * and export), datasets, designs, banks and jobs, kept fresh from the engine's `project.changed`
 * and job events.
 */
import type {
  BankSummary, DatasetRecord, DatasetSummary, DesignSummary, EstimateSummary, JobInfo, JobProgress, ModelSummary, NetworkSummary, ProjectInfo,
} from '../../src-main/contract/types.ts';
import type { Model } from '../../src-main/model/schema.ts';
import { ModelEditor } from './model-editor.svelte.ts';
import { ExploreState } from './explore.svelte.ts';
import { DataImport } from './data-import.svelte.ts';
import { BankForm } from './bank-form.svelte.ts';
import { CompareForm, ReportExport, TrainForm } from './learn.svelte.ts';
import { SbmlTransfer } from './sbml.svelte.ts';
import { nextClock, stepEta } from '../lib/learn.ts';
import type { StepClock } from '../lib/learn.ts';
import { errorText } from '../lib/errors.ts';
import { uniqueName } from '../lib/format.ts';
import type { AppState } from './app.svelte.ts';

export interface LiveProgress extends JobProgress {
  /** performance.now() of the last event. */
  at: number;
  /** Seconds left in the current step, from the step's own rate (the engine's ETA spans the whole job). */
  stepEta: number;
}

export interface LossPoint {
  epoch: number;
  train: number;
  validation: number | null;
}

type Refreshable = 'models' | 'datasets' | 'designs' | 'banks' | 'jobs' | 'networks' | 'estimates';

export class ProjectState {
  readonly app: AppState;
  readonly path: string;
  info = $state.raw<ProjectInfo | null>(null);
  models = $state.raw<ModelSummary[]>([]);
  editor = $state<ModelEditor | null>(null);
  datasets = $state.raw<DatasetSummary[]>([]);
  datasetRecords = $state.raw<Record<number, DatasetRecord>>({});
  designs = $state.raw<DesignSummary[]>([]);
  banks = $state.raw<BankSummary[]>([]);
  jobs = $state.raw<JobInfo[]>([]);
  networks = $state.raw<NetworkSummary[]>([]);
  estimates = $state.raw<EstimateSummary[]>([]);
  progress = $state<Record<number, LiveProgress>>({});
  /** Live training losses per job (from progress events), for loss curves. */
  losses = $state.raw<Record<number, LossPoint[]>>({});
  /** What started each job in this session (comparison or fit, and its settings): for labels and "Run again". */
  specs = $state.raw<Record<number, { compare?: boolean; op: string; input: Record<string, unknown> }>>({});
  #clocks = new Map<number, StepClock>();
  /** The dataset the Data and Explore screens show (the latest import by default). */
  datasetId = $state<number | null>(null);
  #unsubscribe: (() => void)[] = [];
  readonly explore: ExploreState;
  readonly dataImport: DataImport;
  readonly bankForm: BankForm;
  readonly trainForm: TrainForm;
  readonly compareForm: CompareForm;
  readonly reportExport: ReportExport;
  readonly sbml: SbmlTransfer;

  readonly runningJobs = $derived(this.jobs.filter((j) => j.status === 'running' || j.status === 'queued'));

  constructor(app: AppState, path: string) {
    this.app = app;
    this.path = path;
    this.explore = new ExploreState(app.simulator);
    this.dataImport = new DataImport(this);
    this.bankForm = new BankForm(this);
    this.trainForm = new TrainForm(this);
    this.compareForm = new CompareForm(this);
    this.reportExport = new ReportExport(this);
    this.sbml = new SbmlTransfer(this);
  }

  get client() {
    return this.app.client;
  }

  async load(): Promise<void> {
    this.info = await this.client.call('project.info', { path: this.path });
    await Promise.all((['models', 'datasets', 'designs', 'banks', 'jobs', 'networks', 'estimates'] as const).map((w) => this.refresh(w)));
    if (this.models.length > 0) await this.selectModel(this.models[0].modelId);
    this.datasetId = this.datasets.at(-1)?.datasetId ?? null;
    const c = this.client;
    this.#unsubscribe.push(
      c.on('project.changed', (e) => {
        if (e.project !== this.path) return;
        if (e.what !== 'reports') void this.refresh(e.what);
      }),
      c.on('job.progress', (e) => {
        if (e.project !== this.path) return;
        const now = performance.now();
        const p = e.progress;
        const clock = nextClock(this.#clocks.get(e.jobId), p.step, p.current, now);
        this.#clocks.set(e.jobId, clock);
        this.progress[e.jobId] = { ...p, at: now, stepEta: stepEta(clock, p.current, p.total, now) };
        if (p.losses && Number.isFinite(p.losses.train)) {
          const list = this.losses[e.jobId] ?? [];
          if (!list.length || p.losses.epoch > list[list.length - 1].epoch) this.losses = { ...this.losses, [e.jobId]: [...list, p.losses] };
        }
        if (!this.jobs.some((j) => j.jobId === e.jobId && j.status === 'running')) void this.refresh('jobs');
      }),
      c.on('job.finished', (e) => {
        if (e.project !== this.path) return;
        void this.refresh('jobs');
        void this.refresh('banks');
        if (e.status === 'failed') this.app.notify('error', `Job ${e.jobId} failed: ${e.error?.message ?? 'unknown error'}`);
        else if (e.status === 'succeeded') this.app.notify('success', `${this.jobTitle(e.jobId, e.kind)} finished`);
      }),
    );
  }

  dispose(): void {
    void this.editor?.flush();
    for (const u of this.#unsubscribe) u();
    this.#unsubscribe = [];
  }

  /** "Fit #3", "Compare #5", "Simulate #1". */
  jobTitle(jobId: number, kind: string): string {
    const spec = this.specs[jobId];
    const label = kind === 'fit' ? (spec?.compare || this.isCompareJob(jobId) ? 'Compare' : 'Fit') : ({ bank: 'Simulate', train: 'Train', evaluate: 'Check', estimate: 'Estimate', report: 'Report' } as Record<string, string>)[kind] ?? kind;
    return `${label} #${jobId}`;
  }

  isCompareJob(jobId: number): boolean {
    if (this.specs[jobId]?.compare) return true;
    const r = this.jobs.find((j) => j.jobId === jobId)?.result as { kind?: string } | null | undefined;
    return r?.kind === 'compare';
  }

  /** Remember what started a job (labels, "Run again"). */
  remember(jobId: number, op: string, input: Record<string, unknown>, compare = false): void {
    this.specs = { ...this.specs, [jobId]: { op, input, compare } };
  }

  async refresh(what: Refreshable): Promise<void> {
    const project = this.path;
    try {
      switch (what) {
        case 'models': this.models = await this.client.call('model.list', { project }); break;
        case 'datasets': this.datasets = await this.client.call('dataset.list', { project }); break;
        case 'designs': this.designs = await this.client.call('design.list', { project }); break;
        case 'banks': this.banks = await this.client.call('bank.list', { project }); break;
        case 'jobs': this.jobs = await this.client.call('job.list', { project }); break;
        case 'networks': this.networks = await this.client.call('network.list', { project }); break;
        case 'estimates': this.estimates = await this.client.call('estimate.list', { project }); break;
      }
    } catch (err) {
      this.app.notify('error', errorText(err));
    }
  }

  async selectModel(modelId: number): Promise<void> {
    await this.editor?.flush();
    const record = await this.client.call('model.get', { project: this.path, modelId });
    this.editor = new ModelEditor(record.modelId, record.version, record.model, async (model) => {
      const saved = await this.client.call('model.add', { project: this.path, model, modelId: record.modelId });
      return saved.version;
    });
  }

  /** A new model: a copy of the current one (a variant) or an empty one. */
  async addModel(kind: 'duplicate' | 'empty', wanted?: string): Promise<void> {
    const base: Model = kind === 'duplicate' && this.editor
      ? structuredClone($state.snapshot(this.editor.model) as Model)
      : { format: 'sgnn-model/1', name: 'New model', parameters: [], species: [], rules: [], odes: [], reactions: [], observables: [] };
    const root = wanted?.trim() || (kind === 'duplicate' ? `${base.name} (variant)` : base.name);
    const name = uniqueName(root, this.models.map((m) => m.name));
    try {
      const saved = await this.client.call('model.add', { project: this.path, model: { ...base, name } });
      await this.refresh('models');
      await this.selectModel(saved.modelId);
      this.app.notify('success', kind === 'duplicate' ? `Duplicated as “${name}”` : `Added “${name}”`);
    } catch (err) {
      this.app.notify('error', errorText(err));
    }
  }

  async dataset(datasetId: number): Promise<DatasetRecord> {
    const cached = this.datasetRecords[datasetId];
    if (cached) return cached;
    const record = await this.client.call('dataset.get', { project: this.path, datasetId });
    this.datasetRecords = { ...this.datasetRecords, [datasetId]: record };
    return record;
  }

  async cancelJob(jobId: number): Promise<void> {
    try {
      await this.client.call('job.cancel', { project: this.path, jobId });
      await this.refresh('jobs');
    } catch (err) {
      this.app.notify('error', errorText(err));
    }
  }

  async resumeBank(bankId: number): Promise<void> {
    try {
      await this.client.call('bank.resume', { project: this.path, bankId });
      await this.refresh('jobs');
    } catch (err) {
      this.app.notify('error', errorText(err));
    }
  }

  /** Bank jobs resume where they stopped; a fit, comparison or training started in this session runs again with the same settings. */
  async resumeJob(jobId: number): Promise<void> {
    try {
      const job = this.jobs.find((j) => j.jobId === jobId);
      const spec = this.specs[jobId];
      if (job && job.kind !== 'bank' && spec) {
        const r = (await this.client.call(spec.op as 'fit.run', spec.input as never)) as { jobId: number };
        this.remember(r.jobId, spec.op, spec.input, spec.compare);
        if (spec.op === 'fit.run' || spec.op === 'network.train') this.trainForm.jobId = r.jobId;
        else if (spec.op === 'compare.run') this.compareForm.jobId = r.jobId;
      } else {
        await this.client.call('job.resume', { project: this.path, jobId });
      }
      await this.refresh('jobs');
    } catch (err) {
      this.app.notify('error', errorText(err));
    }
  }

  canResume(job: JobInfo): boolean {
    if (job.status !== 'cancelled' && job.status !== 'interrupted' && job.status !== 'failed') return false;
    return job.kind === 'bank' || !!this.specs[job.jobId];
  }
}
