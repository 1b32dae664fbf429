/**
 * The 1978 boarding-school influenza outbreak (resources/examples/boarding-school/data.csv; the
 * same numbers as ../shared/validation/boarding_school.csv, column in_bed) through the full user
 * pipeline, `runFit` (what `sgnn fit ... --seed 1` runs), compared with the published posterior of
 * Grinsztajn, Semenova, Margossian & Riou (2021), "Bayesian workflow for disease transmission
 * modeling in Stan" (Stat Med 40:6209; Stan case study "boarding_school"), SIR + negative binomial:
 * posterior mean beta ≈ 1.73, gamma ≈ 0.54, R0 ≈ 3.2 (posterior sds there about 0.05, 0.05, 0.3).
 *
 * Like for like: the model file test/conformance/boarding-school.model.json is the example model
 * with THEIR priors — beta ~ N(2, 1) and gamma ~ N(0.4, 0.5), both truncated to > 0, phi_inv ~
 * Exp(5) — same ODE (N = 763, I0 = 1, t0 = 0, days 1..14) and noise (NegBin mean I, dispersion
 * 1/phi_inv).
 *
 * Tolerances: |our mean − published mean| ≤ 0.10 for beta, ≤ 0.08 for gamma, ≤ 0.45 for R0 —
 * about 1.5–2 published posterior sds, i.e. the two posteriors overlap in their bulk; the
 * published mean must lie inside our 95% interval; and the 95% posterior-predictive band must hold
 * at least 12 of the 14 observed counts (a calibrated band misses ~0.7 of 14 on average).
 * The pipeline's own defaults are used except: no scaling-curve networks (not needed here, saves
 * time on CI) and 2 workers.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseModelJson } from '../../src-main/model/validate.ts';
import { parseDatasetCsv } from '../../src-main/interop/dataset-csv.ts';
import { runFit } from '../../src-main/jobs/fit/pipeline.ts';
import { destroyPools } from '../../src-main/jobs/pool.ts';
import type { FitReport } from '../../src-main/report/fit-report.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

const PUBLISHED = { beta: 1.73, gamma: 0.54, R0: 3.2 } as const;
const TOLERANCE = { beta: 0.1, gamma: 0.08, R0: 0.45 } as const;
const MIN_COVERED = 12;

let report: FitReport;

describe('boarding-school influenza 1978 vs the Stan case study (Grinsztajn et al. 2021)', () => {
  beforeAll(async () => {
    const { model, problems } = parseModelJson(readFileSync(path.join(here, 'boarding-school.model.json'), 'utf8'));
    if (!model) throw new Error(problems.map((p) => p.message).join('; '));
    const csv = readFileSync(path.join(repoRoot, 'resources/examples/boarding-school/data.csv'), 'utf8');
    const { datasets } = parseDatasetCsv(csv, { observables: ['cases'], fileName: 'data.csv' });
    const t = performance.now();
    report = await runFit({ models: [model], datasets, seed: 1, scaling: false, workers: 2 });
    const e = report.datasets[0].estimates;
    console.log(`boarding school (${((performance.now() - t) / 1000).toFixed(0)} s, ${report.settings.sims} simulations, ${report.training.history.length} epochs, backend ${report.backend}):`);
    for (const id of ['beta', 'gamma', 'R0', 'phi_inv']) {
      const pub = (PUBLISHED as Record<string, number>)[id];
      console.log(`  ${id.padEnd(8)} mean ${e[id].mean.toFixed(3)}  sd ${e[id].sd.toFixed(3)}  95% [${e[id].q025.toFixed(3)}, ${e[id].q975.toFixed(3)}]${pub === undefined ? '' : `  published ${pub}`}`);
    }
  }, 600_000);

  afterAll(() => destroyPools());

  for (const id of ['beta', 'gamma', 'R0'] as const) {
    it(`${id}: posterior mean within ${TOLERANCE[id]} of the published ${PUBLISHED[id]}, which our 95% interval covers`, () => {
      const e = report.datasets[0].estimates[id];
      expect(Math.abs(e.mean - PUBLISHED[id])).toBeLessThanOrEqual(TOLERANCE[id]);
      expect(e.q025).toBeLessThanOrEqual(PUBLISHED[id]);
      expect(e.q975).toBeGreaterThanOrEqual(PUBLISHED[id]);
    });
  }

  it(`the 95% predictive band holds at least ${MIN_COVERED} of the 14 observed counts`, () => {
    const d = report.datasets[0];
    const band = d.predictive.cases;
    const observed = d.observed.values.cases;
    const inside = observed.filter((y, k) => y !== null && y >= band.q025[k] && y <= band.q975[k]).length;
    console.log(`  predictive band: ${inside}/${observed.length} observed counts inside [q2.5, q97.5]`);
    expect(observed.length).toBe(14);
    expect(inside).toBeGreaterThanOrEqual(MIN_COVERED);
  });
});
