import { describe, expect, it } from 'vitest';
import type { Expr } from '../../../src-main/model/expr/ast.ts';
import { evaluateExpr } from '../../../src-main/model/expr/evaluate.ts';
import { formatExpr } from '../../../src-main/model/expr/format.ts';
import { parseExpr } from '../../../src-main/model/expr/parse.ts';
import { SbmlError } from '../../../src-main/interop/sbml/errors.ts';
import { ref } from '../../../src-main/interop/sbml/expr-tools.ts';
import type { FunctionDef, MathContext } from '../../../src-main/interop/sbml/mathml-read.ts';
import { AVOGADRO, readFunctionDefinition, readMath } from '../../../src-main/interop/sbml/mathml-read.ts';
import { mathml } from '../../../src-main/interop/sbml/mathml-write.ts';
import { parseXml } from '../../../src-main/interop/sbml/xml.ts';

const NS = 'http://www.w3.org/1998/Math/MathML';
const TIME = '<csymbol encoding="text" definitionURL="http://www.sbml.org/sbml/symbols/time"> t </csymbol>';

function ctx(functions: Map<string, FunctionDef> = new Map()): MathContext {
  return { element: 'kineticLaw', elementId: 'r1', functions, resolve: (id) => ref(id) };
}
function read(body: string, functions?: Map<string, FunctionDef>): Expr {
  return readMath(parseXml(`<math xmlns="${NS}">${body}</math>`), ctx(functions));
}
function value(body: string, vars: Record<string, number> = {}): number {
  return evaluateExpr(read(body), (n) => {
    if (!(n in vars)) throw new Error(`no ${n}`);
    return vars[n];
  });
}
const x = '<ci> x </ci>';
const apply = (op: string, ...args: string[]): string => `<apply><${op}/>${args.join('')}</apply>`;

describe('MathML → expression', () => {
  it('reads every kind of <cn>', () => {
    expect(value('<cn type="integer"> 42 </cn>')).toBe(42);
    expect(value('<cn> 2.5e-3 </cn>')).toBe(0.0025);
    expect(value('<cn type="e-notation"> 1.5 <sep/> -7 </cn>')).toBe(1.5e-7);
    expect(value('<cn type="rational"> 1 <sep/> 4 </cn>')).toBe(0.25);
    expect(value('<cn> INF </cn>')).toBe(Infinity);
    expect(value('<infinity/>')).toBe(Infinity);
    expect(value('<notanumber/>')).toBeNaN();
  });

  it('maps time, avogadro and the constants', () => {
    expect(formatExpr(read(TIME))).toBe('t');
    expect(value('<csymbol encoding="text" definitionURL="http://www.sbml.org/sbml/symbols/avogadro"> avogadro </csymbol>')).toBe(AVOGADRO);
    expect(formatExpr(read(apply('plus', '<exponentiale/>', '<pi/>')))).toBe('e + pi');
  });

  it('keeps the order of operands and n-ary forms', () => {
    expect(formatExpr(read(apply('minus', '<ci> a </ci>', '<ci> b </ci>')))).toBe('a - b');
    expect(formatExpr(read(apply('minus', x)))).toBe('-x');
    expect(formatExpr(read(apply('plus', '<ci> a </ci>', '<ci> b </ci>', '<ci> c </ci>')))).toBe('a + b + c');
    expect(formatExpr(read(apply('times')))).toBe('1');
    expect(formatExpr(read(apply('divide', x, apply('power', x, '<cn> 2 </cn>'))))).toBe('x / x^2');
  });

  it('rewrites functions outside the whitelist by exact identities', () => {
    const v = 0.7;
    const close = (body: string, want: number): void => expect(value(body, { x: v })).toBeCloseTo(want, 12);
    close(apply('sinh', x), Math.sinh(v));
    close(apply('cosh', x), Math.cosh(v));
    close(apply('tanh', x), Math.tanh(v));
    close(apply('sech', x), 1 / Math.cosh(v));
    close(apply('csch', x), 1 / Math.sinh(v));
    close(apply('coth', x), 1 / Math.tanh(v));
    close(apply('sec', x), 1 / Math.cos(v));
    close(apply('csc', x), 1 / Math.sin(v));
    close(apply('cot', x), 1 / Math.tan(v));
    close(apply('arcsinh', x), Math.asinh(v));
    close(apply('arctanh', x), Math.atanh(v));
    expect(value(apply('arccosh', x), { x: 1.7 })).toBeCloseTo(Math.acosh(1.7), 12);
    close(`<apply><root/><degree><cn> 3 </cn></degree>${x}</apply>`, Math.cbrt(v));
    close(apply('root', x), Math.sqrt(v));
    close(`<apply><log/><logbase><cn> 2 </cn></logbase>${x}</apply>`, Math.log2(v));
    close(apply('log', x), Math.log10(v));
    close(apply('ln', x), Math.log(v));
    close(apply('ceiling', x), 1);
    expect(value(apply('rem', '<cn> -7 </cn>', '<cn> 3 </cn>'))).toBe(-1);
    expect(value(apply('quotient', '<cn> -7 </cn>', '<cn> 3 </cn>'))).toBe(-2);
    expect(value(apply('factorial', '<cn> 5 </cn>'))).toBe(120);
    expect(value(apply('max', '<cn> 1 </cn>', '<cn> 3 </cn>', '<cn> 2 </cn>'))).toBe(3);
    expect(value(apply('tanh', '<cn> 1000 </cn>'))).toBe(1);
  });

  it('reads logic, relations and piecewise', () => {
    const pw = `<piecewise><piece><cn> 1 </cn>${apply('lt', TIME, '<cn> 5 </cn>')}</piece><otherwise><cn> 2 </cn></otherwise></piecewise>`;
    expect(formatExpr(read(pw))).toBe('if(t < 5, 1, 2)');
    expect(value(apply('xor', '<true/>', '<true/>', '<true/>'))).toBe(1);
    expect(value(apply('xor', '<true/>', '<false/>', '<true/>'))).toBe(0);
    expect(value(apply('eq', '<cn> 1 </cn>', '<cn> 1 </cn>', '<cn> 2 </cn>'))).toBe(0);
    expect(value(apply('implies', '<false/>', '<false/>'))).toBe(1);
    expect(value(apply('not', '<false/>'))).toBe(1);
    // Without <otherwise> the value is undefined in SBML: NaN, never an invented number.
    expect(value(`<piecewise><piece><cn> 1 </cn><false/></piece></piecewise>`)).toBeNaN();
  });

  it('inlines function definitions by substituting arguments', () => {
    const fdXml = `<functionDefinition id="f"><math xmlns="${NS}"><lambda><bvar><ci> a </ci></bvar><bvar><ci> b </ci></bvar>${apply('minus', '<ci> a </ci>', '<ci> b </ci>')}</lambda></math></functionDefinition>`;
    const functions = new Map<string, FunctionDef>();
    const f = readFunctionDefinition(parseXml(fdXml), functions);
    functions.set(f.id, f);
    expect(formatExpr(read(`<apply><ci> f </ci><ci> y </ci>${apply('times', '<cn> 2 </cn>', x)}</apply>`, functions))).toBe('y - 2 * x');
    expect(() => read(`<apply><ci> f </ci><ci> y </ci></apply>`, functions)).toThrow(/function "f" takes 2 arguments, found 1/);
  });

  it('refuses what it cannot represent, naming the element', () => {
    expect(() => read(apply('arcsin', x))).toThrow(SbmlError);
    expect(() => read(apply('arcsin', x))).toThrow(/<kineticLaw> "r1".*arcsin/);
    expect(() => read(`<apply><csymbol encoding="text" definitionURL="http://www.sbml.org/sbml/symbols/delay"> delay </csymbol>${x}<cn> 1 </cn></apply>`)).toThrow(/delay/);
    expect(() => read(`<apply><csymbol encoding="text" definitionURL="http://www.sbml.org/sbml/symbols/rateOf"> rateOf </csymbol>${x}</apply>`)).toThrow(/rateOf/);
    expect(() => read(apply('factorial', x))).toThrow(/factorial/);
    expect(() => read(`<apply><ci> g </ci>${x}</apply>`)).toThrow(/"g" is applied as a function/);
  });
});

describe('expression → MathML → expression', () => {
  const cases = [
    'k1 * S * I / N', 'a - (b - c)', '-x^2', '(-x)^2', 'x^y^z', 'exp(-k * t) + log(x) + log10(y)', 'sqrt(x) + abs(y) + floor(z) + ceil(w)',
    'min(a, b, c) + max(a, b)', 'if(t >= 5 && x < 2 || !(y == 1), 1, 0)', 'sin(x) * cos(y) / tan(z)', 'e * pi', '2.5e-7 * x - 3',
    'if(x, 1, 2)', '(x > 1) * 3',
  ];
  for (const text of cases) {
    it(`keeps the value of ${text}`, () => {
      const e = parseExpr(text);
      const back = readMath(parseXml(mathml(e)), ctx());
      const vars: Record<string, number> = { k1: 0.3, S: 5, I: 2, N: 100, a: 1, b: 2, c: 4, x: 1.3, y: 0.7, z: 0.4, w: -1.5, k: 0.2, t: 6 };
      const look = (n: string): number => vars[n];
      expect(evaluateExpr(back, look)).toBe(evaluateExpr(e, look));
    });
  }

  it('round-trips the text of whitelisted forms exactly (pow reads back as ^)', () => {
    for (const text of ['k1 * S * I / N', 'exp(-k * t) + log(x) + log10(y)', 'min(a, b, c) + max(a, b)', 'if(t >= 5, x, y)']) {
      expect(formatExpr(readMath(parseXml(mathml(parseExpr(text))), ctx()))).toBe(text);
    }
    expect(formatExpr(readMath(parseXml(mathml(parseExpr('pow(x, 2)'))), ctx()))).toBe('x^2');
  });
});
