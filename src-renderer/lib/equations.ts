/**
 * The ODEs a model implies, as LaTeX: dX/dt = Σ (to − from) × rate over reactions, plus odes[].
 * Expressions are typeset from their syntax trees (src-main/model/expr), so what is shown is what
 * is simulated.
 */
import type { Expr } from '../../src-main/model/expr/ast.ts';
import { tryParseExpr } from '../../src-main/model/expr/parse.ts';
import type { Model } from '../../src-main/model/schema.ts';
import { netChange } from './model-graph.ts';

const GREEK = new Set(['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda', 'mu', 'nu', 'xi', 'pi', 'rho', 'sigma', 'tau', 'upsilon', 'phi', 'chi', 'psi', 'omega', 'Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Pi', 'Sigma', 'Phi', 'Psi', 'Omega']);

/** An identifier in LaTeX: Greek letters as symbols, `k_1` and `phi_inv` as subscripts. */
export function latexName(name: string): string {
  const [head, ...rest] = name.split('_');
  const h = GREEK.has(head) ? `\\${head}` : head.length > 1 ? `\\mathrm{${head}}` : head;
  if (rest.length === 0) return h;
  const sub = rest.join('\\_');
  return `${h}_{\\mathrm{${sub}}}`;
}

const PREC: Record<string, number> = { '||': 1, '&&': 2, '==': 3, '!=': 3, '<': 4, '<=': 4, '>': 4, '>=': 4, '+': 5, '-': 5, '*': 6, '/': 6, '^': 8 };
const OPS: Record<string, string> = { '*': ' \\, ', '<=': ' \\le ', '>=': ' \\ge ', '!=': ' \\ne ', '==': ' = ', '&&': ' \\land ', '||': ' \\lor ' };

/** An expression tree as LaTeX. */
export function exprToLatex(e: Expr, parentPrec = 0): string {
  switch (e.kind) {
    case 'num': return Number.isInteger(e.value) || Math.abs(e.value) >= 1e-3 ? String(e.value) : e.value.toExponential(2).replace(/e([+-]\d+)/, ' \\times 10^{$1}');
    case 'name': return e.name === 't' ? 't' : latexName(e.name);
    case 'unary': return e.op === '-' ? `-${exprToLatex(e.arg, 7)}` : `\\lnot ${exprToLatex(e.arg, 7)}`;
    case 'call': {
      const args = e.args.map((a) => exprToLatex(a));
      if (e.fn === 'sqrt') return `\\sqrt{${args[0]}}`;
      if (e.fn === 'abs') return `\\left|${args[0]}\\right|`;
      if (e.fn === 'exp') return `e^{${args[0]}}`;
      if (e.fn === 'pow') return `\\left(${args[0]}\\right)^{${args[1]}}`;
      if (e.fn === 'if') return `\\begin{cases} ${args[1]} & \\text{if } ${args[0]} \\\\ ${args[2]} & \\text{otherwise} \\end{cases}`;
      const fn = ['log', 'sin', 'cos', 'tan', 'min', 'max'].includes(e.fn) ? `\\${e.fn}` : `\\operatorname{${e.fn}}`;
      return `${fn}\\left(${args.join(', ')}\\right)`;
    }
    case 'binary': {
      const p = PREC[e.op];
      let s: string;
      if (e.op === '/') s = `\\frac{${exprToLatex(e.left)}}{${exprToLatex(e.right)}}`;
      else if (e.op === '^') s = `{${exprToLatex(e.left, 9)}}^{${exprToLatex(e.right)}}`;
      else s = `${exprToLatex(e.left, p)}${OPS[e.op] ?? ` ${e.op} `}${exprToLatex(e.right, p + (e.op === '-' ? 1 : 0))}`;
      return p < parentPrec && e.op !== '/' ? `\\left(${s}\\right)` : s;
    }
  }
}

function exprText(text: string | number): string {
  if (typeof text === 'number') return String(text);
  const parsed = tryParseExpr(text);
  return parsed.expr ? exprToLatex(parsed.expr) : `\\text{${text.replace(/[{}\\]/g, '')}}`;
}

export interface Equation {
  id: string;
  latex: string;
}

/** One equation per species (from reactions) and per ode, and one per rule and observable. */
export function modelEquations(model: Model): { odes: Equation[]; rules: Equation[]; observables: Equation[] } {
  const odes: Equation[] = model.species.map((s) => {
    const terms: string[] = [];
    for (const r of model.reactions) {
      const d = netChange(r).get(s.id) ?? 0;
      if (d === 0) continue;
      const parsed = tryParseExpr(r.rate);
      const sum = parsed.expr?.kind === 'binary' && (parsed.expr.op === '+' || parsed.expr.op === '-');
      const rate = sum ? `\\left(${exprText(r.rate)}\\right)` : exprText(r.rate);
      const coeff = Math.abs(d) === 1 ? '' : `${Math.abs(d)} \\, `;
      terms.push(`${d < 0 ? '-' : '+'} ${coeff}${rate}`);
    }
    const rhs = terms.length === 0 ? '0' : terms.join(' ').replace(/^\+ /, '');
    return { id: s.id, latex: `\\frac{d${latexName(s.id)}}{dt} = ${rhs}` };
  });
  for (const o of model.odes) odes.push({ id: o.id, latex: `\\frac{d${latexName(o.id)}}{dt} = ${exprText(o.derivative)}` });
  const rules = model.rules.map((r) => ({ id: r.id, latex: `${latexName(r.id)} = ${exprText(r.expr)}` }));
  const observables = model.observables.map((o) => {
    const noise = o.noise ? noiseLatex(o.noise) : '';
    return { id: o.id, latex: `${latexName(o.id)} ${noise ? '\\sim ' + noise.replace('#', exprText(o.expr)) : '= ' + exprText(o.expr)}` };
  });
  return { odes, rules, observables };
}

function noiseLatex(noise: NonNullable<Model['observables'][number]['noise']>): string {
  switch (noise.dist) {
    case 'poisson': return '\\operatorname{Poisson}\\left(#\\right)';
    case 'negbinomial': return `\\operatorname{NegBin}\\left(#,\\ ${exprText(noise.dispersion)}\\right)`;
    case 'normal': return `\\mathcal{N}\\left(#,\\ ${exprText(noise.sd)}^2\\right)`;
    case 'lognormal': return `\\operatorname{LogNormal}\\left(\\log #,\\ ${exprText(noise.sigma)}\\right)`;
    case 'binomial': return `\\operatorname{Binomial}\\left(${exprText(noise.n)},\\ #\\right)`;
  }
}
