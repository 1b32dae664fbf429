/**
 * Shared types of the stochastic simulators (Gillespie direct method, tau-leaping). Their solve
 * functions mirror OdeSolve (../types.ts): same segment convention, state updated in place.
 */
import type { CompiledModel } from '../../model/compiled.ts';
import type { Rng } from '../random/rng.ts';
import type { SolverStats } from '../types.ts';

/**
 * A reaction network with its parameters bound. States are copy numbers (Float64, integral in
 * practice). `propensities` fills `a` (length nReactions) for state `y` at time `t`; it must write
 * finite values ≥ 0.
 */
export interface ReactionSystem {
  readonly nState: number;
  readonly nReactions: number;
  propensities(t: number, y: Float64Array, a: Float64Array): void;
  /** For reaction j: the state indices it changes and by how much (to − from). */
  readonly stoichiometry: readonly { index: Int32Array; delta: Float64Array }[];
  /** For reaction j: its reactant indices and orders (from); tau-leaping's step selection uses them. */
  readonly reactants: readonly { index: Int32Array; order: Float64Array }[];
  /** Reaction names for error messages (optional; indices are used otherwise). */
  readonly reactionIds?: readonly string[];
}

/** Controls of the stochastic solvers; every field has a default (DEFAULT_STOCHASTIC_OPTIONS). */
export interface StochasticOptions {
  /** Most reaction events (SSA) or leaps + events (tau) in one call (default 1e8); beyond: SimulationError. */
  maxSteps: number;
  /** Tau-leaping: bound on the relative change of each propensity in one leap (default 0.03, Cao–Gillespie–Petzold 2006). */
  epsilon: number;
  /** Tau-leaping: a reaction within this many firings of exhausting a reactant is critical (default 10). */
  nCritical: number;
  /** Tau-leaping: when the leap τ' < ssaThreshold / a0, run exact steps instead (default 10). */
  ssaThreshold: number;
  /** Tau-leaping: how many exact steps such a fallback runs before trying to leap again (default 100). */
  ssaBurst: number;
}

export const DEFAULT_STOCHASTIC_OPTIONS: StochasticOptions = {
  maxSteps: 1e8, epsilon: 0.03, nCritical: 10, ssaThreshold: 10, ssaBurst: 100,
};

/**
 * Simulate from t0 to t1 (t1 ≥ t0), y in place (holds the state at t1 on return). For each k in
 * [kFrom, kTo), writes the state at times[k] into out[k*n .. k*n+n−1] (n = sys.nState); those
 * times are non-decreasing and lie in [t0, t1]. The state at τ is the state after every jump at a
 * time ≤ τ. Stats are accumulated (+=): steps = events (SSA) or leaps + events (tau), rejected =
 * rejected leaps, fEvals = propensity evaluations. Throws SimulationError for a negative or
 * non-finite propensity and past options.maxSteps.
 *
 * Splitting [t0, t1] into segments (e.g. at events) gives the same law as one call: the direct
 * method's waiting times are memoryless.
 */
export type StochasticSolve = (
  sys: ReactionSystem, t0: number, y: Float64Array, t1: number,
  times: Float64Array, kFrom: number, kTo: number, out: Float64Array,
  rng: Rng, stats: SolverStats, options?: Partial<StochasticOptions>,
) => void;

/** The ReactionSystem of a compiled model for the parameter vector p (p is captured, not copied). */
export function bindReactionSystem(model: CompiledModel, p: Float64Array): ReactionSystem {
  return {
    nState: model.stateIds.length,
    nReactions: model.reactionIds.length,
    propensities: (t, y, a) => model.propensities(t, y, p, a),
    stoichiometry: model.stoichiometry,
    reactants: model.reactants,
    reactionIds: model.reactionIds,
  };
}
