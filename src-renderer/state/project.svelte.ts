/**
 * The open project: its info, models (one `ModelEditor` for the model being edited), datasets,
 * designs, banks and jobs, kept fresh from the engine's `project.changed` and job events.
 */
import type {
  BankSummary, DatasetRecord, DatasetSummary, DesignSummary, JobInfo, JobProgress, ModelSummary, ProjectInfo,
} from '../../src-main/contract/types.ts';
import type { Model } from '../../src-main/model/schema.ts';
import { ModelEditor } from './model-editor.svelte.ts';
import { ExploreState } from './explore.svelte.ts';
import { DataImport } from './data-import.svelte.ts';
import { BankForm } from './bank-form.svelte.ts';
import { errorText } from '../lib/errors.ts';
import type { AppState } from './app.svelte.ts';

export interface LiveProgress extends JobProgress {
  /** performance.now() of the last event. */
  at: number;
}

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
  progress = $state<Record<number, LiveProgress>>({});
  /** The dataset the Data and Explore screens show (the latest import by default). */
  datasetId = $state<number | null>(null);
  #unsubscribe: (() => void)[] = [];
  readonly explore: ExploreState;
  readonly dataImport: DataImport;
  readonly bankForm: BankForm;

  readonly runningJobs = $derived(this.jobs.filter((j) => j.status === 'running' || j.status === 'queued'));

  constructor(app: AppState, path: string) {
    this.app = app;
    this.path = path;
    this.explore = new ExploreState(app.simulator);
    this.dataImport = new DataImport(this);
    this.bankForm = new BankForm(this);
  }

  get client() {
    return this.app.client;
  }

  async load(): Promise<void> {
    this.info = await this.client.call('project.info', { path: this.path });
    await Promise.all([this.refresh('models'), this.refresh('datasets'), this.refresh('designs'), this.refresh('banks'), this.refresh('jobs')]);
    if (this.models.length > 0) await this.selectModel(this.models[0].modelId);
    this.datasetId = this.datasets.at(-1)?.datasetId ?? null;
    const c = this.client;
    this.#unsubscribe.push(
      c.on('project.changed', (e) => {
        if (e.project !== this.path) return;
        if (e.what === 'models' || e.what === 'datasets' || e.what === 'designs' || e.what === 'banks' || e.what === 'jobs') void this.refresh(e.what);
      }),
      c.on('job.progress', (e) => {
        if (e.project !== this.path) return;
        this.progress[e.jobId] = { ...e.progress, at: performance.now() };
        if (!this.jobs.some((j) => j.jobId === e.jobId && j.status === 'running')) void this.refresh('jobs');
      }),
      c.on('job.finished', (e) => {
        if (e.project !== this.path) return;
        void this.refresh('jobs');
        void this.refresh('banks');
        if (e.status === 'failed') this.app.notify('error', `Job ${e.jobId} failed: ${e.error?.message ?? 'unknown error'}`);
        else if (e.status === 'succeeded') this.app.notify('success', `Job ${e.jobId} (${e.kind}) finished`);
      }),
    );
  }

  dispose(): void {
    void this.editor?.flush();
    for (const u of this.#unsubscribe) u();
    this.#unsubscribe = [];
  }

  async refresh(what: 'models' | 'datasets' | 'designs' | 'banks' | 'jobs'): Promise<void> {
    const project = this.path;
    try {
      switch (what) {
        case 'models': this.models = await this.client.call('model.list', { project }); break;
        case 'datasets': this.datasets = await this.client.call('dataset.list', { project }); break;
        case 'designs': this.designs = await this.client.call('design.list', { project }); break;
        case 'banks': this.banks = await this.client.call('bank.list', { project }); break;
        case 'jobs': this.jobs = await this.client.call('job.list', { project }); break;
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
  async addModel(kind: 'duplicate' | 'empty'): Promise<void> {
    const names = new Set(this.models.map((m) => m.name));
    const base: Model = kind === 'duplicate' && this.editor
      ? structuredClone($state.snapshot(this.editor.model) as Model)
      : { format: 'sgnn-model/1', name: 'New model', parameters: [], species: [], rules: [], odes: [], reactions: [], observables: [] };
    let name = kind === 'duplicate' ? `${base.name} (variant)` : base.name;
    for (let i = 2; names.has(name); i++) name = `${kind === 'duplicate' ? `${base.name} (variant ${i})` : `New model ${i}`}`;
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

  async resumeJob(jobId: number): Promise<void> {
    try {
      await this.client.call('job.resume', { project: this.path, jobId });
      await this.refresh('jobs');
    } catch (err) {
      this.app.notify('error', errorText(err));
    }
  }
}
