// The lower-level pieces: dopri5's stops (used by `auto`), RODAS's ∂f/∂t and Jacobian paths, the workspace cache.
import { describe, expect, it } from 'vitest';
import { DOPRI5_NO_STOPS, dopri5, dopri5Integrate } from '../../../../src-main/simulate/ode/dopri5.ts';
import { rodas } from '../../../../src-main/simulate/ode/rodas.ts';
import { DEFAULT_ODE_OPTIONS } from '../../../../src-main/simulate/types.ts';
import type { OdeSystem } from '../../../../src-main/simulate/types.ts';
import type { HintedOdeSystem } from '../../../../src-main/simulate/ode/common.ts';
import {
  ROBERTSON_Y0, SIR_Y0, linspace, logistic, maxRelativeError, newStats, robertson, sirSystem, solveAt,
  timeDependent, withoutJacobian,
} from './problems.ts';

describe('dopri5Integrate stops', () => {
  it('returns \'stiff\' on Robertson with y(t), the outputs so far and the next step', () => {
    const times = Float64Array.from([0, 1e-4, 1e-3, 1, 10]);
    const y = Float64Array.from(ROBERTSON_Y0);
    const out = new Float64Array(times.length * 3).fill(Number.NaN);
    const stats = newStats();
    const o = dopri5Integrate(robertson, 0, y, 10, times, 0, times.length, out, DEFAULT_ODE_OPTIONS, stats,
      { stopWhenStiff: true, stopAfterSteps: Infinity, stopOnUnderflow: false });
    expect(o.reason).toBe('stiff');
    expect(o.t).toBeGreaterThan(1e-3);
    expect(o.t).toBeLessThan(1);
    expect(o.kNext).toBe(3);
    expect(o.h).toBeGreaterThan(0);
    expect(o.attempts).toBe(stats.steps + stats.rejected);
    expect(Number.isNaN(out[3 * 2])).toBe(false);
    expect(Number.isNaN(out[3 * 3])).toBe(true);
    expect(Math.abs(y[0] + y[1] + y[2] - 1)).toBeLessThan(1e-14);
  });

  it('returns \'done\' on SIR even when watching for stiffness', () => {
    const y = Float64Array.from(SIR_Y0);
    const o = dopri5Integrate(sirSystem(), 0, y, 100, new Float64Array(0), 0, 0, new Float64Array(0), DEFAULT_ODE_OPTIONS, newStats(),
      { stopWhenStiff: true, stopAfterSteps: Infinity, stopOnUnderflow: false });
    expect(o.reason).toBe('done');
    expect(o.t).toBe(100);
  });

  it('returns \'step-limit\' after stopAfterSteps attempts', () => {
    const y = Float64Array.from(SIR_Y0);
    const o = dopri5Integrate(sirSystem(), 0, y, 100, new Float64Array(0), 0, 0, new Float64Array(0), DEFAULT_ODE_OPTIONS, newStats(),
      { ...DOPRI5_NO_STOPS, stopAfterSteps: 7 });
    expect(o.reason).toBe('step-limit');
    expect(o.attempts).toBe(7);
    expect(o.t).toBeLessThan(100);
  });
});

describe('RODAS paths', () => {
  it('non-autonomous f without dfdt: ∂f/∂t by forward differences is accurate', () => {
    const times = linspace(0, timeDependent.t1, 49);
    const noHint = solveAt(rodas, withoutJacobian(timeDependent.sys), timeDependent.y0, 0, timeDependent.t1, times, DEFAULT_ODE_OPTIONS);
    expect(maxRelativeError(timeDependent, times, noHint.out)).toBeLessThan(1e-6);
  });

  it('ignoring ∂f/∂t of a time-dependent f (a wrong autonomous: true) costs accuracy: the term matters', () => {
    const wrong = { ...timeDependent.sys, autonomous: true };
    const times = linspace(0, timeDependent.t1, 49);
    const r = solveAt(rodas, wrong, timeDependent.y0, 0, timeDependent.t1, times, { ...DEFAULT_ODE_OPTIONS, rtol: 1e-4, atol: 1e-6 });
    const ok = solveAt(rodas, timeDependent.sys, timeDependent.y0, 0, timeDependent.t1, times, { ...DEFAULT_ODE_OPTIONS, rtol: 1e-4, atol: 1e-6 });
    expect(maxRelativeError(timeDependent, times, r.out)).toBeGreaterThan(maxRelativeError(timeDependent, times, ok.out));
  });

  it('uses sys.jac when given (one jac call a step), finite differences otherwise (n f calls a step)', () => {
    let jacCalls = 0;
    const sys: OdeSystem = { ...logistic.sys, jac: (t, y, J) => { jacCalls++; logistic.sys.jac!(t, y, J); } };
    const a = solveAt(rodas, sys, logistic.y0, 0, logistic.t1, new Float64Array([logistic.t1]), DEFAULT_ODE_OPTIONS);
    expect(jacCalls).toBe(a.stats.jacEvals);
    expect(a.stats.jacEvals).toBe(a.stats.steps);
    const b = solveAt(rodas, withoutJacobian(logistic.sys), logistic.y0, 0, logistic.t1, new Float64Array([logistic.t1]), DEFAULT_ODE_OPTIONS);
    expect(b.stats.fEvals).toBeGreaterThan(a.stats.fEvals);
  });
});

describe('workspaces', () => {
  it('a solver called from inside f (re-entrant) gets its own workspace', () => {
    // f integrates y' = -y over [0, 1] on every call and uses the result: e^{-1} exactly enough.
    const inner: OdeSystem = { n: 1, f: (_t, y, d) => { d[0] = -y[0]; } };
    const outer: OdeSystem = {
      n: 1,
      f: (_t, _y, d) => {
        const z = Float64Array.from([1]);
        dopri5(inner, 0, z, 1, new Float64Array(0), 0, 0, new Float64Array(0), DEFAULT_ODE_OPTIONS, newStats());
        d[0] = z[0];
      },
    };
    for (const solve of [dopri5, rodas]) {
      const r = solveAt(solve, outer, [0], 0, 2, new Float64Array([2]), DEFAULT_ODE_OPTIONS);
      expect(Math.abs(r.y[0] - 2 * Math.exp(-1))).toBeLessThan(1e-7);
    }
  });

  it('alternating system sizes give the same results as fresh runs', () => {
    const a1 = solveAt(dopri5, logistic.sys, logistic.y0, 0, 20, new Float64Array([20]), DEFAULT_ODE_OPTIONS);
    solveAt(dopri5, robertson, ROBERTSON_Y0, 0, 1e-3, new Float64Array([1e-3]), DEFAULT_ODE_OPTIONS);
    const a2 = solveAt(dopri5, logistic.sys, logistic.y0, 0, 20, new Float64Array([20]), DEFAULT_ODE_OPTIONS);
    expect(a2.y[0]).toBe(a1.y[0]);
    const b1 = solveAt(rodas, timeDependent.sys, timeDependent.y0, 0, 5, new Float64Array([5]), DEFAULT_ODE_OPTIONS);
    const autonomousLogistic: HintedOdeSystem = { ...logistic.sys, autonomous: true };
    solveAt(rodas, autonomousLogistic, logistic.y0, 0, 5, new Float64Array([5]), DEFAULT_ODE_OPTIONS);
    const b2 = solveAt(rodas, timeDependent.sys, timeDependent.y0, 0, 5, new Float64Array([5]), DEFAULT_ODE_OPTIONS);
    expect(b2.y[0]).toBe(b1.y[0]);
  });
});
