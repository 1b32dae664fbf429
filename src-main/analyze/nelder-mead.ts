/**
 * Nelder–Mead minimisation, written here rather than taken from npm. Evaluated (2025):
 * - `fmin` (0.0.x): unmaintained, no types, and it depends on a plotting package (contour_plot);
 * - `ml-levenberg-marquardt` (mljs, kept): least squares only, so it cannot minimise the negative
 *   log-likelihood of Poisson, negative-binomial or binomial noise, nor one whose noise scale is
 *   itself a parameter;
 * - `optimization-js`: ships browserify, jsdoc and travis as runtime dependencies.
 * The method is ~100 lines, and owning it lets the objective return +Infinity for a failed
 * simulation (the simplex simply moves away) and lets the caller cancel between evaluations.
 *
 * Coefficients are the dimension-adaptive ones of Gao & Han (2012, Comput. Optim. Appl. 51:259),
 * which keep the method effective beyond a handful of dimensions.
 */

export interface NelderMeadOptions {
  /** Initial simplex: x0 plus x0 + step[i]·e_i (default 0.5 in every coordinate: the caller works in unconstrained units). */
  step: number | ArrayLike<number>;
  /** Stop when max f − min f over the simplex ≤ fTol·(1 + |min f|) and the simplex is smaller than xTol. */
  fTol: number;
  xTol: number;
  maxEvaluations: number;
  /** Checked between evaluations; cancellation throws the signal's reason. */
  signal?: AbortSignal;
}

export const DEFAULT_NELDER_MEAD: NelderMeadOptions = { step: 0.5, fTol: 1e-9, xTol: 1e-7, maxEvaluations: 4000 };

export interface NelderMeadResult {
  x: Float64Array;
  f: number;
  evaluations: number;
  iterations: number;
  /** True when the tolerances were met (false: out of evaluations). */
  converged: boolean;
}

/** Minimise f from x0 with the Nelder–Mead simplex method; f may return +Infinity (or NaN, read as +Infinity) for infeasible points. */
export function nelderMead(f: (x: Float64Array) => number, x0: ArrayLike<number>, options: Partial<NelderMeadOptions> = {}): NelderMeadResult {
  const o: NelderMeadOptions = { ...DEFAULT_NELDER_MEAD, ...options };
  const n = x0.length;
  let evaluations = 0;
  const evaluate = (x: Float64Array): number => {
    o.signal?.throwIfAborted();
    evaluations++;
    const v = f(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  if (n === 0) {
    const x = new Float64Array(0);
    return { x, f: evaluate(x), evaluations, iterations: 0, converged: true };
  }
  const alpha = 1, beta = 1 + 2 / n, gamma = 0.75 - 1 / (2 * n), delta = 1 - 1 / n;

  const simplex: Float64Array[] = [];
  const values: number[] = [];
  simplex.push(Float64Array.from(x0));
  for (let i = 0; i < n; i++) {
    const v = Float64Array.from(x0);
    const s = typeof o.step === 'number' ? o.step : o.step[i];
    v[i] += s === 0 ? 0.5 : s;
    simplex.push(v);
  }
  for (const v of simplex) values.push(evaluate(v));

  const order = Array.from({ length: n + 1 }, (_, i) => i);
  const centroid = new Float64Array(n);
  const point = (from: Float64Array, towards: Float64Array, coef: number): Float64Array => {
    const r = new Float64Array(n);
    for (let j = 0; j < n; j++) r[j] = from[j] + coef * (towards[j] - from[j]);
    return r;
  };

  let iterations = 0;
  let converged = false;
  while (evaluations < o.maxEvaluations) {
    order.sort((a, b) => values[a] - values[b]);
    const best = order[0], worst = order[n], second = order[n - 1];
    const fBest = values[best], fWorst = values[worst];
    let size = 0;
    for (let i = 1; i <= n; i++) {
      const v = simplex[order[i]];
      for (let j = 0; j < n; j++) size = Math.max(size, Math.abs(v[j] - simplex[best][j]));
    }
    if (Number.isFinite(fBest) && fWorst - fBest <= o.fTol * (1 + Math.abs(fBest)) && size <= o.xTol * (1 + maxAbs(simplex[best]))) {
      converged = true;
      break;
    }
    iterations++;
    centroid.fill(0);
    for (let i = 0; i < n; i++) {
      const v = simplex[order[i]];
      for (let j = 0; j < n; j++) centroid[j] += v[j] / n;
    }
    // Reflection x_r = c + α(c − x_worst), written as a step from the worst point through c.
    const xr = point(simplex[worst], centroid, 1 + alpha);
    const fr = evaluate(xr);
    if (fr < fBest) {
      const xe = point(simplex[worst], centroid, 1 + alpha * beta);
      const fe = evaluate(xe);
      if (fe < fr) replace(worst, xe, fe);
      else replace(worst, xr, fr);
    } else if (fr < values[second]) {
      replace(worst, xr, fr);
    } else {
      // Outside contraction when the reflected point beats the worst, inside otherwise.
      const outside = fr < fWorst;
      const xc = outside ? point(simplex[worst], centroid, 1 + alpha * gamma) : point(simplex[worst], centroid, 1 - gamma);
      const fc = evaluate(xc);
      if (outside ? fc <= fr : fc < fWorst) {
        replace(worst, xc, fc);
      } else {
        // Shrink towards the best vertex.
        for (let i = 1; i <= n; i++) {
          const k = order[i];
          simplex[k] = point(simplex[best], simplex[k], delta);
          values[k] = evaluate(simplex[k]);
          if (evaluations >= o.maxEvaluations) break;
        }
      }
    }
  }
  order.sort((a, b) => values[a] - values[b]);
  return { x: simplex[order[0]], f: values[order[0]], evaluations, iterations, converged };

  function replace(k: number, x: Float64Array, fx: number): void {
    simplex[k] = x;
    values[k] = fx;
  }
}

function maxAbs(x: Float64Array): number {
  let m = 0;
  for (let j = 0; j < x.length; j++) m = Math.max(m, Math.abs(x[j]));
  return m;
}
