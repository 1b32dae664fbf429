/**
 * How simulateRuns cuts work into chunks for its worker pool (a few per worker, bounded in size),
 * where a chunk's results are written (a shared slot from the main thread, or buffers of its own),
 * and how the ring of slots behaves when a run fails, the consumer fails or a worker dies.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runsPerChunk, simulateRuns } from '../../../src-main/jobs/simulate-runs.ts';
import { destroyPools } from '../../../src-main/jobs/pool.ts';
import { simulateRunRange } from '../../../src-main/jobs/simulate-run-range.ts';
import type { RunRangeRequest } from '../../../src-main/jobs/simulate-run-range.ts';
import { compileModel } from '../../../src-main/model/compile.ts';
import type { Model } from '../../../src-main/model/schema.ts';
import { validateModel } from '../../../src-main/model/validate.ts';

const sir = JSON.parse(readFileSync(new URL('../../../resources/models/sir.json', import.meta.url), 'utf8')) as Model;

describe('runsPerChunk', () => {
  const small = 8 * 400; // SIR: 100 times × (3 states + 1 observable)

  it('gives each worker about 8 chunks, between 16 and 512 runs', () => {
    expect(runsPerChunk(80_000, 2, small)).toBe(512);
    expect(runsPerChunk(4_000, 2, small)).toBe(250);
    expect(runsPerChunk(100, 2, small)).toBe(16);
  });

  it('keeps a chunk\'s results under 4 MB however large a run is', () => {
    const big = 8 * 1000 * 60; // 1 000 output times × 60 columns
    const n = runsPerChunk(1_000_000, 8, big);
    expect(n).toBe(8);
    expect(n * big).toBeLessThanOrEqual(4 * 2 ** 20);
    expect(runsPerChunk(10, 2, 64 * 2 ** 20)).toBe(1); // one run bigger than the bound: one per chunk
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
    const model = sir;
    const spec = {
      model, times: Float64Array.from({ length: 30 }, (_, k) => k / 2), tStart: 0, method: 'ode' as const,
      params: compileModel(model).paramDefaults, runs: 400, seed: 5, noise: true, fromPrior: true,
    };
    // Results arrive in reused shared buffers: a buffer must not be handed to a new chunk while the
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

  // About 1 run in 100 of its prior fails (see the fixture).
  const rarelyFailing = validateModel(JSON.parse(readFileSync(new URL('../../fixtures/models/rarely-failing.json', import.meta.url), 'utf8'))).model!;
  const failing = {
    model: rarelyFailing, times: Float64Array.from({ length: 6 }, (_, k) => k), tStart: 0, method: 'ode' as const,
    params: Float64Array.of(0.1), runs: 3000, seed: 27, noise: true, fromPrior: true,
  };

  /** Runs delivered, and the error, of one call. */
  const outcome = async (workers: number): Promise<{ delivered: number; error: string }> => {
    let delivered = 0;
    const error = await simulateRuns({ ...failing, workers }, (run) => {
      expect(run.index).toBe(delivered);
      delivered++;
    }).then(() => 'no error', (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err)));
    return { delivered, error };
  };

  it('delivers every run before the first failed one, then its error, whatever the number of workers', async () => {
    const one = await outcome(1);
    expect(one.error).toMatch(/^NoiseError: run \d+: lognormal noise/);
    const firstFailed = Number(/run (\d+):/.exec(one.error)![1]);
    // Several chunks in for every worker count here (chunks of 375, 188 and 125 runs), so whole
    // chunks, part of a chunk and, with more workers, chunks past the failed one are all involved.
    expect(firstFailed).toBeGreaterThan(2 * 375);
    expect(one.delivered).toBe(firstFailed - 1);
    for (const workers of [2, 3]) expect(await outcome(workers)).toEqual(one);
    // The workers stopped: the pool runs the next call.
    expect(await outcome(2)).toEqual(one);
    await destroyPools();
  }, 60_000);

  it('lays out every kind of model as one worker does: odes, events, fixed parameters, initial values set, SSA with noise', async () => {
    const load = (name: string): Model => JSON.parse(readFileSync(new URL(`../../../resources/models/${name}.json`, import.meta.url), 'utf8')) as Model;
    const cases = [
      { model: load('two-compartment-pk'), method: 'auto' as const, fromPrior: false, noise: false, initialOverrides: [[0, 3]] as [number, number][] },
      { model: load('lotka-volterra'), method: 'ode' as const, fromPrior: true, noise: true, initialOverrides: [] },
      { model: load('telegraph-gene-expression'), method: 'ssa' as const, fromPrior: true, noise: true, initialOverrides: [] },
    ];
    for (const k of cases) {
      const spec = { ...k, times: Float64Array.from({ length: 9 }, (_, i) => i), tStart: 0, params: compileModel(k.model).paramDefaults, runs: 300, seed: 4 };
      const collect = async (workers: number): Promise<string[]> => {
        const rows: string[] = [];
        await simulateRuns({ ...spec, workers }, (run) => {
          rows.push(`${run.index}|${Array.from(run.states).join(',')}|${Array.from(run.observables).join(',')}|${Array.from(run.drawnParams ?? []).join(',')}`);
        });
        return rows;
      };
      const one = await collect(1);
      expect(one).toHaveLength(300);
      expect(await collect(2), k.model.name).toEqual(one);
    }
    await destroyPools();
  }, 60_000);

  it('rejects with the consumer\'s error, and the pool runs the next call', async () => {
    const spec = { model: sir, times: Float64Array.from({ length: 20 }, (_, k) => k), tStart: 0, method: 'ode' as const, params: compileModel(sir).paramDefaults, runs: 20_000, seed: 2, noise: false, fromPrior: true, workers: 2 };
    await expect(simulateRuns(spec, (run) => {
      if (run.index === 300) throw new Error('disk full');
    })).rejects.toThrow('disk full');
    let count = 0;
    await simulateRuns({ ...spec, runs: 500 }, () => { count++; });
    expect(count).toBe(500);
    await destroyPools();
  }, 60_000);

  it('rejects, instead of waiting for ever, when its workers are terminated', async () => {
    const spec = { model: sir, times: Float64Array.from({ length: 20 }, (_, k) => k), tStart: 0, method: 'ode' as const, params: compileModel(sir).paramDefaults, runs: 200_000, seed: 2, noise: false, fromPrior: true, workers: 2 };
    let terminating: Promise<void> | null = null;
    await expect(simulateRuns(spec, () => { terminating ??= destroyPools(); })).rejects.toThrow(/terminat/i);
    await terminating;
  }, 60_000);
});
