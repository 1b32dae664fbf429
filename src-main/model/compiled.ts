/**
 * A model compiled to plain JS functions: what the simulators run. Produced by `compileModel`
 * (compile.ts). Arrays are Float64Array; functions write into caller-provided arrays (no allocation
 * on the hot path). State vector = species (file order) then odes (file order).
 */
import type { Model, NoiseDist } from './schema.ts';

export interface CompiledNoise {
  dist: NoiseDist;
  /** The noise model's parameter (sd, sigma, dispersion or n) at a time, or NaN for poisson. */
  param(t: number, y: Float64Array, p: Float64Array): number;
}

export interface CompiledEvent {
  id: string;
  /** Event times for the parameter vector at simulation start (sorted, may be empty). */
  times(p: Float64Array, tStart: number, tEnd: number): number[];
  /** Apply the assignments at time t, simultaneously, in place on state y and parameters p. */
  apply(t: number, y: Float64Array, p: Float64Array): void;
}

export interface CompiledModel {
  readonly model: Model;
  /** Parameter ids in file order; the layout of every `p` vector. */
  readonly paramIds: readonly string[];
  /** Default value of each parameter: `value`, else the prior's median. */
  readonly paramDefaults: Float64Array;
  /** Indices (into paramIds) of the unknown parameters: those with a prior. */
  readonly unknownParams: readonly number[];
  /** Species ids then ode ids: the layout of every state vector `y`. */
  readonly stateIds: readonly string[];
  /** The first `nSpecies` entries of the state are reaction-driven species. */
  readonly nSpecies: number;
  readonly ruleIds: readonly string[];
  readonly observableIds: readonly string[];
  readonly reactionIds: readonly string[];
  /** For reaction j: the state indices it changes and by how much (to − from). */
  readonly stoichiometry: readonly { index: Int32Array; delta: Float64Array }[];
  /** For reaction j: the reactant indices and their orders (from), for tau-leaping's critical-reaction test. */
  readonly reactants: readonly { index: Int32Array; order: Float64Array }[];
  readonly noise: readonly (CompiledNoise | null)[];
  readonly events: readonly CompiledEvent[];
  /** True when the model has odes[] (deterministic simulation only). */
  readonly hasOdes: boolean;
  /** True when some expression of the right-hand side depends on t explicitly. */
  readonly timeDependent: boolean;

  /** Initial state from parameters (at tStart). */
  initial(p: Float64Array, y0: Float64Array, tStart: number): void;
  /** dy/dt. */
  rhs(t: number, y: Float64Array, p: Float64Array, dydt: Float64Array): void;
  /** Jacobian ∂(dy/dt)/∂y, row-major n×n: J[i*n + j] = ∂f_i/∂y_j (symbolic). */
  jacobian(t: number, y: Float64Array, p: Float64Array, J: Float64Array): void;
  /** Reaction fluxes (= propensities for stochastic simulation). */
  propensities(t: number, y: Float64Array, p: Float64Array, a: Float64Array): void;
  /** Noise-free observables. */
  observe(t: number, y: Float64Array, p: Float64Array, out: Float64Array): void;
  /** Values of the rules (derived quantities). */
  rules(t: number, y: Float64Array, p: Float64Array, out: Float64Array): void;
}
