/** Shared types of the simulators (ODE, stochastic) and of one simulation's result. */

/** Controls of the ODE solvers; every field has a default (see DEFAULT_ODE_OPTIONS). */
export interface OdeOptions {
  /** Relative tolerance (default 1e-8: gives ≤ 1e-6 relative error on well-scaled problems). */
  rtol: number;
  /** Absolute tolerance (default 1e-10). */
  atol: number;
  /** Maximum number of steps in one call, accepted or rejected (default 1e6). */
  maxSteps: number;
  /** Initial step; 0 chooses automatically. */
  h0: number;
  /** Largest step; Infinity for none. */
  hmax: number;
}

export const DEFAULT_ODE_OPTIONS: OdeOptions = { rtol: 1e-8, atol: 1e-10, maxSteps: 1_000_000, h0: 0, hmax: Infinity };

/** The system to integrate; parameters are bound in the closures. `f` fills `dydt`; `jac` fills J (row-major n×n). */
export interface OdeSystem {
  n: number;
  f(t: number, y: Float64Array, dydt: Float64Array): void;
  jac?(t: number, y: Float64Array, J: Float64Array): void;
  /** True when f does not depend on t: the stiff solver then skips ∂f/∂t. */
  autonomous?: boolean;
  /** Fills ∂f/∂t exactly; otherwise the stiff solver uses a forward difference when not autonomous. */
  dfdt?(t: number, y: Float64Array, dfdt: Float64Array): void;
}

export interface SolverStats {
  steps: number;
  rejected: number;
  fEvals: number;
  jacEvals: number;
  /** For `auto`: the time at which it switched to the stiff method, or null. */
  switchedToStiffAt?: number | null;
}

/**
 * Integrate from t0 to t1 (t1 > t0), y in place (holds y(t1) on return). For each k in
 * [kFrom, kTo), writes y(times[k]) into out[k*n .. k*n+n-1]; those times lie in [t0, t1].
 * Throws SimulationError when it cannot reach t1 (step size underflow, too many steps, non-finite state).
 */
export type OdeSolve = (
  sys: OdeSystem, t0: number, y: Float64Array, t1: number,
  times: Float64Array, kFrom: number, kTo: number, out: Float64Array,
  options: OdeOptions, stats: SolverStats,
) => void;

/** A simulation failed for reasons of the model or its parameters (not a bug): says what and when. */
export class SimulationError extends Error {
  readonly t: number;
  constructor(message: string, t: number) {
    super(message);
    this.name = 'SimulationError';
    this.t = t;
  }
}

export type Method = 'auto' | 'ode' | 'stiff' | 'ssa' | 'tau';

/** One simulation at a set of output times. Matrices are row-major: row k = times[k]. */
export interface SimulationResult {
  times: Float64Array;
  stateIds: readonly string[];
  /** times.length × stateIds.length */
  states: Float64Array;
  observableIds: readonly string[];
  /** times.length × observableIds.length; noisy when noise was requested. */
  observables: Float64Array;
  ruleIds: readonly string[];
  /** times.length × ruleIds.length: rule values with the parameters in force at each time. */
  rules: Float64Array;
  stats: SolverStats;
  method: Exclude<Method, 'auto'> | 'auto';
}
