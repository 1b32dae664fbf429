/**
 * MathML (the subset SBML Level 2/3 core allows) → expression AST. Functions outside the model
 * language's whitelist are rewritten into it where an exact identity exists (sinh, sec, root,
 * log with a base, rem, ...); the rest is refused with an SbmlError naming the element.
 */
import type { Expr } from '../../model/expr/ast.ts';
import { SbmlError } from './errors.ts';
import { bin, call, chain, evaluate, isConstant, num, ref, substitute, un } from './expr-tools.ts';
import type { XmlElement } from './xml.ts';

/** Avogadro's number as SBML Level 3 defines the csymbol (L3V1 §3.4.6, L3V2 §3.4.6). */
export const AVOGADRO = 6.02214179e23;

const CSYMBOL_TIME = 'http://www.sbml.org/sbml/symbols/time';
const CSYMBOL_AVOGADRO = 'http://www.sbml.org/sbml/symbols/avogadro';
const CSYMBOL_DELAY = 'http://www.sbml.org/sbml/symbols/delay';
const CSYMBOL_RATE_OF = 'http://www.sbml.org/sbml/symbols/rateOf';

/** An inlined SBML function definition: its body refers to its arguments as `#0`, `#1`, ... */
export interface FunctionDef {
  id: string;
  arity: number;
  body: Expr;
}

/** Where the math sits (for messages) and how identifiers resolve. */
export interface MathContext {
  /** SBML element holding the math, e.g. `kineticLaw`, and its id or target. */
  element: string;
  elementId: string | undefined;
  /** Expression for an SBML id used in `<ci>`; throws SbmlError for unknown/unusable ids. */
  resolve(id: string): Expr;
  functions: ReadonlyMap<string, FunctionDef>;
}

function fail(ctx: MathContext, why: string): never {
  throw new SbmlError(ctx.element, ctx.elementId, why);
}

function text(el: XmlElement): string {
  return el.texts.join('').trim();
}

/** Convert the content of a `<math>` element. */
export function readMath(math: XmlElement, ctx: MathContext): Expr {
  const items = math.children.filter((c) => c.name !== 'annotation' && c.name !== 'annotation-xml');
  if (items.length !== 1) fail(ctx, `<math> must hold exactly one expression, found ${items.length}`);
  return readNode(items[0], ctx);
}

function parseNumberText(s: string, ctx: MathContext): number {
  const t = s.trim();
  if (/^[+-]?inf(inity)?$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return NaN;
  const v = Number(t);
  if (t === '' || Number.isNaN(v)) fail(ctx, `<cn> holds "${t}", which is not a number`);
  return v;
}

/** Literal number node; non-finite values become 1/0, -1/0, 0/0 so they can be printed. */
export function numberExpr(v: number): Expr {
  if (Number.isNaN(v)) return bin('/', num(0), num(0));
  if (v === Infinity) return bin('/', num(1), num(0));
  if (v === -Infinity) return un('-', bin('/', num(1), num(0)));
  return num(v);
}

function readCn(el: XmlElement, ctx: MathContext): Expr {
  const type = el.attrs.type ?? 'real';
  if (el.attrs.base !== undefined && el.attrs.base !== '10') fail(ctx, `<cn base="${el.attrs.base}"> is not supported (only base 10)`);
  if (type === 'e-notation' || type === 'rational') {
    const parts: string[] = [''];
    for (const c of el.content) {
      if (typeof c === 'string') parts[parts.length - 1] += c;
      else if (c.name === 'sep') parts.push('');
    }
    if (parts.length !== 2) fail(ctx, `<cn type="${type}"> needs two parts separated by <sep/>`);
    const a = parseNumberText(parts[0], ctx);
    const b = parseNumberText(parts[1], ctx);
    // e-notation: parse the decimal string so that 1<sep/>-7 gives exactly 1e-7.
    return numberExpr(type === 'e-notation' ? Number(`${parts[0].trim()}e${parts[1].trim()}`) || a * Math.pow(10, b) : a / b);
  }
  if (type !== 'real' && type !== 'integer' && type !== 'double') fail(ctx, `<cn type="${type}"> is not supported`);
  return numberExpr(parseNumberText(text(el), ctx));
}

function readNode(el: XmlElement, ctx: MathContext): Expr {
  switch (el.name) {
    case 'cn':
      return readCn(el, ctx);
    case 'ci':
      return ctx.resolve(text(el));
    case 'csymbol':
      return readCsymbol(el, ctx);
    case 'apply':
      return readApply(el, ctx);
    case 'piecewise':
      return readPiecewise(el, ctx);
    case 'semantics': {
      const first = el.children.find((c) => c.name !== 'annotation' && c.name !== 'annotation-xml');
      if (!first) fail(ctx, '<semantics> holds no expression');
      return readNode(first, ctx);
    }
    case 'exponentiale':
      return ref('e');
    case 'pi':
      return ref('pi');
    case 'true':
      return bin('==', num(1), num(1));
    case 'false':
      return bin('==', num(1), num(0));
    case 'infinity':
      return numberExpr(Infinity);
    case 'notanumber':
      return numberExpr(NaN);
    default:
      return fail(ctx, `the MathML element <${el.name}> is not supported here`);
  }
}

function readCsymbol(el: XmlElement, ctx: MathContext): Expr {
  const url = (el.attrs.definitionURL ?? '').trim();
  if (url === CSYMBOL_TIME) return ref('t');
  if (url === CSYMBOL_AVOGADRO) return num(AVOGADRO);
  if (url === CSYMBOL_DELAY) fail(ctx, 'the delay csymbol (delay differential equations) is not supported');
  if (url === CSYMBOL_RATE_OF) fail(ctx, 'the rateOf csymbol is not supported');
  return fail(ctx, `the csymbol "${url}" is not supported`);
}

function readPiecewise(el: XmlElement, ctx: MathContext): Expr {
  const pieces = el.children.filter((c) => c.name === 'piece');
  const otherwise = el.children.find((c) => c.name === 'otherwise');
  // Without <otherwise> SBML leaves the value undefined: NaN says so instead of inventing one.
  let acc: Expr = otherwise ? readOnlyChild(otherwise, ctx) : numberExpr(NaN);
  for (let i = pieces.length - 1; i >= 0; i--) {
    const parts = pieces[i].children;
    if (parts.length !== 2) fail(ctx, '<piece> must hold a value and a condition');
    acc = call('if', [readNode(parts[1], ctx), readNode(parts[0], ctx), acc]);
  }
  return acc;
}

function readOnlyChild(el: XmlElement, ctx: MathContext): Expr {
  if (el.children.length !== 1) fail(ctx, `<${el.name}> must hold exactly one expression`);
  return readNode(el.children[0], ctx);
}

function trunc(x: Expr): Expr {
  return call('if', [bin('<', x, num(0)), call('ceil', [x]), call('floor', [x])]);
}

function factorial(n: number, ctx: MathContext): number {
  if (!Number.isInteger(n) || n < 0 || n > 170) fail(ctx, `factorial of ${n} is not supported (needs an integer 0..170)`);
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

function pairwise(op: '==' | '<' | '<=' | '>' | '>=', args: Expr[], ctx: MathContext, tag: string): Expr {
  if (args.length < 2) fail(ctx, `<${tag}> needs at least two arguments`);
  const parts: Expr[] = [];
  for (let i = 0; i + 1 < args.length; i++) parts.push(bin(op, args[i], args[i + 1]));
  return chain('&&', parts, bin('==', num(1), num(1)));
}

function readApply(el: XmlElement, ctx: MathContext): Expr {
  const [head, ...rest] = el.children;
  if (!head) fail(ctx, '<apply> is empty');
  const qualifiers = new Map<string, XmlElement>();
  const operands: XmlElement[] = [];
  for (const c of rest) {
    if (c.name === 'degree' || c.name === 'logbase' || c.name === 'bvar') qualifiers.set(c.name, c);
    else operands.push(c);
  }
  if (head.name === 'ci') return applyFunction(text(head), operands.map((o) => readNode(o, ctx)), ctx);
  if (head.name === 'csymbol') {
    readCsymbol(head, ctx);
    fail(ctx, `<csymbol ${head.attrs.definitionURL}> cannot be applied`);
  }
  const args = operands.map((o) => readNode(o, ctx));
  const tag = head.name;
  const one = (): Expr => {
    if (args.length !== 1) fail(ctx, `<${tag}> takes one argument, found ${args.length}`);
    return args[0];
  };
  const two = (): [Expr, Expr] => {
    if (args.length !== 2) fail(ctx, `<${tag}> takes two arguments, found ${args.length}`);
    return [args[0], args[1]];
  };
  const expM = (x: Expr): Expr => call('exp', [un('-', x)]);
  switch (tag) {
    case 'plus':
      return chain('+', args, num(0));
    case 'times':
      return chain('*', args, num(1));
    case 'minus':
      if (args.length === 1) return un('-', args[0]);
      return bin('-', ...two());
    case 'divide':
      return bin('/', ...two());
    case 'power':
      return bin('^', ...two());
    case 'root': {
      const x = one();
      const degree = qualifiers.get('degree');
      if (!degree) return call('sqrt', [x]);
      const d = readOnlyChild(degree, ctx);
      if (d.kind === 'num' && d.value === 2) return call('sqrt', [x]);
      return bin('^', x, bin('/', num(1), d));
    }
    case 'abs':
      return call('abs', [one()]);
    case 'exp':
      return call('exp', [one()]);
    case 'ln':
      return call('log', [one()]);
    case 'log': {
      const x = one();
      const base = qualifiers.get('logbase');
      if (!base) return call('log10', [x]);
      const b = readOnlyChild(base, ctx);
      if (b.kind === 'num' && b.value === 10) return call('log10', [x]);
      return bin('/', call('log', [x]), call('log', [b]));
    }
    case 'floor':
      return call('floor', [one()]);
    case 'ceiling':
      return call('ceil', [one()]);
    case 'factorial': {
      const x = one();
      if (!isConstant(x)) fail(ctx, '<factorial> of a non-constant argument is not supported (only of numbers)');
      return num(factorial(evaluate(x, () => undefined), ctx));
    }
    case 'sin':
    case 'cos':
    case 'tan':
      return call(tag, [one()]);
    case 'sec':
      return bin('/', num(1), call('cos', [one()]));
    case 'csc':
      return bin('/', num(1), call('sin', [one()]));
    case 'cot': {
      const x = one();
      return bin('/', call('cos', [x]), call('sin', [x]));
    }
    case 'sinh': {
      const x = one();
      return bin('/', bin('-', call('exp', [x]), expM(x)), num(2));
    }
    case 'cosh': {
      const x = one();
      return bin('/', bin('+', call('exp', [x]), expM(x)), num(2));
    }
    case 'tanh': {
      // 1 − 2/(e^{2x}+1) stays finite where (e^x − e^−x)/(e^x + e^−x) overflows to NaN.
      const x = one();
      return bin('-', num(1), bin('/', num(2), bin('+', call('exp', [bin('*', num(2), x)]), num(1))));
    }
    case 'sech': {
      const x = one();
      return bin('/', num(2), bin('+', call('exp', [x]), expM(x)));
    }
    case 'csch': {
      const x = one();
      return bin('/', num(2), bin('-', call('exp', [x]), expM(x)));
    }
    case 'coth': {
      const x = one();
      return bin('/', bin('+', call('exp', [x]), expM(x)), bin('-', call('exp', [x]), expM(x)));
    }
    case 'arcsinh': {
      const x = one();
      return call('log', [bin('+', x, call('sqrt', [bin('+', bin('*', x, x), num(1))]))]);
    }
    case 'arccosh': {
      const x = one();
      return call('log', [bin('+', x, call('sqrt', [bin('-', bin('*', x, x), num(1))]))]);
    }
    case 'arctanh': {
      const x = one();
      return bin('*', num(0.5), call('log', [bin('/', bin('+', num(1), x), bin('-', num(1), x))]));
    }
    case 'arccoth': {
      const x = one();
      return bin('*', num(0.5), call('log', [bin('/', bin('+', x, num(1)), bin('-', x, num(1)))]));
    }
    case 'arcsech': {
      const x = one();
      return call('log', [bin('/', bin('+', num(1), call('sqrt', [bin('-', num(1), bin('*', x, x))])), x)]);
    }
    case 'arccsch': {
      const x = one();
      return call('log', [bin('+', bin('/', num(1), x), call('sqrt', [bin('+', bin('/', num(1), bin('*', x, x)), num(1))]))]);
    }
    case 'max':
    case 'min':
      if (args.length === 0) fail(ctx, `<${tag}> needs at least one argument`);
      return args.length === 1 ? args[0] : call(tag, args);
    case 'rem': {
      const [a, b] = two();
      return bin('-', a, bin('*', b, trunc(bin('/', a, b))));
    }
    case 'quotient': {
      const [a, b] = two();
      return trunc(bin('/', a, b));
    }
    case 'eq':
      return pairwise('==', args, ctx, tag);
    case 'neq':
      return bin('!=', ...two());
    case 'gt':
      return pairwise('>', args, ctx, tag);
    case 'lt':
      return pairwise('<', args, ctx, tag);
    case 'geq':
      return pairwise('>=', args, ctx, tag);
    case 'leq':
      return pairwise('<=', args, ctx, tag);
    case 'and':
      return chain('&&', args, bin('==', num(1), num(1)));
    case 'or':
      return chain('||', args, bin('==', num(1), num(0)));
    case 'xor': {
      // Parity: true when an odd number of arguments are true.
      if (args.length === 0) return bin('==', num(1), num(0));
      return args.slice(1).reduce((acc, b) => bin('||', bin('&&', acc, un('!', b)), bin('&&', un('!', acc), b)), args[0]);
    }
    case 'not':
      return un('!', one());
    case 'implies': {
      const [a, b] = two();
      return bin('||', un('!', a), b);
    }
    case 'arcsin':
    case 'arccos':
    case 'arctan':
    case 'arcsec':
    case 'arccsc':
    case 'arccot':
      return fail(ctx, `the MathML function <${tag}> is not supported: the model language has no inverse trigonometric functions`);
    default:
      return fail(ctx, `the MathML operator <${tag}> is not supported`);
  }
}

function applyFunction(id: string, args: Expr[], ctx: MathContext): Expr {
  const fd = ctx.functions.get(id);
  if (!fd) fail(ctx, `"${id}" is applied as a function but no functionDefinition with that id precedes it`);
  if (fd.arity !== args.length) fail(ctx, `function "${id}" takes ${fd.arity} arguments, found ${args.length}`);
  return substitute(fd.body, (name) => (name.startsWith('#') ? args[Number(name.slice(1))] : undefined));
}

/** Read a `<functionDefinition>`'s lambda; earlier definitions are inlined into its body. */
export function readFunctionDefinition(fd: XmlElement, functions: ReadonlyMap<string, FunctionDef>): FunctionDef {
  const id = fd.attrs.id;
  const math = fd.children.find((c) => c.name === 'math');
  const where = { element: 'functionDefinition', elementId: id };
  if (!math) throw new SbmlError(where.element, id, 'has no <math>');
  let lambda = math.children.find((c) => c.name !== 'annotation' && c.name !== 'annotation-xml');
  if (lambda?.name === 'semantics') lambda = lambda.children[0];
  if (!lambda || lambda.name !== 'lambda') throw new SbmlError(where.element, id, 'its <math> must hold a <lambda>');
  const bvars = lambda.children.filter((c) => c.name === 'bvar').map((b) => {
    const ci = b.children.find((c) => c.name === 'ci');
    if (!ci) throw new SbmlError(where.element, id, '<bvar> without <ci>');
    return text(ci);
  });
  const bodies = lambda.children.filter((c) => c.name !== 'bvar');
  if (bodies.length !== 1) throw new SbmlError(where.element, id, '<lambda> must have exactly one body expression');
  const ctx: MathContext = {
    ...where,
    functions,
    resolve(name) {
      const i = bvars.indexOf(name);
      if (i < 0) throw new SbmlError(where.element, id, `its body uses "${name}", which is not one of its arguments (${bvars.join(', ') || 'none'})`);
      return ref(`#${i}`);
    },
  };
  return { id, arity: bvars.length, body: readNode(bodies[0], ctx) };
}
