/**
 * Transports of the engine contract for the renderer: a WebSocket to `sgnn serve` (browser mode)
 * and the Electron preload's MessagePort (desktop mode). Both implement contract/client.ts
 * `Channel`, so `createClient` gives the same typed client over either.
 */
import type { Channel } from '../../src-main/contract/client.ts';
import type { RequestMessage, ServerMessage } from '../../src-main/contract/wire.ts';
import type { SgnnBridge } from './bridge.ts';

export type ConnectionState = 'connecting' | 'open' | 'closed';

/** A WebSocket channel: queues requests until the socket opens; reports its state. */
export function webSocketChannel(url: string, onState: (state: ConnectionState) => void = () => {}): Channel {
  const queue: string[] = [];
  let handler: (message: ServerMessage) => void = () => {};
  const ws = new WebSocket(url);
  onState('connecting');
  ws.addEventListener('open', () => {
    onState('open');
    for (const text of queue.splice(0)) ws.send(text);
  });
  ws.addEventListener('close', () => onState('closed'));
  ws.addEventListener('message', (e: MessageEvent<string>) => {
    try {
      handler(JSON.parse(e.data) as ServerMessage);
    } catch (err) {
      console.error('sgnn: malformed message from the engine', err);
    }
  });
  return {
    send(message: RequestMessage) {
      const text = JSON.stringify(message);
      if (ws.readyState === WebSocket.OPEN) ws.send(text);
      else queue.push(text);
    },
    onMessage(h) {
      handler = h;
    },
    close() {
      ws.close();
    },
  };
}

/** The Electron channel: the preload owns the MessagePort to the engine's utility process. */
export function bridgeChannel(bridge: SgnnBridge): Channel {
  return {
    send(message) {
      bridge.engine.send(message);
    },
    onMessage(h) {
      bridge.engine.onMessage(h);
    },
    close() {},
  };
}

/** The /ws URL for the page's origin and `?token=`. */
export function webSocketUrl(location: { protocol: string; host: string; search: string }): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws?token=${encodeURIComponent(token)}`;
}
