import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { sgnn, sgnnProcess, parseCsv, fixture, REPO } from './cli-harness.ts';

describe('sgnn simulate (deterministic)', () => {
  it('writes the spec CSV: header, N evenly spaced rows, analytic values', async () => {
    const r = await sgnn('simulate', fixture('decay.json'), '--t-end', '4', '--points', '5');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { header, rows } = parseCsv(r.stdout);
    expect(header).toEqual(['time', 'A', 'B', 'total']);
    expect(rows.map((row) => row[0])).toEqual([0, 1, 2, 3, 4]);
    for (const [t, a, b, total] of rows) {
      const exact = 10 * Math.exp(-0.5 * t);
      expect(Math.abs(a - exact) / exact).toBeLessThan(1e-6);
      expect(Math.abs(b - (10 - exact))).toBeLessThan(1e-6 * 10);
      expect(total).toBeCloseTo(10, 9);
    }
  });

  it('--set changes parameters and species initial values; --t-start shifts the grid', async () => {
    const r = await sgnn('simulate', fixture('decay.json'), '--t-start', '1', '--t-end', '3', '--points', '3', '--set', 'k=1', '--set', 'B=5');
    expect(r.code).toBe(0);
    const { rows } = parseCsv(r.stdout);
    expect(rows.map((row) => row[0])).toEqual([1, 2, 3]);
    const [t, a, b] = rows[2];
    expect(t).toBe(3);
    expect(a).toBeCloseTo(10 * Math.exp(-2), 6);
    expect(b).toBeCloseTo(5 + 10 * (1 - Math.exp(-2)), 6);
  });

  it('writes numbers with full double precision', async () => {
    const r = await sgnn('simulate', fixture('decay.json'), '--t-end', '1', '--points', '2');
    const last = r.stdout.trim().split('\n')[2].split(',');
    expect(Number(last[1])).toBeCloseTo(10 * Math.exp(-0.5), 8);
    expect(last[1].replace(/^\d+\./, '').length).toBeGreaterThanOrEqual(12);
  });

  it('--out writes the file and nothing to stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sgnn-'));
    const file = join(dir, 'out.csv');
    const r = await sgnn('simulate', fixture('decay.json'), '--t-end', '1', '--points', '3', '--out', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(parseCsv(readFileSync(file, 'utf8')).rows).toHaveLength(3);
  });
});

describe('sgnn simulate (runs, seeds, priors)', () => {
  it('--runs adds a run column and repeats blocks; SSA with a seed is reproducible', async () => {
    const args = ['simulate', fixture('birth-death.json'), '--method', 'ssa', '--runs', '3', '--seed', '42', '--t-end', '5', '--points', '6'];
    const a = await sgnn(...args);
    const b = await sgnn(...args);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const { header, rows } = parseCsv(a.stdout);
    expect(header).toEqual(['run', 'time', 'X']);
    expect(rows.map((r) => r[0])).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3]);
    for (const row of rows) expect(Number.isInteger(row[2])).toBe(true);
    const c = await sgnn(...args.slice(0, -6), '--seed', '43', '--t-end', '5', '--points', '6');
    expect(c.stdout).not.toBe(a.stdout);
  });

  it('without --seed, a random seed is used and printed so the run can be repeated', async () => {
    const a = await sgnn('simulate', fixture('birth-death.json'), '--method', 'ssa', '--t-end', '2', '--points', '3');
    const seed = /--seed (\d+)/.exec(a.stderr)?.[1];
    expect(seed).toBeDefined();
    const b = await sgnn('simulate', fixture('birth-death.json'), '--method', 'ssa', '--t-end', '2', '--points', '3', '--seed', seed!);
    expect(b.stdout).toBe(a.stdout);
  });

  it('--from-prior draws each run from the priors and adds param:<id> columns', async () => {
    const r = await sgnn('simulate', fixture('decay.json'), '--from-prior', '--runs', '4', '--seed', '1', '--t-end', '2', '--points', '3');
    expect(r.code).toBe(0);
    const { header, rows } = parseCsv(r.stdout);
    expect(header).toEqual(['run', 'time', 'A', 'B', 'total', 'param:k']);
    const ks = new Set(rows.map((row) => row[5]));
    expect(ks.size).toBe(4);
    for (const row of rows) {
      const [, t, a, , , k] = row;
      expect(k).toBeGreaterThanOrEqual(0.1);
      expect(k).toBeLessThanOrEqual(1);
      expect(a).toBeCloseTo(10 * Math.exp(-k * t), 6);
    }
  });

  it('gives bit-identical output whatever the number of worker threads', async () => {
    const base = ['simulate', fixture('birth-death.json'), '--method', 'ssa', '--runs', '300', '--seed', '9', '--t-end', '3', '--points', '4'];
    const one = await sgnn(...base, '--workers', '1');
    const two = await sgnn(...base, '--workers', '2');
    expect(one.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
  });

  it('--noise applies the observation noise, reproducibly', async () => {
    const args = ['simulate', fixture('decay.json'), '--noise', '--seed', '3', '--t-end', '1', '--points', '50'];
    const a = await sgnn(...args);
    const { rows } = parseCsv(a.stdout);
    const residuals = rows.map((row) => row[3] - 10);
    const sd = Math.sqrt(residuals.reduce((s, x) => s + x * x, 0) / residuals.length);
    expect(sd).toBeGreaterThan(0.05);
    expect(sd).toBeLessThan(0.2);
    expect((await sgnn(...args)).stdout).toBe(a.stdout);
  });
});

describe('sgnn simulate (mistakes)', () => {
  it('usage errors exit 2 with a clear message and no stack trace', async () => {
    for (const [args, message] of [
      [['simulate'], 'missing MODEL'],
      [['simulate', fixture('decay.json')], 'missing --t-end'],
      [['simulate', fixture('decay.json'), '--t-end', 'soon'], '--t-end expects a number'],
      [['simulate', fixture('decay.json'), '--t-end', '1', '--method', 'odes'], 'did you mean "ode"'],
      [['simulate', fixture('decay.json'), '--t-end', '1', '--set', 'kk=2'], 'did you mean "k"'],
      [['simulate', fixture('decay.json'), '--t-end', '1', '--pionts', '3'], 'did you mean --points'],
      [['simulat'], 'did you mean "simulate"'],
    ] as const) {
      const r = await sgnn(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('bad input exits 1 naming the problem', async () => {
    const missing = await sgnn('simulate', 'no-such-model.json', '--t-end', '1');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('file not found: no-such-model.json');
    const dir = mkdtempSync(join(tmpdir(), 'sgnn-'));
    const outInMissingDir = await sgnn('simulate', fixture('decay.json'), '--t-end', '1', '--out', join(dir, 'nope', 'x.csv'));
    expect(outInMissingDir.code).toBe(1);
    expect(outInMissingDir.stderr).toContain('folder does not exist');
    expect(existsSync(join(dir, 'nope'))).toBe(false);
  });

  it('a failed run leaves no half-written --out file and keeps an existing one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sgnn-'));
    const file = join(dir, 'out.csv');
    const { writeFileSync, readdirSync } = await import('node:fs');
    writeFileSync(file, 'previous results\n');
    // Lognormal noise of a model value that reaches 0 fails mid-way (after the header was written).
    const model = join(dir, 'zero.json');
    writeFileSync(model, JSON.stringify({
      format: 'sgnn-model/1', name: 'z', parameters: [{ id: 'k', value: 1 }],
      species: [{ id: 'A', initial: 1 }], reactions: [{ id: 'd', from: { A: 1 }, rate: 'k * A' }],
      observables: [{ id: 'y', expr: 'A - 0.5', noise: { dist: 'lognormal', sigma: 0.1 } }],
    }));
    const r = await sgnn('simulate', model, '--t-end', '5', '--points', '6', '--noise', '--seed', '1', '--out', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/lognormal/);
    expect(readFileSync(file, 'utf8')).toBe('previous results\n');
    expect(readdirSync(dir).sort()).toEqual(['out.csv', 'zero.json']);
  });

  it('a failed run among many: the rows of every run before it, then the error, whatever the number of workers', async () => {
    const model = fixture('rarely-failing.json'); // run 792 of seed 27 fails
    const args = ['simulate', model, '--t-end', '5', '--points', '6', '--runs', '3000', '--from-prior', '--noise', '--seed', '27'];
    const one = await sgnn(...args, '--workers', '1');
    expect(one.code).toBe(1);
    expect(one.stderr).toMatch(/run 792: lognormal noise/);
    expect(one.stdout.trim().split('\n')).toHaveLength(1 + 791 * 6); // header, then 6 rows per run
    const two = await sgnn(...args, '--workers', '2');
    expect(two).toEqual(one);
  });

  it('the installed bin runs (npx sgnn) and reports its version', () => {
    const r = sgnnProcess('--version');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('the bin\'s worker threads run under Node flags for the whole process (a bigger heap)', () => {
    // Workers get the TypeScript hooks through their own flags; the parent's must not be forwarded
    // (Node refuses --max-old-space-size for a worker), nor any warning reach the user.
    const args = ['simulate', fixture('birth-death.json'), '--method', 'ssa', '--runs', '300', '--seed', '9', '--t-end', '3', '--points', '4', '--workers', '2'];
    const r = spawnSync(process.execPath, ['--max-old-space-size=512', join(REPO, 'bin/sgnn.js'), ...args], { cwd: REPO, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(sgnnProcess(...args.slice(0, -1), '1').stdout);
  });
});
