import { describe, expect, it } from 'vitest';
import { ExprSyntaxError, type Expr } from '../../../src-main/model/expr/ast.ts';
import { formatExpr } from '../../../src-main/model/expr/format.ts';
import { MAX_EXPR_LENGTH, parseExpr, tryParseExpr } from '../../../src-main/model/expr/parse.ts';

/** Fully parenthesised rendering, to check the tree shape independently of format.ts. */
function sexpr(e: Expr): string {
  switch (e.kind) {
    case 'num': return String(e.value);
    case 'name': return e.name;
    case 'unary': return `(${e.op} ${sexpr(e.arg)})`;
    case 'binary': return `(${e.op} ${sexpr(e.left)} ${sexpr(e.right)})`;
    case 'call': return `(${e.fn} ${e.args.map(sexpr).join(' ')})`;
  }
}

function errorOf(text: string): ExprSyntaxError {
  try {
    parseExpr(text);
  } catch (err) {
    if (err instanceof ExprSyntaxError) return err;
    throw err;
  }
  throw new Error(`expected a syntax error for ${JSON.stringify(text.slice(0, 50))}`);
}

describe('parseExpr: precedence and associativity', () => {
  const cases: [string, string][] = [
    ['1 + 2 * 3', '(+ 1 (* 2 3))'],
    ['(1 + 2) * 3', '(* (+ 1 2) 3)'],
    ['a - b - c', '(- (- a b) c)'],
    ['a / b / c', '(/ (/ a b) c)'],
    ['a / b * c', '(* (/ a b) c)'],
    ['2^3^2', '(^ 2 (^ 3 2))'],
    ['-2^2', '(- (^ 2 2))'],
    ['2^-1', '(^ 2 (- 1))'],
    ['2^-3^2', '(^ 2 (- (^ 3 2)))'],
    ['-a * b', '(* (- a) b)'],
    ['--x', '(- (- x))'],
    ['!a && b', '(&& (! a) b)'],
    ['a || b && c', '(|| a (&& b c))'],
    ['a && b || c', '(|| (&& a b) c)'],
    ['a < b == c > d', '(== (< a b) (> c d))'],
    ['a + 1 <= b * 2', '(<= (+ a 1) (* b 2))'],
    ['a != b', '(!= a b)'],
    ['a >= b', '(>= a b)'],
    ['!(a < b)', '(! (< a b))'],
    ['if(x > 0, x, -x)', '(if (> x 0) x (- x))'],
    ['min(a, b, c) + max(1, 2)', '(+ (min a b c) (max 1 2))'],
    ['pow(x, 2) * exp(-t)', '(* (pow x 2) (exp (- t)))'],
    ['log10(x) + sqrt(abs(x))', '(+ (log10 x) (sqrt (abs x)))'],
    ['pi * e', '(* pi e)'],
    ['a^b*c', '(* (^ a b) c)'],
  ];
  for (const [text, tree] of cases) {
    it(text, () => expect(sexpr(parseExpr(text))).toBe(tree));
  }
});

describe('parseExpr: numbers', () => {
  const cases: [string, number][] = [
    ['0', 0], ['42', 42], ['2.5e-3', 2.5e-3], ['.5', 0.5], ['5.', 5], ['1E3', 1000], ['1e+3', 1000],
    ['0.1', 0.1], ['1.7976931348623157e308', Number.MAX_VALUE], ['5e-324', 5e-324], ['007', 7],
  ];
  for (const [text, value] of cases) {
    it(text, () => expect(parseExpr(text)).toEqual({ kind: 'num', value, pos: 0 }));
  }
  it('rejects numbers that overflow', () => expect(errorOf('1e400').message).toBe('number 1e400 is too large'));
  it('rejects malformed numbers', () => {
    expect(errorOf('1e').message).toMatch(/exponent needs digits/);
    expect(errorOf('2x').message).toBe('malformed number "2x" (write "*" for a product)');
    expect(errorOf('1.2.3').message).toMatch(/malformed number "1.2.3"/);
  });
});

describe('parseExpr: positions', () => {
  it('records the first character of each node', () => {
    const e = parseExpr('  beta * S + exp(-t)');
    expect(e).toMatchObject({ kind: 'binary', op: '+', pos: 2 });
    if (e.kind !== 'binary') throw new Error('shape');
    expect(e.left).toMatchObject({ kind: 'binary', op: '*', pos: 2, left: { name: 'beta', pos: 2 }, right: { name: 'S', pos: 9 } });
    expect(e.right).toMatchObject({ kind: 'call', fn: 'exp', pos: 13, args: [{ kind: 'unary', pos: 17, arg: { name: 't', pos: 18 } }] });
  });
  it('reports errors at the offending character (0-based)', () => {
    expect(errorOf('a + b.c').pos).toBe(5);
    expect(errorOf('a + ').pos).toBe(4);
    expect(errorOf('(a + b').pos).toBe(6);
    expect(errorOf('a b').pos).toBe(2);
  });
});

describe('parseExpr: rejects hostile or wrong input with clear messages', () => {
  const cases: [string, string | RegExp, number][] = [
    ['"abc"', 'strings are not allowed in expressions (found ")', 0],
    ["'abc'", "strings are not allowed in expressions (found ')", 0],
    ['`${process.exit()}`', 'strings are not allowed in expressions (found `)', 0],
    ['a.b', '"." is not allowed: there is no member access in expressions', 1],
    ['this.constructor', '"." is not allowed: there is no member access in expressions', 4],
    ['a[0]', '"[" is not allowed: there is no indexing in expressions', 1],
    ['a = 1', 'assignment "=" is not allowed in expressions (use "==" to compare)', 2],
    ['a; b', '";" is not allowed: an expression is a single formula', 1],
    ['{}', '"{" is not allowed in expressions', 0],
    ['a ** 2', '"**" is not an operator (use "^" for powers)', 2],
    ['a & b', '"&" is not an operator (use "&&" for "and")', 2],
    ['a | b', '"|" is not an operator (use "||" for "or")', 2],
    ['a % b', '"%" is not an operator (use floor for remainders)', 2],
    ['a # b', 'unexpected character "#"', 2],
    ['a \u0000 b', 'unexpected character U+0000', 2],
    ['x \u00e9', 'unexpected character "\u00e9"', 2],
    ['a\u00a0+ b', 'unexpected character U+00A0', 1],
    ['+a', 'unary "+" is not allowed (remove it)', 0],
    ['', 'expression is empty', 0],
    ['   ', 'expression is empty', 0],
    ['a +', 'expression ends too early: a number, a name or "(" is missing', 3],
    ['(a', 'expected ")" to close the "(" at character 1 but found the end of the expression', 2],
    ['a)', 'unmatched ")"', 1],
    ['a b', 'unexpected name "b" (is an operator missing?)', 2],
    ['a (b)', '"a" is not a function (the functions are exp, log, log10, sqrt, abs, sin, cos, tan, floor, ceil, min, max, pow, if)', 0],
    ['beta(2)', /^"beta" is not a function/, 0],
    ['sqr(x)', '"sqr" is not a function (did you mean "sqrt"?)', 0],
    ['constructor(1)', /^"constructor" is not a function/, 0],
    ['__proto__(1)', /^"__proto__" is not a function/, 0],
    ['toString()', /^"toString" is not a function/, 0],
    ['exp', '"exp" is a function: call it with arguments, e.g. exp(x)', 0],
    ['exp(1, 2)', 'exp takes 1 argument, not 2', 0],
    ['x + pow(1)', 'pow takes 2 arguments, not 1', 4],
    ['if(a, b)', 'if takes 3 arguments, not 2', 0],
    ['min(a)', 'min takes at least 2 arguments, not 1', 0],
    ['max()', 'max takes at least 2 arguments, not 0', 0],
    ['exp(1 2)', 'expected "," or ")" in the call of exp but found number 2', 6],
    ['exp(1,)', 'expected a number, a name or "(" but found ")"', 6],
    ['* 2', 'expected a number, a name or "(" but found "*"', 0],
    ['a < < b', 'expected a number, a name or "(" but found "<"', 4],
  ];
  for (const [text, message, pos] of cases) {
    it(JSON.stringify(text), () => {
      const err = errorOf(text);
      if (typeof message === 'string') expect(err.message).toBe(message);
      else expect(err.message).toMatch(message);
      expect(err.pos).toBe(pos);
      expect(err.name).toBe('ExprSyntaxError');
    });
  }

  it('limits the length (100 kB)', () => {
    const err = errorOf('x+'.repeat(50_000) + 'x');
    expect(err.message).toBe(`expression is too long (100001 characters; the limit is ${MAX_EXPR_LENGTH})`);
  });
  it('accepts text up to the length limit', () => {
    expect(() => parseExpr(' '.repeat(MAX_EXPR_LENGTH - 1) + 'x')).not.toThrow();
  });
  it('10 000-deep parentheses: an error, not a stack overflow', () => {
    const err = errorOf('('.repeat(10_000) + 'x' + ')'.repeat(9_999));
    expect(err.message).toBe('expression is nested too deeply (more than 200 levels of parentheses, calls or unary operators)');
    expect(err.pos).toBe(200);
  });
  it('10 000 unary minuses and nots', () => {
    expect(errorOf('-'.repeat(10_000) + 'x').message).toMatch(/^expression is nested too deeply/);
    expect(errorOf('!'.repeat(10_000) + 'x').message).toMatch(/^expression is nested too deeply/);
    expect(errorOf('- '.repeat(9_000) + 'x').message).toMatch(/^expression is nested too deeply/);
  });
  it('deeply nested calls and powers', () => {
    expect(errorOf('exp('.repeat(3_000) + 'x' + ')'.repeat(3_000)).message).toMatch(/^expression is nested too deeply/);
    expect(errorOf('x^'.repeat(5_000) + 'x').message).toMatch(/^expression is nested too deeply/);
  });
  it('long operator chains are bounded by tree depth', () => {
    expect(errorOf('x+'.repeat(9_000) + 'x').message).toMatch(/^expression is nested too deeply \(more than 1000 levels of operators\)/);
    // 200 levels of nesting are fine, and a 900-term sum.
    expect(() => parseExpr('('.repeat(200) + 'x' + ')'.repeat(200))).not.toThrow();
    expect(() => parseExpr('-'.repeat(199) + 'x')).not.toThrow();
    expect(() => parseExpr('x+'.repeat(900) + 'x')).not.toThrow();
  });
  it('nesting depth is not confused by siblings', () => {
    // 500 siblings, each 150 deep: depth is the deepest path, not the sum.
    const deep = '('.repeat(150) + 'x' + ')'.repeat(150);
    expect(() => parseExpr(Array.from({ length: 50 }, () => deep).join('*'))).not.toThrow();
    expect(() => parseExpr(`max(${Array.from({ length: 500 }, () => '(((x)))').join(', ')})`)).not.toThrow();
  });
});

describe('tryParseExpr', () => {
  it('returns the tree or the error', () => {
    expect(tryParseExpr('a + 1').expr).not.toBeNull();
    const r = tryParseExpr('a +');
    expect(r.expr).toBeNull();
    expect(r.error?.pos).toBe(3);
  });
});

describe('formatExpr', () => {
  const cases: [string, string][] = [
    ['a+b*c', 'a + b * c'],
    ['(a+b)*c', '(a + b) * c'],
    ['a-(b-c)', 'a - (b - c)'],
    ['(a-b)-c', 'a - b - c'],
    ['a/(b*c)', 'a / (b * c)'],
    ['(a^b)^c', '(a^b)^c'],
    ['a^(b^c)', 'a^b^c'],
    ['(-a)^2', '(-a)^2'],
    ['-(a^2)', '-a^2'],
    ['2^(-1)', '2^-1'],
    ['-(a+b)', '-(a + b)'],
    ['!(a&&b)', '!(a && b)'],
    ['(a||b)&&c', '(a || b) && c'],
    ['(a<b)<c', 'a < b < c'],
    ['a<(b<c)', 'a < (b < c)'],
    ['if(a<b,-1,x^2)', 'if(a < b, -1, x^2)'],
    ['2.5e-3', '0.0025'],
    ['1e21', '1e+21'],
  ];
  for (const [text, out] of cases) it(text, () => expect(formatExpr(parseExpr(text))).toBe(out));
});
