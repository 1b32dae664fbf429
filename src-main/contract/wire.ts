/**
 * The messages every transport carries (WebSocket, MessagePort, in-process): requests with an id,
 * responses that echo it, and events. The same client code (client.ts) runs over all of them.
 */
import type { ErrorData } from './errors.ts';
import type { EngineEvents, EventName } from './types.ts';

export interface RequestMessage {
  type: 'request';
  id: number;
  op: string;
  input: unknown;
}

export type ResponseMessage =
  | { type: 'response'; id: number; ok: true; result: unknown }
  | { type: 'response'; id: number; ok: false; error: ErrorData };

export interface EventMessage<E extends EventName = EventName> {
  type: 'event';
  event: E;
  payload: EngineEvents[E];
}

export type ServerMessage = ResponseMessage | EventMessage;
