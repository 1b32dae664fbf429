/**
 * Automatic method (`auto`): Dormand–Prince until Hairer's stiffness test fires (or the explicit
 * method underflows its step, or uses AUTO_CONTROL.explicitStepLimit steps), then RODAS from that
 * point to the end of the interval. stats.switchedToStiffAt records where it switched.
 */
import type { OdeOptions, OdeSolve, OdeSystem, SolverStats } from '../types.ts';
import { dopri5Integrate } from './dopri5.ts';
import type { Dopri5Control } from './dopri5.ts';
import { rodas } from './rodas.ts';

/**
 * explicitStepLimit: attempted Dormand–Prince steps in one call after which `auto` hands over to
 * RODAS even without a stiffness verdict (a problem on the edge of stiffness can keep Hairer's
 * counter from reaching 15 while dopri5 crawls at its stability limit).
 */
export const AUTO_CONTROL = { explicitStepLimit: 100_000 } as const;

const EXPLICIT_PHASE: Dopri5Control = {
  stopWhenStiff: true,
  stopAfterSteps: AUTO_CONTROL.explicitStepLimit,
  stopOnUnderflow: true,
};

/** Dopri5, switching to RODAS for the rest of [t0, t1] when the problem turns out stiff. */
export function auto(
  sys: OdeSystem, t0: number, y: Float64Array, t1: number,
  times: Float64Array, kFrom: number, kTo: number, out: Float64Array,
  options: OdeOptions, stats: SolverStats,
): void {
  if (stats.switchedToStiffAt === undefined) stats.switchedToStiffAt = null;
  const o = dopri5Integrate(sys, t0, y, t1, times, kFrom, kTo, out, options, stats, EXPLICIT_PHASE);
  if (o.reason === 'done') return;
  // Keep the first switch when one stats object spans several calls.
  if (stats.switchedToStiffAt === null) stats.switchedToStiffAt = o.t;
  const rest: OdeOptions = {
    ...options,
    // The explicit method's next step is a good start when it stopped for stiffness (RODAS grows
    // it by up to 6× a step); after an underflow it means nothing, so HINIT chooses.
    h0: o.reason === 'underflow' ? 0 : o.h,
    maxSteps: options.maxSteps - o.attempts,
  };
  rodas(sys, o.t, y, t1, times, o.kNext, kTo, out, rest, stats);
}

auto satisfies OdeSolve;
