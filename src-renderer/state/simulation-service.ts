/** The renderer's handle on its simulation worker: latest-request-wins calls that resolve with results. */
import type { WorkerRequest, WorkerResponse } from '../workers/protocol.ts';

type Pending = { resolve: (r: WorkerResponse) => void };

export class SimulationService {
  #worker: Worker | null = null;
  #nextId = 1;
  #pending = new Map<number, Pending>();
  /** Latest request id per kind: older answers are dropped (a slider moved on). */
  #latest = new Map<string, number>();

  #ensure(): Worker {
    if (!this.#worker) {
      this.#worker = new Worker(new URL('../workers/simulation.worker.ts', import.meta.url), { type: 'module', name: 'sgnn-simulation' });
      this.#worker.onmessage = (e: MessageEvent<WorkerResponse>) => {
        const p = this.#pending.get(e.data.id);
        this.#pending.delete(e.data.id);
        p?.resolve(e.data);
      };
      this.#worker.onerror = (e) => {
        for (const [id, p] of this.#pending) p.resolve({ type: 'error', id, message: e.message || 'the simulation worker failed to start' });
        this.#pending.clear();
      };
    }
    return this.#worker;
  }

  /** Send a request; resolves null when a newer request of the same kind superseded it. */
  request<T extends WorkerRequest['type']>(kind: string, body: Omit<Extract<WorkerRequest, { type: T }>, 'id'>): Promise<WorkerResponse | null> {
    const id = this.#nextId++;
    this.#latest.set(kind, id);
    return new Promise((resolve) => {
      this.#pending.set(id, { resolve: (r) => resolve(this.#latest.get(kind) === id ? r : null) });
      this.#ensure().postMessage({ ...body, id } as unknown as WorkerRequest);
    });
  }

  dispose(): void {
    this.#worker?.terminate();
    this.#worker = null;
  }
}
