/**
 * `sgnn fit` and `sgnn compare` as outside tools use them: the --json contracts, the report file,
 * and the step-by-step commands on a project. Small budgets: these test the plumbing and shapes;
 * accuracy is tested in test/conformance (sbibm, boarding school).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sgnn, REPO } from './cli-harness.ts';

const MODEL = join(REPO, 'resources/examples/boarding-school/model.json');
const DATA = join(REPO, 'resources/examples/boarding-school/data.csv');
const SMALL = ['--sims', '1200', '--held-out', '150', '--epochs', '4', '--seed', '5', '--workers', '1'];

describe('sgnn fit', () => {
  it('prints the documented JSON and writes a self-contained report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sgnn-fit-'));
    const report = join(dir, 'flu.html');
    const r = await sgnn('fit', MODEL, DATA, ...SMALL, '--no-scaling', '--json', '--report', report);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(['wasm', 'cpu', 'tensorflow', 'tensorflow-gpu']).toContain(out.backend);
    expect(out.datasets).toHaveLength(1);
    const d = out.datasets[0];
    expect(d.id).toBe('data');
    for (const p of ['beta', 'gamma', 'phi_inv', 'R0']) {
      const e = d.estimates[p];
      for (const k of ['mean', 'sd', 'q025', 'q50', 'q975']) expect(Number.isFinite(e[k]), `${p}.${k}`).toBe(true);
      expect(e.q025).toBeLessThanOrEqual(e.q50);
      expect(e.q50).toBeLessThanOrEqual(e.q975);
      expect(e.sd).toBeGreaterThan(0);
    }
    expect(d.samples.beta.length).toBe(1000);
    expect(d.estimates.R0.mean).toBeCloseTo(d.samples.R0.reduce((a: number, b: number) => a + b, 0) / d.samples.R0.length, 6);
    expect(d.mismatch).toHaveProperty('percentile');
    expect(d.predictive.cases.q50).toHaveLength(14);
    expect(out.checks.parameters.map((c: { paramId: string }) => c.paramId)).toEqual(['beta', 'gamma', 'phi_inv']);
    expect(out.timings.total).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/backend/);
    const html = readFileSync(report, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=["']https?:/i);
    expect(html).toContain('beta');
  }, 240_000);

  it('is reproducible for a seed', async () => {
    const a = JSON.parse((await sgnn('fit', MODEL, DATA, ...SMALL, '--no-scaling', '--json')).stdout);
    const b = JSON.parse((await sgnn('fit', MODEL, DATA, ...SMALL, '--no-scaling', '--json')).stdout);
    expect(b.datasets[0].estimates).toEqual(a.datasets[0].estimates);
  }, 240_000);

  it('--online trains on fresh simulations every epoch', async () => {
    const r = await sgnn('fit', MODEL, DATA, '--sims', '600', '--held-out', '150', '--epochs', '3', '--seed', '5', '--workers', '1', '--no-scaling', '--online', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.settings.online).toBe(true);
    expect(out.training.nTrain).toBe(600 * out.training.history.length);
    expect(out.datasets[0].estimates.beta.sd).toBeGreaterThan(0);
  }, 240_000);

  it('names bad data and models clearly', async () => {
    const noMap = await sgnn('fit', MODEL, join(REPO, 'test/fixtures/data/boarding_school.csv'), ...SMALL);
    expect(noMap.code).toBe(1);
    expect(noMap.stderr).toMatch(/time column|--time-col/);
    const badHead = await sgnn('fit', MODEL, DATA, '--head', 'median');
    expect(badHead.code).toBe(2);
    expect(badHead.stderr).toContain('--head must be mean or density');
  });
});

describe('sgnn compare', () => {
  it('prints per-dataset SGNN probabilities beside AIC/BIC choices', async () => {
    const r = await sgnn('compare', MODEL, join(REPO, 'resources/models/sirs.json'), DATA, '--sims', '1600', '--held-out', '200', '--epochs', '4', '--seed', '3', '--no-scaling', '--workers', '1', '--ml-held-out', '8', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const d = out.datasets[0];
    const names = Object.keys(d.sgnn.probabilities);
    expect(names).toHaveLength(2);
    const total = names.reduce((s, n) => s + d.sgnn.probabilities[n], 0);
    expect(total).toBeCloseTo(1, 6);
    expect(names).toContain(d.sgnn.choice);
    expect(names).toContain(d.aic.choice);
    expect(names).toContain(d.bic.choice);
    for (const n of names) expect(Number.isFinite(d.aic.values[n])).toBe(true);
    expect(out.checks.confusion.sgnn.counts.flat().reduce((a: number, b: number) => a + b, 0)).toBe(200);
    expect(out.checks.confusion.nWithFits).toBe(8);
  }, 300_000);
});

describe('step by step on a project', () => {
  it('bank → train → evaluate → estimate, each stored in the project', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sgnn-steps-'));
    const file = join(dir, 'flu.sgnn');
    expect((await sgnn('project', 'new', file, '--template', 'sir')).code).toBe(0);
    expect((await sgnn('data', 'import', file, DATA)).code).toBe(0);
    expect((await sgnn('design', 'create', file, '--dataset', '1')).code).toBe(0);
    expect((await sgnn('bank', file, '--model', '1', '--design', '1', '--n', '1500', '--seed', '4', '--workers', '1')).code).toBe(0);
    const train = await sgnn('train', file, '--bank', '1', '--epochs', '3', '--held-out', '200', '--no-scaling', '--seed', '1', '--json');
    expect(train.code, train.stderr).toBe(0);
    expect(JSON.parse(train.stdout).networkId).toBe(1);
    const evaluate = await sgnn('evaluate', file, '--network', '1', '--json');
    expect(evaluate.code, evaluate.stderr).toBe(0);
    expect(JSON.parse(evaluate.stdout).parameters).toHaveLength(3);
    const estimate = await sgnn('estimate', file, '--network', '1', '--dataset', '1', '--json');
    expect(estimate.code, estimate.stderr).toBe(0);
    expect(JSON.parse(estimate.stdout).datasets[0].estimates.beta.mean).toBeGreaterThan(0);
    const info = await sgnn('project', 'info', file, '--json');
    const counts = JSON.parse(info.stdout).counts;
    expect(counts.networks).toBe(1);
    expect(counts.estimates).toBe(1);
    expect(existsSync(file)).toBe(true);
  }, 300_000);
});
