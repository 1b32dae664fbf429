/** The in-process transport (CLI, tests): the client talks to an engine in the same thread. */
import { createClient } from '../../contract/client.ts';
import type { EngineClient } from '../../contract/client.ts';
import type { ServerMessage } from '../../contract/wire.ts';
import type { Engine } from '../engine.ts';

/** A typed client for an engine in this process. Messages are structured-cloned, as across a real boundary. */
export function inProcessClient(engine: Engine): EngineClient {
  let deliver: (message: ServerMessage) => void = () => {};
  const unsubscribe = engine.onEvent((event) => deliver(structuredClone(event)));
  return createClient({
    send(request) {
      void engine.dispatch(structuredClone(request)).then((response) => deliver(structuredClone(response)));
    },
    onMessage(handler) {
      deliver = handler;
    },
    close() {
      unsubscribe();
    },
  });
}
