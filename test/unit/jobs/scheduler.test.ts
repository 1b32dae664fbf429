/**
 * The job scheduler's throttled progress: a report that comes due after its job ended, or after its
 * project was closed, is dropped instead of writing to a closed database (it surfaced as an
 * uncaught "The database connection is not open" from a timer, under load).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobScheduler } from '../../../src-main/jobs/scheduler.ts';
import { ProjectRegistry } from '../../../src-main/host/project-registry.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('JobScheduler progress', () => {
  it('drops progress reported after the job ended, even once the project is closed', async () => {
    const projects = new ProjectRegistry();
    const path = join(mkdtempSync(join(tmpdir(), 'sgnn-jobs-')), 'p.sgnn');
    projects.create(path, 'jobs');
    const events: unknown[] = [];
    const scheduler = new JobScheduler({ projects, emit: (_e, payload) => events.push(payload), progressIntervalMs: 50 });
    let late: (() => void) | null = null;
    const id = scheduler.start(path, 'bank', {}, async (ctx) => {
      ctx.progress({ step: 'simulate', current: 1, total: 3 });
      ctx.progress({ step: 'simulate', current: 2, total: 3 }); // throttled: due in ≤ 50 ms
      late = () => ctx.progress({ step: 'simulate', current: 3, total: 3 });
      return { ok: true };
    });
    const info = await scheduler.wait(path, id);
    expect(info.status).toBe('succeeded');
    expect(info.progress?.current).toBe(2); // the throttled report was written when the job ended
    projects.closeAll();
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown): void => { uncaught.push(err); };
    process.on('uncaughtException', onUncaught);
    try {
      late!(); // a straggler from the finished job
      await sleep(120);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
  });

  it('drops a throttled report that comes due after the project was closed mid-job', async () => {
    const projects = new ProjectRegistry();
    const path = join(mkdtempSync(join(tmpdir(), 'sgnn-jobs-')), 'p.sgnn');
    projects.create(path, 'jobs');
    const scheduler = new JobScheduler({ projects, emit: () => {}, progressIntervalMs: 50 });
    let finish: () => void = () => {};
    const id = scheduler.start(path, 'bank', {}, async (ctx) => {
      ctx.progress({ step: 'simulate', current: 1, total: 3 });
      ctx.progress({ step: 'simulate', current: 2, total: 3 }); // throttled: due in ≤ 50 ms
      await new Promise<void>((resolve) => { finish = resolve; });
      return {};
    });
    await sleep(5);
    projects.closeAll(); // what an engine shutdown does (the host refuses it while jobs run)
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown): void => { uncaught.push(err); };
    process.on('uncaughtException', onUncaught);
    try {
      await sleep(120); // the throttled report comes due
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
    finish();
    // The job cannot record its end in a closed project: that is its own error, not an uncaught one.
    await expect(scheduler.wait(path, id)).rejects.toThrow();
  });
});
