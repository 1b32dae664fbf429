/**
 * Pieces shared by the ODE solvers: argument checks, output of the initial state, Hairer's
 * initial step, the error norm's non-finite guard and the messages of SimulationError.
 */
import type { OdeOptions, OdeSystem, SolverStats } from '../types.ts';
import { SimulationError } from '../types.ts';

/**
 * Optional hints a system may carry beyond OdeSystem (proposed for types.ts; read here without
 * requiring them). `autonomous: true` says f does not depend on t, so the stiff solver skips
 * ∂f/∂t; `dfdt` fills ∂f/∂t exactly (otherwise it is a forward difference, one f call a step).
 */
export interface OdeSystemHints {
  autonomous?: boolean;
  dfdt?(t: number, y: Float64Array, dfdt: Float64Array): void;
}

/** An OdeSystem that may carry the hints; any OdeSystem is one. */
export type HintedOdeSystem = OdeSystem & OdeSystemHints;

/** Throws RangeError (a caller's bug, not a model's failure) when the arguments do not fit the OdeSolve contract. */
export function checkSolveArguments(
  solver: string, sys: OdeSystem, t0: number, y: Float64Array, t1: number,
  times: Float64Array, kFrom: number, kTo: number, out: Float64Array, options: OdeOptions,
): void {
  const n = sys.n;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${solver}: invalid system size n = ${n}: expected a non-negative integer`);
  if (y.length !== n) throw new RangeError(`${solver}: invalid size of y: ${y.length}, expected ${n} (sys.n)`);
  if (!Number.isFinite(t0) || !Number.isFinite(t1) || t1 < t0) {
    throw new RangeError(`${solver}: invalid interval [${t0}, ${t1}]: expected finite t0 <= t1`);
  }
  if (!(Number.isInteger(kFrom) && Number.isInteger(kTo) && 0 <= kFrom && kFrom <= kTo && kTo <= times.length)) {
    throw new RangeError(`${solver}: invalid output range [${kFrom}, ${kTo}) for ${times.length} output times`);
  }
  if (out.length < kTo * n) throw new RangeError(`${solver}: output array too short: ${out.length}, expected at least ${kTo * n} (kTo × n)`);
  let prev = t0;
  for (let k = kFrom; k < kTo; k++) {
    const tk = times[k];
    // Outputs are written in one sweep along the integration, so their times must not go backwards.
    if (!(tk >= prev && tk <= t1)) {
      throw new RangeError(`${solver}: output time times[${k}] = ${tk} is out of order or outside [${t0}, ${t1}]: expected non-decreasing times in the interval`);
    }
    prev = tk;
  }
  if (!(options.rtol >= 0 && options.atol >= 0 && options.rtol + options.atol > 0)) {
    throw new RangeError(`${solver}: invalid tolerances rtol = ${options.rtol}, atol = ${options.atol}: expected non-negative, not both zero`);
  }
  if (!(options.maxSteps >= 1)) throw new RangeError(`${solver}: invalid maxSteps = ${options.maxSteps}: expected >= 1`);
  if (!(options.h0 >= 0)) throw new RangeError(`${solver}: invalid h0 = ${options.h0}: expected >= 0 (0 chooses automatically)`);
  if (!(options.hmax > 0)) throw new RangeError(`${solver}: invalid hmax = ${options.hmax}: expected > 0 (Infinity for none)`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i])) throw new SimulationError(`initial state is not finite: y[${i}] = ${y[i]} at t = ${t0}`, t0);
  }
}

/** Copies y into out for the outputs at t0; returns the index of the first output after t0. */
export function writeOutputsAtStart(n: number, t0: number, y: Float64Array, times: Float64Array, kFrom: number, kTo: number, out: Float64Array): number {
  let k = kFrom;
  while (k < kTo && times[k] <= t0) {
    out.set(y, k * n);
    k++;
  }
  return k;
}

/** Throws SimulationError when a right-hand side value is not finite (so the state cannot be continued). */
export function checkFiniteDerivative(n: number, t: number, dydt: Float64Array): void {
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(dydt[i])) {
      throw new SimulationError(`the right-hand side is not finite at t = ${t} (component ${i}: ${dydt[i]}): the model may divide by zero or overflow there`, t);
    }
  }
}

/**
 * Hairer's initial step (HINIT of dopri5.f / dop853.f), for a method of order `iord`. Makes one f
 * call (at t + h_euler, into f1, with y1 as scratch). Sums are Hairer's: unnormalised by n.
 */
export function initialStep(
  sys: OdeSystem, t: number, y: Float64Array, f0: Float64Array, y1: Float64Array, f1: Float64Array,
  iord: number, hmax: number, atol: number, rtol: number,
): number {
  const n = sys.n;
  let dnf = 0;
  let dny = 0;
  for (let i = 0; i < n; i++) {
    const sk = atol + rtol * Math.abs(y[i]);
    const a = f0[i] / sk;
    const b = y[i] / sk;
    dnf += a * a;
    dny += b * b;
  }
  let h = dnf <= 1e-10 || dny <= 1e-10 ? 1e-6 : Math.sqrt(dny / dnf) * 0.01;
  h = Math.min(h, hmax);
  for (let i = 0; i < n; i++) y1[i] = y[i] + h * f0[i];
  sys.f(t + h, y1, f1);
  let der2 = 0;
  for (let i = 0; i < n; i++) {
    const sk = atol + rtol * Math.abs(y[i]);
    const a = (f1[i] - f0[i]) / sk;
    der2 += a * a;
  }
  der2 = Math.sqrt(der2) / h;
  const der12 = Math.max(Math.abs(der2), Math.sqrt(dnf));
  // A non-finite trial derivative gives der12 = NaN; the 1e-6 floor below keeps the step usable.
  const h1 = der12 <= 1e-15 || !Number.isFinite(der12) ? Math.max(1e-6, h * 1e-3) : Math.pow(0.01 / der12, 1 / iord);
  return Math.min(100 * h, h1, hmax);
}

/** Zeroes the counters a solver adds to, when the caller passed a fresh object without them. */
export function ensureStats(stats: SolverStats): void {
  // Solvers add to the counters, so one stats object can span several calls (piecewise integration).
  if (!Number.isFinite(stats.steps)) stats.steps = 0;
  if (!Number.isFinite(stats.rejected)) stats.rejected = 0;
  if (!Number.isFinite(stats.fEvals)) stats.fEvals = 0;
  if (!Number.isFinite(stats.jacEvals)) stats.jacEvals = 0;
}

/** SimulationError for a step size that fell below what Float64 time can resolve. */
export function stepUnderflowError(t: number, h: number, sawNonFinite: boolean, advice: string): SimulationError {
  const why = sawNonFinite
    ? 'the right-hand side gave non-finite values on trial steps; the solution may blow up or leave the model\'s domain'
    : advice;
  return new SimulationError(`step size underflow at t = ${t} (h = ${h}): ${why}`, t);
}

/** SimulationError for a call that used up options.maxSteps before reaching t1. */
export function tooManyStepsError(t: number, t1: number, maxSteps: number, advice: string): SimulationError {
  return new SimulationError(`too many steps: maxSteps = ${maxSteps} used up at t = ${t} before reaching t = ${t1}: ${advice}`, t);
}
