/**
 * Realistic FitReport fixtures for the report tests: an SIR fit of the 1978 boarding-school
 * influenza outbreak (plus a synthetic second ward), and a comparison of SIR, SEIR and SIRS. The
 * numbers are plausible rather than the output of a trained network: posterior samples are drawn
 * around sensible values, predictive bands come from solving the ODE for those samples with
 * negative-binomial noise, and the checks, scaling fit, confusion matrices, mechanism shares and
 * saliency ranking are computed by the real analyze/ functions, so verdicts read as in the app.
 */
import type { Model } from '../../../src-main/model/schema.ts';
import type { DatasetResult, FitReport, ParameterCheckJson, PredictiveBand } from '../../../src-main/report/fit-report.ts';
import type { PosteriorSummary } from '../../../src-main/learn/types.ts';
import { checkRecovery, fitScalingCurve } from '../../../src-main/analyze/metrics.ts';
import { compareSelectors } from '../../../src-main/analyze/confusion.ts';
import { mechanismContribution, rankBySaliency } from '../../../src-main/analyze/attribution.ts';
import type { MismatchReport } from '../../../src-main/analyze/mismatch.ts';
import type { Verdict } from '../../../src-main/analyze/stats.ts';
import { rngFor } from '../../../src-main/simulate/random/rng.ts';
import type { Rng } from '../../../src-main/simulate/random/rng.ts';
import { sampleNegBinomial, sampleStandardNormal } from '../../../src-main/simulate/random/distributions.ts';
import { priorSd, samplePrior } from '../../../src-main/simulate/priors.ts';

/** Influenza in a British boarding school, 1978 (BMJ): pupils confined to bed on days 1–14. */
export const BOARDING_SCHOOL = [3, 8, 26, 76, 225, 298, 258, 233, 189, 128, 68, 29, 14, 4];

export const SIR: Model = {
  format: 'sgnn-model/1',
  name: 'SIR',
  description: 'Susceptible–infected–recovered epidemic in a closed population of 763 pupils.',
  source: 'BMJ 1978;1:587 (anonymous report)',
  timeUnits: 'days',
  parameters: [
    { id: 'beta', value: 1.7, prior: { dist: 'lognormal', mu: 0.5, sigma: 0.5 }, description: 'transmission rate', units: '1/day' },
    { id: 'gamma', value: 0.5, prior: { dist: 'uniform', low: 0.1, high: 1 }, description: 'recovery rate', units: '1/day' },
    { id: 'phi_inv', value: 0.1, prior: { dist: 'exponential', rate: 5 }, description: 'inverse dispersion of the counts' },
    { id: 'N', value: 763, description: 'pupils' },
  ],
  species: [
    { id: 'S', initial: 'N - 1' },
    { id: 'I', initial: 1 },
    { id: 'R', initial: 0 },
  ],
  rules: [{ id: 'R0', expr: 'beta / gamma', description: 'basic reproduction number' }],
  odes: [],
  reactions: [
    { id: 'infection', from: { S: 1, I: 1 }, to: { I: 2 }, rate: 'beta * S * I / N' },
    { id: 'recovery', from: { I: 1 }, to: { R: 1 }, rate: 'gamma * I' },
  ],
  observables: [{ id: 'cases', expr: 'I', noise: { dist: 'negbinomial', dispersion: '1 / phi_inv' }, description: 'pupils confined to bed' }],
};

export const SEIR: Model = {
  ...SIR,
  name: 'SEIR',
  description: 'SIR with a latent (exposed, not yet infectious) stage.',
  parameters: [...SIR.parameters.slice(0, 2), { id: 'sigma', value: 2, prior: { dist: 'gamma', shape: 4, rate: 2 }, description: 'rate of becoming infectious', units: '1/day' }, ...SIR.parameters.slice(2)],
  species: [{ id: 'S', initial: 'N - 1' }, { id: 'E', initial: 0 }, { id: 'I', initial: 1 }, { id: 'R', initial: 0 }],
  reactions: [
    { id: 'infection', from: { S: 1, I: 1 }, to: { E: 1, I: 1 }, rate: 'beta * S * I / N' },
    { id: 'onset', from: { E: 1 }, to: { I: 1 }, rate: 'sigma * E' },
    { id: 'recovery', from: { I: 1 }, to: { R: 1 }, rate: 'gamma * I' },
  ],
};

export const SIRS: Model = {
  ...SIR,
  name: 'SIRS',
  description: 'SIR with waning immunity (recovered pupils become susceptible again).',
  parameters: [...SIR.parameters.slice(0, 2), { id: 'omega', value: 0.05, prior: { dist: 'halfnormal', sd: 0.1 }, description: 'waning rate', units: '1/day' }, ...SIR.parameters.slice(2)],
  reactions: [...SIR.reactions, { id: 'waning', from: { R: 1 }, to: { S: 1 }, rate: 'omega * R' }],
};

// ------------------------------------------------------------------ helpers

function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h), hi = Math.ceil(h);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (h - lo);
}

function summarise(xs: readonly number[]): PosteriorSummary {
  const s = [...xs].sort((a, b) => a - b);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1));
  return { mean, sd, q025: quantile(s, 0.025), q50: quantile(s, 0.5), q975: quantile(s, 0.975) };
}

/** I(t) of the SIR (optionally SEIR/SIRS) ODE at the given times (RK4, dt = 0.02). */
export function solveSir(p: { beta: number; gamma: number; sigma?: number; omega?: number; N?: number }, times: readonly number[]): number[] {
  const N = p.N ?? 763;
  const seir = p.sigma !== undefined, omega = p.omega ?? 0;
  let y = [N - 1, 0, 1, 0]; // S, E, I, R
  const f = (v: number[]): number[] => {
    const [S, E, I, R] = v;
    const inf = (p.beta * S * I) / N;
    const onset = seir ? p.sigma! * E : 0;
    return seir
      ? [-inf + omega * R, inf - onset, onset - p.gamma * I, p.gamma * I - omega * R]
      : [-inf + omega * R, 0, inf - p.gamma * I, p.gamma * I - omega * R];
  };
  const out: number[] = [];
  let t = 0;
  const dt = 0.02;
  for (const target of times) {
    while (t < target - 1e-9) {
      const h = Math.min(dt, target - t);
      const k1 = f(y);
      const k2 = f(y.map((v, i) => v + 0.5 * h * k1[i]));
      const k3 = f(y.map((v, i) => v + 0.5 * h * k2[i]));
      const k4 = f(y.map((v, i) => v + h * k3[i]));
      y = y.map((v, i) => v + (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
      t += h;
    }
    out.push(y[2]);
  }
  return out;
}

/** Correlated normal draws around a centre (a crude but plausible posterior). */
function drawPosterior(rng: Rng, n: number, centre: Record<string, number>, sd: Record<string, number>, rho = 0.82): Record<string, number[]> {
  const ids = Object.keys(centre);
  const out: Record<string, number[]> = Object.fromEntries(ids.map((id) => [id, []]));
  for (let s = 0; s < n; s++) {
    const z0 = sampleStandardNormal(rng);
    ids.forEach((id, k) => {
      const z = k < 2 ? rho * z0 + Math.sqrt(1 - rho * rho) * sampleStandardNormal(rng) : sampleStandardNormal(rng);
      // Log-scale perturbation keeps positive parameters positive (and slightly skewed, as posteriors are).
      out[id].push(centre[id] * Math.exp((sd[id] / centre[id]) * z));
    });
  }
  return out;
}

function predictiveBand(rng: Rng, samples: Record<string, number[]>, times: number[], draws = 500): PredictiveBand {
  const sims: number[][] = times.map(() => []);
  const n = samples.beta.length;
  for (let d = 0; d < draws; d++) {
    const i = Math.floor((d * n) / draws);
    const I = solveSir({ beta: samples.beta[i], gamma: samples.gamma[i], sigma: samples.sigma?.[i], omega: samples.omega?.[i] }, times);
    const phi = 1 / (samples.phi_inv?.[i] ?? 0.1);
    I.forEach((m, k) => sims[k].push(sampleNegBinomial(rng, Math.max(0, m), phi)));
  }
  const q = (p: number): number[] => sims.map((col) => quantile([...col].sort((a, b) => a - b), p));
  return { times, q025: q(0.025), q25: q(0.25), q50: q(0.5), q75: q(0.75), q975: q(0.975) };
}

const GRID = Array.from({ length: 57 }, (_, i) => i * 0.25);
const DAYS = BOARDING_SCHOOL.map((_, i) => i + 1);

function saliency(rng: Rng, peakDay: number, spread: number): Float64Array {
  return Float64Array.from(DAYS, (d) => (Math.exp(-0.5 * ((d - peakDay) / spread) ** 2) + 0.08 * rng.next()) * (d < peakDay ? 1 : -0.7));
}

function dataset(
  seed: number, id: string, observed: (number | null)[], centre: Record<string, number>, sd: Record<string, number>,
  mismatch: DatasetResult['mismatch'], modelNames: string[],
): DatasetResult {
  const rng = rngFor(seed, 1);
  const samples = drawPosterior(rng, 1000, centre, sd);
  const estimates = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarise(v)]));
  const r0 = samples.beta.map((b, i) => b / samples.gamma[i]);
  samples.R0 = r0;
  const nearest = Array.from({ length: 5 }, (_, k) => ({
    run: 1000 + Math.floor(rng.next() * 19000),
    distance: 0.31 + 0.07 * k + 0.02 * rng.next(),
    model: modelNames[k % 3 === 2 ? Math.min(1, modelNames.length - 1) : 0],
    params: Object.fromEntries(Object.keys(centre).map((p) => [p, centre[p] * (1 + 0.06 * sampleStandardNormal(rng))])),
  }));
  const salient = {
    beta: rankBySaliency(saliency(rng, 4, 1.3), DAYS, ['cases'], 8),
    gamma: rankBySaliency(saliency(rng, 9, 2.2), DAYS, ['cases'], 8),
  };
  return {
    id,
    observed: { times: DAYS, values: { cases: observed } },
    estimates,
    derived: { R0: summarise(r0) },
    samples,
    predictive: { cases: predictiveBand(rng, samples, GRID) },
    mismatch,
    attribution: { nearest, salient },
  };
}

/** A ParameterCheck as it appears in JSON (plain arrays). */
function toJson(c: ReturnType<typeof checkRecovery>[number]): ParameterCheckJson {
  const { sbc, ...rest } = c;
  return { ...rest, sbc: sbc ? { ...sbc, histogram: Array.from(sbc.histogram), expected: Array.from(sbc.expected), ranks: Array.from(sbc.ranks) } : null };
}

/**
 * Held-out checks on n runs: truth from the prior, an estimate around it, and posterior samples
 * whose spread is `calibration` × the real error (1 = calibrated, < 1 = overconfident).
 */
function heldOutChecks(seed: number, model: Model, spec: Record<string, { error: number; calibration: number }>, nRuns = 300, nSamples = 99) {
  const rng = rngFor(seed, 2);
  const ids = Object.keys(spec);
  const priors = ids.map((id) => model.parameters.find((p) => p.id === id)!.prior!);
  const P = ids.length;
  const truth = new Float64Array(nRuns * P), mean = new Float64Array(nRuns * P), samples = new Float64Array(nRuns * nSamples * P);
  for (let r = 0; r < nRuns; r++) {
    ids.forEach((id, j) => {
      const t = samplePrior(priors[j], rng);
      // Relative (log-scale) errors keep positive parameters positive, as a real posterior would.
      const e = spec[id].error;
      const centre = t * Math.exp(e * sampleStandardNormal(rng));
      truth[r * P + j] = t;
      const s = e * spec[id].calibration;
      let sum = 0;
      for (let k = 0; k < nSamples; k++) {
        const v = centre * Math.exp(s * sampleStandardNormal(rng));
        samples[(r * nSamples + k) * P + j] = v;
        sum += v;
      }
      mean[r * P + j] = sum / nSamples;
    });
  }
  const checks = checkRecovery({
    paramIds: ids, truth, mean, priorSd: priors.map(priorSd), samples: { nSamples, values: samples }, seed,
  }).map(toJson);
  const recovery = ids.map((id, j) => {
    const t: number[] = [], m: number[] = [], lo: number[] = [], hi: number[] = [];
    for (let r = 0; r < nRuns; r++) {
      const s: number[] = [];
      for (let k = 0; k < nSamples; k++) s.push(samples[(r * nSamples + k) * P + j]);
      s.sort((a, b) => a - b);
      t.push(truth[r * P + j]); m.push(mean[r * P + j]); lo.push(quantile(s, 0.025)); hi.push(quantile(s, 0.975));
    }
    return { paramId: id, truth: t, mean: m, lower: lo, upper: hi };
  });
  return { checks, recovery };
}

function history(epochs: number, seed: number) {
  const rng = rngFor(seed, 3);
  return Array.from({ length: epochs }, (_, i) => {
    const e = i + 1;
    const base = -1.35 + 3.6 * Math.exp(-e / 9);
    return {
      epoch: e,
      trainLoss: base - 0.002 * e + 0.03 * (rng.next() - 0.5),
      valLoss: base + 0.06 + 0.0009 * Math.max(0, e - 40) ** 1.5 + 0.06 * (rng.next() - 0.5),
      learningRate: 1e-3 * (0.01 + 0.99 * 0.5 * (1 + Math.cos((Math.PI * i) / 100))),
      seconds: 1.9 + 0.2 * rng.next(),
    };
  });
}

function scaling(metric: string, a: number, b: number, c: number, seed: number) {
  const rng = rngFor(seed, 4);
  const points = [500, 1000, 2000, 5000, 10000, 20000].map((n) => ({ nTrain: n, error: (a * Math.pow(n, -b) + c) * Math.exp(0.04 * sampleStandardNormal(rng)) }));
  return { points, fit: fitScalingCurve(points), metric };
}

function severityRank(v: Verdict): number {
  return v.severity === 'problem' ? 2 : v.severity === 'warning' ? 1 : 0;
}

const MISMATCH: MismatchReport = {
  mmd: { mmd2: 0.0132, estimator: 'unbiased', bandwidth: 2.31, pValue: 0.41, permutations: 500, nReal: 2, nSimulated: 500, pFloor: 1 / 501 },
  datasets: [
    { distance: 1.12, percentile: 0.62, pValue: 0.38, verdict: { severity: 'ok', text: 'typical of the simulations (more atypical than 62% of them)' } },
    { distance: 1.87, percentile: 0.962, pValue: 0.04, verdict: { severity: 'warning', text: 'more atypical than 96% of simulations: at the edge of what the model produces' } },
  ],
  verdict: { severity: 'ok', text: 'The data look like simulations from the model (p = 0.41); no dataset stands out.' },
};

// ------------------------------------------------------------------ fixtures

/** An SIR fit of two datasets, with every section populated. */
export function buildFitReport(): FitReport {
  const rngData = rngFor(7, 5);
  const ward = solveSir({ beta: 1.35, gamma: 0.38 }, DAYS).map((m, i) => (i === 6 ? null : sampleNegBinomial(rngData, m, 12)));
  const datasets = [
    dataset(11, 'boarding-school-1978', BOARDING_SCHOOL, { beta: 1.69, gamma: 0.476, phi_inv: 0.082 }, { beta: 0.052, gamma: 0.021, phi_inv: 0.034 },
      { distance: MISMATCH.datasets[0].distance, percentile: 0.62, pValue: 0.38, verdict: MISMATCH.datasets[0].verdict }, ['SIR']),
    dataset(12, 'ward-B (synthetic)', ward, { beta: 1.36, gamma: 0.39, phi_inv: 0.09 }, { beta: 0.07, gamma: 0.03, phi_inv: 0.04 },
      { distance: MISMATCH.datasets[1].distance, percentile: 0.962, pValue: 0.04, verdict: MISMATCH.datasets[1].verdict }, ['SIR']),
  ];
  const { checks, recovery } = heldOutChecks(21, SIR, {
    beta: { error: 0.09, calibration: 1 },
    gamma: { error: 0.1, calibration: 0.85 },
    phi_inv: { error: 0.3, calibration: 1 },
  });
  const sc = scaling('mean NRMSE', 3.1, 0.42, 0.11, 5);
  const verdicts = ([
    MISMATCH.verdict,
    ...checks.filter((c) => c.severity !== 'ok').map((c) => ({ severity: c.severity, text: `${c.paramId}: ${c.summary}` })),
    sc.fit.verdict,
    { severity: 'ok', text: `beta and gamma are recovered well on held-out simulations (R² ${checks[0].r2.toFixed(2)} and ${checks[1].r2.toFixed(2)})` },
  ] as Verdict[]).sort((a, b) => severityRank(b) - severityRank(a));
  const hist = history(62, 9);
  return {
    kind: 'fit',
    title: 'Influenza in a boarding school: SIR fit',
    createdAt: '2025-03-14T09:26:53.000Z',
    appVersion: '0.1.0',
    backend: 'tensorflow',
    backendDescription: 'TensorFlow.js native (CPU, 16 threads)',
    models: [{ name: 'SIR', model: SIR }],
    design: { times: DAYS, observables: ['cases'], tStart: 0 },
    settings: { sims: 20000, heldOut: 1000, head: 'density', encoder: 'tcn', seed: 42, epochs: 100, width: 128 },
    training: { history: hist, seconds: hist.reduce((a, h) => a + h.seconds, 0), nTrain: 18000, stoppedEarly: true },
    checks: { parameters: checks, recovery, scaling: sc },
    mismatch: MISMATCH,
    datasets,
    timings: { 'simulation bank': 42.3, training: 118.7, checks: 21.4, estimates: 1.2, report: 0.4 },
    verdicts,
  };
}

/** SIR vs SEIR vs SIRS on the boarding-school data, with confusion matrices of SGNN, AIC and BIC. */
export function buildCompareReport(): FitReport {
  const models = [{ name: 'SIR', model: SIR }, { name: 'SEIR', model: SEIR }, { name: 'SIRS', model: SIRS }];
  const names = models.map((m) => m.name);
  const ds = dataset(31, 'boarding-school-1978', BOARDING_SCHOOL, { beta: 1.72, gamma: 0.47, phi_inv: 0.08 }, { beta: 0.08, gamma: 0.025, phi_inv: 0.035 },
    { distance: 1.05, percentile: 0.55, pValue: 0.45, verdict: { severity: 'ok', text: 'typical of the simulations (more atypical than 55% of them)' } }, names);
  const probs = [0.81, 0.16, 0.03];
  // Per-model posterior means (models × [beta, gamma, sigma, omega]); NaN where the model lacks the parameter.
  const means = [1.7, 0.47, NaN, NaN, 2.05, 0.52, 2.6, NaN, 1.74, 0.46, NaN, 0.012];
  const sds = [0.05, 0.02, NaN, NaN, 0.11, 0.03, 0.6, NaN, 0.06, 0.02, NaN, 0.01];
  ds.attribution.mechanisms = mechanismContribution(names, probs, ['beta', 'gamma', 'sigma', 'omega'], means, sds);
  const aic = { SIR: 142.6, SEIR: 144.1, SIRS: 144.5 };
  const bic = { SIR: 144.5, SEIR: 146.6, SIRS: 147.0 };
  const weights = (v: Record<string, number>): Record<string, number> => {
    const m = Math.min(...Object.values(v));
    const w = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, Math.exp(-(x - m) / 2)]));
    const s = Object.values(w).reduce((a, b) => a + b, 0);
    return Object.fromEntries(Object.entries(w).map(([k, x]) => [k, x / s]));
  };
  ds.comparison = {
    sgnn: { probabilities: { SIR: 0.81, SEIR: 0.16, SIRS: 0.03 }, choice: 'SIR' },
    aic: { values: aic, choice: 'SIR', weights: weights(aic) },
    bic: { values: bic, choice: 'SIR', weights: weights(bic) },
    ml: {
      SIR: { theta: { beta: 1.688, gamma: 0.4759, phi_inv: 0.071 }, logLik: -68.3, converged: true },
      SEIR: { theta: { beta: 2.01, gamma: 0.512, sigma: 2.9, phi_inv: 0.069 }, logLik: -68.05, converged: true },
      SIRS: { theta: { beta: 1.69, gamma: 0.476, omega: 1.2e-4, phi_inv: 0.071 }, logLik: -68.25, converged: false },
    },
  };
  // Held-out mechanism labels and each selector's choices, at roughly 88% / 79% / 82% accuracy.
  const rng = rngFor(41, 6);
  const n = 600;
  const truth = Int32Array.from({ length: n }, (_, i) => i % 3);
  const choose = (acc: number): Int32Array => Int32Array.from(truth, (t) => {
    const u = rng.next();
    if (u < 0.004) return -1;
    if (u < acc) return t;
    // Errors mostly confuse SIR and SEIR (similar curves); SIRS is the most distinct.
    return t === 2 ? (rng.next() < 0.5 ? 0 : 1) : t === 0 ? (rng.next() < 0.8 ? 1 : 2) : (rng.next() < 0.8 ? 0 : 2);
  });
  const sg = choose(0.88), ai = choose(0.79), bi = choose(0.82);
  const comparison = compareSelectors(truth, [{ name: 'SGNN', chosen: sg }, { name: 'AIC', chosen: ai }, { name: 'BIC', chosen: bi }], names);
  const { checks, recovery } = heldOutChecks(22, SIR, { beta: { error: 0.14, calibration: 1 }, gamma: { error: 0.12, calibration: 1 } }, 240);
  const sc = scaling('misclassification rate', 1.9, 0.38, 0.09, 6);
  const hist = history(48, 10);
  const verdicts = ([
    { severity: 'ok', text: 'SIR is the most probable mechanism (81%); AIC and BIC agree.' },
    comparison.verdict,
    sc.fit.verdict,
    { severity: 'ok', text: 'The data look like simulations from the candidate models (p = 0.52).' },
  ] as Verdict[]).sort((a, b) => severityRank(b) - severityRank(a));
  return {
    kind: 'compare',
    title: 'Which mechanism? SIR, SEIR or SIRS for the boarding-school outbreak',
    createdAt: '2025-03-14T11:02:10.000Z',
    appVersion: '0.1.0',
    backend: 'wasm',
    backendDescription: 'WebAssembly with SIMD, 8 threads',
    models,
    design: { times: DAYS, observables: ['cases'], tStart: 0 },
    settings: { sims: 30000, heldOut: 600, head: 'classifier', encoder: 'mlp', seed: 7, epochs: 80, width: 128 },
    training: { history: hist, seconds: hist.reduce((a, h) => a + h.seconds, 0), nTrain: 27000, stoppedEarly: false },
    checks: {
      parameters: checks, recovery, scaling: sc,
      confusion: {
        sgnn: comparison.selectors[0].confusion, aic: comparison.selectors[1].confusion, bic: comparison.selectors[2].confusion,
        comparison, nHeldOut: 600, nWithFits: n,
      },
    },
    mismatch: { ...MISMATCH, mmd: { ...MISMATCH.mmd, nReal: 1, pValue: 0.52 }, datasets: [MISMATCH.datasets[0]], verdict: { severity: 'ok', text: 'The data look like simulations from the candidate models (p = 0.52).' } },
    datasets: [ds],
    timings: { 'simulation bank': 88.1, training: 96.4, checks: 12.8, 'maximum-likelihood fits': 143.2, estimates: 0.9, report: 0.5 },
    verdicts,
  };
}

/** Names and texts a hostile or careless user could type, for the escaping test. */
export const HOSTILE = {
  title: '<script>alert("title")</script> & co',
  model: 'SIR <img src=x onerror=alert(1)> "quoted" & \'single\'',
  description: '</style><script>alert(2)</script>',
  dataset: '"><svg onload=alert(3)>',
  verdict: 'R² < 0.5 & "bad" <b>bold</b>',
};

/** The fit report with hostile names everywhere a user can type text. */
export function buildHostileReport(): FitReport {
  const r = buildFitReport();
  r.title = HOSTILE.title;
  r.models = [{ name: HOSTILE.model, model: { ...SIR, name: HOSTILE.model, description: HOSTILE.description, parameters: SIR.parameters.map((p) => ({ ...p, description: HOSTILE.description })) } }];
  r.datasets[0].id = HOSTILE.dataset;
  r.datasets[0].attribution.nearest[0].model = HOSTILE.model;
  r.verdicts = [{ severity: 'problem', text: HOSTILE.verdict }, ...r.verdicts];
  r.timings = { [HOSTILE.dataset]: 1, ...r.timings };
  r.backendDescription = HOSTILE.description;
  return r;
}
