/** Small reaction networks for the stochastic solver tests, written as ReactionSystems by hand. */
import type { ReactionSystem } from '../../../../src-main/simulate/ssa/types.ts';

const I = (...a: number[]): Int32Array => Int32Array.from(a);
const F = (...a: number[]): Float64Array => Float64Array.from(a);

/** ∅ → X at rate k, X → ∅ at rate γ·X. Stationary law Poisson(k/γ). */
export function birthDeath(k: number, gamma: number): ReactionSystem {
  return {
    nState: 1, nReactions: 2,
    propensities: (_t, y, a) => { a[0] = k; a[1] = gamma * y[0]; },
    stoichiometry: [{ index: I(0), delta: F(1) }, { index: I(0), delta: F(-1) }],
    reactants: [{ index: I(), order: F() }, { index: I(0), order: F(1) }],
    reactionIds: ['birth', 'death'],
  };
}

/** A → B at k1·A, B → A at k2·B: closed, A + B conserved; stationary A ~ Binomial(N, k2/(k1+k2)). */
export function isomerization(k1: number, k2: number): ReactionSystem {
  return {
    nState: 2, nReactions: 2,
    propensities: (_t, y, a) => { a[0] = k1 * y[0]; a[1] = k2 * y[1]; },
    stoichiometry: [{ index: I(0, 1), delta: F(-1, 1) }, { index: I(0, 1), delta: F(1, -1) }],
    reactants: [{ index: I(0), order: F(1) }, { index: I(1), order: F(1) }],
  };
}

/** S + I → 2I at β·S·I/N, I → R at γ·I. */
export function sir(beta: number, gamma: number, n: number): ReactionSystem {
  return {
    nState: 3, nReactions: 2,
    propensities: (_t, y, a) => { a[0] = beta * y[0] * y[1] / n; a[1] = gamma * y[1]; },
    stoichiometry: [{ index: I(0, 1), delta: F(-1, 1) }, { index: I(1, 2), delta: F(-1, 1) }],
    reactants: [{ index: I(0, 1), order: F(1, 1) }, { index: I(1), order: F(1) }],
    reactionIds: ['infection', 'recovery'],
  };
}

/** 2A → B at c·A(A−1)/2: second order in A (exercises tau-leaping's g_i for two molecules of a species). */
export function dimerization(c: number): ReactionSystem {
  return {
    nState: 2, nReactions: 1,
    propensities: (_t, y, a) => { a[0] = 0.5 * c * y[0] * (y[0] - 1); },
    stoichiometry: [{ index: I(0, 1), delta: F(-2, 1) }],
    reactants: [{ index: I(0), order: F(2) }],
  };
}

/** A system whose propensity function returns `value` for reaction 1. */
export function broken(value: number): ReactionSystem {
  return {
    nState: 1, nReactions: 2,
    propensities: (_t, y, a) => { a[0] = y[0]; a[1] = value; },
    stoichiometry: [{ index: I(0), delta: F(-1) }, { index: I(0), delta: F(1) }],
    reactants: [{ index: I(0), order: F(1) }, { index: I(), order: F() }],
    reactionIds: ['decay', 'bad'],
  };
}

export function newStats(): { steps: number; rejected: number; fEvals: number; jacEvals: number } {
  return { steps: 0, rejected: 0, fEvals: 0, jacEvals: 0 };
}

/** Evenly spaced times from a to b inclusive. */
export function linspace(a: number, b: number, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => (n === 1 ? b : a + (b - a) * i / (n - 1)));
}
