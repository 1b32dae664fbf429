/**
 * The classical baseline: maximum-likelihood fits of deterministic models on the exact
 * observation likelihood (likelihood.ts), with AIC and BIC for mechanism comparison.
 *
 * The search runs in an unconstrained space given by each parameter's prior support (log for
 * (0, ∞), logit for a bounded interval, identity on ℝ), so the optimiser never proposes a value
 * outside the support; the maximum is of the likelihood alone (no prior), and it is invariant to
 * the transform. Priors only supply the support, the starts (the prior median and prior draws) and
 * the initial simplex size. Multi-start Nelder–Mead with restarts: a restart from the best point
 * with a fresh simplex repairs the simplex collapse that Nelder–Mead is known for, and agreement
 * between starts is the evidence that the global maximum was found.
 */
import type { CompiledModel } from '../model/compiled.ts';
import type { Prior } from '../model/schema.ts';
import { priorMedian, priorQuantile, priorSupport, samplePrior } from '../simulate/priors.ts';
import { rngFor } from '../simulate/random/rng.ts';
import { likelihoodFunction } from './likelihood.ts';
import type { LikelihoodOptions, ObservedData } from './likelihood.ts';
import { nelderMead } from './nelder-mead.ts';
import { formatNumber } from './stats.ts';
import type { Verdict } from './stats.ts';

/** A map between a parameter's support and ℝ. */
export interface Transform {
  kind: 'identity' | 'log' | 'logit' | 'log-upper';
  toUnconstrained(x: number): number;
  fromUnconstrained(u: number): number;
}

/** The transform that maps the prior's support onto ℝ. */
export function transformFor(prior: Prior): Transform {
  const { low, high } = priorSupport(prior);
  if (Number.isFinite(low) && Number.isFinite(high)) {
    const w = high - low;
    return {
      kind: 'logit',
      toUnconstrained: (x) => { const z = (x - low) / w; return Math.log(z) - Math.log1p(-z); },
      fromUnconstrained: (u) => Math.min(high, Math.max(low, low + w / (1 + Math.exp(-u)))),
    };
  }
  if (Number.isFinite(low)) return { kind: 'log', toUnconstrained: (x) => Math.log(x - low), fromUnconstrained: (u) => low + Math.exp(u) };
  if (Number.isFinite(high)) return { kind: 'log-upper', toUnconstrained: (x) => Math.log(high - x), fromUnconstrained: (u) => high - Math.exp(u) };
  return { kind: 'identity', toUnconstrained: (x) => x, fromUnconstrained: (u) => u };
}

export interface MlFitOptions extends LikelihoodOptions {
  seed: number;
  /** Number of starts: the prior median and starts − 1 prior draws (default 8). */
  starts: number;
  /** Nelder–Mead restarts from each start's best point (default 2). */
  restarts: number;
  /** Evaluation budget of one Nelder–Mead run (default min(4000, 200·(k + 1)²)). */
  maxEvaluations?: number;
  /** Two starts agree when their log-likelihoods differ by less than this (default 0.05). */
  agreementTolerance: number;
  onProgress?: (p: { step: 'fit'; current: number; total: number; bestLogLik: number }) => void;
  signal?: AbortSignal;
}

export const DEFAULT_ML_FIT: Omit<MlFitOptions, 'seed'> = { tStart: 0, starts: 8, restarts: 2, agreementTolerance: 0.05 };

export interface StartResult {
  /** Start point (constrained space). */
  start: Float64Array;
  theta: Float64Array;
  logLik: number;
  evaluations: number;
  converged: boolean;
  failure?: string;
}

export interface MlFit {
  model: string;
  paramIds: readonly string[];
  /** θ̂ in the parameters' own space, in paramIds order. */
  theta: Float64Array;
  logLik: number;
  /** Free parameters: the model's unknown parameters (noise parameters included when unknown). */
  k: number;
  /** Observed data points. */
  n: number;
  aic: number;
  bic: number;
  /** AIC with the small-sample correction 2k(k+1)/(n−k−1) (Infinity when n ≤ k + 1). */
  aicc: number;
  /** True when the best start's Nelder–Mead met its tolerances. */
  converged: boolean;
  /** Starts whose maximum agrees with the best: 1 of 8 suggests a multimodal surface. */
  agreeingStarts: number;
  starts: StartResult[];
  evaluations: number;
  verdict: Verdict;
}

/** Maximum-likelihood fit of a deterministic model to a dataset: multi-start Nelder–Mead in unconstrained space, with AIC and BIC. */
export function fitMaximumLikelihood(c: CompiledModel, data: ObservedData, options: Partial<MlFitOptions> & { seed: number }): MlFit {
  const o: MlFitOptions = { ...DEFAULT_ML_FIT, ...options };
  const ll = likelihoodFunction(c, data, o);
  const priors = c.unknownParams.map((i) => c.model.parameters[i].prior!);
  const k = priors.length;
  const transforms = priors.map(transformFor);
  const n = ll.nObserved;
  const toTheta = (u: ArrayLike<number>): Float64Array => Float64Array.from(transforms, (tr, i) => tr.fromUnconstrained(u[i]));
  const toU = (x: ArrayLike<number>): Float64Array => Float64Array.from(transforms, (tr, i) => tr.toUnconstrained(x[i]));
  let evaluations = 0;
  const objective = (u: Float64Array): number => {
    evaluations++;
    const r = ll(toTheta(u));
    return -r.logLik;
  };
  // Initial simplex: a quarter of the prior's central 80% in unconstrained units, so that the
  // first moves are on the prior's scale whatever the parameter's units.
  const step = transforms.map((tr, i) => {
    const s = 0.25 * (tr.toUnconstrained(priorQuantile(priors[i], 0.9)) - tr.toUnconstrained(priorQuantile(priors[i], 0.1)));
    return Number.isFinite(s) && s > 0 ? Math.min(2, Math.max(0.05, s)) : 0.5;
  });
  const maxEvaluations = o.maxEvaluations ?? Math.min(4000, 200 * (k + 1) * (k + 1));

  const starts: StartResult[] = [];
  const nStarts = Math.max(1, Math.floor(o.starts));
  for (let s = 0; s < nStarts; s++) {
    o.signal?.throwIfAborted();
    const rng = rngFor(o.seed, 0xf17, s);
    // Start 0 is the prior median; the others are prior draws, redrawn (up to 20 times) where the model fails.
    let x0 = Float64Array.from(priors, (p) => priorMedian(p));
    let f0 = objective(toU(x0));
    for (let tries = 0; s > 0 && tries < 20 && (tries === 0 || !Number.isFinite(f0)); tries++) {
      x0 = Float64Array.from(priors, (p) => samplePrior(p, rng));
      f0 = objective(toU(x0));
    }
    if (!Number.isFinite(f0)) {
      starts.push({ start: x0, theta: x0, logLik: -Infinity, evaluations: 1, converged: false, failure: ll(x0).failure ?? 'the likelihood is 0 at the start' });
      continue;
    }
    const before = evaluations;
    let u = toU(x0), f = f0, converged = false;
    for (let r = 0; r <= o.restarts; r++) {
      const res = nelderMead(objective, u, { step, maxEvaluations, signal: o.signal });
      const improved = f - res.f;
      if (res.f <= f) { u = res.x; f = res.f; }
      converged = res.converged;
      // A restart that gains (almost) nothing confirms the optimum; stop there.
      if (r > 0 && improved < 1e-7 * (1 + Math.abs(f))) break;
    }
    starts.push({ start: x0, theta: toTheta(u), logLik: -f, evaluations: evaluations - before, converged });
    o.onProgress?.({ step: 'fit', current: s + 1, total: nStarts, bestLogLik: Math.max(...starts.map((st) => st.logLik)) });
  }

  let best = starts[0];
  for (const st of starts) if (st.logLik > best.logLik) best = st;
  const logLik = best.logLik;
  const agreeing = Number.isFinite(logLik) ? starts.filter((st) => logLik - st.logLik <= o.agreementTolerance).length : 0;
  const aic = 2 * k - 2 * logLik;
  const bic = k * Math.log(n) - 2 * logLik;
  const aicc = n - k - 1 > 0 ? aic + (2 * k * (k + 1)) / (n - k - 1) : Infinity;
  return {
    model: c.model.name, paramIds: ll.paramIds, theta: best.theta, logLik, k, n, aic, bic, aicc,
    converged: best.converged, agreeingStarts: agreeing, starts, evaluations,
    verdict: fitVerdict(c.model.name, logLik, best.converged, agreeing, starts.length, best.failure),
  };
}

function fitVerdict(model: string, logLik: number, converged: boolean, agreeing: number, nStarts: number, failure?: string): Verdict {
  if (!Number.isFinite(logLik)) return { severity: 'problem', text: `no maximum-likelihood fit of ${model}: the model fails or the data are impossible at every start (${failure ?? 'likelihood 0'})` };
  const head = `${model}: log L = ${formatNumber(logLik)}`;
  if (!converged) return { severity: 'warning', text: `${head}, but the optimiser ran out of evaluations before converging` };
  if (nStarts > 1 && agreeing < 2) return { severity: 'warning', text: `${head}; only 1 of ${nStarts} starts reached it: the likelihood may have several peaks` };
  return { severity: 'ok', text: `${head}; ${agreeing} of ${nStarts} starts agree` };
}

export interface InformationCriteriaComparison {
  models: string[];
  aic: number[];
  bic: number[];
  deltaAic: number[];
  deltaBic: number[];
  /** Akaike weights exp(−ΔAIC/2)/Σ: the relative support of each model. */
  aicWeights: number[];
  /** Schwarz weights exp(−ΔBIC/2)/Σ: approximate posterior model probabilities under equal prior odds. */
  bicWeights: number[];
  /** Index of the chosen model (−1 when no fit succeeded). */
  bestByAic: number;
  bestByBic: number;
  verdict: Verdict;
}

function weights(values: number[]): { best: number; delta: number[]; w: number[] } {
  let best = -1;
  values.forEach((v, i) => { if (Number.isFinite(v) && (best < 0 || v < values[best])) best = i; });
  if (best < 0) return { best, delta: values.map(() => NaN), w: values.map(() => 0) };
  const delta = values.map((v) => v - values[best]);
  const raw = delta.map((d) => (Number.isFinite(d) ? Math.exp(-d / 2) : 0));
  const s = raw.reduce((a, b) => a + b, 0);
  return { best, delta, w: raw.map((r) => r / s) };
}

/** Picks a model by AIC and by BIC among fits to the same data, with Akaike and Schwarz weights. */
export function compareByInformationCriteria(fits: readonly Pick<MlFit, 'model' | 'aic' | 'bic' | 'n'>[]): InformationCriteriaComparison {
  const n = new Set(fits.map((f) => f.n));
  if (n.size > 1) throw new RangeError(`compareByInformationCriteria: fits use different numbers of data points (${[...n].join(', ')}); AIC and BIC compare models on the same data only`);
  const aic = fits.map((f) => f.aic), bic = fits.map((f) => f.bic);
  const a = weights(aic), b = weights(bic);
  const models = fits.map((f) => f.model);
  let verdict: Verdict;
  if (a.best < 0) verdict = { severity: 'problem', text: 'no model could be fitted by maximum likelihood' };
  else {
    const aText = `AIC prefers ${models[a.best]} (Akaike weight ${formatNumber(a.w[a.best])})`;
    const bText = a.best === b.best ? `BIC agrees (weight ${formatNumber(b.w[b.best])})` : `BIC prefers ${models[b.best]} (weight ${formatNumber(b.w[b.best])})`;
    verdict = { severity: a.best === b.best ? 'ok' : 'warning', text: `${aText}; ${bText}` };
  }
  return { models, aic, bic, deltaAic: a.delta, deltaBic: b.delta, aicWeights: a.w, bicWeights: b.w, bestByAic: a.best, bestByBic: b.best, verdict };
}

/** Fits every candidate model to one dataset and compares them (the AIC/BIC choice for one held-out run or real dataset). */
export function fitAndCompare(models: readonly CompiledModel[], data: ObservedData, options: Partial<MlFitOptions> & { seed: number }): { fits: MlFit[]; comparison: InformationCriteriaComparison } {
  const fits = models.map((c, m) => fitMaximumLikelihood(c, data, { ...options, seed: options.seed + m }));
  return { fits, comparison: compareByInformationCriteria(fits) };
}
