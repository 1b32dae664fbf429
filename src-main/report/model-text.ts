/**
 * A model as readable text for the report: expressions with · and − (parsed, so what is printed is
 * what is simulated), reactions as "S + I → 2 I", the ODEs implied by the reactions'
 * stoichiometry (dX/dt = Σ (to[X] − from[X]) × rate, spec/model-format.md), priors and noise models
 * in words, and a prior's density over its central range for a sketch. Plain text out: callers
 * escape it.
 */
import type { BinaryOp, Expr } from '../model/expr/ast.ts';
import { tryParseExpr } from '../model/expr/parse.ts';
import type { Model, Noise, Prior, Reaction } from '../model/schema.ts';
import { priorLogDensity, priorMedian, priorQuantile } from '../simulate/priors.ts';
import { fmt } from './format.ts';

const MINUS = '\u2212';

const PREC: Record<BinaryOp, number> = {
  '||': 1, '&&': 2, '==': 3, '!=': 3, '<': 4, '<=': 4, '>': 4, '>=': 4, '+': 5, '-': 5, '*': 6, '/': 6, '^': 8,
};
const SHOW: Partial<Record<BinaryOp, string>> = {
  '*': '·', '/': '/', '-': ` ${MINUS} `, '<=': ' ≤ ', '>=': ' ≥ ', '!=': ' ≠ ', '==': ' = ', '&&': ' and ', '||': ' or ',
};
const SUPERSCRIPT: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

function precedence(e: Expr): number {
  if (e.kind === 'binary') return PREC[e.op];
  if (e.kind === 'unary' || (e.kind === 'num' && e.value < 0)) return 7;
  return 9;
}

function num(v: number): string {
  return String(v).replace(/^-/, MINUS);
}

/** An expression tree as text for reading (not for parsing back): a·b/c, x², a − b. */
export function prettyExpr(e: Expr): string {
  switch (e.kind) {
    case 'num': return num(e.value);
    case 'name': return e.name;
    case 'call': return `${e.fn}(${e.args.map(prettyExpr).join(', ')})`;
    case 'unary': {
      const a = prettyExpr(e.arg);
      const wrap = precedence(e.arg) < 7;
      return `${e.op === '-' ? MINUS : 'not '}${wrap ? `(${a})` : a}`;
    }
    case 'binary': {
      const p = PREC[e.op];
      if (e.op === '^') {
        const base = precedence(e.left) <= 8 ? `(${prettyExpr(e.left)})` : prettyExpr(e.left);
        // Small integer exponents as superscripts (x²); anything else stays explicit.
        if (e.right.kind === 'num' && Number.isInteger(e.right.value) && e.right.value >= 0 && e.right.value < 10) return base + SUPERSCRIPT[String(e.right.value)];
        const exp = prettyExpr(e.right);
        return `${base}^${precedence(e.right) < 9 ? `(${exp})` : exp}`;
      }
      const l = prettyExpr(e.left), rr = prettyExpr(e.right);
      const left = precedence(e.left) < p ? `(${l})` : l;
      const right = precedence(e.right) <= p && !(e.op === '+' || e.op === '*') ? `(${rr})` : precedence(e.right) < p ? `(${rr})` : rr;
      return `${left}${SHOW[e.op] ?? ` ${e.op} `}${right}`;
    }
  }
}

/** Expression text (or a number) for reading; unparsable text is shown as written. */
export function prettyText(text: string | number): string {
  if (typeof text === 'number') return fmt(text, 6);
  const parsed = tryParseExpr(text);
  return parsed.expr ? prettyExpr(parsed.expr) : text;
}

/** Is the top of this expression a sum or difference (so it needs parentheses when scaled or negated)? */
function isSum(text: string): boolean {
  const p = tryParseExpr(text);
  return p.expr?.kind === 'binary' && (p.expr.op === '+' || p.expr.op === '-');
}

/** Net change of each species by one firing of the reaction: to − from. */
export function netChange(reaction: Reaction): Map<string, number> {
  const d = new Map<string, number>();
  for (const [s, n] of Object.entries(reaction.from ?? {})) d.set(s, (d.get(s) ?? 0) - n);
  for (const [s, n] of Object.entries(reaction.to ?? {})) d.set(s, (d.get(s) ?? 0) + n);
  return d;
}

function side(stoich: Record<string, number> | undefined): string {
  const entries = Object.entries(stoich ?? {});
  if (entries.length === 0) return '∅';
  return entries.map(([s, n]) => (n === 1 ? s : `${fmt(n, 6)} ${s}`)).join(' + ');
}

/** "S + I → 2 I" (∅ for a source or sink). */
export function reactionScheme(reaction: Reaction): string {
  return `${side(reaction.from)} → ${side(reaction.to)}`;
}

/** One line per species (from reactions) and per direct ODE: "dS/dt = −beta·S·I/N". */
export function odeLines(model: Model): { id: string; text: string }[] {
  const out = model.species.map((s) => {
    const terms: { sign: number; text: string }[] = [];
    for (const r of model.reactions) {
      const d = netChange(r).get(s.id) ?? 0;
      if (d === 0) continue;
      const rate = prettyText(r.rate);
      const coeff = Math.abs(d);
      const wrapped = isSum(r.rate) && (coeff !== 1 || d < 0 || terms.length > 0) ? `(${rate})` : rate;
      terms.push({ sign: Math.sign(d), text: coeff === 1 ? wrapped : `${fmt(coeff, 6)}·${wrapped}` });
    }
    const rhs = terms.length === 0
      ? '0'
      : terms.map((t, i) => (i === 0 ? (t.sign < 0 ? MINUS : '') + t.text : `${t.sign < 0 ? ` ${MINUS} ` : ' + '}${t.text}`)).join('');
    return { id: s.id, text: `d${s.id}/dt = ${rhs}` };
  });
  for (const o of model.odes) out.push({ id: o.id, text: `d${o.id}/dt = ${prettyText(o.derivative)}` });
  return out;
}

/** A prior in words and symbols: "LogNormal(μ = 0.5, σ = 0.5)". */
export function priorText(prior: Prior): string {
  const n = (v: number): string => fmt(v, 6);
  switch (prior.dist) {
    case 'uniform': return `Uniform(${n(prior.low)}, ${n(prior.high)})`;
    case 'loguniform': return `LogUniform(${n(prior.low)}, ${n(prior.high)})`;
    case 'normal': {
      const trunc = prior.low !== undefined || prior.high !== undefined
        ? ` truncated to [${prior.low === undefined ? '−∞' : n(prior.low)}, ${prior.high === undefined ? '∞' : n(prior.high)}]`
        : '';
      return `Normal(μ = ${n(prior.mean)}, σ = ${n(prior.sd)})${trunc}`;
    }
    case 'lognormal': return `LogNormal(μ = ${n(prior.mu)}, σ = ${n(prior.sigma)})`;
    case 'gamma': return `Gamma(shape ${n(prior.shape)}, rate ${n(prior.rate)})`;
    case 'beta': return `Beta(${n(prior.a)}, ${n(prior.b)})`;
    case 'exponential': return `Exponential(rate ${n(prior.rate)})`;
    case 'halfnormal': return `HalfNormal(σ = ${n(prior.sd)})`;
  }
}

/** A noise model in words: "negative binomial, φ = 1/phi_inv". */
export function noiseText(noise: Noise | undefined): string {
  if (!noise) return 'exact (no observation noise)';
  switch (noise.dist) {
    case 'normal': return `normal, sd = ${prettyText(noise.sd)}`;
    case 'lognormal': return `log-normal, σ = ${prettyText(noise.sigma)}`;
    case 'poisson': return 'Poisson';
    case 'negbinomial': return `negative binomial, φ = ${prettyText(noise.dispersion)}`;
    case 'binomial': return `binomial, n = ${prettyText(noise.n)}`;
  }
}

/** The ends of the prior's support (±Infinity when unbounded), or null when the prior is invalid. */
export function priorBounds(prior: Prior): [number, number] | null {
  try {
    return [priorQuantile(prior, 0), priorQuantile(prior, 1)];
  } catch {
    return null;
  }
}

/** The prior's median and central 95% interval, or null when the prior is invalid. */
export function priorSummary(prior: Prior): { median: number; q025: number; q975: number } | null {
  try {
    return { median: priorMedian(prior), q025: priorQuantile(prior, 0.025), q975: priorQuantile(prior, 0.975) };
  } catch {
    return null;
  }
}

/**
 * The prior's density at n points over [lo, hi] (default: its central 99%), for sketches and
 * overlays. Empty when the prior is invalid, so a bad prior costs a missing curve, not the report.
 */
export function priorCurve(prior: Prior, n = 80, range?: [number, number]): { xs: number[]; ys: number[] } {
  try {
    const lo = range ? range[0] : priorQuantile(prior, 0.005);
    const hi = range ? range[1] : priorQuantile(prior, 0.995);
    if (!(hi > lo)) return { xs: [], ys: [] };
    const xs: number[] = [], ys: number[] = [];
    for (let i = 0; i < n; i++) {
      // Interior points only: densities such as Beta(0.5, 0.5) are infinite at the ends.
      const x = lo + ((i + 0.5) / n) * (hi - lo);
      const lp = priorLogDensity(prior, x);
      xs.push(x);
      // Outside the support: a gap, not a line along zero that drops vertically at the edge.
      ys.push(lp === -Infinity ? NaN : Number.isFinite(lp) ? Math.exp(lp) : NaN);
    }
    return { xs, ys };
  } catch {
    return { xs: [], ys: [] };
  }
}
