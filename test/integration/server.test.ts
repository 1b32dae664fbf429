/** `sgnn serve`: loopback only, a token on every request, the contract's validation over HTTP and WebSocket. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { WebSocket } from 'ws';
import { createEngine } from '../../src-main/host/engine.ts';
import type { Engine } from '../../src-main/host/engine.ts';
import { serve } from '../../src-main/host/server/serve.ts';
import type { RunningServer } from '../../src-main/host/server/serve.ts';
import { createClient } from '../../src-main/contract/client.ts';
import type { ServerMessage } from '../../src-main/contract/wire.ts';

let engine: Engine;
let server: RunningServer;
const dir = mkdtempSync(join(tmpdir(), 'sgnn-serve-'));

beforeAll(async () => {
  engine = createEngine({ workers: 1 });
  server = await serve({ engine, staticDir: dir });
});
afterAll(async () => {
  await server.close();
  await engine.close();
});

function http(path: string, options: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const auth = () => ({ authorization: `Bearer ${server.token}`, 'content-type': 'application/json' });

describe('sgnn serve', () => {
  it('listens on 127.0.0.1 only, with a random 64-hex-digit token', () => {
    const address = server.server.address();
    expect(typeof address === 'object' && address?.address).toBe('127.0.0.1');
    expect(server.token).toMatch(/^[0-9a-f]{64}$/);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
  });

  it('refuses requests without the token or with a wrong one (401), on the API and the app', async () => {
    for (const [path, headers] of [
      ['/api/app.version', {}],
      ['/api/app.version', { authorization: 'Bearer nope' }],
      ['/api/app.version?token=nope', {}],
      [`/api/app.version?token=${server.token.slice(0, 63)}`, {}],
      ['/', {}],
      ['/index.html', {}],
    ] as const) {
      const r = await http(path, { method: path.startsWith('/api') ? 'POST' : 'GET', headers });
      expect(r.status, path).toBe(401);
      expect(JSON.parse(r.body).error.code).toBe('unauthorized');
    }
  });

  it('refuses a Host header that is not loopback (DNS rebinding)', async () => {
    const r = await http('/api/app.version', { method: 'POST', headers: { ...auth(), host: 'evil.example:80' } });
    expect(r.status).toBe(403);
  });

  it('answers a valid request with the token', async () => {
    const r = await http('/api/app.version', { method: 'POST', headers: auth(), body: '{}' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).result.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('answers malformed requests with {code, message, details} and no stack trace', async () => {
    const cases: [string, string, number, string][] = [
      ['/api/app.version', '{not json', 400, 'invalid-input'],
      ['/api/no.such.op', '{}', 404, 'unknown-operation'],
      ['/api/project.open', '{}', 400, 'invalid-input'],
      ['/api/project.open', '{"path": 42}', 400, 'invalid-input'],
      ['/api/project.open', '{"path": "x.sgnn", "extra": true}', 400, 'invalid-input'],
      ['/api/project.open', JSON.stringify({ path: join(dir, 'missing.sgnn') }), 409, 'project'],
      ['/api/model.simulate', JSON.stringify({ model: { format: 'sgnn-model/1', name: 'x', species: [{ id: 'A', initial: 'k' }] }, times: [0, 1] }), 422, 'invalid-model'],
      ['/api/constructor', '{}', 404, 'unknown-operation'],
      ['/api/__proto__', '{}', 404, 'unknown-operation'],
    ];
    for (const [path, body, status, code] of cases) {
      const r = await http(path, { method: 'POST', headers: auth(), body });
      expect(r.status, `${path} ${body}`).toBe(status);
      const error = JSON.parse(r.body).error;
      expect(error.code, `${path} ${body}`).toBe(code);
      expect(typeof error.message).toBe('string');
      expect(r.body).not.toMatch(/\bat .*\.ts:\d+/);
    }
    expect((await http('/api/app.version', { method: 'GET', headers: auth() })).status).toBe(405);
  });

  it('survives malformed request URLs (400, and the server keeps answering)', async () => {
    const { connect } = await import('node:net');
    const raw = await new Promise<string>((resolve) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.write('GET //[ HTTP/1.1\r\nHost: 127.0.0.1:' + server.port + '\r\nConnection: close\r\n\r\n'));
      let text = '';
      socket.on('data', (d) => { text += d.toString(); });
      socket.on('end', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect((await http(`/%E0%A4%A?token=${server.token}`)).status).toBe(400);
    expect((await http('/api/app.version', { method: 'POST', headers: auth(), body: '{}' })).status).toBe(200);
  });

  it('refuses requests from other pages (Origin) and never accepts the cookie for the API', async () => {
    const page = await http(`/?token=${server.token}`);
    expect(page.status).not.toBe(401);
    const cookie = `sgnn_token=${server.token}`;
    const viaCookie = await http('/api/app.version', { method: 'POST', headers: { cookie, 'content-type': 'text/plain' }, body: '{}' });
    expect(viaCookie.status).toBe(401);
    const foreign = await http('/api/app.version', { method: 'POST', headers: { ...auth(), origin: 'http://127.0.0.1:8080' }, body: '{}' });
    expect(foreign.status).toBe(403);
    const own = await http('/api/app.version', { method: 'POST', headers: { ...auth(), origin: `http://127.0.0.1:${server.port}` }, body: '{}' });
    expect(own.status).toBe(200);
  });

  it('refuses WebSocket upgrades without the token', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`);
    const outcome = await new Promise<string>((resolve) => {
      ws.on('open', () => resolve('open'));
      ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      ws.on('error', () => resolve('error'));
    });
    expect(outcome).toBe('401');
  });

  it('runs the contract over WebSocket: calls, errors as data, job events', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`);
    await new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); });
    const client = createClient({
      send: (m) => ws.send(JSON.stringify(m)),
      onMessage: (handler) => ws.on('message', (data) => handler(JSON.parse(data.toString()) as ServerMessage)),
      close: () => ws.close(),
    });
    const path = join(dir, 'ws.sgnn');
    const info = await client.call('project.create', { path, template: 'sir' });
    expect(info.counts.models).toBe(1);
    await expect(client.call('model.get', { project: path, modelId: 99 })).rejects.toMatchObject({ code: 'not-found' });
    const design = await client.call('design.create', { project: path, times: [1, 2, 3], observables: ['cases'] });
    const progress: number[] = [];
    client.on('job.progress', (e) => progress.push(e.progress.current));
    const { jobId } = await client.call('bank.create', { project: path, models: [{ modelId: 1 }], designId: design.designId, n: 500, seed: 3, chunkSize: 50 });
    const job = await client.call('job.wait', { project: path, jobId });
    expect(job.status).toBe('succeeded');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(500);
    client.close();
  });
});
