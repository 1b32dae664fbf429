// One suite, run on every registered ODE solver (STYLE.md "registries instead of switches").
import { describe, expect, it } from 'vitest';
import { ODE_SOLVERS } from '../../../../src-main/simulate/ode/registry.ts';
import { DEFAULT_ODE_OPTIONS } from '../../../../src-main/simulate/types.ts';
import type { OdeOptions } from '../../../../src-main/simulate/types.ts';
import {
  EXACT_PROBLEMS, SIR_N, SIR_Y0, exponentialDecay, harmonic, harmonicEnergy, linspace, logistic,
  maxRelativeError, newStats, sirSystem, solveAt,
} from './problems.ts';

const tight: OdeOptions = { ...DEFAULT_ODE_OPTIONS, rtol: 1e-10, atol: 1e-12 };

for (const [method, solve] of Object.entries(ODE_SOLVERS)) {
  describe(`ODE solver '${method}'`, () => {
    for (const p of EXACT_PROBLEMS) {
      it(`${p.name}: default tolerances give ≤ 1e-6 relative error at 41 outputs`, () => {
        const times = linspace(0, p.t1, 41);
        const r = solveAt(solve, p.sys, p.y0, 0, p.t1, times, DEFAULT_ODE_OPTIONS);
        expect(maxRelativeError(p, times, r.out)).toBeLessThan(1e-6);
        // y in place holds y(t1).
        const ex = p.exact(p.t1);
        for (let i = 0; i < p.sys.n; i++) expect(Math.abs(r.y[i] - ex[i]) / Math.max(Math.abs(ex[i]), p.floor)).toBeLessThan(1e-6);
      });
    }

    it('tighter tolerances give smaller errors (tolerance proportionality)', () => {
      const times = linspace(0, logistic.t1, 21);
      const loose = solveAt(solve, logistic.sys, logistic.y0, 0, logistic.t1, times, { ...DEFAULT_ODE_OPTIONS, rtol: 1e-5, atol: 1e-7 });
      const fine = solveAt(solve, logistic.sys, logistic.y0, 0, logistic.t1, times, tight);
      const eLoose = maxRelativeError(logistic, times, loose.out);
      const eFine = maxRelativeError(logistic, times, fine.out);
      expect(eFine).toBeLessThan(eLoose / 100);
      expect(eFine).toBeLessThan(1e-8);
      expect(fine.stats.steps).toBeGreaterThan(loose.stats.steps);
    });

    it('dense output between steps is accurate (2001 outputs, few steps)', () => {
      const times = linspace(0, exponentialDecay.t1, 2001);
      const r = solveAt(solve, exponentialDecay.sys, exponentialDecay.y0, 0, exponentialDecay.t1, times, DEFAULT_ODE_OPTIONS);
      expect(r.stats.steps).toBeLessThan(2000);
      expect(maxRelativeError(exponentialDecay, times, r.out)).toBeLessThan(1e-6);
    });

    it('the output sequence does not change the steps (outputs are interpolated, not stepped to)', () => {
      const few = solveAt(solve, logistic.sys, logistic.y0, 0, logistic.t1, new Float64Array([logistic.t1]), DEFAULT_ODE_OPTIONS);
      const many = solveAt(solve, logistic.sys, logistic.y0, 0, logistic.t1, linspace(0, logistic.t1, 500), DEFAULT_ODE_OPTIONS);
      expect(many.stats.steps).toBe(few.stats.steps);
      expect(Array.from(many.y)).toEqual(Array.from(few.y));
    });

    it('harmonic oscillator keeps its energy to 1e-6 over 10 periods', () => {
      const times = linspace(0, harmonic.t1, 301);
      const r = solveAt(solve, harmonic.sys, harmonic.y0, 0, harmonic.t1, times, DEFAULT_ODE_OPTIONS);
      const e0 = harmonicEnergy(harmonic.y0[0], harmonic.y0[1]);
      for (let k = 0; k < times.length; k++) {
        expect(Math.abs(harmonicEnergy(r.out[2 * k], r.out[2 * k + 1]) - e0) / e0).toBeLessThan(1e-6);
      }
    });

    it('an output time equal to t0 gets the initial state exactly, one equal to t1 gets y(t1)', () => {
      const times = new Float64Array([0, 0, 1.25, 10, 10]);
      const r = solveAt(solve, exponentialDecay.sys, exponentialDecay.y0, 0, 10, times, DEFAULT_ODE_OPTIONS);
      expect(r.out[0]).toBe(2);
      expect(r.out[1]).toBe(2);
      expect(r.out[3]).toBe(r.y[0]);
      expect(r.out[4]).toBe(r.y[0]);
      expect(Math.abs(r.out[2] / (2 * Math.exp(-0.7 * 1.25)) - 1)).toBeLessThan(1e-6);
    });

    it('writes only the outputs in [kFrom, kTo), with the same values as a full run', () => {
      const p = logistic;
      const times = linspace(0, p.t1, 11);
      const full = solveAt(solve, p.sys, p.y0, 0, p.t1, times, DEFAULT_ODE_OPTIONS);
      const y = Float64Array.from(p.y0);
      const out = new Float64Array(times.length).fill(-1);
      solve(p.sys, 0, y, p.t1, times, 3, 7, out, DEFAULT_ODE_OPTIONS, newStats());
      for (let k = 0; k < times.length; k++) {
        if (k >= 3 && k < 7) expect(out[k]).toBe(full.out[k]);
        else expect(out[k]).toBe(-1);
      }
      expect(y[0]).toBe(full.y[0]);
    });

    it('continues piecewise: [0, 7] then [7, 20] with kFrom/kTo splitting the outputs', () => {
      const p = logistic;
      const times = linspace(0, p.t1, 21);
      const y = Float64Array.from(p.y0);
      const out = new Float64Array(times.length).fill(Number.NaN);
      const stats = newStats();
      solve(p.sys, 0, y, 7, times, 0, 8, out, DEFAULT_ODE_OPTIONS, stats);
      const stepsFirst = stats.steps;
      solve(p.sys, 7, y, p.t1, times, 7, 21, out, DEFAULT_ODE_OPTIONS, stats);
      expect(stats.steps).toBeGreaterThan(stepsFirst);
      expect(maxRelativeError(p, times, out)).toBeLessThan(1e-6);
    });

    it('t1 = t0 writes the initial state and takes no step', () => {
      const r = solveAt(solve, logistic.sys, logistic.y0, 3, 3, new Float64Array([3, 3]), DEFAULT_ODE_OPTIONS);
      expect(Array.from(r.out)).toEqual([1, 1]);
      expect(r.stats.steps).toBe(0);
    });

    it('SIR conserves S + I + R to 1e-10 relative and matches a tight run to 1e-6', () => {
      const sys = sirSystem();
      const times = linspace(0, 100, 101);
      const r = solveAt(solve, sys, SIR_Y0, 0, 100, times, DEFAULT_ODE_OPTIONS);
      for (let k = 0; k < times.length; k++) {
        const total = r.out[3 * k] + r.out[3 * k + 1] + r.out[3 * k + 2];
        expect(Math.abs(total - SIR_N) / SIR_N).toBeLessThan(1e-10);
      }
      const ref = solveAt(solve, sys, SIR_Y0, 0, 100, times, { ...DEFAULT_ODE_OPTIONS, rtol: 1e-12, atol: 1e-12 });
      for (let i = 0; i < r.out.length; i++) {
        expect(Math.abs(r.out[i] - ref.out[i]) / Math.max(Math.abs(ref.out[i]), 1e-3 * SIR_N)).toBeLessThan(1e-6);
      }
      // The epidemic peaks and ends: I rises from 1 well above 100, then falls.
      let peak = 0;
      for (let k = 0; k < times.length; k++) peak = Math.max(peak, r.out[3 * k + 1]);
      expect(peak).toBeGreaterThan(100);
      expect(r.out[3 * 100 + 1]).toBeLessThan(peak / 10);
    });

    it('respects hmax and starts from a given h0', () => {
      const capped = solveAt(solve, exponentialDecay.sys, exponentialDecay.y0, 0, 10, new Float64Array([10]), { ...DEFAULT_ODE_OPTIONS, rtol: 1e-3, atol: 1e-6, hmax: 0.25 });
      expect(capped.stats.steps).toBeGreaterThanOrEqual(40);
      const free = solveAt(solve, exponentialDecay.sys, exponentialDecay.y0, 0, 10, new Float64Array([10]), { ...DEFAULT_ODE_OPTIONS, rtol: 1e-3, atol: 1e-6 });
      expect(free.stats.steps).toBeLessThan(40);
      const small = solveAt(solve, exponentialDecay.sys, exponentialDecay.y0, 0, 10, new Float64Array([10]), { ...DEFAULT_ODE_OPTIONS, h0: 1e-9 });
      expect(small.stats.steps).toBeGreaterThan(solveAt(solve, exponentialDecay.sys, exponentialDecay.y0, 0, 10, new Float64Array([10]), DEFAULT_ODE_OPTIONS).stats.steps);
      expect(Math.abs(small.y[0] / exponentialDecay.exact(10)[0] - 1)).toBeLessThan(1e-6);
    });

    it('counts steps and function evaluations', () => {
      const r = solveAt(solve, logistic.sys, logistic.y0, 0, logistic.t1, new Float64Array([logistic.t1]), DEFAULT_ODE_OPTIONS);
      expect(r.stats.steps).toBeGreaterThan(5);
      expect(r.stats.fEvals).toBeGreaterThanOrEqual(6 * r.stats.steps);
      expect(r.stats.rejected).toBeGreaterThanOrEqual(0);
    });
  });
}
