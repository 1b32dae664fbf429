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

/** What stays the same across the runs of a batch: the output times, method, tolerances, noise. */
export type SimulationSetup = Omit<SimulateOptions, 'params' | 'initialOverrides' | 'rng'>;

/**
 * A simulation set up once and run many times (banks, batches, likelihoods): times are checked,
 * buffers and the solver's system are made once, and each `run` fills the same buffers in place.
 * What `run` leaves in `states`, `observables` and `rules` is overwritten by the next run: a caller
 * that keeps a run copies it out.
 */
export interface PreparedSimulation {
  readonly times: Float64Array;
  readonly method: Method;
  /** times.length × states; the last run's. */
  readonly states: Float64Array;
  /** times.length × observables; the last run's (noisy when the setup asked for noise). */
  readonly observables: Float64Array;
  /** times.length × rules (empty when the setup said rules: false); the last run's. */
  readonly rules: Float64Array;
  /** The last run's solver statistics (the same object every run). */
  readonly stats: SolverStats;
  /**
   * One run with these parameters (full vector in compiled.paramIds order; not modified); rng for
   * ssa/tau and noise. Throws SimulationError (model/parameter problems).
   */
  run(params: Float64Array, rng?: Rng, initialOverrides?: ReadonlyMap<number, number>): void;
}

/** Checks the setup once and makes the buffers; see PreparedSimulation. */
export function prepareSimulation(c: CompiledModel, setup: SimulationSetup): PreparedSimulation {
  const times = setup.times;
  const tStart = setup.tStart ?? times[0];
  checkTimes(times, tStart);
  const tEnd = times[times.length - 1];
  const method: Method = setup.method ?? 'auto';
  const stochastic = method === 'ssa' || method === 'tau';
  if (stochastic && c.hasOdes) {
    throw new SimulationError(`method "${method}" needs a reaction network, but the model has odes (${c.model.odes.map((o) => o.id).join(', ')}); use --method ode or stiff`, tStart);
  }
  const noise = setup.noise === true;
  const needsRng = stochastic || noise;

  const n = c.stateIds.length;
  const nOut = times.length;
  const nParams = c.paramIds.length;
  // The parameters in force (events may assign them): the solver's closures read this buffer.
  const p = new Float64Array(nParams);
  const y = new Float64Array(n);
  const nObs = c.observableIds.length;
  const withRules = setup.rules !== false;
  const nRules = withRules ? c.ruleIds.length : 0;
  // The three result matrices share one buffer: typed arrays over 64 bytes live outside V8's heap,
  // and each such allocation cost more than the whole solve of a small model.
  const results = new ArrayBuffer(8 * nOut * (n + nObs + nRules));
  const states = new Float64Array(results, 0, nOut * n);
  const observables = new Float64Array(results, 8 * nOut * n, nOut * nObs);
  const rules = new Float64Array(results, 8 * nOut * (n + nObs), nOut * nRules);
  const stats: SolverStats = { steps: 0, rejected: 0, fEvals: 0, jacEvals: 0, switchedToStiffAt: null };
  const ode: OdeOptions = setup.ode === undefined ? DEFAULT_ODE_OPTIONS : { ...DEFAULT_ODE_OPTIONS, ...setup.ode };
  const odeSolve = stochastic ? null : ODE_SOLVERS[method === 'auto' ? 'auto' : method as 'ode' | 'stiff'];
  const stochasticSolve = stochastic ? STOCHASTIC_SOLVERS[method] : null;

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

  const rowState = new Float64Array(n);
  const rowObs = new Float64Array(nObs);
  const rowRules = new Float64Array(nRules);
  let rng: Rng | undefined;
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
            if (nz) rowObs[j] = sampleNoise(nz.dist, rowObs[j], nz.param(t, rowState, p), rng!);
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
      if (stochasticSolve !== null) stochasticSolve(rsys!, t0, y, t1, times, kFrom, kTo, states, rng!, stats);
      else odeSolve!(sys!, t0, y, t1, times, kFrom, kTo, states, ode, stats);
    } else {
      for (let k = kFrom; k < kTo; k++) for (let i = 0; i < n; i++) states[k * n + i] = y[i];
    }
    finishRows(kFrom, kTo);
  };

  const run = (params: Float64Array, runRng?: Rng, initialOverrides?: ReadonlyMap<number, number>): void => {
    stats.steps = 0;
    stats.rejected = 0;
    stats.fEvals = 0;
    stats.jacEvals = 0;
    stats.switchedToStiffAt = null;
    if (needsRng && !runRng) throw new SimulationError(`method "${method}"${noise ? ' with noise' : ''} needs a random number generator (a seed)`, tStart);
    if (params.length !== nParams) throw new SimulationError(`expected ${nParams} parameter values, got ${params.length}`, tStart);
    rng = runRng;
    p.set(params);
    c.initial(p, y, tStart);
    if (initialOverrides) for (const [i, v] of initialOverrides) y[i] = v;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(y[i])) throw new SimulationError(`the initial value of "${c.stateIds[i]}" is ${y[i]}`, tStart);
    }
    if (stochastic) requireCounts(c, y, tStart);

    let t0 = tStart;
    let k = 0;
    const firings = eventSchedule(c, p, tStart, tEnd);
    for (let e = 0; e < firings.length; e++) {
      const { time, event } = firings[e];
      let kTo = k;
      while (kTo < nOut && times[kTo] < time) kTo++;
      advance(t0, time, k, kTo);
      k = kTo;
      t0 = time;
      c.events[event].apply(time, y, p);
      if (stochastic) requireCounts(c, y, time);
    }
    advance(t0, tEnd, k, nOut);
  };

  return { times, method, states, observables, rules, stats, run };
}

/** Simulate one run; throws SimulationError (model/parameter problems). */
export function simulate(c: CompiledModel, options: SimulateOptions): SimulationResult {
  const sim = prepareSimulation(c, options);
  sim.run(options.params ?? c.paramDefaults, options.rng, options.initialOverrides);
  return {
    times: sim.times, stateIds: c.stateIds, states: sim.states, observableIds: c.observableIds, observables: sim.observables,
    ruleIds: options.rules !== false ? c.ruleIds : NO_RULE_IDS, rules: sim.rules, stats: sim.stats, method: sim.method,
  };
}
