import { describe, expect, it } from 'vitest';
import type { Expr } from '../../../src-main/model/expr/ast.ts';
import { compileExpr } from '../../../src-main/model/expr/codegen.ts';
import { derive, simplify, substitute } from '../../../src-main/model/expr/derive.ts';
import { exprEquals } from '../../../src-main/model/expr/equal.ts';
import { evaluateExpr } from '../../../src-main/model/expr/evaluate.ts';
import { formatExpr } from '../../../src-main/model/expr/format.ts';
import { parseExpr } from '../../../src-main/model/expr/parse.ts';

const d = (text: string, name = 'x'): string => formatExpr(derive(parseExpr(text), name));
const s = (text: string): string => formatExpr(simplify(parseExpr(text)));

describe('derive', () => {
  const cases: [string, string][] = [
    ['3', '0'], ['x', '1'], ['y', '0'], ['t', '0'], ['pi * x', 'pi'],
    ['x + y', '1'], ['x - y', '1'], ['y - x', '-1'], ['-x', '-1'],
    ['2 * x', '2'], ['x * y', 'y'], ['x * x', 'x + x'],
    ['x / y', '1 / y'], ['y / x', '-(y / x^2)'], ['1 / (x + 1)', '-1 / (x + 1)^2'],
    ['x^2', '2 * x'], ['x^3', '3 * x^2'], ['x^y', 'y * x^(y - 1)'], ['x^-1', '-x^-2'],
    ['pow(x, 2)', '2 * x'],
    ['2^x', `${Math.LN2} * 2^x`],
    ['x^x', 'x^x * (log(x) + x / x)'],
    ['exp(2 * x)', '2 * exp(2 * x)'], ['log(x)', '1 / x'], ['log10(x)', `1 / (${Math.LN10} * x)`],
    ['sqrt(x)', '1 / (2 * sqrt(x))'], ['sin(x)', 'cos(x)'], ['cos(x)', '-sin(x)'], ['tan(x)', '1 / cos(x)^2'],
    ['abs(x)', 'if(x < 0, -1, 1)'], ['abs(y)', '0'],
    ['floor(x)', '0'], ['ceil(x)', '0'], ['x < y', '0'], ['x && y', '0'], ['!x', '0'],
    ['min(x, y)', 'if(x <= y, 1, 0)'], ['max(x, 2 * x)', 'if(x >= 2 * x, 1, 2)'],
    ['min(x, y, 3)', 'if(x <= min(y, 3), 1, 0)'],
    ['max(y, 3)', '0'],
    ['if(x > 0, x^2, -x)', 'if(x > 0, 2 * x, -1)'],
    ['if(y > 0, x, x)', '1'],
  ];
  for (const [text, want] of cases) it(`d/dx ${text}`, () => expect(d(text)).toBe(want));

  it('keeps positions from the source nodes', () => {
    const e = derive(parseExpr('y + sin(x)'), 'x');
    expect(e).toMatchObject({ kind: 'call', fn: 'cos', pos: 4 });
  });
});

describe('simplify', () => {
  const cases: [string, string][] = [
    ['x * 0', '0'], ['0 * x', '0'], ['x * 1', 'x'], ['1 * x', 'x'], ['x + 0', 'x'], ['0 + x', 'x'],
    ['x - 0', 'x'], ['0 - x', '-x'], ['0 / x', '0'], ['x / 1', 'x'], ['x^1', 'x'], ['x^0', '1'],
    ['--x', 'x'], ['---x', '-x'], ['-(-(x + y))', 'x + y'],
    ['2 * 3 + 1', '7'], ['2^10', '1024'], ['1 / 0', '1 / 0'], ['0 / 0', '0 / 0'], ['log(0)', 'log(0)'],
    ['x - -y', 'x + y'], ['x + -y', 'x - y'], ['x - x', '0'], ['x * -1', '-x'], ['x * 2 * 3', '6 * x'],
    ['if(1, x, y)', 'x'], ['if(0, x, y)', 'y'], ['if(z, x, x)', 'x'],
    ['3 < 2', '0'], ['!0', '1'], ['min(3, 1, 2)', '1'], ['exp(0)', '1'], ['pi * 2', '2 * pi'],
  ];
  for (const [text, want] of cases) it(text, () => expect(s(text)).toBe(want));

  it('never produces NaN or Infinity literals', () => {
    for (const text of ['1 / 0', '0 / 0', 'log(0)', 'sqrt(-1)', '10^400', '-1 / 0']) {
      const e = simplify(parseExpr(text));
      expect(evaluateExpr(e, () => 0)).toBe(evaluateExpr(parseExpr(text), () => 0));
    }
  });
});

describe('substitute', () => {
  it('replaces names once (not recursively) and shares untouched subtrees', () => {
    const e = parseExpr('a * b + c');
    const r = substitute(e, new Map<string, Expr>([['a', parseExpr('b + 1')], ['b', parseExpr('a')]]));
    expect(formatExpr(r)).toBe('(b + 1) * a + c');
    expect(substitute(e, new Map())).toBe(e);
  });
  it('matches evaluation with the values substituted', () => {
    const e = parseExpr('R0 * gamma * S');
    const inlined = substitute(e, new Map([['R0', parseExpr('beta / gamma')]]));
    const f = compileExpr(inlined, ['beta', 'gamma', 'S']);
    expect(f([2, 0.5, 10])).toBeCloseTo(20, 12);
  });
  it('ignores prototype names in the map', () => {
    const e = parseExpr('constructor + toString');
    expect(exprEquals(substitute(e, new Map()), e)).toBe(true);
  });
});
