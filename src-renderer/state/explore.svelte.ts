/**
 * The Explore screen's state: slider values (one per parameter), the time grid, and the latest
 * results from the simulation worker (deterministic run, stochastic runs, prior-predictive band).
 * Every change re-simulates in the worker; only the latest answer is kept.
 */
import type { Model, Parameter } from '../../src-main/model/schema.ts';
import { priorCdf, priorQuantile } from '../../src-main/simulate/priors.ts';
import { validateModel } from '../../src-main/model/validate.ts';
import type { Band, SeriesSet } from '../workers/protocol.ts';
import type { SimulationService } from './simulation-service.ts';

/** Slider position (0..1) ↔ value through the prior's quantiles (0.5%–99.5%), so the slider spans what the prior allows. */
export function sliderToValue(p: Parameter, u: number): number {
  if (!p.prior) return p.value ?? 0;
  return priorQuantile(p.prior, 0.005 + 0.99 * Math.min(1, Math.max(0, u)));
}

export function valueToSlider(p: Parameter, v: number): number {
  if (!p.prior) return 0.5;
  const c = priorCdf(p.prior, v);
  return Math.min(1, Math.max(0, (c - 0.005) / 0.99));
}

export class ExploreState {
  readonly #sim: SimulationService;
  values = $state<Record<string, number>>({});
  tEnd = $state(30);
  points = $state(121);
  stochastic = $state(true);
  replicates = $state(5);
  showBand = $state(true);
  bandRuns = $state(200);
  seed = $state(1);
  deterministic = $state.raw<SeriesSet | null>(null);
  stochasticRuns = $state.raw<SeriesSet[]>([]);
  band = $state.raw<Band | null>(null);
  error = $state<string | null>(null);
  ms = $state(0);
  bandMs = $state(0);
  running = $state(false);
  #modelKey = '';

  constructor(sim: SimulationService) {
    this.#sim = sim;
  }

  times(): number[] {
    const n = Math.max(2, Math.round(this.points));
    return Array.from({ length: n }, (_, k) => (this.tEnd * k) / (n - 1));
  }

  /** Values for the parameters of `model`: keeps the user's, fills new ones with defaults. */
  sync(model: Model): void {
    const next: Record<string, number> = {};
    for (const p of model.parameters) next[p.id] = this.values[p.id] ?? p.value ?? (p.prior ? sliderToValue(p, 0.5) : 0);
    this.values = next;
  }

  reset(model: Model): void {
    this.values = {};
    this.sync(model);
  }

  /** Deterministic (and stochastic) runs at the current values. */
  async run(model: Model): Promise<void> {
    if (validateModel(model).problems.length > 0) {
      this.error = 'The model has problems: fix them on the Model screen to simulate.';
      return;
    }
    this.running = true;
    const r = await this.#sim.request<'run'>('run', {
      type: 'run', model: $state.snapshot(model) as Model, times: this.times(), params: $state.snapshot(this.values),
      seed: this.seed, stochastic: this.stochastic, replicates: this.replicates,
    });
    if (!r) return;
    this.running = false;
    if (r.type === 'error') {
      this.error = r.message;
      return;
    }
    if (r.type !== 'run') return;
    this.error = null;
    this.deterministic = r.deterministic;
    this.stochasticRuns = r.stochastic;
    this.ms = r.ms;
  }

  /** The prior-predictive band: recomputed only when the model (priors included) or the grid changes. */
  async runBand(model: Model): Promise<void> {
    const key = JSON.stringify([model, this.tEnd, this.points, this.bandRuns]);
    if (!this.showBand || key === this.#modelKey || validateModel(model).problems.length > 0) return;
    this.#modelKey = key;
    const r = await this.#sim.request<'band'>('band', { type: 'band', model: $state.snapshot(model) as Model, times: this.times(), n: this.bandRuns, seed: 7 });
    if (!r || r.type !== 'band') return;
    this.band = r.band;
    this.bandMs = r.ms;
  }
}
