/** The Simulate screen's form: which models, which design, how many simulations; starts the bank job. */
import type { ProjectState } from './project.svelte.ts';
import { errorText } from '../lib/errors.ts';

export class BankForm {
  readonly #project: ProjectState;
  n = $state(10_000);
  seed = $state(1);
  noise = $state(true);
  designSource = $state<'dataset' | 'grid'>('dataset');
  datasetId = $state<number | null>(null);
  tEnd = $state(30);
  points = $state(31);
  /** modelId → included */
  models = $state<Record<number, boolean>>({});
  starting = $state(false);
  error = $state<string | null>(null);

  constructor(project: ProjectState) {
    this.#project = project;
  }

  /** Defaults from the project: the latest dataset as design, the model being edited. */
  sync(): void {
    const p = this.#project;
    if (this.datasetId === null || !p.datasets.some((d) => d.datasetId === this.datasetId)) this.datasetId = p.datasets.at(-1)?.datasetId ?? null;
    if (this.datasetId === null) this.designSource = 'grid';
    const current = p.editor?.modelId;
    for (const m of p.models) if (!(m.modelId in this.models)) this.models[m.modelId] = m.modelId === current;
    if (current !== undefined && !Object.values(this.models).some(Boolean)) this.models[current] = true;
  }

  chosenModels(): number[] {
    return Object.entries(this.models).filter(([, on]) => on).map(([id]) => Number(id));
  }

  async start(): Promise<number | null> {
    const p = this.#project;
    this.error = null;
    const modelIds = this.chosenModels();
    if (modelIds.length === 0) {
      this.error = 'Choose at least one model to simulate.';
      return null;
    }
    this.starting = true;
    try {
      await p.editor?.flush();
      const observables = p.editor?.model.observables.map((o) => o.id) ?? [];
      let designId: number;
      if (this.designSource === 'dataset' && this.datasetId !== null) {
        const existing = p.designs.find((d) => d.datasetId === this.datasetId);
        designId = existing?.designId ?? (await p.client.call('design.create', { project: p.path, datasetId: this.datasetId })).designId;
      } else {
        const n = Math.max(2, Math.round(this.points));
        const times = Array.from({ length: n }, (_, k) => (this.tEnd * k) / (n - 1));
        designId = (await p.client.call('design.create', { project: p.path, times, observables })).designId;
      }
      const r = await p.client.call('bank.create', {
        project: p.path, designId, n: this.n, seed: this.seed, noise: this.noise, models: modelIds.map((modelId) => ({ modelId })),
      });
      await Promise.all([p.refresh('designs'), p.refresh('banks'), p.refresh('jobs')]);
      return r.jobId;
    } catch (err) {
      this.error = errorText(err);
      return null;
    } finally {
      this.starting = false;
    }
  }
}
