/** Test problems for the ODE solvers, with exact solutions where one exists. */
import type { OdeOptions, OdeSolve, OdeSystem, SolverStats } from '../../../../src-main/simulate/types.ts';
import type { HintedOdeSystem } from '../../../../src-main/simulate/ode/common.ts';

export interface ExactProblem {
  name: string;
  sys: HintedOdeSystem;
  y0: readonly number[];
  t1: number;
  exact(t: number): number[];
  /** Per-component magnitude below which errors are measured absolutely (relative to this floor). */
  floor: number;
}

export function newStats(): SolverStats {
  return { steps: 0, rejected: 0, fEvals: 0, jacEvals: 0 };
}

export function linspace(a: number, b: number, count: number): Float64Array {
  const t = new Float64Array(count);
  for (let k = 0; k < count; k++) t[k] = a + (b - a) * (k / (count - 1));
  t[count - 1] = b;
  return t;
}

export interface Run {
  y: Float64Array;
  out: Float64Array;
  stats: SolverStats;
}

/** Runs `solve` on sys from t0 to t1 with outputs at `times` (all of them). */
export function solveAt(solve: OdeSolve, sys: OdeSystem, y0: readonly number[], t0: number, t1: number,
  times: Float64Array, options: OdeOptions): Run {
  const y = Float64Array.from(y0);
  const out = new Float64Array(times.length * sys.n).fill(Number.NaN);
  const stats = newStats();
  solve(sys, t0, y, t1, times, 0, times.length, out, options, stats);
  return { y, out, stats };
}

/** Largest error over outputs and components, relative to max(|exact|, floor). */
export function maxRelativeError(p: ExactProblem, times: Float64Array, out: Float64Array): number {
  const n = p.sys.n;
  let worst = 0;
  for (let k = 0; k < times.length; k++) {
    const ex = p.exact(times[k]);
    for (let i = 0; i < n; i++) {
      const e = Math.abs(out[k * n + i] - ex[i]) / Math.max(Math.abs(ex[i]), p.floor);
      // NaN (an output not written) must count as a failure.
      if (!(e <= worst)) worst = Number.isNaN(e) ? Infinity : e;
    }
  }
  return worst;
}

const decayK = 0.7;
export const exponentialDecay: ExactProblem = {
  name: 'exponential decay',
  sys: { n: 1, autonomous: true, f: (_t, y, d) => { d[0] = -decayK * y[0]; }, jac: (_t, _y, J) => { J[0] = -decayK; } },
  y0: [2], t1: 10,
  exact: (t) => [2 * Math.exp(-decayK * t)],
  floor: 1e-3,
};

const lr = 0.8, lK = 100, ly0 = 1;
export const logistic: ExactProblem = {
  name: 'logistic',
  sys: {
    n: 1, autonomous: true,
    f: (_t, y, d) => { d[0] = lr * y[0] * (1 - y[0] / lK); },
    jac: (_t, y, J) => { J[0] = lr * (1 - 2 * y[0] / lK); },
  },
  y0: [ly0], t1: 20,
  exact: (t) => { const e = Math.exp(lr * t); return [lK * ly0 * e / (lK + ly0 * (e - 1))]; },
  floor: 1e-3,
};

// A = [[-1, 2], [-2, -1]]: exp(At) = e^{-t} [[cos 2t, sin 2t], [-sin 2t, cos 2t]].
export const linear2: ExactProblem = {
  name: 'linear 2×2 (spiral)',
  sys: {
    n: 2, autonomous: true,
    f: (_t, y, d) => { d[0] = -y[0] + 2 * y[1]; d[1] = -2 * y[0] - y[1]; },
    jac: (_t, _y, J) => { J[0] = -1; J[1] = 2; J[2] = -2; J[3] = -1; },
  },
  y0: [1, 0.5], t1: 5,
  exact: (t) => {
    const e = Math.exp(-t), c = Math.cos(2 * t), s = Math.sin(2 * t);
    return [e * (c * 1 + s * 0.5), e * (-s * 1 + c * 0.5)];
  },
  // The spiral passes through zero: measure against the size of the solution at that time.
  floor: 1e-2,
};

// Jordan block: A = [[-1,1,0],[0,-1,1],[0,0,-1]], exp(At) = e^{-t} [[1,t,t²/2],[0,1,t],[0,0,1]].
export const linear3Jordan: ExactProblem = {
  name: 'linear 3×3 (Jordan block)',
  sys: {
    n: 3, autonomous: true,
    f: (_t, y, d) => { d[0] = -y[0] + y[1]; d[1] = -y[1] + y[2]; d[2] = -y[2]; },
    jac: (_t, _y, J) => { J.fill(0); J[0] = -1; J[1] = 1; J[4] = -1; J[5] = 1; J[8] = -1; },
  },
  y0: [1, 2, 3], t1: 8,
  exact: (t) => {
    const e = Math.exp(-t);
    return [e * (1 + 2 * t + 3 * t * t / 2), e * (2 + 3 * t), e * 3];
  },
  floor: 1e-3,
};

// A = V diag(-1, -10, -100) V⁻¹ with V = [[1,1,0],[0,1,1],[0,0,1]], V⁻¹ = [[1,-1,1],[0,1,-1],[0,0,1]]:
// eigenvalues two decades apart (mildly stiff), exact solution V e^{Dt} V⁻¹ y0.
const lam = [-1, -10, -100];
export const linear3Spread: ExactProblem = {
  name: 'linear 3×3 (eigenvalues -1, -10, -100)',
  sys: {
    n: 3, autonomous: true,
    // A = V D V⁻¹ = [[-1, 1-10, -1+10], [0, -10, 10-100], [0, 0, -100]]
    f: (_t, y, d) => {
      d[0] = lam[0] * y[0] + (lam[1] - lam[0]) * y[1] + (lam[0] - lam[1]) * y[2];
      d[1] = lam[1] * y[1] + (lam[2] - lam[1]) * y[2];
      d[2] = lam[2] * y[2];
    },
    jac: (_t, _y, J) => {
      J.fill(0);
      J[0] = lam[0]; J[1] = lam[1] - lam[0]; J[2] = lam[0] - lam[1];
      J[4] = lam[1]; J[5] = lam[2] - lam[1]; J[8] = lam[2];
    },
  },
  y0: [1, 1, 1], t1: 5,
  exact: (t) => {
    // z = V⁻¹ y0 = [1-1+1, 1-1, 1] = [1, 0, 1]; y = V e^{Dt} z.
    const z0 = Math.exp(lam[0] * t) * 1, z1 = 0, z2 = Math.exp(lam[2] * t) * 1;
    return [z0 + z1, z1 + z2, z2];
  },
  floor: 1e-2,
};

const omega = 2;
export const harmonic: ExactProblem = {
  name: 'harmonic oscillator',
  sys: {
    n: 2, autonomous: true,
    f: (_t, y, d) => { d[0] = y[1]; d[1] = -omega * omega * y[0]; },
    jac: (_t, _y, J) => { J[0] = 0; J[1] = 1; J[2] = -omega * omega; J[3] = 0; },
  },
  y0: [1, 0], t1: 30,
  exact: (t) => [Math.cos(omega * t), -omega * Math.sin(omega * t)],
  floor: 1,
};

export function harmonicEnergy(x: number, v: number): number {
  return 0.5 * (v * v + omega * omega * x * x);
}

// y' = cos(t)·y: y = y0·exp(sin t). Depends on t, so the stiff solver needs ∂f/∂t.
export const timeDependent: ExactProblem = {
  name: "y' = cos(t) y (non-autonomous)",
  sys: {
    n: 1,
    f: (t, y, d) => { d[0] = Math.cos(t) * y[0]; },
    jac: (t, _y, J) => { J[0] = Math.cos(t); },
  },
  y0: [1.5], t1: 12,
  exact: (t) => [1.5 * Math.exp(Math.sin(t))],
  floor: 1e-3,
};

// y' = -2y + t: y = t/2 - 1/4 + (y0 + 1/4) e^{-2t}; f_t = 1 is given exactly.
export const forcedWithDfdt: ExactProblem = {
  name: "y' = -2y + t (dfdt given)",
  sys: {
    n: 1, autonomous: false,
    f: (t, y, d) => { d[0] = -2 * y[0] + t; },
    jac: (_t, _y, J) => { J[0] = -2; },
    dfdt: (_t, _y, ft) => { ft[0] = 1; },
  },
  y0: [1], t1: 6,
  exact: (t) => [t / 2 - 0.25 + 1.25 * Math.exp(-2 * t)],
  floor: 1e-2,
};

export const EXACT_PROBLEMS: readonly ExactProblem[] = [
  exponentialDecay, logistic, linear2, linear3Jordan, linear3Spread, harmonic, timeDependent, forcedWithDfdt,
];

/** The same problem with no Jacobian (forces finite differences in the stiff solver). */
export function withoutJacobian(sys: HintedOdeSystem): HintedOdeSystem {
  return { n: sys.n, f: sys.f, autonomous: sys.autonomous };
}

export const SIR_N = 1000;
/** SIR with beta = 0.5, gamma = 0.1, N = 1000 (frequency-dependent), analytic Jacobian. */
export function sirSystem(beta = 0.5, gamma = 0.1, N = SIR_N): HintedOdeSystem {
  return {
    n: 3, autonomous: true,
    f: (_t, y, d) => {
      const inf = beta * y[0] * y[1] / N;
      const rec = gamma * y[1];
      d[0] = -inf;
      d[1] = inf - rec;
      d[2] = rec;
    },
    jac: (_t, y, J) => {
      J[0] = -beta * y[1] / N; J[1] = -beta * y[0] / N; J[2] = 0;
      J[3] = beta * y[1] / N; J[4] = beta * y[0] / N - gamma; J[5] = 0;
      J[6] = 0; J[7] = gamma; J[8] = 0;
    },
  };
}
export const SIR_Y0 = [999, 1, 0] as const;

/** Robertson's chemical kinetics (Hairer & Wanner II, §IV.1), analytic Jacobian. */
export const robertson: HintedOdeSystem = {
  n: 3, autonomous: true,
  f: (_t, y, d) => {
    d[0] = -0.04 * y[0] + 1e4 * y[1] * y[2];
    d[2] = 3e7 * y[1] * y[1];
    d[1] = -d[0] - d[2];
  },
  jac: (_t, y, J) => {
    J[0] = -0.04; J[1] = 1e4 * y[2]; J[2] = 1e4 * y[1];
    J[6] = 0; J[7] = 6e7 * y[1]; J[8] = 0;
    J[3] = 0.04; J[4] = -1e4 * y[2] - 6e7 * y[1]; J[5] = -1e4 * y[1];
  },
};
export const ROBERTSON_Y0 = [1, 0, 0] as const;
/** Hairer & Wanner's reference values at t = 40. */
export const ROBERTSON_AT_40 = [0.7158270687, 9.185534764e-6, 0.2841637457] as const;

/** Van der Pol y'' − μ(1−y²)y' + y = 0 as a first-order system, analytic Jacobian. */
export function vanDerPol(mu: number): HintedOdeSystem {
  return {
    n: 2, autonomous: true,
    f: (_t, y, d) => { d[0] = y[1]; d[1] = mu * (1 - y[0] * y[0]) * y[1] - y[0]; },
    jac: (_t, y, J) => { J[0] = 0; J[1] = 1; J[2] = -2 * mu * y[0] * y[1] - 1; J[3] = mu * (1 - y[0] * y[0]); },
  };
}
export const VDP_Y0 = [2, 0] as const;
