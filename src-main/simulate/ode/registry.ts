/** The ODE solvers by method name: one registry, one shared test suite (STYLE.md). */
import type { Method, OdeSolve } from '../types.ts';
import { auto } from './auto.ts';
import { dopri5 } from './dopri5.ts';
import { rodas } from './rodas.ts';

/** The methods that integrate ODEs (the stochastic ones are in ssa/). */
export type OdeMethod = Extract<Method, 'ode' | 'stiff' | 'auto'>;

/** Solver of each ODE method; `auto` starts explicit and switches to `stiff` when needed. */
export const ODE_SOLVERS: Readonly<Record<OdeMethod, OdeSolve>> = {
  ode: dopri5,
  stiff: rodas,
  auto,
};
