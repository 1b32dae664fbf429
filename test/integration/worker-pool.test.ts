/**
 * Pool workers must not strip TypeScript in their own thread: Node does that with amaro, whose
 * WebAssembly memory growth detaches an ArrayBuffer, and from then on V8 checks every typed-array
 * access of that thread (the simulators ran 15–20% slower). With the hooks of bin/sgnn.js, types
 * are stripped on Node's hooks thread; piscina's require() of a .ts worker file bypassed them,
 * hence src-main/jobs/worker-entry.js.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './cli-harness.ts';

describe('worker pool under the TypeScript hooks', () => {
  it('never loads Node\'s own TypeScript stripper (amaro) in a worker or in the main thread', () => {
    const r = spawnSync(process.execPath, ['--import', join(REPO, 'bin/register-typescript-hooks.js'), join(REPO, 'test/fixtures/workers/pool-probe.ts')], { cwd: REPO, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const loaded = JSON.parse(r.stdout) as { worker: string[]; main: string[] };
    // The probe ran in a worker that loaded the engine's pool through the hooks…
    expect(Array.isArray(loaded.worker)).toBe(true);
    // …and neither thread loaded amaro.
    expect(loaded.worker.filter((m) => m.includes('amaro'))).toEqual([]);
    expect(loaded.main.filter((m) => m.includes('amaro'))).toEqual([]);
  });
});
