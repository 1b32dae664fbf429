/** Key/value project metadata: name, description, createdWith, createdAt, lastWrittenWith, … */
import type { StoreContext } from './context.ts';
import { ProjectError } from './errors.ts';

/** Keys the store itself maintains; others are free for the app. */
export type KnownMetaKey = 'name' | 'description' | 'createdWith' | 'createdAt' | 'lastWrittenWith' | 'lastWrittenAt';

/** Key/value metadata of a project. */
export class MetaRepository {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** The value of a key, or undefined. */
  get(key: KnownMetaKey | (string & {})): string | undefined {
    const row = this.#ctx.read(() => this.#ctx.stmt('SELECT value FROM project_meta WHERE key = ?').get(key)) as { value: string } | undefined;
    return row?.value;
  }

  /** Sets a key (creates or replaces it). */
  set(key: KnownMetaKey | (string & {}), value: string): void {
    if (typeof key !== 'string' || key === '') throw new ProjectError('invalid', `a metadata key must be a non-empty string (found ${JSON.stringify(key)})`);
    if (typeof value !== 'string') throw new ProjectError('invalid', `metadata "${key}" must be a string (found ${typeof value})`);
    this.#ctx.write(() => this.#ctx.stmt('INSERT INTO project_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value));
  }

  /** Removes a key; returns whether it was there. */
  delete(key: string): boolean {
    return this.#ctx.write(() => this.#ctx.stmt('DELETE FROM project_meta WHERE key = ?').run(key).changes > 0);
  }

  /** Every key and value. */
  all(): Record<string, string> {
    const rows = this.#ctx.read(() => this.#ctx.stmt('SELECT key, value FROM project_meta ORDER BY key').all()) as { key: string; value: string }[];
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }
}
