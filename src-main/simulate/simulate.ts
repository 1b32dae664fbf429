/**
 * One simulation of a compiled model at given output times: picks the solver from the registries,
 * splits the run at event times (solvers stop exactly there), applies observation noise.
 *
 * Conventions: an output at an event's time reports the state after the event; rules and
 * observables use the parameters in force at each output time.
 */
import type { CompiledModel } from '../model/compiled.ts';
import type { Rng } from './random/rng.ts';
import { DEFAULT_ODE_OPTIONS, SimulationError } from './types.ts';
import type { Method, OdeOptions, OdeSystem, SimulationResult, SolverStats } from './types.ts';
import { ODE_SOLVERS } from './ode/registry.ts';
import { STOCHASTIC_SOLVERS } from './ssa/registry.ts';
import type { ReactionSystem } from './ssa/types.ts';
import { sampleNoise } from './noise.ts';

export interface SimulateOptions {
  /** Output times, ascending. */
  times: Float64Array;
  /** Start of the simulation (initial state); default times[0]. Must be ≤ times[0]. */
  tStart?: number;
  /** Default 'auto' (deterministic: dopri5 switching to stiff on detection). */
  method?: Method;
  /** Full parameter vector in compiled.paramIds order; default compiled.paramDefaults. Not modified. */
  params?: Float64Array;
  /** Initial-state overrides by state index (applied after the model's initial expressions). */
  initialOverrides?: ReadonlyMap<number, number>;
  ode?: Partial<OdeOptions>;
  /** Apply each observable's noise model (needs rng). */
  noise?: boolean;
  /** Randomness for ssa/tau and noise. */
  rng?: Rng;
  /**
   * Compute the rules at each output time (default true). False skips them: the result then has
   * no rule columns (ruleIds = [], rules of length 0). For batch callers that never read them.
   */
  rules?: boolean;
}

const NO_FIRINGS: readonly { time: number; event: number }[] = [];
const NO_RULE_IDS: readonly string[] = [];

/** Event firings in [tStart, tEnd], in time order (ties keep the model's event order). */
function eventSchedule(c: CompiledModel, p: Float64Array, tStart: number, tEnd: number): readonly { time: number; event: number }[] {
  if (c.events.length === 0) return NO_FIRINGS;
  const firings: { time: number; event: number }[] = [];
  c.events.forEach((ev, i) => {
    let times: number[];
    try {
      times = ev.times(p, tStart, tEnd);
    } catch (err) {
      // model/ reports bad event timing (e.g. a non-positive `every`) as a plain Error: it is the user's model.
      throw new SimulationError(`event "${ev.id}": ${err instanceof Error ? err.message : String(err)}`, tStart);
    }
    for (const time of times) firings.push({ time, event: i });
  });
  firings.sort((a, b) => a.time - b.time || a.event - b.event);
  return firings;
}

function checkTimes(times: Float64Array, tStart: number): void {
  if (times.length === 0) throw new SimulationError('no output times were given', tStart);
  for (let k = 0; k < times.length; k++) {
    if (!Number.isFinite(times[k])) throw new SimulationError(`output time ${k + 1} is not a finite number`, tStart);
    if (k > 0 && times[k] < times[k - 1]) throw new SimulationError(`output times must be ascending: time ${k + 1} (${times[k]}) is before time ${k} (${times[k - 1]})`, times[k]);
  }
  if (tStart > times[0]) throw new SimulationError(`the first output time (${times[0]}) is before the start time (${tStart})`, tStart);
}

/** Stochastic methods need whole-number counts: round values within 1e-9, refuse others. */
function requireCounts(c: CompiledModel, y: Float64Array, t: number): void {
  for (let i = 0; i < c.nSpecies; i++) {
    const r = Math.round(y[i]);
    if (Math.abs(y[i] - r) > 1e-9 * Math.max(1, Math.abs(y[i])) || r < 0) {
      throw new SimulationError(`species "${c.stateIds[i]}" is ${y[i]} at t = ${t}; stochastic simulation needs whole, non-negative counts`, t);
    }
    y[i] = r;
  }
}

/** Simulate one run; throws SimulationError (model/parameter problems). */
export function simulate(c: CompiledModel, options: SimulateOptions): SimulationResult {
  const times = options.times;
  const tStart = options.tStart ?? times[0];
  checkTimes(times, tStart);
  const tEnd = times[times.length - 1];
  const method: Method = options.method ?? 'auto';
  const stochastic = method === 'ssa' || method === 'tau';
  if (stochastic && c.hasOdes) {
    throw new SimulationError(`method "${method}" needs a reaction network, but the model has odes (${c.model.odes.map((o) => o.id).join(', ')}); use --method ode or stiff`, tStart);
  }
  if ((stochastic || options.noise) && !options.rng) throw new SimulationError(`method "${method}"${options.noise ? ' with noise' : ''} needs a random number generator (a seed)`, tStart);

  const n = c.stateIds.length;
  const nOut = times.length;
  // A copy (events may assign parameters); new Float64Array(typed array) copies without the iterator protocol of Float64Array.from.
  const p = new Float64Array(options.params ?? c.paramDefaults);
  if (p.length !== c.paramIds.length) throw new SimulationError(`expected ${c.paramIds.length} parameter values, got ${p.length}`, tStart);
  const y = new Float64Array(n);
  c.initial(p, y, tStart);
  if (options.initialOverrides) for (const [i, v] of options.initialOverrides) y[i] = v;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i])) throw new SimulationError(`the initial value of "${c.stateIds[i]}" is ${y[i]}`, tStart);
  }
  if (stochastic) requireCounts(c, y, tStart);

  const states = new Float64Array(nOut * n);
  const nObs = c.observableIds.length;
  const withRules = options.rules !== false;
  const nRules = withRules ? c.ruleIds.length : 0;
  const observables = new Float64Array(nOut * nObs);
  const rules = new Float64Array(nOut * nRules);
  const stats: SolverStats = { steps: 0, rejected: 0, fEvals: 0, jacEvals: 0, switchedToStiffAt: null };
  const ode: OdeOptions = options.ode === undefined ? DEFAULT_ODE_OPTIONS : { ...DEFAULT_ODE_OPTIONS, ...options.ode };

  // Only the system the method uses (the closures capture p: events that assign parameters act on it).
  const sys: (OdeSystem & { autonomous: boolean }) | null = stochastic ? null : {
    n,
    f: (t, yy, dydt) => c.rhs(t, yy, p, dydt),
    jac: (t, yy, J) => c.jacobian(t, yy, p, J),
    autonomous: !c.timeDependent,
  };
  const rsys: ReactionSystem | null = !stochastic ? null : {
    nState: n,
    nReactions: c.reactionIds.length,
    propensities: (t, yy, a) => c.propensities(t, yy, p, a),
    stoichiometry: c.stoichiometry,
    reactants: c.reactants,
  };
  const noise = options.noise === true;

  const rowState = new Float64Array(n);
  const rowObs = new Float64Array(nObs);
  const rowRules = new Float64Array(nRules);
  /** Observables, rules (and noise) for rows [kFrom, kTo), with the parameters now in force. */
  const finishRows = (kFrom: number, kTo: number): void => {
    for (let k = kFrom; k < kTo; k++) {
      const t = times[k];
      for (let i = 0; i < n; i++) rowState[i] = states[k * n + i];
      // Plain copies rather than TypedArray.prototype.set: rows are short, and set's call costs more.
      if (nObs > 0) {
        c.observe(t, rowState, p, rowObs);
        if (noise) {
          for (let j = 0; j < nObs; j++) {
            const nz = c.noise[j];
            if (nz) rowObs[j] = sampleNoise(nz.dist, rowObs[j], nz.param(t, rowState, p), options.rng!);
          }
        }
        for (let j = 0; j < nObs; j++) observables[k * nObs + j] = rowObs[j];
      }
      if (nRules > 0) {
        c.rules(t, rowState, p, rowRules);
        for (let j = 0; j < nRules; j++) rules[k * nRules + j] = rowRules[j];
      }
    }
  };

  const advance = (t0: number, t1: number, kFrom: number, kTo: number): void => {
    if (t1 > t0) {
      if (stochastic) STOCHASTIC_SOLVERS[method](rsys!, t0, y, t1, times, kFrom, kTo, states, options.rng!, stats);
      else ODE_SOLVERS[method === 'auto' ? 'auto' : method](sys!, t0, y, t1, times, kFrom, kTo, states, ode, stats);
    } else {
      for (let k = kFrom; k < kTo; k++) for (let i = 0; i < n; i++) states[k * n + i] = y[i];
    }
    finishRows(kFrom, kTo);
  };

  let t0 = tStart;
  let k = 0;
  for (const { time, event } of eventSchedule(c, p, tStart, tEnd)) {
    let kTo = k;
    while (kTo < nOut && times[kTo] < time) kTo++;
    advance(t0, time, k, kTo);
    k = kTo;
    t0 = time;
    c.events[event].apply(time, y, p);
    if (stochastic) requireCounts(c, y, time);
  }
  advance(t0, tEnd, k, nOut);

  return {
    times, stateIds: c.stateIds, states, observableIds: c.observableIds, observables,
    ruleIds: withRules ? c.ruleIds : NO_RULE_IDS, rules, stats, method,
  };
}
