/** Prior helpers for the parameters panel: defaults per distribution, density curves, summaries. */
import type { Prior, PriorDist } from '../../src-main/model/schema.ts';
import { priorLogDensity, priorQuantile } from '../../src-main/simulate/priors.ts';

export const PRIOR_FIELDS: Record<PriorDist, { key: string; label: string }[]> = {
  uniform: [{ key: 'low', label: 'low' }, { key: 'high', label: 'high' }],
  loguniform: [{ key: 'low', label: 'low' }, { key: 'high', label: 'high' }],
  normal: [{ key: 'mean', label: 'mean' }, { key: 'sd', label: 'sd' }],
  lognormal: [{ key: 'mu', label: 'μ (log scale)' }, { key: 'sigma', label: 'σ (log scale)' }],
  gamma: [{ key: 'shape', label: 'shape' }, { key: 'rate', label: 'rate' }],
  beta: [{ key: 'a', label: 'a' }, { key: 'b', label: 'b' }],
  exponential: [{ key: 'rate', label: 'rate' }],
  halfnormal: [{ key: 'sd', label: 'sd' }],
};

export const PRIOR_LABELS: Record<PriorDist, string> = {
  uniform: 'Uniform', loguniform: 'Log-uniform', normal: 'Normal', lognormal: 'Log-normal',
  gamma: 'Gamma', beta: 'Beta', exponential: 'Exponential', halfnormal: 'Half-normal',
};

/** A sensible prior of the given family centred near `value` (when switching the family). */
export function defaultPrior(dist: PriorDist, value = 1): Prior {
  const v = Number.isFinite(value) && value > 0 ? value : 1;
  switch (dist) {
    case 'uniform': return { dist, low: 0, high: 2 * v };
    case 'loguniform': return { dist, low: v / 10, high: v * 10 };
    case 'normal': return { dist, mean: v, sd: v / 2 };
    case 'lognormal': return { dist, mu: round(Math.log(v)), sigma: 0.5 };
    case 'gamma': return { dist, shape: 2, rate: round(2 / v) };
    case 'beta': return { dist, a: 2, b: 2 };
    case 'exponential': return { dist, rate: round(1 / v) };
    case 'halfnormal': return { dist, sd: v };
  }
}

function round(x: number): number {
  return Number(x.toPrecision(4));
}

/** Points of the prior's density over its central 99.5% (or its whole bounded support). */
export function densityCurve(prior: Prior, n = 120): { x: number[]; y: number[] } {
  let lo: number;
  let hi: number;
  try {
    lo = priorQuantile(prior, 0.0025);
    hi = priorQuantile(prior, 0.9975);
  } catch {
    return { x: [], y: [] };
  }
  if (prior.dist === 'uniform' || prior.dist === 'loguniform') {
    const pad = (prior.high - prior.low) * 0.05;
    lo = Math.max(prior.dist === 'loguniform' ? 0 : -Infinity, prior.low - pad);
    hi = prior.high + pad;
  }
  if (!(hi > lo)) return { x: [], y: [] };
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const xi = lo + ((hi - lo) * i) / (n - 1);
    const ld = priorLogDensity(prior, xi);
    x.push(xi);
    y.push(Number.isFinite(ld) ? Math.exp(ld) : 0);
  }
  return { x, y };
}

/** "median 1.0, 95% in 0.14–7.1" */
export function priorSummary(prior: Prior): string {
  try {
    const f = (v: number): string => (Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(1) : Number(v.toPrecision(2)).toString());
    return `median ${f(priorQuantile(prior, 0.5))}, 95% in ${f(priorQuantile(prior, 0.025))}–${f(priorQuantile(prior, 0.975))}`;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
