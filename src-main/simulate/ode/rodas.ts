/**
 * Stiff solver: Hairer & Wanner's RODAS (rodas.f, METH = 1): a 6-stage, order-4, L-stable,
 * stiffly accurate Rosenbrock method with an embedded order-3 error estimate and an order-3 dense
 * output (Solving ODEs II, §IV.7). The Jacobian comes from sys.jac (symbolic, from the model
 * compiler) or forward differences; ∂f/∂t from sys.dfdt, forward differences, or is skipped when
 * sys.autonomous is true. Parameters and their order of use are in RODAS_CONTROL.
 */
import type { OdeOptions, OdeSolve, OdeSystem, SolverStats } from '../types.ts';
import { SimulationError } from '../types.ts';
import type { HintedOdeSystem } from './common.ts';
import {
  checkFiniteDerivative, checkSolveArguments, ensureStats, initialStep, stepUnderflowError,
  tooManyStepsError, writeOutputsAtStart,
} from './common.ts';
import { luFactor, luSolve } from './lu.ts';

/**
 * Control parameters (rodas.f's names and defaults). The step loop:
 *  1. (each attempt) if attempts > maxSteps: error; if 0.1·|h| ≤ |t|·uround: step size underflow.
 *  2. (new step only) if t + 1.0001·h ≥ t1: h = t1 − t, last step; f(t, y), J(t, y) (sys.jac or
 *     J[:, j] = (f(t, y + δ_j e_j) − f(t, y))/δ_j, δ_j = sqrt(uround·max(1e-5, |y_j|))), and unless
 *     autonomous f_t (sys.dfdt or (f(t + δ, y) − f(t, y))/δ, δ = sqrt(uround·max(1e-5, |t|))).
 *  3. E = I/(γh) − J, LU with partial pivoting; an exactly singular E halves h (5 times in a row: error).
 *  4. six stages, err = sqrt(Σ(k6_i/sk_i)²/n), sk = atol + rtol·max(|y_i|, |ynew_i|); NaN → +∞.
 *  5. fac = clamp(err^(1/4)/safe, 1/fac2, 1/fac1); hnew = h/fac. (x^(1/4) is computed as
 *     sqrt(sqrt(x)): V8's Math.pow is ~10× slower than two square roots.)
 *     Accepted (err ≤ 1): from the 2nd accepted step on, Gustafsson's predictive controller:
 *     facgus = clamp((hacc/h)·(err²/erracc)^(1/4)/safe, 1/fac2, 1/fac1), fac = max(fac, facgus),
 *     hnew = h/fac; then hacc = h, erracc = max(1e-2, err); hnew = min(hnew, hmax); if the
 *     previous attempt was rejected, hnew = min(hnew, h).
 *     Rejected: if the previous two attempts were rejected, hnew = facrej·h; retry from 3 (J kept).
 * Initial step: options.h0 if > 0, else Hairer's HINIT with order 4, both capped by hmax; hmax is
 * min(options.hmax, t1 − t0).
 */
export const RODAS_CONTROL = {
  safe: 0.9,
  /** hnew/h ≥ fac1 … */
  fac1: 0.2,
  /** … and ≤ fac2. */
  fac2: 6,
  facrej: 0.1,
  uround: 1e-16,
  gamma: 0.25,
  maxSingular: 5,
} as const;

// rodas.f ROCOE, METH = 1 (Hairer & Wanner's coefficients; same digits in Numerical Recipes 3).
const C2 = 0.386, C3 = 0.21, C4 = 0.63;
const D1 = 0.25, D2 = -0.1043, D3 = 0.1035, D4 = -0.3620000000000023e-1;
const A21 = 0.1544e1;
const A31 = 0.9466785280815826, A32 = 0.2557011698983284;
const A41 = 0.3314825187068521e1, A42 = 0.2896124015972201e1, A43 = 0.9986419139977817;
const A51 = 0.1221224509226641e1, A52 = 0.6019134481288629e1, A53 = 0.1253708332932087e2, A54 = -0.6878860361058950;
const C21 = -0.56688e1;
const C31 = -0.2430093356833875e1, C32 = -0.2063599157091915;
const C41 = -0.1073529058151375, C42 = -0.9594562251023355e1, C43 = -0.2047028614809616e2;
const C51 = 0.7496443313967647e1, C52 = -0.1024680431464352e2, C53 = -0.3399990352819905e2, C54 = 0.1170890893206160e2;
const C61 = 0.8083246795921522e1, C62 = -0.7981132988064893e1, C63 = -0.3152159432874371e2, C64 = 0.1631930543123136e2,
  C65 = -0.6058818238834054e1;
// Dense output: y(t + s·h) = (1−s)·y + s·(ynew + (1−s)·(q1 + s·q2)), q = Σ d_j k_j.
const D21 = 0.1012623508344586e2, D22 = -0.7487995877610167e1, D23 = -0.3480091861555747e2, D24 = -0.7992771707568823e1,
  D25 = 0.1025137723295662e1;
const D31 = -0.6762803392801253, D32 = 0.6087714651680015e1, D33 = 0.1643084320892478e2, D34 = 0.2476722511418386e2,
  D35 = -0.6594389125716872e1;

interface Work {
  n: number;
  busy: boolean;
  dy1: Float64Array; dy: Float64Array; ft: Float64Array; ystage: Float64Array; ynew: Float64Array;
  k1: Float64Array; k2: Float64Array; k3: Float64Array; k4: Float64Array; k5: Float64Array; k6: Float64Array;
  jac: Float64Array; e: Float64Array; piv: Int32Array;
}

// See dopri5.ts: one cached workspace, a busy flag against re-entrant calls.
let cachedWork: Work | null = null;

function acquireWork(n: number): Work {
  if (cachedWork !== null && cachedWork.n === n && !cachedWork.busy) {
    cachedWork.busy = true;
    return cachedWork;
  }
  const v = (): Float64Array => new Float64Array(n);
  const w: Work = {
    n, busy: true,
    dy1: v(), dy: v(), ft: v(), ystage: v(), ynew: v(),
    k1: v(), k2: v(), k3: v(), k4: v(), k5: v(), k6: v(),
    jac: new Float64Array(n * n), e: new Float64Array(n * n), piv: new Int32Array(n),
  };
  if (cachedWork === null || !cachedWork.busy) cachedWork = w;
  return w;
}

/** Stiff solver (`stiff`): RODAS (order 4, L-stable) with dense output; see RODAS_CONTROL. */
export function rodas(
  sys: OdeSystem, t0: number, y: Float64Array, t1: number,
  times: Float64Array, kFrom: number, kTo: number, out: Float64Array,
  options: OdeOptions, stats: SolverStats,
): void {
  checkSolveArguments('rodas', sys, t0, y, t1, times, kFrom, kTo, out, options);
  ensureStats(stats);
  const n = sys.n;
  let kNext = writeOutputsAtStart(n, t0, y, times, kFrom, kTo, out);
  if (t1 === t0 || n === 0) {
    for (; kNext < kTo; kNext++) out.set(y, kNext * n);
    return;
  }
  const w = acquireWork(n);
  try {
    run(sys, t0, y, t1, times, kNext, kTo, out, options, stats, w);
  } finally {
    w.busy = false;
  }
}

function run(
  sys: HintedOdeSystem, t0: number, y: Float64Array, t1: number,
  times: Float64Array, kStart: number, kTo: number, out: Float64Array,
  options: OdeOptions, stats: SolverStats, w: Work,
): void {
  const n = sys.n;
  const { safe, fac1, fac2, facrej, uround, gamma, maxSingular } = RODAS_CONTROL;
  const { rtol, atol, maxSteps } = options;
  const facMax = 1 / fac1;
  const facMin = 1 / fac2;
  const hmax = Math.min(options.hmax, t1 - t0);
  const autonomous = sys.autonomous === true;
  const { dy1, dy, ft, ystage, ynew, k1, k2, k3, k4, k5, k6, jac, e, piv } = w;

  let t = t0;
  let h: number;
  // f(t0, y0) is needed by HINIT and by the first step: computed once.
  let haveDy1 = false;
  if (options.h0 > 0) {
    h = Math.min(options.h0, hmax);
  } else {
    sys.f(t, y, dy1);
    checkFiniteDerivative(n, t, dy1);
    h = initialStep(sys, t, y, dy1, ystage, dy, 4, hmax, atol, rtol);
    stats.fEvals += 2;
    haveDy1 = true;
  }
  // The workspace is reused across calls: an autonomous system's f_t must read as zero.
  if (autonomous) ft.fill(0);

  let reject = false;
  let reject2 = false;
  let last = false;
  let sawNonFinite = false;
  let firstAccepted = true;
  let hacc = 0;
  let erracc = 0;
  let attempts = 0;
  let kNext = kStart;

  for (;;) {
    // A new step: the step length, f, J and f_t at the accepted point (t, y).
    if (t + h * 1.0001 - t1 >= 0) {
      h = t1 - t;
      last = true;
    }
    if (!haveDy1) {
      sys.f(t, y, dy1);
      stats.fEvals++;
      checkFiniteDerivative(n, t, dy1);
    }
    haveDy1 = false;
    computeJacobian(sys, t, y, dy1, jac, dy, uround, stats);
    if (!autonomous) computeDfdt(sys, t, y, dy1, ft, dy, uround, stats);

    let singular = 0;
    for (;;) {
      if (attempts >= maxSteps) throw tooManyStepsError(t, t1, maxSteps, 'raise maxSteps, or loosen rtol/atol');
      if (0.1 * Math.abs(h) <= Math.abs(t) * uround || !(h > 0)) {
        throw stepUnderflowError(t, h, sawNonFinite, 'the model may be singular or its solution may blow up near here');
      }
      attempts++;

      const fac = 1 / (h * gamma);
      for (let i = 0; i < n * n; i++) e[i] = -jac[i];
      for (let i = 0; i < n; i++) e[i * n + i] += fac;
      if (!luFactor(e, n, piv)) {
        singular++;
        if (singular >= maxSingular) {
          throw new SimulationError(`singular iteration matrix at t = ${t}: I/(γh) − J could not be factored for ${maxSingular} step sizes down to h = ${h}; the Jacobian may be non-finite or the model singular`, t);
        }
        h *= 0.5;
        reject = true;
        last = false;
        continue;
      }

      const tph = last ? t1 : t + h;
      const hc21 = C21 / h, hc31 = C31 / h, hc32 = C32 / h;
      const hc41 = C41 / h, hc42 = C42 / h, hc43 = C43 / h;
      const hc51 = C51 / h, hc52 = C52 / h, hc53 = C53 / h, hc54 = C54 / h;
      const hc61 = C61 / h, hc62 = C62 / h, hc63 = C63 / h, hc64 = C64 / h, hc65 = C65 / h;
      const hd1 = h * D1, hd2 = h * D2, hd3 = h * D3, hd4 = h * D4;

      for (let i = 0; i < n; i++) k1[i] = dy1[i] + hd1 * ft[i];
      luSolve(e, n, piv, k1);
      for (let i = 0; i < n; i++) ystage[i] = y[i] + A21 * k1[i];
      sys.f(t + C2 * h, ystage, dy);
      for (let i = 0; i < n; i++) k2[i] = dy[i] + hd2 * ft[i] + hc21 * k1[i];
      luSolve(e, n, piv, k2);
      for (let i = 0; i < n; i++) ystage[i] = y[i] + A31 * k1[i] + A32 * k2[i];
      sys.f(t + C3 * h, ystage, dy);
      for (let i = 0; i < n; i++) k3[i] = dy[i] + hd3 * ft[i] + (hc31 * k1[i] + hc32 * k2[i]);
      luSolve(e, n, piv, k3);
      for (let i = 0; i < n; i++) ystage[i] = y[i] + A41 * k1[i] + A42 * k2[i] + A43 * k3[i];
      sys.f(t + C4 * h, ystage, dy);
      for (let i = 0; i < n; i++) k4[i] = dy[i] + hd4 * ft[i] + (hc41 * k1[i] + hc42 * k2[i] + hc43 * k3[i]);
      luSolve(e, n, piv, k4);
      for (let i = 0; i < n; i++) ystage[i] = y[i] + A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i];
      sys.f(tph, ystage, dy);
      for (let i = 0; i < n; i++) k5[i] = dy[i] + (hc51 * k1[i] + hc52 * k2[i] + hc53 * k3[i] + hc54 * k4[i]);
      luSolve(e, n, piv, k5);
      // Embedded (order-3) solution; the last stage's increment k6 is the error estimate.
      for (let i = 0; i < n; i++) ystage[i] += k5[i];
      sys.f(tph, ystage, dy);
      for (let i = 0; i < n; i++) k6[i] = dy[i] + (hc61 * k1[i] + hc62 * k2[i] + hc63 * k3[i] + hc64 * k4[i] + hc65 * k5[i]);
      luSolve(e, n, piv, k6);
      for (let i = 0; i < n; i++) ynew[i] = ystage[i] + k6[i];
      stats.fEvals += 5;

      let sum = 0;
      for (let i = 0; i < n; i++) {
        const sk = atol + rtol * Math.max(Math.abs(y[i]), Math.abs(ynew[i]));
        const r = k6[i] / sk;
        // ynew * 0 is NaN exactly when ynew is not finite: such a step must not pass.
        sum += r * r + ynew[i] * 0;
      }
      let err = Math.sqrt(sum / n);
      if (!(err <= Infinity)) {
        err = Infinity;
        sawNonFinite = true;
      }

      let facStep = Math.max(facMin, Math.min(facMax, Math.sqrt(Math.sqrt(err)) / safe));
      let hnew = h / facStep;

      if (err <= 1) {
        stats.steps++;
        if (!firstAccepted) {
          let facgus = (hacc / h) * Math.sqrt(Math.sqrt(err * err / erracc)) / safe;
          facgus = Math.max(facMin, Math.min(facMax, facgus));
          facStep = Math.max(facStep, facgus);
          hnew = h / facStep;
        }
        firstAccepted = false;
        hacc = h;
        erracc = Math.max(1e-2, err);

        if (kNext < kTo && times[kNext] <= tph) {
          const s0 = kNext;
          while (kNext < kTo && times[kNext] <= tph) kNext++;
          for (let k = s0; k < kNext; k++) {
            const base = k * n;
            if (times[k] === tph) {
              for (let i = 0; i < n; i++) out[base + i] = ynew[i];
              continue;
            }
            const s = (times[k] - t) / h;
            const s1 = 1 - s;
            for (let i = 0; i < n; i++) {
              const q1 = D21 * k1[i] + D22 * k2[i] + D23 * k3[i] + D24 * k4[i] + D25 * k5[i];
              const q2 = D31 * k1[i] + D32 * k2[i] + D33 * k3[i] + D34 * k4[i] + D35 * k5[i];
              out[base + i] = y[i] * s1 + s * (ynew[i] + s1 * (q1 + s * q2));
            }
          }
        }

        for (let i = 0; i < n; i++) y[i] = ynew[i];
        t = tph;
        if (last) return;
        if (hnew > hmax) hnew = hmax;
        if (reject) hnew = Math.min(hnew, h);
        reject = false;
        reject2 = false;
        h = hnew;
        break;
      }
      if (reject2) hnew = h * facrej;
      if (reject) reject2 = true;
      reject = true;
      last = false;
      stats.rejected++;
      h = hnew;
    }
  }
}

function computeJacobian(
  sys: OdeSystem, t: number, y: Float64Array, f0: Float64Array, jac: Float64Array, scratch: Float64Array,
  uround: number, stats: SolverStats,
): void {
  const n = sys.n;
  stats.jacEvals++;
  if (sys.jac !== undefined) {
    sys.jac(t, y, jac);
    return;
  }
  for (let j = 0; j < n; j++) {
    const ysafe = y[j];
    const delt = Math.sqrt(uround * Math.max(1e-5, Math.abs(ysafe)));
    y[j] = ysafe + delt;
    sys.f(t, y, scratch);
    y[j] = ysafe;
    for (let i = 0; i < n; i++) jac[i * n + j] = (scratch[i] - f0[i]) / delt;
  }
  stats.fEvals += n;
}

function computeDfdt(
  sys: HintedOdeSystem, t: number, y: Float64Array, f0: Float64Array, ft: Float64Array, scratch: Float64Array,
  uround: number, stats: SolverStats,
): void {
  if (sys.dfdt !== undefined) {
    sys.dfdt(t, y, ft);
    return;
  }
  const n = sys.n;
  const delt = Math.sqrt(uround * Math.max(1e-5, Math.abs(t)));
  sys.f(t + delt, y, scratch);
  stats.fEvals++;
  for (let i = 0; i < n; i++) ft[i] = (scratch[i] - f0[i]) / delt;
}

rodas satisfies OdeSolve;
