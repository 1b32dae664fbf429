/**
 * One model being edited: the model JSON (immutable snapshots, `$state.raw`), undo/redo, live
 * validation (the engine's own validator, run here), selection, and autosave to the project as a
 * new model version once the model is valid and has been still for a moment.
 */
import type { ModelProblem } from '../../src-main/model/problems.ts';
import type { Model } from '../../src-main/model/schema.ts';
import { validateModel } from '../../src-main/model/validate.ts';
import { History } from '../lib/history.ts';
import { dynamicNames } from '../lib/expression.ts';

export type Selection = { kind: 'species' | 'reaction' | 'parameter' | 'observable'; id: string } | null;
export type SaveState = 'saved' | 'pending' | 'saving' | 'invalid' | 'error';

const AUTOSAVE_MS = 700;

export class ModelEditor {
  readonly modelId: number;
  model = $state.raw<Model>(null as unknown as Model);
  version = $state(0);
  selection = $state<Selection>(null);
  saveState = $state<SaveState>('saved');
  saveError = $state<string | null>(null);
  /** Bumped on every history change so `canUndo`/`canRedo` re-derive. */
  #tick = $state(0);
  #history = new History<Model>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #save: (model: Model) => Promise<number>;

  readonly problems: ModelProblem[] = $derived(validateModel(this.model).problems);
  readonly names: string[] = $derived(dynamicNames(this.model));
  readonly canUndo = $derived(this.#tick >= 0 && this.#history.canUndo);
  readonly canRedo = $derived(this.#tick >= 0 && this.#history.canRedo);

  constructor(modelId: number, version: number, model: Model, save: (model: Model) => Promise<number>) {
    this.modelId = modelId;
    this.version = version;
    this.model = model;
    this.#save = save;
  }

  /** Replace the model with an edited copy (one undo step). */
  apply(next: Model): void {
    if (next === this.model) return;
    this.#history.push(this.model);
    this.model = next;
    this.#tick++;
    this.#scheduleSave();
  }

  /** Apply a change made with a function of the current model. */
  update(change: (m: Model) => Model): void {
    this.apply(change(this.model));
  }

  undo(): void {
    const previous = this.#history.undo(this.model);
    if (previous) {
      this.model = previous;
      this.#tick++;
      this.#scheduleSave();
    }
  }

  redo(): void {
    const next = this.#history.redo(this.model);
    if (next) {
      this.model = next;
      this.#tick++;
      this.#scheduleSave();
    }
  }

  problemsAt(prefix: string): ModelProblem[] {
    return this.problems.filter((p) => p.path === prefix || p.path.startsWith(prefix + '.') || p.path.startsWith(prefix + '['));
  }

  #scheduleSave(): void {
    if (this.#timer) clearTimeout(this.#timer);
    if (validateModel(this.model).problems.length > 0) {
      this.saveState = 'invalid';
      return;
    }
    this.saveState = 'pending';
    this.#timer = setTimeout(() => void this.flush(), AUTOSAVE_MS);
  }

  /** Save now if a save is pending (also on leaving the screen). */
  async flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.saveState !== 'pending') return;
    this.saveState = 'saving';
    const model = this.model;
    try {
      this.version = await this.#save(model);
      this.saveState = this.model === model ? 'saved' : 'pending';
      this.saveError = null;
      if (this.saveState === 'pending') this.#scheduleSave();
    } catch (err) {
      this.saveState = 'error';
      this.saveError = err instanceof Error ? err.message : String(err);
    }
  }
}
