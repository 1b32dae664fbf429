/**
 * sbibm reference posteriors (../shared/validation/sbibm; Lueckmann et al. 2021): the tasks `sir`
 * and `lotka_volterra` written as model files (test/conformance/sbibm/*.json), 10^4 prior
 * simulations each from the bank-chunk workers, a density-head network per task (both trained at
 * once, one per core), and the posterior of each of the 10 reference observations (10 000 draws)
 * against the 10 000 reference posterior samples. Harness: test/conformance/sbibm/harness.ts.
 *
 * Setup (stated, not tuned per observation): 10 000 simulations (seed 1), density head = mixture
 * of 5 full-covariance Gaussians over standardised log θ, MLP encoder 2 × 128, batch 128, Adam
 * 1e-3 with a cosine schedule, no input masking (the data are complete), 10% validation split;
 * SIR 40 epochs, Lotka–Volterra 80 epochs (its validation loss still falls at 40: -3.35 at 30 epochs
 * vs -3.92 at 80). sbibm's NPE at this budget: C2ST 0.680 (SIR) and 0.997 (LV); see
 * test/bench/sbibm.ts for our C2ST.
 *
 * What we measured with this setup (seed 1; |Δmean| = |our mean − reference mean| in reference sds):
 * - SIR: |Δmean| median 0.54 (beta) / 0.42 (gamma), largest 1.14 / 1.12 over the 10 observations
 *   (30 epochs: largest 1.06 / 1.20); our sd is 1.1–3.1× the reference sd (wider, never narrower);
 *   every 95% interval covers the reference mean and the true value.
 * - LV: |Δmean| median 1.17 / 0.98 / 0.75 / 0.58 (alpha, beta, gamma, delta); largest per
 *   observation 1.23, 1.17, 1.71, 16.2, 1.42, 1.16, 4.50, 0.50, 0.38, 0.72 (obs 1..10). Observations
 *   4 and 7 lie in the prior's tails (obs 4: delta = 0.0124, 2.9 prior sds below the prior median
 *   of log delta; obs 7: beta = 0.21, 2.9 prior sds above), where 10^4 prior draws put very few
 *   simulations: the amortised posterior there is 3–10× too wide and its mean is off by up to 16
 *   reference sds, yet its 95% interval still covers the reference mean. Our sd is 1.0–10.6×
 *   the reference's; the reference mean is covered 10/10, the true value 10, 10, 10, 9 of 10.
 *
 * Thresholds (each about 1.3–1.5× the largest value measured, so that another seed or backend does
 * not flip them, and still tight enough to catch a wrong simulator, a wrong observation layout or
 * a network that only learned the prior — the prior sd is 20–60× the reference sd here):
 * - SIR: every observation and parameter within 1.5 reference sds; our sd within 0.7–4.5× the reference.
 * - LV: the 8 observations in the bulk of the prior within 2.5 reference sds (all four parameters);
 *   the two tail observations (4, 7) only need their 95% interval to cover the reference mean
 *   (a documented limitation of amortised inference at 10^4 simulations, not hidden: the table
 *   prints them); per parameter the median over all 10 within 1.5 reference sds.
 * - Both: every 95% interval covers the reference posterior mean; the true θ lies in our 95%
 *   interval for ≥ 8 of 10 observations per parameter.
 *
 * Runtime on the 2-core CI machine: about 3–4 minutes (simulation ~15 s, training both networks
 * in parallel ~2.5–3 min, posterior + comparison a few seconds). Skipped when the reference
 * material (or the bzip2 command that reads it) is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destroyPools } from '../../src-main/jobs/pool.ts';
import {
  compare, formatTable, loadReferences, loadTask, posteriorSamples, referencesAvailable, simulateBank, summarise, trainMany,
  trainOptions, type Bank, type ParamComparison, type TaskName,
} from './sbibm/harness.ts';

const N_SIMS = 10_000;
const EPOCHS: Record<TaskName, number> = { sir: 40, lotka_volterra: 80 };
const SIR_MEAN_TOL = 1.5;
const SIR_SD_RATIO: [number, number] = [0.7, 4.5];
const LV_MEAN_TOL = 2.5;
const LV_MEDIAN_TOL = 1.5;
/** Observations whose true parameters lie ~3 prior sds out (see the header). */
const LV_TAIL = [4, 7];

const results: Partial<Record<TaskName, ParamComparison[][]>> = {};

describe.skipIf(!referencesAvailable())('sbibm reference posteriors at 10^4 simulations', () => {
  beforeAll(async () => {
    const t0 = performance.now();
    const tasks = (['sir', 'lotka_volterra'] as const).map(loadTask);
    const banks: Bank[] = [];
    for (const task of tasks) {
      const bank = await simulateBank(task, N_SIMS, 1);
      expect(bank.nFailed, `${task.name}: ${bank.firstFailure}`).toBe(0);
      banks.push(bank);
    }
    const tSim = performance.now();
    const { artifacts, seconds } = await trainMany(tasks.map((task, i) => ({
      data: banks[i].data, options: trainOptions({ epochs: EPOCHS[task.name], patience: EPOCHS[task.name] }),
    })));
    const tTrain = performance.now();
    for (const [i, task] of tasks.entries()) {
      const refs = loadReferences(task);
      const samples = await posteriorSamples(artifacts[i], refs, 10_000);
      results[task.name] = refs.map((r, k) => compare(task, r, samples[k]));
      console.log(`${formatTable(task, results[task.name]!)}\n${summarise(task, results[task.name]!)}\n`);
    }
    console.log(`sbibm: simulation ${((tSim - t0) / 1000).toFixed(1)} s, training ${((tTrain - tSim) / 1000).toFixed(1)} s (${seconds.map((s, i) => `${tasks[i].name} ${s.toFixed(0)} s`).join(', ')}), posterior + comparison ${((performance.now() - tTrain) / 1000).toFixed(1)} s`);
  }, 600_000);

  afterAll(() => destroyPools());

  describe('SIR', () => {
    it(`posterior means within ${SIR_MEAN_TOL} reference sds for every observation`, () => {
      const bad = results.sir!.flatMap((cs, i) => cs.filter((c) => !(c.zMean <= SIR_MEAN_TOL)).map((c) => `obs ${i + 1} ${c.id}: ${c.zMean.toFixed(2)}`));
      expect(bad).toEqual([]);
    });
    it(`posterior sds within ${SIR_SD_RATIO.join('–')}× the reference sd`, () => {
      const bad = results.sir!.flatMap((cs, i) => cs.filter((c) => !(c.sdRatio >= SIR_SD_RATIO[0] && c.sdRatio <= SIR_SD_RATIO[1])).map((c) => `obs ${i + 1} ${c.id}: ${c.sdRatio.toFixed(2)}`));
      expect(bad).toEqual([]);
    });
    coverageChecks('sir');
  });

  describe('Lotka–Volterra', () => {
    it(`posterior means within ${LV_MEAN_TOL} reference sds for the observations in the bulk of the prior`, () => {
      const bad = results.lotka_volterra!.flatMap((cs, i) => (LV_TAIL.includes(i + 1) ? [] : cs.filter((c) => !(c.zMean <= LV_MEAN_TOL)).map((c) => `obs ${i + 1} ${c.id}: ${c.zMean.toFixed(2)}`)));
      expect(bad).toEqual([]);
    });
    it(`median over the 10 observations within ${LV_MEDIAN_TOL} reference sds per parameter`, () => {
      const cs = results.lotka_volterra!;
      const bad = cs[0].map((c, j) => {
        const z = cs.map((o) => o[j].zMean).sort((a, b) => a - b);
        return { id: c.id, median: (z[4] + z[5]) / 2 };
      }).filter((m) => !(m.median <= LV_MEDIAN_TOL));
      expect(bad).toEqual([]);
    });
    coverageChecks('lotka_volterra');
  });
});

function coverageChecks(task: TaskName): void {
  it('every 95% interval covers the reference posterior mean', () => {
    const bad = results[task]!.flatMap((cs, i) => cs.filter((c) => !c.coversRefMean).map((c) => `obs ${i + 1} ${c.id}: [${c.lo}, ${c.hi}] vs ${c.refMean}`));
    expect(bad).toEqual([]);
  });
  it('the true parameter lies in our 95% interval for at least 8 of 10 observations, per parameter', () => {
    const cs = results[task]!;
    const counts = Object.fromEntries(cs[0].map((c, j) => [c.id, cs.filter((o) => o[j].coversTruth).length]));
    for (const [id, n] of Object.entries(counts)) expect(n, `${task} ${id}: ${n}/10`).toBeGreaterThanOrEqual(8);
  });
}
