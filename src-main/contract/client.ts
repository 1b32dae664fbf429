/**
 * The typed client the renderer, the CLI and tests use: `client.call('project.open', {path})` gets
 * its input and output types from the contract. One implementation over any message channel.
 */
import { AppError, isErrorData } from './errors.ts';
import type { OpInput, OpName, OpOutput } from './operations.ts';
import type { EngineEvents, EventName } from './types.ts';
import type { RequestMessage, ServerMessage } from './wire.ts';

export interface EngineClient {
  call<K extends OpName>(name: K, input: OpInput<K>): Promise<OpOutput<K>>;
  on<E extends EventName>(event: E, handler: (payload: EngineEvents[E]) => void): () => void;
  close(): void;
}

/** A bidirectional message channel: send a request; deliver every server message to `onMessage`. */
export interface Channel {
  send(message: RequestMessage): void;
  onMessage(handler: (message: ServerMessage) => void): void;
  close(): void;
}

/** A client over any channel: matches responses to requests by id; errors arrive as AppError. */
export function createClient(channel: Channel): EngineClient {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  channel.onMessage((message) => {
    if (message.type === 'response') {
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else {
        const e = isErrorData(message.error) ? message.error : { code: 'internal' as const, message: 'malformed error from the engine' };
        waiter.reject(new AppError(e.code, e.message, e.details));
      }
    } else if (message.type === 'event') {
      for (const handler of listeners.get(message.event) ?? []) (handler as (p: unknown) => void)(message.payload);
    }
  });
  return {
    call(name, input) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        channel.send({ type: 'request', id, op: name, input });
      });
    },
    on(event, handler) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(handler as (payload: never) => void);
      return () => set.delete(handler as (payload: never) => void);
    },
    close() {
      for (const { reject } of pending.values()) reject(new AppError('cancelled', 'the connection to the engine was closed'));
      pending.clear();
      channel.close();
    },
  };
}
