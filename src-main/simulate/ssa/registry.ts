/**
 * The stochastic solvers by method name (DESIGN.md §8; a registry rather than a switch, so the
 * shared test suite runs over every entry and a new solver is one line here).
 */
import { ssaDirect } from './direct.ts';
import { tauLeap } from './tau-leap.ts';
import type { StochasticSolve } from './types.ts';

export type StochasticMethod = 'ssa' | 'tau';

export const STOCHASTIC_SOLVERS: Readonly<Record<StochasticMethod, StochasticSolve>> = {
  ssa: ssaDirect,
  tau: tauLeap,
};
