/**
 * prepareSimulation: a simulation set up once and run many times (banks, batches) gives exactly
 * what a fresh simulate() gives for each run, whatever ran before it: parameters assigned by
 * events, the solver statistics and the noise draws do not leak from one run into the next, and a
 * failed run leaves the next one unharmed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../src-main/model/compile.ts';
import type { Model } from '../../../src-main/model/schema.ts';
import { rngFor } from '../../../src-main/simulate/random/rng.ts';
import { prepareSimulation, simulate } from '../../../src-main/simulate/simulate.ts';
import { SimulationError } from '../../../src-main/simulate/types.ts';
import type { Method } from '../../../src-main/simulate/types.ts';
import { linspace } from './ssa/models.ts';

const template = (name: string): Model => JSON.parse(readFileSync(new URL(`../../../resources/models/${name}.json`, import.meta.url), 'utf8')) as Model;

// SIR with an intervention that halves beta at t = 5: an event that assigns a parameter.
const sirModel = template('sir');
const sirWithEvent = compileModel({ ...sirModel, events: [{ id: 'lockdown', at: 5, assign: { beta: 'beta * 0.5' } }] } as Model);
const pk = compileModel(template('two-compartment-pk'));

function withParams(c: typeof sirWithEvent, values: Record<string, number>): Float64Array {
  const p = Float64Array.from(c.paramDefaults);
  for (const [id, v] of Object.entries(values)) p[c.paramIds.indexOf(id)] = v;
  return p;
}

describe('prepareSimulation', () => {
  const times = linspace(0, 14, 15);
  const paramSets = [{ beta: 1.7, gamma: 0.5, N: 500 }, { beta: 0.9, gamma: 0.3, N: 500 }, { beta: 2.5, gamma: 0.8, N: 500 }];

  for (const method of ['ode', 'stiff', 'auto', 'ssa', 'tau'] as Method[]) {
    it(`runs one after another equal fresh simulate() calls (${method}, noise, an event assigning beta)`, () => {
      const sim = prepareSimulation(sirWithEvent, { times, tStart: 0, method, noise: true });
      // Twice through the parameter sets: the second pass starts from a state the first left behind.
      for (let pass = 0; pass < 2; pass++) {
        paramSets.forEach((values, r) => {
          const params = withParams(sirWithEvent, values);
          const fresh = simulate(sirWithEvent, { times, tStart: 0, method, params, noise: true, rng: rngFor(11, r) });
          sim.run(params, rngFor(11, r));
          expect(sim.states).toEqual(fresh.states);
          expect(sim.observables).toEqual(fresh.observables);
          expect(sim.rules).toEqual(fresh.rules);
          expect({ ...sim.stats }).toEqual(fresh.stats);
        });
      }
    });
  }

  it('leaves the caller\'s parameter vector alone although events assign parameters', () => {
    const sim = prepareSimulation(sirWithEvent, { times, tStart: 0, method: 'ode' });
    const params = withParams(sirWithEvent, { beta: 1.7 });
    const before = Float64Array.from(params);
    sim.run(params);
    expect(params).toEqual(before);
  });

  it('runs dosing events of the PK template like simulate()', () => {
    const t = linspace(0, 48, 49);
    const sim = prepareSimulation(pk, { times: t, tStart: 0 });
    for (let r = 0; r < 2; r++) {
      sim.run(pk.paramDefaults);
      expect(sim.states).toEqual(simulate(pk, { times: t, tStart: 0 }).states);
    }
  });

  it('recovers from a failed run: the next run is exact', () => {
    const sim = prepareSimulation(sirWithEvent, { times, tStart: 0, method: 'ode' });
    const good = withParams(sirWithEvent, { beta: 1.2 });
    const bad = withParams(sirWithEvent, { N: 0 }); // S·I/N with N = 0: a non-finite right-hand side
    expect(() => sim.run(bad)).toThrow(SimulationError);
    sim.run(good);
    expect(sim.states).toEqual(simulate(sirWithEvent, { times, tStart: 0, method: 'ode', params: good }).states);
  });

  it('refuses a run without the random generator its setup needs, or with the wrong number of parameters', () => {
    const noisy = prepareSimulation(sirWithEvent, { times, tStart: 0, method: 'ode', noise: true });
    expect(() => noisy.run(sirWithEvent.paramDefaults)).toThrow(/needs a random number generator/);
    expect(() => noisy.run(new Float64Array(2), rngFor(1))).toThrow(/expected 5 parameter values, got 2/);
  });

  it('checks the setup once, when it is prepared', () => {
    expect(() => prepareSimulation(sirWithEvent, { times: Float64Array.of(3, 1) })).toThrow(/ascending/);
  });
});
