/**
 * The performance changes of simulate() and the stochastic solvers keep results the same:
 * `rules: false` only drops the rule columns; tau-leaping's per-network tables are not shared
 * between networks with different stoichiometry or reactants.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../src-main/model/compile.ts';
import type { Model } from '../../../src-main/model/schema.ts';
import { rngFor } from '../../../src-main/simulate/random/rng.ts';
import { simulate } from '../../../src-main/simulate/simulate.ts';
import { tauLeap } from '../../../src-main/simulate/ssa/tau-leap.ts';
import type { ReactionSystem } from '../../../src-main/simulate/ssa/types.ts';
import { linspace, newStats } from './ssa/models.ts';

const sir = compileModel(JSON.parse(readFileSync(new URL('../../../resources/models/sir.json', import.meta.url), 'utf8')) as Model);

describe('simulate() options', () => {
  it('rules: false gives the same states and observables, and no rule columns', () => {
    const times = linspace(0, 14, 30);
    for (const method of ['ode', 'auto'] as const) {
      const full = simulate(sir, { times, tStart: 0, method });
      const lean = simulate(sir, { times, tStart: 0, method, rules: false });
      expect(lean.states).toEqual(full.states);
      expect(lean.observables).toEqual(full.observables);
      expect(lean.ruleIds).toEqual([]);
      expect(lean.rules.length).toBe(0);
      expect(full.ruleIds).toEqual(['R0']);
      expect(full.rules.length).toBe(times.length);
    }
  });

  it('rules: false with noise and a stochastic method draws the same streams', () => {
    const times = linspace(0, 14, 15);
    const p = Float64Array.from(sir.paramDefaults);
    p[sir.paramIds.indexOf('N')] = 500;
    const a = simulate(sir, { times, tStart: 0, method: 'ssa', params: p, noise: true, rng: rngFor(3, 1) });
    const b = simulate(sir, { times, tStart: 0, method: 'ssa', params: p, noise: true, rng: rngFor(3, 1), rules: false });
    expect(b.states).toEqual(a.states);
    expect(b.observables).toEqual(a.observables);
  });
});

describe('tau-leaping tables', () => {
  // A → ∅ at rate k·A, with the same stoichiometry array but different reactant orders.
  const stoichiometry = [{ index: Int32Array.of(0), delta: Float64Array.of(-1) }];
  const system = (order: number): ReactionSystem => ({
    nState: 1, nReactions: 1,
    propensities: (_t, y, a) => { a[0] = 0.1 * y[0]; },
    stoichiometry,
    reactants: [{ index: Int32Array.of(0), order: Float64Array.of(order) }],
  });

  it('are rebuilt for a network whose reactants differ, and give the same runs as fresh tables', () => {
    const times = linspace(0, 5, 6);
    const run = (sys: ReactionSystem): Float64Array => {
      const y = Float64Array.of(1e5), out = new Float64Array(6);
      tauLeap(sys, 0, y, 5, times, 0, 6, out, rngFor(9), newStats());
      return out;
    };
    const first = run(system(1));
    const other = run(system(2)); // g = 2 + 1/(x−1) instead of 1: smaller leaps, other draws
    expect(other).not.toEqual(first);
    expect(run(system(1))).toEqual(first);
  });
});
