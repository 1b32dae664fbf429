/**
 * Dormand–Prince's step loop is generated per system size, with the component loops written out
 * for small systems (dopri5.ts, dopri5Kernel). Both forms come from one template; here they must
 * agree bit for bit, on problems that exercise every branch: rejected steps, the stiffness test
 * and its early stop, output times on and between steps, and a system larger than the unroll limit.
 */
import { describe, expect, it } from 'vitest';
import { DOPRI5_NO_STOPS, DOPRI5_UNROLL_MAX, dopri5Integrate } from '../../../../src-main/simulate/ode/dopri5.ts';
import type { Dopri5Control, Dopri5Outcome } from '../../../../src-main/simulate/ode/dopri5.ts';
import { DEFAULT_ODE_OPTIONS } from '../../../../src-main/simulate/types.ts';
import type { OdeSystem, SolverStats } from '../../../../src-main/simulate/types.ts';
import { linspace, newStats, robertson, ROBERTSON_Y0, sirSystem, SIR_Y0, vanDerPol, VDP_Y0 } from './problems.ts';

/** A chain of n first-order reactions x0 → x1 → … with different rates: n states, smooth, non-stiff. */
function decayChain(n: number): OdeSystem {
  return {
    n,
    f: (_t, y, d) => {
      for (let i = 0; i < n; i++) d[i] = (i > 0 ? (0.3 + 0.1 * (i - 1)) * y[i - 1] : 0) - (0.3 + 0.1 * i) * y[i];
    },
  };
}

interface Solved { out: Float64Array; y: Float64Array; stats: SolverStats; outcome: Dopri5Outcome }

function solve(sys: OdeSystem, y0: readonly number[], t1: number, times: Float64Array, rtol: number, control: Dopri5Control, unroll: boolean): Solved {
  const y = Float64Array.from(y0);
  const out = new Float64Array(times.length * sys.n);
  const stats = newStats();
  const outcome = dopri5Integrate(sys, 0, y, t1, times, 0, times.length, out, { ...DEFAULT_ODE_OPTIONS, rtol, atol: rtol * 1e-3 }, stats, control, unroll);
  return { out, y, stats, outcome };
}

const STOP_WHEN_STIFF: Dopri5Control = { stopWhenStiff: true, stopAfterSteps: Infinity, stopOnUnderflow: true };

describe('dopri5 kernels: written-out loops and plain loops agree bit for bit', () => {
  const chainY0 = Array.from({ length: DOPRI5_UNROLL_MAX + 5 }, (_, i) => (i === 0 ? 1 : 0));
  const cases: [string, OdeSystem, readonly number[], number, Float64Array, number, Dopri5Control][] = [
    ['SIR, outputs between and on steps', sirSystem(), SIR_Y0, 100, linspace(0, 100, 101), 1e-6, DOPRI5_NO_STOPS],
    ['van der Pol μ = 5, with rejected steps', vanDerPol(5), VDP_Y0, 20, linspace(0, 20, 41), 1e-8, DOPRI5_NO_STOPS],
    ['Robertson, stopping when the stiffness test fires', robertson, ROBERTSON_Y0, 40, linspace(0, 40, 9), 1e-6, STOP_WHEN_STIFF],
    [`a ${DOPRI5_UNROLL_MAX + 5}-state chain (beyond the unroll limit)`, decayChain(DOPRI5_UNROLL_MAX + 5), chainY0, 30, linspace(0, 30, 31), 1e-9, DOPRI5_NO_STOPS],
  ];
  for (const [name, sys, y0, t1, times, rtol, control] of cases) {
    it(name, () => {
      const unrolled = solve(sys, y0, t1, times, rtol, control, true);
      const loops = solve(sys, y0, t1, times, rtol, control, false);
      expect(unrolled.stats.steps).toBeGreaterThan(5);
      expect(unrolled.out).toEqual(loops.out);
      expect(unrolled.y).toEqual(loops.y);
      expect(unrolled.stats).toEqual(loops.stats);
      expect(unrolled.outcome).toEqual(loops.outcome);
    });
  }

  it('the cases reach the branches they are meant to', () => {
    expect(solve(vanDerPol(5), VDP_Y0, 20, linspace(0, 20, 41), 1e-8, DOPRI5_NO_STOPS, true).stats.rejected).toBeGreaterThan(0);
    expect(solve(robertson, ROBERTSON_Y0, 40, linspace(0, 40, 9), 1e-6, STOP_WHEN_STIFF, true).outcome.reason).toBe('stiff');
  });
});

/**
 * The step sequence itself, pinned: accepted and rejected steps, f calls and where it stopped are
 * decided by Hairer's control (PI step-size control, the facold and reject rules, the stiffness
 * counter; its reset after 6 non-stiff steps is not reached by these problems), so a change to that
 * logic moves them. The counts are those of the TypeScript solver
 * before the loop was generated from a template (identical there); the final states to 1e-12, as
 * the one-exp step control (exp(a − b) for exp(a)/exp(b)) moved them in the last bits.
 */
describe('dopri5: pinned step sequences', () => {
  const jump: OdeSystem = { n: 1, f: (t, _y, d) => { d[0] = t < 1.2345 ? 0 : 1; } };
  const pinned: [string, OdeSystem, readonly number[], number, Float64Array, number, Dopri5Control, Omit<SolverStats, 'switchedToStiffAt'>, { reason: string; attempts: number }, number[]][] = [
    ['SIR', sirSystem(), SIR_Y0, 100, linspace(0, 100, 101), 1e-6, DOPRI5_NO_STOPS,
      { steps: 67, rejected: 1, fEvals: 410, jacEvals: 0 }, { reason: 'done', attempts: 68 }, [6.98337242024727, 0.372212770344161, 992.644414809408]],
    ['van der Pol μ = 5', vanDerPol(5), VDP_Y0, 20, linspace(0, 20, 41), 1e-8, DOPRI5_NO_STOPS,
      { steps: 792, rejected: 13, fEvals: 4832, jacEvals: 0 }, { reason: 'done', attempts: 805 }, [-1.60129687073633, 0.198326679082015]],
    // y' = 0 before t = 1.2345, 1 after: steps grow tenfold until one straddles the jump, then
    // rejections; the step after a rejection may not grow (dopri5.f's rule), which this pins.
    ['a jump in the right-hand side', jump, [0], 3, linspace(0, 3, 7), 1e-6, DOPRI5_NO_STOPS,
      { steps: 27, rejected: 26, fEvals: 320, jacEvals: 0 }, { reason: 'done', attempts: 53 }, [1.76549997236067]],
    ['Robertson, stopping when stiff', robertson, ROBERTSON_Y0, 40, linspace(0, 40, 9), 1e-6, STOP_WHEN_STIFF,
      { steps: 35, rejected: 4, fEvals: 236, jacEvals: 0 }, { reason: 'stiff', attempts: 39 }, [0.998415221349062, 3.62311615821658e-5, 0.00154854748936402]],
  ];
  for (const [name, sys, y0, t1, times, rtol, control, stats, outcome, yEnd] of pinned) {
    it(name, () => {
      for (const unroll of [true, false]) {
        const r = solve(sys, y0, t1, times, rtol, control, unroll);
        expect(r.stats).toEqual(stats);
        expect({ reason: r.outcome.reason, attempts: r.outcome.attempts }).toEqual(outcome);
        yEnd.forEach((v, i) => expect(Math.abs(r.y[i] - v) / Math.abs(v)).toBeLessThan(1e-12));
      }
    });
  }
});
