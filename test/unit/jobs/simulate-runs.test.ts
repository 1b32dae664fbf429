/** How simulateRuns cuts work into tasks for its worker pool: few tasks per worker, bounded in size. */
import { describe, expect, it } from 'vitest';
import { runsPerTask } from '../../../src-main/jobs/simulate-runs.ts';

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
