/**
 * Gillespie's direct method (1977): exact trajectories of the Markov jump process.
 *
 * Time-dependent propensities (rates that use `t`) are held at their value at the last event
 * until the next one: exact for autonomous networks, an approximation otherwise (good while the
 * rates change little between events).
 *
 * Propensities are recomputed in full after each event: `ReactionSystem.propensities` is one
 * compiled function for all reactions, so a dependency graph could only save the summation, not
 * the evaluation.
 */
import type { Rng } from '../random/rng.ts';
import { SimulationError, type SolverStats } from '../types.ts';
import { DEFAULT_STOCHASTIC_OPTIONS, type ReactionSystem, type StochasticOptions } from './types.ts';

/** Where a run stands; shared by the direct loop and tau-leaping's exact bursts. */
export interface SsaCursor {
  t: number;
  /** Next output index to write. */
  k: number;
  /** Events and leaps so far in this call (checked against maxSteps). */
  steps: number;
}

function reactionName(sys: ReactionSystem, j: number): string {
  const id = sys.reactionIds?.[j];
  return id === undefined ? `reaction ${j}` : `reaction ${j} ('${id}')`;
}

/** Sums the propensities in `a`, throwing SimulationError for a negative or non-finite one. */
export function totalPropensity(sys: ReactionSystem, a: Float64Array, t: number): number {
  let a0 = 0;
  for (let j = 0; j < sys.nReactions; j++) {
    const aj = a[j];
    if (!(aj >= 0 && aj < Infinity)) {
      throw new SimulationError(`${reactionName(sys, j)} has propensity ${aj} at t=${t}; propensities must be finite and ≥ 0`, t);
    }
    a0 += aj;
  }
  return a0;
}

/** Copies the state into output row k. */
export function writeRow(y: Float64Array, n: number, out: Float64Array, k: number): void {
  const base = k * n;
  for (let i = 0; i < n; i++) out[base + i] = y[i];
}

/** Adds reaction j's stoichiometry `times` times to y. */
export function applyReaction(sys: ReactionSystem, y: Float64Array, j: number, times: number): void {
  const s = sys.stoichiometry[j];
  const idx = s.index, d = s.delta;
  for (let e = 0; e < idx.length; e++) y[idx[e]] += times * d[e];
}

/**
 * The stoichiometry of all reactions in three flat arrays (reaction j changes y[index[e]] by
 * delta[e] for e in [start[j], start[j+1])): the hot loops read two typed arrays instead of an
 * object and its two arrays per event.
 */
export interface FlatStoichiometry {
  start: Int32Array;
  index: Int32Array;
  delta: Float64Array;
}

export function flattenStoichiometry(sys: ReactionSystem): FlatStoichiometry {
  const nr = sys.nReactions;
  const start = new Int32Array(nr + 1);
  for (let j = 0; j < nr; j++) start[j + 1] = start[j] + sys.stoichiometry[j].index.length;
  const index = new Int32Array(start[nr]), delta = new Float64Array(start[nr]);
  for (let j = 0; j < nr; j++) {
    index.set(sys.stoichiometry[j].index, start[j]);
    delta.set(sys.stoichiometry[j].delta, start[j]);
  }
  return { start, index, delta };
}

/**
 * flattenStoichiometry(sys), made once per network: a compiled model's stoichiometry array is
 * shared by all its runs, so it keys the cache (treated as immutable, as ReactionSystem's `readonly`
 * says). Flattening on every run cost the direct method ~5% on SIR.
 */
const flatCache = new WeakMap<object, { nState: number; flat: FlatStoichiometry }>();

export function flatFor(sys: ReactionSystem): FlatStoichiometry {
  const hit = flatCache.get(sys.stoichiometry);
  if (hit !== undefined && hit.nState === sys.nState) return hit.flat;
  const flat = flattenStoichiometry(sys);
  flatCache.set(sys.stoichiometry, { nState: sys.nState, flat });
  return flat;
}

/** Throws the SimulationError for the first negative or non-finite propensity in a (totalPropensity's check, out of line). */
function badPropensity(sys: ReactionSystem, a: Float64Array, t: number): never {
  totalPropensity(sys, a, t);
  throw new Error('badPropensity: no bad propensity (a bug)');
}

/** The error for a run that hit maxSteps, with the way out. */
export function tooManySteps(maxSteps: number, t: number): SimulationError {
  return new SimulationError(`stochastic simulation exceeded maxSteps = ${maxSteps} at t=${t}; raise maxSteps or use tau-leaping ('tau') for large populations`, t);
}

/**
 * Runs direct-method events from cur.t, writing outputs as it passes them, until t1 is reached
 * (returns true; cur.t = t1, all outputs up to kTo written) or `maxEvents` events have fired
 * (returns false; cur.t = the last event's time). `a` is scratch of length nReactions; `flat` is
 * flattenStoichiometry(sys).
 *
 * The waiting time is −log(1 − U)/a0: 1 − U is exact for a 53-bit U, so this is log1p(−U) up to
 * rounding, and Math.log costs half of Math.log1p in V8.
 */
export function directSteps(
  sys: ReactionSystem, cur: SsaCursor, y: Float64Array, t1: number,
  times: Float64Array, kTo: number, out: Float64Array,
  rng: Rng, stats: SolverStats, a: Float64Array, maxEvents: number, maxSteps: number,
  flat: FlatStoichiometry,
): boolean {
  const n = sys.nState, nr = sys.nReactions;
  const { start, index, delta } = flat;
  let t = cur.t, k = cur.k;
  for (let e = 0; e < maxEvents; e++) {
    sys.propensities(t, y, a);
    stats.fEvals++;
    // totalPropensity, inlined; its check (finite and ≥ 0) throws out of line.
    let a0 = 0;
    for (let j = 0; j < nr; j++) {
      const aj = a[j];
      if (!(aj >= 0 && aj < Infinity)) badPropensity(sys, a, t);
      a0 += aj;
    }
    // a0 = 0: absorbing state, nothing ever fires again.
    const tNext = a0 > 0 ? t - Math.log(1 - rng.next()) / a0 : Infinity;
    // Outputs before the jump see the current state.
    while (k < kTo && times[k] < tNext) writeRow(y, n, out, k++);
    if (tNext > t1) {
      cur.t = t1;
      cur.k = k;
      return true;
    }
    let r = rng.next() * a0;
    let j = 0;
    for (; j < nr - 1; j++) {
      r -= a[j];
      if (r < 0) break;
    }
    // Rounding can run r past the last positive propensity; never fire a reaction with a_j = 0.
    while (a[j] === 0) j--;
    // applyReaction(sys, y, j, 1), on the flat arrays.
    for (let q = start[j], end = start[j + 1]; q < end; q++) y[index[q]] += delta[q];
    t = tNext;
    stats.steps++;
    if (++cur.steps > maxSteps) throw tooManySteps(maxSteps, t);
  }
  cur.t = t;
  cur.k = k;
  return false;
}

/** Checks the shapes shared by both stochastic solvers; throws RangeError naming what is wrong. */
export function checkStochasticArgs(
  sys: ReactionSystem, t0: number, y: Float64Array, t1: number,
  times: Float64Array, kFrom: number, kTo: number, out: Float64Array,
): void {
  const n = sys.nState;
  if (y.length !== n) throw new RangeError(`Invalid size 'y': expected a length ${n} array, got ${y.length}`);
  if (sys.stoichiometry.length !== sys.nReactions || sys.reactants.length !== sys.nReactions) {
    throw new RangeError(`ReactionSystem: stoichiometry and reactants must have nReactions = ${sys.nReactions} entries`);
  }
  if (!(Number.isFinite(t0) && Number.isFinite(t1) && t1 >= t0)) throw new RangeError(`need finite t0 ≤ t1, got t0=${t0}, t1=${t1}`);
  if (!(kFrom >= 0 && kFrom <= kTo && kTo <= times.length)) throw new RangeError(`need 0 ≤ kFrom ≤ kTo ≤ times.length, got ${kFrom}, ${kTo}, ${times.length}`);
  if (out.length < kTo * n) throw new RangeError(`Invalid size 'out': expected at least ${kTo * n} entries, got ${out.length}`);
  if (kTo > kFrom && (times[kFrom] < t0 || times[kTo - 1] > t1)) {
    throw new RangeError(`output times must lie in [t0, t1] = [${t0}, ${t1}], got ${times[kFrom]} … ${times[kTo - 1]}`);
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i])) throw new SimulationError(`state ${i} is ${y[i]} at t=${t0}`, t0);
  }
}

/** Gillespie direct method; see StochasticSolve for the contract. Only options.maxSteps applies. */
export function ssaDirect(
  sys: ReactionSystem, t0: number, y: Float64Array, t1: number,
  times: Float64Array, kFrom: number, kTo: number, out: Float64Array,
  rng: Rng, stats: SolverStats, options?: Partial<StochasticOptions>,
): void {
  checkStochasticArgs(sys, t0, y, t1, times, kFrom, kTo, out);
  const maxSteps = options?.maxSteps ?? DEFAULT_STOCHASTIC_OPTIONS.maxSteps;
  const cur: SsaCursor = { t: t0, k: kFrom, steps: 0 };
  directSteps(sys, cur, y, t1, times, kTo, out, rng, stats, new Float64Array(sys.nReactions), Infinity, maxSteps, flatFor(sys));
}
