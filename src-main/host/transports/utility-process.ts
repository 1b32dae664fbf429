/**
 * Entry of the engine in the desktop app: Electron's utilityProcess runs this file. The main process
 * posts one MessagePort per window (`{ type: 'connect' }` with the port attached) and then leaves
 * the data path: requests, responses and events flow window ⇄ engine directly on the port.
 * Typed structurally (no `electron` import: only src-main/electron/ may import it).
 */
import { createEngine } from '../engine.ts';
import type { RequestMessage } from '../../contract/wire.ts';

interface ElectronMessagePort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
  postMessage(message: unknown): void;
  start(): void;
}
interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown; ports: ElectronMessagePort[] }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) {
  process.stderr.write('utility-process.ts runs inside Electron\'s utilityProcess; use `sgnn serve` elsewhere.\n');
  process.exit(2);
}

const engine = createEngine();
parentPort.on('message', ({ data, ports }) => {
  if ((data as { type?: string })?.type !== 'connect' || ports.length === 0) return;
  const port = ports[0];
  const unsubscribe = engine.onEvent((event) => port.postMessage(event));
  port.on('message', async ({ data: request }) => {
    const r = request as Partial<RequestMessage> | null;
    if (typeof r !== 'object' || r === null || r.type !== 'request' || typeof r.id !== 'number' || typeof r.op !== 'string') {
      port.postMessage({ type: 'response', id: -1, ok: false, error: { code: 'invalid-input', message: 'malformed message: expected {type: "request", id, op, input}' } });
      return;
    }
    port.postMessage(await engine.dispatch(r as RequestMessage));
  });
  port.on('close', unsubscribe);
  port.start();
});
