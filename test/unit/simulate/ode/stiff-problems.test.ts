// Robertson and Van der Pol (μ = 1000) on the solvers that must handle stiffness, and the switch of `auto`.
import { describe, expect, it } from 'vitest';
import { ODE_SOLVERS } from '../../../../src-main/simulate/ode/registry.ts';
import { DEFAULT_ODE_OPTIONS } from '../../../../src-main/simulate/types.ts';
import type { OdeOptions } from '../../../../src-main/simulate/types.ts';
import {
  EXACT_PROBLEMS, ROBERTSON_AT_40, ROBERTSON_Y0, SIR_Y0, VDP_Y0, linspace, robertson, sirSystem, solveAt,
  vanDerPol, withoutJacobian,
} from './problems.ts';

const STIFF_CAPABLE = { stiff: ODE_SOLVERS.stiff, auto: ODE_SOLVERS.auto };
const reference: OdeOptions = { ...DEFAULT_ODE_OPTIONS, rtol: 1e-12, atol: 1e-16 };

// Outputs from 1e-4 to 1e5, log-spaced (Robertson's interesting times), and t = 40.
const robTimes = Float64Array.from([0, ...Array.from({ length: 10 }, (_, i) => 10 ** (i - 4)), 40, 1e5].sort((a, b) => a - b));

describe('Robertson (k1 = 0.04, k2 = 3e7, k3 = 1e4)', () => {
  const ref = solveAt(ODE_SOLVERS.stiff, robertson, ROBERTSON_Y0, 0, 1e5, robTimes, reference);
  const at40 = robTimes.indexOf(40);

  it('a tight-tolerance RODAS run reproduces Hairer & Wanner\'s values at t = 40 to their 10 digits', () => {
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(ref.out[3 * at40 + i] / ROBERTSON_AT_40[i] - 1)).toBeLessThan(5e-9);
    }
  });

  for (const [method, solve] of Object.entries(STIFF_CAPABLE)) {
    it(`'${method}' with default options: ≤ 1e-6 relative error at t = 40 and against the tight run at 1e-4 … 1e5`, () => {
      const r = solveAt(solve, robertson, ROBERTSON_Y0, 0, 1e5, robTimes, DEFAULT_ODE_OPTIONS);
      for (let i = 0; i < 3; i++) expect(Math.abs(r.out[3 * at40 + i] / ROBERTSON_AT_40[i] - 1)).toBeLessThan(1e-6);
      for (let k = 1; k < robTimes.length; k++) {
        for (let i = 0; i < 3; i++) {
          // Components near atol (y3 ≈ 1.6e-8 at t = 1e-4) are only held to ~atol absolutely: that
          // is what atol = 1e-10 asks for; allow 10·atol on top of 1e-6 relative.
          const allowed = 1e-6 * Math.abs(ref.out[3 * k + i]) + 10 * DEFAULT_ODE_OPTIONS.atol;
          expect(Math.abs(r.out[3 * k + i] - ref.out[3 * k + i]), `t = ${robTimes[k]}, y${i + 1}`).toBeLessThan(allowed);
        }
      }
      // Cheap: a few hundred steps (a run takes milliseconds).
      expect(r.stats.steps).toBeLessThan(1000);
    });

    it(`'${method}' conserves y1 + y2 + y3 = 1 to 1e-12 (to t = 1e11)`, () => {
      const times = Float64Array.from([0, 1, 1e3, 1e5, 1e7, 1e9, 1e11]);
      const r = solveAt(solve, robertson, ROBERTSON_Y0, 0, 1e11, times, DEFAULT_ODE_OPTIONS);
      for (let k = 0; k < times.length; k++) {
        expect(Math.abs(r.out[3 * k] + r.out[3 * k + 1] + r.out[3 * k + 2] - 1)).toBeLessThan(1e-12);
        expect(r.out[3 * k + 1]).toBeGreaterThanOrEqual(-1e-14);
      }
      // y1 → 0 slowly: still ≈ 2e-8 at t = 1e11 (Hairer & Wanner's figure IV.1.3 shows the decay).
      expect(r.out[3 * 6]).toBeGreaterThan(0);
      expect(r.out[3 * 6]).toBeLessThan(1e-6);
    });
  }

  it('RODAS with a finite-difference Jacobian is as accurate as with the analytic one', () => {
    const r = solveAt(ODE_SOLVERS.stiff, withoutJacobian(robertson), ROBERTSON_Y0, 0, 1e5, robTimes, DEFAULT_ODE_OPTIONS);
    for (let k = 1; k < robTimes.length; k++) {
      for (let i = 0; i < 3; i++) {
        const allowed = 1e-6 * Math.abs(ref.out[3 * k + i]) + 10 * DEFAULT_ODE_OPTIONS.atol;
        expect(Math.abs(r.out[3 * k + i] - ref.out[3 * k + i])).toBeLessThan(allowed);
      }
    }
    expect(r.stats.jacEvals).toBe(r.stats.steps);
  });

  it('\'auto\' switches to the stiff method early (t < 1)', () => {
    const r = solveAt(ODE_SOLVERS.auto, robertson, ROBERTSON_Y0, 0, 1e5, robTimes, DEFAULT_ODE_OPTIONS);
    expect(r.stats.switchedToStiffAt).toBeTypeOf('number');
    expect(r.stats.switchedToStiffAt).toBeGreaterThan(0);
    expect(r.stats.switchedToStiffAt).toBeLessThan(1);
  });
});

describe('Van der Pol, μ = 1000, y(0) = 2, y\'(0) = 0, t ∈ [0, 3000]', () => {
  const sys = vanDerPol(1000);
  // Times on the slow branches, away from the fast jumps near t ≈ 807, 1614, 2421.
  const times = Float64Array.from([0, 200, 400, 700, 1000, 1200, 1500, 1800, 2000, 2300, 2600, 2800, 3000]);
  const ref = solveAt(ODE_SOLVERS.stiff, sys, VDP_Y0, 0, 3000, times, { ...DEFAULT_ODE_OPTIONS, rtol: 1e-12, atol: 1e-14 });

  for (const [method, solve] of Object.entries(STIFF_CAPABLE)) {
    it(`'${method}' with default options matches a 1e-12 RODAS run to 1e-5 at 12 times`, () => {
      const r = solveAt(solve, sys, VDP_Y0, 0, 3000, times, DEFAULT_ODE_OPTIONS);
      for (let k = 1; k < times.length; k++) {
        // y' is O(1/μ) on the slow branches: measure it against that scale.
        expect(Math.abs(r.out[2 * k] - ref.out[2 * k]) / Math.abs(ref.out[2 * k]), `y at t = ${times[k]}`).toBeLessThan(1e-5);
        expect(Math.abs(r.out[2 * k + 1] - ref.out[2 * k + 1]) / Math.max(Math.abs(ref.out[2 * k + 1]), 1e-3), `y' at t = ${times[k]}`).toBeLessThan(1e-5);
      }
      expect(r.stats.steps).toBeLessThan(20_000);
    });
  }

  it('oscillates with the relaxation period (3 − 2 ln 2)μ + 3·2.338·μ^(-1/3) ≈ 1614.4 and amplitude 2', () => {
    const grid = linspace(0, 3000, 300_001);
    const r = solveAt(ODE_SOLVERS.auto, sys, VDP_Y0, 0, 3000, grid, DEFAULT_ODE_OPTIONS);
    const down: number[] = [];
    let amp = 0;
    for (let k = 1; k < grid.length; k++) {
      amp = Math.max(amp, Math.abs(r.out[2 * k]));
      if (r.out[2 * (k - 1)] > 0 && r.out[2 * k] <= 0) down.push(grid[k]);
    }
    expect(down.length).toBe(2);
    const period = down[1] - down[0];
    const asymptotic = (3 - 2 * Math.log(2)) * 1000 + 3 * 2.338 * 1000 ** (-1 / 3);
    expect(Math.abs(period - asymptotic) / asymptotic).toBeLessThan(2e-3);
    expect(amp).toBeGreaterThan(1.99);
    expect(amp).toBeLessThan(2.02);
  });

  it('\'auto\' switches to the stiff method early (t < 1)', () => {
    const r = solveAt(ODE_SOLVERS.auto, sys, VDP_Y0, 0, 3000, times, DEFAULT_ODE_OPTIONS);
    expect(r.stats.switchedToStiffAt).toBeTypeOf('number');
    expect(r.stats.switchedToStiffAt).toBeLessThan(1);
  });
});

describe('\'auto\' stays explicit on non-stiff problems', () => {
  it('SIR: no switch', () => {
    const r = solveAt(ODE_SOLVERS.auto, sirSystem(), SIR_Y0, 0, 100, linspace(0, 100, 101), DEFAULT_ODE_OPTIONS);
    expect(r.stats.switchedToStiffAt).toBeNull();
    expect(r.stats.jacEvals).toBe(0);
  });

  for (const p of EXACT_PROBLEMS) {
    it(`${p.name}: no switch`, () => {
      const r = solveAt(ODE_SOLVERS.auto, p.sys, p.y0, 0, p.t1, linspace(0, p.t1, 5), DEFAULT_ODE_OPTIONS);
      expect(r.stats.switchedToStiffAt).toBeNull();
    });
  }

  it('keeps the first switch time when one stats object spans two calls', () => {
    const stats = { steps: 0, rejected: 0, fEvals: 0, jacEvals: 0, switchedToStiffAt: null };
    const y = Float64Array.from(ROBERTSON_Y0);
    const out = new Float64Array(6);
    ODE_SOLVERS.auto(robertson, 0, y, 10, Float64Array.from([10, 100]), 0, 1, out, DEFAULT_ODE_OPTIONS, stats);
    const first = stats.switchedToStiffAt;
    expect(first).toBeTypeOf('number');
    ODE_SOLVERS.auto(robertson, 10, y, 100, Float64Array.from([10, 100]), 1, 2, out, DEFAULT_ODE_OPTIONS, stats);
    expect(stats.switchedToStiffAt).toBe(first);
  });
});
