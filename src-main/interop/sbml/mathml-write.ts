/**
 * Expression AST → MathML for SBML Level 3 Version 2. MathML separates truth values from
 * numbers while the model language does not (truth is "not 0"), so a number used as a condition
 * becomes `number ≠ 0` and a condition used as a number becomes piecewise(1, c, 0).
 */
import type { Expr } from '../../model/expr/ast.ts';
import { isBoolean } from './expr-tools.ts';
import { escapeXml } from './xml.ts';

export const MATHML_NS = 'http://www.w3.org/1998/Math/MathML';
const TIME_URL = 'http://www.sbml.org/sbml/symbols/time';

const FN_TAG: Record<string, string> = {
  exp: 'exp', log: 'ln', log10: 'log', sqrt: 'root', abs: 'abs', sin: 'sin', cos: 'cos', tan: 'tan',
  floor: 'floor', ceil: 'ceiling', min: 'min', max: 'max', pow: 'power',
};
const OP_TAG: Record<string, string> = {
  '+': 'plus', '-': 'minus', '*': 'times', '/': 'divide', '^': 'power',
  '<': 'lt', '<=': 'leq', '>': 'gt', '>=': 'geq', '==': 'eq', '!=': 'neq', '&&': 'and', '||': 'or',
};

/** `<cn>` for a finite number: integers typed as such, others in e-notation when String() uses an exponent. */
export function cn(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 2 ** 53 && !String(v).includes('e')) return `<cn type="integer"> ${v} </cn>`;
  const s = String(v);
  const m = /^(-?[\d.]+)e([+-]?\d+)$/.exec(s);
  if (m) return `<cn type="e-notation"> ${m[1]} <sep/> ${Number(m[2])} </cn>`;
  return `<cn> ${s} </cn>`;
}

function numeric(e: Expr): string {
  if (isBoolean(e)) return `<piecewise><piece>${cn(1)}${node(e)}</piece><otherwise>${cn(0)}</otherwise></piecewise>`;
  return node(e);
}

function truth(e: Expr): string {
  if (isBoolean(e)) return node(e);
  return `<apply><neq/>${node(e)}${cn(0)}</apply>`;
}

function node(e: Expr): string {
  switch (e.kind) {
    case 'num':
      if (Number.isNaN(e.value)) return '<notanumber/>';
      if (e.value === Infinity) return '<infinity/>';
      if (e.value === -Infinity) return '<apply><minus/><infinity/></apply>';
      return cn(e.value);
    case 'name':
      if (e.name === 't') return `<csymbol encoding="text" definitionURL="${TIME_URL}"> time </csymbol>`;
      if (e.name === 'e') return '<exponentiale/>';
      if (e.name === 'pi') return '<pi/>';
      return `<ci> ${escapeXml(e.name)} </ci>`;
    case 'unary':
      return e.op === '-' ? `<apply><minus/>${numeric(e.arg)}</apply>` : `<apply><not/>${truth(e.arg)}</apply>`;
    case 'binary': {
      const tag = OP_TAG[e.op];
      const logic = e.op === '&&' || e.op === '||';
      const arg = logic ? truth : numeric;
      return `<apply><${tag}/>${arg(e.left)}${arg(e.right)}</apply>`;
    }
    case 'call':
      if (e.fn === 'if') {
        return `<piecewise><piece>${numeric(e.args[1])}${truth(e.args[0])}</piece><otherwise>${numeric(e.args[2])}</otherwise></piecewise>`;
      }
      return `<apply><${FN_TAG[e.fn]}/>${e.args.map(numeric).join('')}</apply>`;
  }
}

/** A `<math>` element holding a numeric expression (or a truth value when `asTruth`). */
export function mathml(e: Expr, asTruth = false): string {
  return `<math xmlns="${MATHML_NS}">${asTruth ? truth(e) : numeric(e)}</math>`;
}
