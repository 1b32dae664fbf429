// Failures of the model (SimulationError, saying what and at which t) and of the caller (RangeError).
import { describe, expect, it } from 'vitest';
import { ODE_SOLVERS } from '../../../../src-main/simulate/ode/registry.ts';
import { DEFAULT_ODE_OPTIONS, SimulationError } from '../../../../src-main/simulate/types.ts';
import type { OdeOptions, OdeSystem } from '../../../../src-main/simulate/types.ts';
import { exponentialDecay, newStats } from './problems.ts';

function failure(run: () => void): SimulationError {
  try {
    run();
  } catch (e) {
    if (e instanceof SimulationError) return e;
    throw e;
  }
  throw new Error('expected a SimulationError, but the solver returned');
}

function solveTo(solve: (typeof ODE_SOLVERS)['ode'], sys: OdeSystem, y0: number[], t1: number, options: OdeOptions = DEFAULT_ODE_OPTIONS): void {
  solve(sys, 0, Float64Array.from(y0), t1, new Float64Array([t1]), 0, 1, new Float64Array(sys.n), options, newStats());
}

// y' = y², y(0) = 1: y = 1/(1 − t) blows up at t = 1.
const blowUp: OdeSystem = { n: 1, f: (_t, y, d) => { d[0] = y[0] * y[0]; } };
// f is NaN from t = 0.5 on (e.g. a rate law that divides by a quantity that hits zero there).
const nanLater: OdeSystem = { n: 1, f: (t, y, d) => { d[0] = t < 0.5 ? -y[0] : Number.NaN; } };
const nanAlways: OdeSystem = { n: 1, f: (_t, _y, d) => { d[0] = Number.NaN; } };

for (const [method, solve] of Object.entries(ODE_SOLVERS)) {
  describe(`'${method}' failures`, () => {
    it('a solution that blows up: step size underflow at t ≈ 1', () => {
      const e = failure(() => solveTo(solve, blowUp, [1], 2));
      expect(e.message).toMatch(/^step size underflow at t = 1\.0000000/);
      expect(Math.abs(e.t - 1)).toBeLessThan(1e-6);
    });

    it('f turning NaN at t = 0.5: fails at t ≈ 0.5 and says the right-hand side was not finite', () => {
      const e = failure(() => solveTo(solve, nanLater, [1], 2));
      expect(e.t).toBeGreaterThan(0.4999);
      expect(e.t).toBeLessThanOrEqual(0.5);
      expect(e.message).toContain(`at t = ${e.t}`);
      expect(e.message).toContain('non-finite');
    });

    it('f not finite at t0: fails at once, naming the component', () => {
      const e = failure(() => solveTo(solve, nanAlways, [1], 2));
      expect(e.t).toBe(0);
      expect(e.message).toBe('the right-hand side is not finite at t = 0 (component 0: NaN): the model may divide by zero or overflow there');
    });

    it('a non-finite initial state is a SimulationError at t0', () => {
      const e = failure(() => solveTo(solve, exponentialDecay.sys, [Number.POSITIVE_INFINITY], 1));
      expect(e.t).toBe(0);
      expect(e.message).toContain('initial state is not finite');
    });

    it('maxSteps exceeded: says so, and where', () => {
      const e = failure(() => solveTo(solve, exponentialDecay.sys, [1], 100, { ...DEFAULT_ODE_OPTIONS, maxSteps: 10 }));
      expect(e.t).toBeGreaterThan(0);
      expect(e.t).toBeLessThan(100);
      expect(e.message).toContain(`maxSteps = 10 used up at t = ${e.t} before reaching t = 100`);
    });

    it('caller errors are RangeErrors that say what would be valid', () => {
      const sys = exponentialDecay.sys;
      const run = (times: number[], kTo: number, y: number[] = [1], t1 = 1): void => {
        solve(sys, 0, Float64Array.from(y), t1, Float64Array.from(times), 0, kTo, new Float64Array(times.length), DEFAULT_ODE_OPTIONS, newStats());
      };
      expect(() => run([0.5, 0.2], 2)).toThrow(/times\[1\] = 0\.2 is out of order or outside \[0, 1\]/);
      expect(() => run([1.5], 1)).toThrow(RangeError);
      expect(() => run([0.5], 2)).toThrow(/invalid output range/);
      expect(() => run([0.5], 1, [1, 2])).toThrow(/invalid size of y: 2, expected 1/);
      expect(() => run([0.5], 1, [1], -1)).toThrow(/expected finite t0 <= t1/);
    });
  });
}

describe('stiff solver failures', () => {
  it('a Jacobian with NaN: singular iteration matrix, at t0', () => {
    const sys: OdeSystem = { n: 1, f: (_t, y, d) => { d[0] = -y[0]; }, jac: (_t, _y, J) => { J[0] = Number.NaN; } };
    const e = failure(() => solveTo(ODE_SOLVERS.stiff, sys, [1], 1));
    expect(e.t).toBe(0);
    expect(e.message).toMatch(/^singular iteration matrix at t = 0/);
  });

  it('\'auto\' falls back to the stiff method when the explicit one underflows, and reports that one\'s failure', () => {
    const stats = newStats();
    const e = failure(() => ODE_SOLVERS.auto(blowUp, 0, Float64Array.from([1]), 2, new Float64Array([2]), 0, 1, new Float64Array(1), DEFAULT_ODE_OPTIONS, stats));
    expect(e.message).toContain('blow up');
    expect(stats.switchedToStiffAt).toBeTypeOf('number');
  });
});
