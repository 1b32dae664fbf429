/**
 * How simulateRuns cuts work into tasks for its worker pool (few tasks per worker, bounded in size),
 * and where a task writes its results (a shared buffer from the main thread, or its own).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runsPerTask, simulateRuns } from '../../../src-main/jobs/simulate-runs.ts';
import { destroyPools } from '../../../src-main/jobs/pool.ts';
import { simulateRunRange } from '../../../src-main/jobs/simulate-run-range.ts';
import type { RunRangeRequest } from '../../../src-main/jobs/simulate-run-range.ts';
import { compileModel } from '../../../src-main/model/compile.ts';
import type { Model } from '../../../src-main/model/schema.ts';

describe('runsPerTask', () => {
  const small = 8 * 400; // SIR: 100 times × (3 states + 1 observable)

  it('gives each worker about 8 tasks, between 16 and 512 runs', () => {
    expect(runsPerTask(80_000, 2, small)).toBe(512);
    expect(runsPerTask(4_000, 2, small)).toBe(250);
    expect(runsPerTask(100, 2, small)).toBe(16);
  });

  it('keeps a task\'s results under 4 MB however large a run is', () => {
    const big = 8 * 1000 * 60; // 1 000 output times × 60 columns
    const n = runsPerTask(1_000_000, 8, big);
    expect(n).toBe(8);
    expect(n * big).toBeLessThanOrEqual(4 * 2 ** 20);
    expect(runsPerTask(10, 2, 64 * 2 ** 20)).toBe(1); // one run bigger than the bound: one per task
  });
});

describe('simulateRunRange output buffers', () => {
  const model = JSON.parse(readFileSync(new URL('../../../resources/models/sir.json', import.meta.url), 'utf8')) as Model;
  const times = Float64Array.from({ length: 11 }, (_, k) => k);
  const request = (output?: SharedArrayBuffer): RunRangeRequest => ({
    modelJson: JSON.stringify(model), times, tStart: 0, method: 'ode', params: compileModel(model).paramDefaults,
    initialOverrides: [], ode: {}, seed: 3, noise: true, fromPrior: true, from: 5, to: 9, output,
  });

  it('writes into a shared buffer when one is given, with the same results as without', () => {
    const own = simulateRunRange(request());
    const output = new SharedArrayBuffer(8 * 4 * (11 * 4 + 3) + 64);
    const shared = simulateRunRange(request(output));
    expect(shared.states.buffer).toBe(output);
    expect(shared.observables.buffer).toBe(output);
    expect(Array.from(shared.states)).toEqual(Array.from(own.states));
    expect(Array.from(shared.observables)).toEqual(Array.from(own.observables));
    expect(Array.from(shared.drawn)).toEqual(Array.from(own.drawn));
  });

  it('falls back to buffers of its own when the shared one is too small', () => {
    const small = new SharedArrayBuffer(64);
    const r = simulateRunRange(request(small));
    expect(r.states.buffer).not.toBe(small);
    expect(Array.from(r.states)).toEqual(Array.from(simulateRunRange(request()).states));
  });
});

describe('simulateRuns on workers', () => {
  it('gives every run as with one worker, to a consumer that reads a run after awaiting', async () => {
    const model = JSON.parse(readFileSync(new URL('../../../resources/models/sir.json', import.meta.url), 'utf8')) as Model;
    const spec = {
      model, times: Float64Array.from({ length: 30 }, (_, k) => k / 2), tStart: 0, method: 'ode' as const,
      params: compileModel(model).paramDefaults, runs: 400, seed: 5, noise: true, fromPrior: true,
    };
    // Results arrive in reused shared buffers: a buffer must not be handed to a new task while the
    // consumer still reads the runs in it, even when it awaits something between two runs.
    const collect = async (workers: number): Promise<string[]> => {
      const rows: string[] = [];
      await simulateRuns({ ...spec, workers }, async (run) => {
        if (run.index % 7 === 0) await new Promise((r) => setTimeout(r, 2));
        rows[run.index] = `${Array.from(run.states).join(',')}|${Array.from(run.observables).join(',')}|${Array.from(run.drawnParams ?? []).join(',')}`;
      });
      return rows;
    };
    const one = await collect(1);
    const two = await collect(2);
    expect(two).toHaveLength(400);
    expect(two).toEqual(one);
    await destroyPools();
  }, 60_000);
});
