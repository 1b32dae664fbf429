/**
 * `sgnn serve`: the engine over HTTP + WebSocket on 127.0.0.1 only, with a random token required
 * on every request; it also serves the built renderer, so the UI runs in any browser.
 *
 *   GET  /                     the renderer (out/renderer), token in the URL: /?token=…
 *   POST /api/<operation>      JSON body = input; 200 {result} or 4xx/5xx {error: {code, message, details}}
 *   WS   /ws?token=…           the wire protocol (contract/wire.ts): requests, responses and events
 *
 * The token is compared in constant time; requests from a non-loopback peer are refused even if
 * the socket somehow accepted them; the Host header must name the loopback address (DNS rebinding).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse, Server } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { Engine } from '../engine.ts';
import { toErrorData } from '../engine.ts';
import type { RequestMessage } from '../../contract/wire.ts';
import type { ErrorCode } from '../../contract/errors.ts';

export interface ServeOptions {
  engine: Engine;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Given for tests; otherwise 32 random bytes, hex. */
  token?: string;
  /** Folder of the built renderer; default out/renderer. */
  staticDir?: string;
  /** Largest request body accepted (default 256 MB: CSV imports). */
  maxBodyBytes?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  server: Server;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const DEFAULT_STATIC = fileURLToPath(new URL('../../../out/renderer/', import.meta.url));
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.ico': 'image/x-icon', '.wasm': 'application/wasm',
};
const STATUS: Partial<Record<ErrorCode, number>> = { 'invalid-input': 400, 'invalid-model': 422, 'unknown-operation': 404, 'not-found': 404, unauthorized: 401, conflict: 409, 'simulation-failed': 422, project: 409, cancelled: 409, internal: 500 };

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1' || (address?.startsWith('127.') ?? false);
}

function tokenOk(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

const TOKEN_COOKIE = 'sgnn_token';

/**
 * The token of a request: `Authorization: Bearer`, `?token=`, or the cookie set when the page was
 * opened with `?token=` (the page's scripts, styles and worker are fetched without the query).
 */
function requestToken(req: IncomingMessage, url: URL, allowCookie: boolean): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const query = url.searchParams.get('token');
  if (query) return query;
  // The cookie only serves the page's own static files: another page on 127.0.0.1 counts as the same
  // site, so the API and the WebSocket need the token itself (CSRF, WebSocket hijacking).
  if (!allowCookie) return null;
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return value.join('=');
  }
  return null;
}

/** A browser request from another page (another origin) is refused; tools send no Origin. */
function originOk(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://${HOST}:${port}` || origin === `http://localhost:${port}` || origin === `http://[::1]:${port}`;
}

/** The request URL, or null when it cannot be parsed or decoded (answered 400, never a crash). */
function parseUrl(raw: string | undefined): { url: URL; path: string } | null {
  try {
    const url = new URL(raw ?? '/', `http://${HOST}`);
    return { url, path: decodeURIComponent(url.pathname) };
  } catch {
    return null;
  }
}

function hostOk(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  return host === `${HOST}:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(text);
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(Object.assign(new Error(`request body larger than ${limit} bytes`), { status: 413 }));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Start serving; resolves once listening. */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(32).toString('hex');
  const staticDir = options.staticDir ?? DEFAULT_STATIC;
  const maxBody = options.maxBodyBytes ?? 256 * 1024 * 1024;
  const { engine } = options;
  let port = 0;

  const server = createServer(async (req, res) => {
    try {
      await handleRequest(req, res);
    } catch (err) {
      // A request must never take the engine down with it.
      if (!res.headersSent) sendJson(res, 500, { error: toErrorData(err) });
      else res.destroy();
    }
  });

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = parseUrl(req.url);
    if (!parsed) {
      sendJson(res, 400, { error: { code: 'invalid-input', message: 'malformed request URL' } });
      return;
    }
    const { url, path } = parsed;
    if (!isLoopback(req.socket.remoteAddress) || !hostOk(req, port) || !originOk(req, port)) {
      sendJson(res, 403, { error: { code: 'unauthorized', message: 'only local connections to 127.0.0.1 from the app itself are accepted' } });
      return;
    }
    const isApi = url.pathname.startsWith('/api/');
    if (!tokenOk(requestToken(req, url, !isApi && req.method === 'GET'), token)) {
      sendJson(res, 401, { error: { code: 'unauthorized', message: 'missing or wrong token: open the URL that `sgnn serve` printed' } });
      return;
    }
    if (isApi) {
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        sendJson(res, 405, { error: { code: 'invalid-input', message: 'use POST with a JSON body' } });
        return;
      }
      let input: unknown;
      try {
        const body = await readBody(req, maxBody);
        input = body.trim() === '' ? {} : JSON.parse(body);
      } catch (err) {
        const status = (err as { status?: number }).status ?? 400;
        sendJson(res, status, { error: { code: 'invalid-input', message: status === 413 ? (err as Error).message : `the request body is not valid JSON: ${(err as Error).message}` } });
        return;
      }
      try {
        sendJson(res, 200, { result: await engine.handle(path.slice(5), input) });
      } catch (err) {
        const error = toErrorData(err);
        sendJson(res, STATUS[error.code] ?? 500, { error });
      }
      return;
    }
    // Opened with ?token=: remember it for the page's own assets (HttpOnly, this origin only).
    if (url.searchParams.get('token')) res.setHeader('set-cookie', `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    serveStatic(res, staticDir, path);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: maxBody });
  server.on('upgrade', (req, socket, head) => {
    const parsed = parseUrl(req.url);
    if (!parsed || parsed.url.pathname !== '/ws' || !isLoopback(req.socket.remoteAddress) || !hostOk(req, port) || !originOk(req, port) || !tokenOk(requestToken(req, parsed.url, false), token)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, engine));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://${HOST}:${port}/?token=${token}`,
    port,
    token,
    server,
    close: () => new Promise<void>((resolve) => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** One WebSocket connection: requests in, responses and every engine event out. */
function attach(ws: WebSocket, engine: Engine): void {
  const unsubscribe = engine.onEvent((event) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event));
  });
  ws.on('message', async (data) => {
    let request: RequestMessage;
    try {
      request = JSON.parse(data.toString()) as RequestMessage;
      if (request?.type !== 'request' || typeof request.id !== 'number' || typeof request.op !== 'string') throw new Error('expected {type: "request", id, op, input}');
    } catch (err) {
      ws.send(JSON.stringify({ type: 'response', id: -1, ok: false, error: { code: 'invalid-input', message: `malformed message: ${(err as Error).message}` } }));
      return;
    }
    const response = await engine.dispatch(request);
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(response));
  });
  ws.on('close', unsubscribe);
  ws.on('error', unsubscribe);
}

const PAGE_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
/**
 * The renderer's simulation worker compiles models with `new Function` (model/compile.ts, from
 * validated syntax trees only). It alone may evaluate code, and it may not connect anywhere.
 * Same policy as the desktop app (src-main/electron/security.ts).
 */
const WORKER_CSP = "default-src 'none'; script-src 'self' 'unsafe-eval'; connect-src 'none'";
const SIMULATION_WORKER = /^simulation\.worker[-.][^/]*\.js$/;

function serveStatic(res: ServerResponse, root: string, pathname: string): void {
  const relative = normalize(pathname).replace(/^([/\\])+/, '');
  let file = join(root, relative);
  if (!file.startsWith(normalize(root)) || relative.split(sep).includes('..')) {
    sendJson(res, 403, { error: { code: 'unauthorized', message: 'path outside the app' } });
    return;
  }
  if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html'); // single-page app
  if (!existsSync(file)) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('The renderer is not built yet: run `npm run build`. The API is available under /api/.');
    return;
  }
  res.writeHead(200, {
    'content-type': MIME[extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    'content-security-policy': SIMULATION_WORKER.test(basename(file)) ? WORKER_CSP : PAGE_CSP,
  });
  res.end(readFileSync(file));
}
