/**
 * Dormand–Prince 5(4) with FSAL, the PI step-size control, initial step, order-4 dense output and
 * stiffness detection of Hairer's DOPRI5 (Hairer, Nørsett & Wanner, Solving ODEs I, §II.4–6;
 * dopri5.f of 1996). Parameters and their order of use are written down in DOPRI5_CONTROL so a C
 * port can match the accepted/rejected steps one for one.
 */
import type { OdeOptions, OdeSolve, OdeSystem, SolverStats } from '../types.ts';
import {
  checkFiniteDerivative, checkSolveArguments, ensureStats, initialStep, stepUnderflowError,
  tooManyStepsError, writeOutputsAtStart,
} from './common.ts';

/**
 * Control parameters (Hairer's names). The step loop, per attempt:
 *  1. if attempts > maxSteps: error; if 0.1·|h| ≤ |t|·uround: step size underflow.
 *  2. if t + 1.01·h ≥ t1: h = t1 − t, last step (its end time is t1 exactly).
 *  3. stages; err = sqrt(Σ((h·Σe_j k_j)/sk)²/n), sk = atol + rtol·max(|y_i|, |ynew_i|); NaN → +∞.
 *  4. fac11 = err^(0.2 − 0.75·beta); fac = clamp(fac11 / facold^beta / safe, 1/fac2, 1/fac1); hnew = h/fac.
 *     Powers through log and exp: fac11 / facold^beta = exp(expo1·log err − beta·log facold) on
 *     an accepted step, fac11 = exp(expo1·log err) on a rejected one.
 *  5. accepted (err ≤ 1): facold = max(err, 1e-4); hnew = min(hnew, hmax); if the previous attempt
 *     was rejected, hnew = min(hnew, h). Rejected: hnew = h / min(1/fac1, fac11/safe).
 * Initial step: options.h0 if > 0, else Hairer's HINIT (order 5), both capped by hmax; hmax is
 * min(options.hmax, t1 − t0). facold starts at 1e-4.
 * Stiffness (only when asked for): on every accepted step, hρ = h·‖k7 − k6‖/‖ynew − y6‖ (y6 the
 * argument of the 6th stage, both at t + h); hρ > 3.25 counts a stiff step, 6 non-stiff steps in a
 * row reset the count, and 15 counted stiff steps mean the problem is stiff. (dopri5.f tests only
 * every NSTIFF = 1000 steps until a first hit; we test every step to switch early.)
 */
export const DOPRI5_CONTROL = {
  safe: 0.9,
  fac1: 0.2,
  fac2: 10,
  beta: 0.04,
  uround: 2.3e-16,
  stiffHRho: 3.25,
  stiffCount: 15,
  nonStiffReset: 6,
} as const;

// Dormand & Prince (1980) coefficients, as in dopri5.f.
const C2 = 0.2, C3 = 0.3, C4 = 0.8, C5 = 8 / 9;
const A21 = 0.2;
const A31 = 3 / 40, A32 = 9 / 40;
const A41 = 44 / 45, A42 = -56 / 15, A43 = 32 / 9;
const A51 = 19372 / 6561, A52 = -25360 / 2187, A53 = 64448 / 6561, A54 = -212 / 729;
const A61 = 9017 / 3168, A62 = -355 / 33, A63 = 46732 / 5247, A64 = 49 / 176, A65 = -5103 / 18656;
const A71 = 35 / 384, A73 = 500 / 1113, A74 = 125 / 192, A75 = -2187 / 6784, A76 = 11 / 84;
const E1 = 71 / 57600, E3 = -71 / 16695, E4 = 71 / 1920, E5 = -17253 / 339200, E6 = 22 / 525, E7 = -1 / 40;
// Shampine's dense output of order 4 (dopri5.f's D1..D7).
const D1 = -12715105075 / 11282082432, D3 = 87487479700 / 32700410799, D4 = -10690763975 / 1880347072,
  D5 = 701980252875 / 199316789632, D6 = -1453857185 / 822651844, D7 = 69997945 / 29380423;

/** log(1e-4): log of facold's floor (facold = max(err, 1e-4)). */
const LOG_1E_4 = Math.log(1e-4);

/** What `dopri5Integrate` should do besides integrating; `auto` uses the stops. */
export interface Dopri5Control {
  /** Return early (reason 'stiff') once Hairer's test says the problem has become stiff. */
  stopWhenStiff: boolean;
  /** Return early (reason 'step-limit') after this many attempted steps in this call; Infinity for none. */
  stopAfterSteps: number;
  /** Return (reason 'underflow') instead of throwing when the step size underflows. */
  stopOnUnderflow: boolean;
}

/** Integrate to t1 with no early stops (the plain `ode` solver). */
export const DOPRI5_NO_STOPS: Dopri5Control = { stopWhenStiff: false, stopAfterSteps: Infinity, stopOnUnderflow: false };

/** Where `dopri5Integrate` stopped: y holds y(t), outputs [kFrom, kNext) are written, h is the next step it would try. */
export interface Dopri5Outcome {
  reason: 'done' | 'stiff' | 'step-limit' | 'underflow';
  t: number;
  kNext: number;
  h: number;
  /** Attempted steps in this call (for the maxSteps budget of a caller that continues). */
  attempts: number;
}

interface Work {
  n: number;
  busy: boolean;
  k1: Float64Array; k2: Float64Array; k3: Float64Array; k4: Float64Array;
  k5: Float64Array; k6: Float64Array; k7: Float64Array;
  ystage: Float64Array; y6: Float64Array; ynew: Float64Array;
  /** Dense-output coefficients of the current step (ydiff, bspl, c3, c4 of the formula). */
  r1: Float64Array; r2: Float64Array; r3: Float64Array; r4: Float64Array;
}

// One cached workspace: solvers run many short calls of the same n, and a busy flag keeps a
// re-entrant call (an f that itself integrates) from sharing it.
let cachedWork: Work | null = null;

function acquireWork(n: number): Work {
  if (cachedWork !== null && cachedWork.n === n && !cachedWork.busy) {
    cachedWork.busy = true;
    return cachedWork;
  }
  const w: Work = {
    n, busy: true,
    k1: new Float64Array(n), k2: new Float64Array(n), k3: new Float64Array(n), k4: new Float64Array(n),
    k5: new Float64Array(n), k6: new Float64Array(n), k7: new Float64Array(n),
    ystage: new Float64Array(n), y6: new Float64Array(n), ynew: new Float64Array(n),
    r1: new Float64Array(n), r2: new Float64Array(n), r3: new Float64Array(n), r4: new Float64Array(n),
  };
  if (cachedWork === null || !cachedWork.busy) cachedWork = w;
  return w;
}

/**
 * Dormand–Prince 5(4) from t0 towards t1 with the stops of `control`; y in place. Outputs for
 * times in [t0, t(stop)] are written (dense output between steps). Throws SimulationError on
 * maxSteps, non-finite f at an accepted state, or (unless control.stopOnUnderflow) step underflow.
 * `unroll` picks the kernel with the component loops written out (default for small systems; the
 * results are the same bit for bit either way).
 */
export function dopri5Integrate(
  sys: OdeSystem, t0: number, y: Float64Array, t1: number,
  times: Float64Array, kFrom: number, kTo: number, out: Float64Array,
  options: OdeOptions, stats: SolverStats, control: Dopri5Control,
  unroll = sys.n <= DOPRI5_UNROLL_MAX,
): Dopri5Outcome {
  checkSolveArguments('dopri5', sys, t0, y, t1, times, kFrom, kTo, out, options);
  ensureStats(stats);
  const n = sys.n;
  let kNext = writeOutputsAtStart(n, t0, y, times, kFrom, kTo, out);
  if (t1 === t0 || n === 0) {
    for (; kNext < kTo; kNext++) out.set(y, kNext * n);
    return { reason: 'done', t: t1, kNext, h: 0, attempts: 0 };
  }
  const w = acquireWork(n);
  try {
    return dopri5Kernel(n, unroll)(sys, t0, y, t1, times, kNext, kTo, out, options, stats, control, w);
  } finally {
    w.busy = false;
  }
}

/** The step loop, specialised for one system size; see dopri5Kernel. */
type Dopri5Kernel = (
  sys: OdeSystem, t0: number, y: Float64Array, t1: number,
  times: Float64Array, kStart: number, kTo: number, out: Float64Array,
  options: OdeOptions, stats: SolverStats, control: Dopri5Control, w: Work,
) => Dopri5Outcome;

/** Systems up to this size get a step loop with every loop over the components written out. */
export const DOPRI5_UNROLL_MAX = 12;

// Kernels by system size, one list per form (looked up on every call: no key strings).
const unrolledKernels: Dopri5Kernel[] = [];
const loopKernels: Dopri5Kernel[] = [];

/**
 * The step loop for systems of size n. Most models have a handful of states, and for them the
 * loops over components cost more than their bodies: V8 does not unroll loops, so the loop is
 * generated with each loop over i written out n times (`unroll`; ~1.2× faster for SIR). Larger
 * systems get the same source with plain loops. One template makes both, so they cannot drift
 * apart (a test checks they agree bit for bit). The source is built only from this template and
 * numbers (n, the coefficients): nothing from the user reaches `new Function`.
 */
function dopri5Kernel(n: number, unroll: boolean): Dopri5Kernel {
  const cache = unroll ? unrolledKernels : loopKernels;
  let kernel = cache[n];
  if (kernel === undefined) {
    const factory = new Function('initialStep', 'checkFiniteDerivative', 'tooManyStepsError', 'stepUnderflowError', kernelSource(n, unroll)) as (
      ...helpers: [typeof initialStep, typeof checkFiniteDerivative, typeof tooManyStepsError, typeof stepUnderflowError]
    ) => Dopri5Kernel;
    kernel = factory(initialStep, checkFiniteDerivative, tooManyStepsError, stepUnderflowError);
    cache[n] = kernel;
  }
  return kernel;
}

/** The kernel's source: `each(stmt)` is stmt for every component, `#` standing for its index. */
function kernelSource(n: number, unroll: boolean): string {
  const each = (stmt: string): string => unroll
    ? Array.from({ length: n }, (_, i) => `{ ${stmt.replaceAll('#', String(i))} }`).join('\n')
    : `for (let i = 0; i < n; i++) { ${stmt.replaceAll('#', 'i')} }`;
  const num = (x: number): string => (Object.is(x, -0) ? '-0' : String(x));
  const { safe, fac1, fac2, beta, uround, stiffHRho, stiffCount, nonStiffReset } = DOPRI5_CONTROL;
  return `"use strict";
return function dopri5Run(sys, t0, y, t1, times, kStart, kTo, out, options, stats, control, w) {
  const n = ${n};
  const rtol = options.rtol, atol = options.atol, maxSteps = options.maxSteps;
  const expo1 = 0.2 - ${num(beta)} * 0.75;
  const facc1 = 1 / ${num(fac1)};
  const facc2 = 1 / ${num(fac2)};
  const hmax = Math.min(options.hmax, t1 - t0);
  const attemptLimit = Math.min(maxSteps, control.stopAfterSteps);
  const detectStiff = control.stopWhenStiff;

  // k1 and k7 swap roles after each accepted step (FSAL) without copying.
  let k1 = w.k1, k7 = w.k7;
  const k2 = w.k2, k3 = w.k3, k4 = w.k4, k5 = w.k5, k6 = w.k6, ystage = w.ystage, y6 = w.y6, ynew = w.ynew;
  const r1 = w.r1, r2 = w.r2, r3 = w.r3, r4 = w.r4;

  let t = t0;
  sys.f(t, y, k1);
  stats.fEvals++;
  checkFiniteDerivative(n, t, k1);
  let h;
  if (options.h0 > 0) {
    h = Math.min(options.h0, hmax);
  } else {
    h = initialStep(sys, t, y, k1, ystage, k2, 5, hmax, atol, rtol);
    stats.fEvals++;
  }

  let facold = 1e-4;
  let logFacold = ${num(LOG_1E_4)};
  let reject = false;
  let last = false;
  let sawNonFinite = false;
  let attempts = 0;
  let iasti = 0;
  let nonsti = 0;
  let kNext = kStart;

  for (;;) {
    if (attempts >= attemptLimit) {
      if (attempts >= maxSteps) throw tooManyStepsError(t, t1, maxSteps, 'the model may be stiff; try --method stiff, or raise maxSteps');
      return { reason: 'step-limit', t, kNext, h, attempts };
    }
    if (0.1 * Math.abs(h) <= Math.abs(t) * ${num(uround)} || !(h > 0)) {
      if (control.stopOnUnderflow) return { reason: 'underflow', t, kNext, h, attempts };
      throw stepUnderflowError(t, h, sawNonFinite, 'the model may be stiff or singular; try --method stiff');
    }
    if (t + 1.01 * h - t1 > 0) {
      h = t1 - t;
      last = true;
    }
    attempts++;

    ${each(`ystage[#] = y[#] + h * ${num(A21)} * k1[#];`)}
    sys.f(t + ${num(C2)} * h, ystage, k2);
    ${each(`ystage[#] = y[#] + h * (${num(A31)} * k1[#] + ${num(A32)} * k2[#]);`)}
    sys.f(t + ${num(C3)} * h, ystage, k3);
    ${each(`ystage[#] = y[#] + h * (${num(A41)} * k1[#] + ${num(A42)} * k2[#] + ${num(A43)} * k3[#]);`)}
    sys.f(t + ${num(C4)} * h, ystage, k4);
    ${each(`ystage[#] = y[#] + h * (${num(A51)} * k1[#] + ${num(A52)} * k2[#] + ${num(A53)} * k3[#] + ${num(A54)} * k4[#]);`)}
    sys.f(t + ${num(C5)} * h, ystage, k5);
    ${each(`y6[#] = y[#] + h * (${num(A61)} * k1[#] + ${num(A62)} * k2[#] + ${num(A63)} * k3[#] + ${num(A64)} * k4[#] + ${num(A65)} * k5[#]);`)}
    const tph = last ? t1 : t + h;
    sys.f(tph, y6, k6);
    ${each(`ynew[#] = y[#] + h * (${num(A71)} * k1[#] + ${num(A73)} * k3[#] + ${num(A74)} * k4[#] + ${num(A75)} * k5[#] + ${num(A76)} * k6[#]);`)}
    sys.f(tph, ynew, k7);
    stats.fEvals += 6;

    let sum = 0;
    ${each(`const sk = atol + rtol * Math.max(Math.abs(y[#]), Math.abs(ynew[#]));
      const e = h * (${num(E1)} * k1[#] + ${num(E3)} * k3[#] + ${num(E4)} * k4[#] + ${num(E5)} * k5[#] + ${num(E6)} * k6[#] + ${num(E7)} * k7[#]) / sk;
      // x * 0 is NaN exactly when x is not finite: a step to a non-finite state or f must not pass.
      sum += e * e + (k7[#] * 0 + ynew[#] * 0);`)}
    let err = Math.sqrt(sum / n);
    if (!(err <= Infinity)) {
      // A non-finite trial is treated as a huge error: the step shrinks by the largest factor.
      err = Infinity;
      sawNonFinite = true;
    }

    // Powers through log and exp (V8's Math.pow costs ~5× Math.exp); log(facold) is kept from the
    // previous accepted step, so an accepted step costs one log and one exp.
    const logErr = Math.log(err);
    let hnew;

    if (err <= 1) {
      // fac11 / facold^beta = exp(expo1·log err − beta·log facold): the PI control (Lund stabilisation).
      const fac = Math.max(facc2, Math.min(facc1, Math.exp(expo1 * logErr - ${num(beta)} * logFacold) / ${num(safe)}));
      hnew = h / fac;
      facold = Math.max(err, 1e-4);
      logFacold = facold === err ? logErr : ${num(LOG_1E_4)};
      stats.steps++;

      let stiff = false;
      if (detectStiff) {
        let stnum = 0;
        let stden = 0;
        ${each(`const a = k7[#] - k6[#];
          const b = ynew[#] - y6[#];
          stnum += a * a;
          stden += b * b;`)}
        if (stden > 0) {
          if (h * Math.sqrt(stnum / stden) > ${num(stiffHRho)}) {
            nonsti = 0;
            iasti++;
            if (iasti === ${stiffCount}) stiff = true;
          } else {
            nonsti++;
            if (nonsti === ${nonStiffReset}) iasti = 0;
          }
        }
      }

      // Dense output for the output times in (t, tph], before k1 is replaced (FSAL).
      if (kNext < kTo && times[kNext] <= tph) {
        const s0 = kNext;
        while (kNext < kTo && times[kNext] <= tph) kNext++;
        // The coefficients once per step (not per output time: several outputs often fall in one step).
        ${each(`const ydiff = ynew[#] - y[#];
          const bspl = h * k1[#] - ydiff;
          r1[#] = ydiff;
          r2[#] = bspl;
          r3[#] = ydiff - h * k7[#] - bspl;
          r4[#] = h * (${num(D1)} * k1[#] + ${num(D3)} * k3[#] + ${num(D4)} * k4[#] + ${num(D5)} * k5[#] + ${num(D6)} * k6[#] + ${num(D7)} * k7[#]);`)}
        for (let k = s0; k < kNext; k++) {
          const base = k * n;
          if (times[k] === tph) {
            ${each('out[base + #] = ynew[#];')}
            continue;
          }
          const s = (times[k] - t) / h;
          const s1 = 1 - s;
          ${each('out[base + #] = y[#] + s * (r1[#] + s1 * (r2[#] + s * (r3[#] + s1 * r4[#])));')}
        }
      }

      ${each('y[#] = ynew[#];')}
      const tmp = k1;
      k1 = k7;
      k7 = tmp;
      t = tph;
      if (last) {
        // times ≤ t1 = tph were all checked on entry, so the dense output above wrote every output.
        return { reason: 'done', t, kNext, h: hnew, attempts };
      }
      if (Math.abs(hnew) > hmax) hnew = hmax;
      if (reject) hnew = Math.min(hnew, h);
      reject = false;
      if (stiff) {
        return { reason: 'stiff', t, kNext, h: hnew, attempts };
      }
    } else {
      const fac11 = Math.exp(expo1 * logErr);
      hnew = h / Math.min(facc1, fac11 / ${num(safe)});
      reject = true;
      last = false;
      stats.rejected++;
    }
    h = hnew;
  }
};`;
}

/** Non-stiff solver (`ode`): Dormand–Prince 5(4) with dense output; see DOPRI5_CONTROL. */
export function dopri5(
  sys: OdeSystem, t0: number, y: Float64Array, t1: number,
  times: Float64Array, kFrom: number, kTo: number, out: Float64Array,
  options: OdeOptions, stats: SolverStats,
): void {
  dopri5Integrate(sys, t0, y, t1, times, kFrom, kTo, out, options, stats, DOPRI5_NO_STOPS);
}

dopri5 satisfies OdeSolve;
