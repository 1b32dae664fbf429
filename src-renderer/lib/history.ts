/** An undo/redo stack of immutable snapshots (plain TS: testable without a DOM). */
export class History<T> {
  #past: T[] = [];
  #future: T[] = [];
  readonly limit: number;

  constructor(limit = 200) {
    this.limit = limit;
  }

  /** Record `previous` as the state before a change. */
  push(previous: T): void {
    this.#past.push(previous);
    if (this.#past.length > this.limit) this.#past.shift();
    this.#future = [];
  }

  /** The state to go back to, given the current one (which becomes redoable); null if none. */
  undo(current: T): T | null {
    const previous = this.#past.pop();
    if (previous === undefined) return null;
    this.#future.push(current);
    return previous;
  }

  redo(current: T): T | null {
    const next = this.#future.pop();
    if (next === undefined) return null;
    this.#past.push(current);
    return next;
  }

  get canUndo(): boolean {
    return this.#past.length > 0;
  }

  get canRedo(): boolean {
    return this.#future.length > 0;
  }

  clear(): void {
    this.#past = [];
    this.#future = [];
  }
}
