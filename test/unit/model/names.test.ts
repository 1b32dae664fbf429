import { describe, expect, it } from 'vitest';
import { checkNames, closestName, damerauLevenshtein, freeNames, usesName } from '../../../src-main/model/expr/names.ts';
import { parseExpr } from '../../../src-main/model/expr/parse.ts';

describe('damerauLevenshtein', () => {
  const cases: [string, string, number][] = [
    ['', '', 0], ['abc', '', 3], ['', 'ab', 2], ['beta', 'beta', 0], ['bta', 'beta', 1], ['gamam', 'gamma', 1],
    ['ab', 'ba', 1], ['kitten', 'sitting', 3], ['ca', 'abc', 3], ['S', 's', 1],
  ];
  for (const [a, b, d] of cases) it(`${a} / ${b}`, () => expect(damerauLevenshtein(a, b)).toBe(d));
});

describe('closestName', () => {
  const known = ['beta', 'gamma', 'S', 'I', 'R', 'N', 'phi_inv', 'Infected'];
  it('suggests a close name', () => {
    expect(closestName('bta', known)).toBe('beta');
    expect(closestName('gama', known)).toBe('gamma');
    expect(closestName('gamam', known)).toBe('gamma');
    expect(closestName('phiinv', known)).toBe('phi_inv');
  });
  it('prefers a match that differs only in case', () => {
    expect(closestName('s', known)).toBe('S');
    expect(closestName('BETA', known)).toBe('beta');
    expect(closestName('infected', ['Infectes', 'Infected'])).toBe('Infected');
  });
  it('says nothing when nothing is close', () => {
    expect(closestName('x', known)).toBeNull();
    expect(closestName('alpha', known)).toBeNull();
    expect(closestName('constructor', known)).toBeNull();
  });
  it('ignores the name itself and ties go to the first candidate', () => {
    expect(closestName('beta', ['beta'])).toBeNull();
    expect(closestName('ab', ['ac', 'ad'])).toBe('ac');
  });
});

describe('freeNames / usesName', () => {
  it('lists names in order of first use, without pi and e', () => {
    expect([...freeNames(parseExpr('b * a + exp(-t) * pi + b + e + if(c, d, a)'))]).toEqual(['b', 'a', 't', 'c', 'd']);
  });
  it('usesName', () => {
    expect(usesName(parseExpr('2 * t'), 't')).toBe(true);
    expect(usesName(parseExpr('2 * tt'), 't')).toBe(false);
  });
});

describe('checkNames', () => {
  const known = new Set(['beta', 'gamma', 'S', 'I', 't']);
  it('accepts known names and constants', () => {
    expect(checkNames(parseExpr('beta * S * I + gamma * t + pi + e'), known)).toEqual([]);
  });
  it('reports every unknown name with its position and suggestion', () => {
    expect(checkNames(parseExpr('bta * S + gama * J'), known)).toEqual([
      { message: 'unknown name "bta"', pos: 0, name: 'bta', suggestion: 'beta' },
      { message: 'unknown name "gama"', pos: 10, name: 'gama', suggestion: 'gamma' },
      { message: 'unknown name "J"', pos: 17, name: 'J' },
    ]);
  });
  it('treats object-prototype and global names as plain unknown names', () => {
    const hostile = ['constructor', '__proto__', 'process', 'globalThis', 'this', 'toString', 'hasOwnProperty', 'valueOf', 'window', 'require', 'Function', 'eval'];
    const problems = checkNames(parseExpr(hostile.join(' + ')), known);
    expect(problems.map((p) => p.name)).toEqual(hostile);
    for (const p of problems) expect(p.message).toBe(`unknown name "${p.name}"`);
  });
  it('says "t" for "time"', () => {
    expect(checkNames(parseExpr('time'), known)[0]).toMatchObject({ suggestion: 't' });
    expect(checkNames(parseExpr('time'), new Set(['beta']))[0].suggestion).toBeUndefined();
  });
  it('gives the reason for names that exist but are not allowed here', () => {
    const notAllowed = new Map([['cases', 'is an observable: observables cannot be used in expressions']]);
    expect(checkNames(parseExpr('2 * cases'), known, { notAllowed })).toEqual([
      { message: '"cases" is an observable: observables cannot be used in expressions', pos: 4, name: 'cases' },
    ]);
  });
});
