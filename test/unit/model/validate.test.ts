import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError } from '../../../src-main/model/json-errors.ts';
import { formatProblem, type ModelProblem } from '../../../src-main/model/problems.ts';
import { findRuleCycles, parseModelJson, topologicalOrder, validateModel } from '../../../src-main/model/validate.ts';
import { SIR } from './fixtures.ts';


function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function problemsOf(input: unknown): ModelProblem[] {
  const r = validateModel(input);
  expect(r.model).toBeNull();
  return r.problems;
}

describe('validateModel', () => {
  it('accepts the spec example and fills in defaults', () => {
    const r = validateModel(SIR);
    expect(r.problems).toEqual([]);
    expect(r.model?.name).toBe('SIR');
    const minimal = validateModel({ format: 'sgnn-model/1', name: 'empty' });
    expect(minimal.problems).toEqual([]);
    expect(minimal.model).toMatchObject({ parameters: [], species: [], rules: [], odes: [], reactions: [], observables: [] });
  });

  it('reports every problem of a broken model at once, with paths, positions and suggestions', () => {
    const bad = {
      format: 'sgnn-model/2',
      name: 'broken',
      parameters: [
        { id: 'beta', prior: { dist: 'uniform', low: 2, high: 1 } },
        { id: 'k' },
        { id: 't', value: 1 },
        { id: 'g', prior: { dist: 'normal', mean: 0, sd: -1, sdd: 1 } },
        { id: 'h', prior: { dist: 'gama', shape: 1 } },
        { id: 'm', prior: { dist: 'normal', mean: 0, sd: 1, low: 3, high: 2 } },
      ],
      species: [{ id: 'S', initial: 'bta * 2' }, { id: 'S', initial: -1 }, { id: 'I', initial: 'S' }, { id: 'J' }],
      rules: [{ id: 'a', expr: 'b + 1' }, { id: 'b', expr: 'a * 2' }, { id: 'c', expr: 'c' }],
      reactions: [
        { id: 'r1', from: { X: 1, k: 1 }, to: { Ii: 1 }, rate: 'beta * S +' },
        { id: 'r2', rate: 'cases * constructor + __proto__ + time' },
        { id: 'r3', rate: 'sin(x.y)' },
      ],
      observables: [{ id: 'cases', expr: 'S', noise: { dist: 'binomial', n: 2.5 } }, { id: 'o2', expr: 'S', noise: { dist: 'normal', sd: 0 } }],
      events: [{ at: 'S + t', assign: { a: 1, beta: 'S', zz: 2 }, count: 3 }, { id: 'r1', at: 1, every: -1, assign: { S: 0 } }],
      extra: 1,
    };
    const lines = problemsOf(bad).map(formatProblem);
    expect(lines).toEqual([
      'format: must be "sgnn-model/1"',
      'parameters[0].prior.high: must be greater than low (2)',
      'parameters[1]: needs a "value" (fixed) or a "prior" (unknown, to be inferred)',
      'parameters[2].id: "t" is a reserved name (t, time, the functions and the constants pi and e); choose another id',
      'parameters[3].prior.sd: must be > 0',
      'parameters[3].prior.sdd: unknown field "sdd" (allowed: dist, mean, sd, low, high) (did you mean "sd"?)',
      'parameters[4].prior.dist: must be one of "uniform", "loguniform", "normal", "lognormal", "gamma", "beta", "exponential", "halfnormal" (found text "gama") (did you mean "gamma"?)',
      'parameters[5].prior.high: must be greater than low (3)',
      'species[0].initial, at character 1: unknown name "bta" (did you mean "beta"?)',
      'species[1].id: duplicate id "S": already the id of a species (species[0])',
      'species[1].initial: must be ≥ 0 (found -1)',
      'species[2].initial, at character 1: "S" is a species: initial values may use only parameters and t',
      'species[3].initial: is required (a number or an expression)',
      'rules[0].expr: rules form a cycle: a → b → a',
      'rules[2].expr: rules form a cycle: c → c',
      'reactions[0].from.X: unknown species "X": reactions change only species',
      'reactions[0].from.k: "k" is a parameter: reactions change only species',
      'reactions[0].to.Ii: unknown species "Ii": reactions change only species (did you mean "I"?)',
      'reactions[0].rate, at character 11: expression ends too early: a number, a name or "(" is missing',
      'reactions[1].rate, at character 1: "cases" is an observable: observables cannot be used in expressions',
      'reactions[1].rate, at character 9: unknown name "constructor"',
      'reactions[1].rate, at character 23: unknown name "__proto__"',
      'reactions[1].rate, at character 35: unknown name "time" (did you mean "t"?)',
      'reactions[2].rate, at character 6: "." is not allowed: there is no member access in expressions',
      'observables[0].noise.n: the number of trials must be a positive integer (found 2.5)',
      'observables[1].noise.sd: sd must be > 0 (found 0)',
      'events[0].at, at character 1: "S" is a species: event times may use only parameters',
      'events[0].at, at character 5: "t" cannot be used here: event times may use only parameters',
      'events[0].count: needs "every" (the interval between occurrences) to repeat the event',
      'events[0].assign.a: "a" is a rule: events can assign only species, odes or parameters',
      'events[0].assign.zz: unknown target "zz": events can assign only species, odes or parameters',
      'events[1].id: duplicate id "r1": already the id of a reaction (reactions[0])',
      'events[1].every: the interval must be > 0 (found -1)',
      'extra: unknown field "extra" (allowed: format, name, description, source, timeUnits, parameters, species, rules, odes, reactions, observables, events, layout)',
    ]);
  });

  it('gives structured problems: path, message, 0-based pos, suggestion', () => {
    const m = clone(SIR);
    m.reactions[0].rate = 'bta * S * I / N';
    expect(problemsOf(m)).toEqual([{ path: 'reactions[0].rate', message: 'unknown name "bta"', pos: 0, suggestion: 'beta' }]);
  });

  it('checks which names each kind of expression may use', () => {
    const m = {
      format: 'sgnn-model/1', name: 'contexts',
      parameters: [{ id: 'k', value: 1 }],
      species: [{ id: 'X', initial: 'k * t' }],
      rules: [{ id: 'r', expr: 'k * X + V + t' }, { id: 'r2', expr: 'r * 2' }],
      odes: [{ id: 'V', initial: 'k', derivative: 'r2 - V + X + t' }],
      reactions: [{ id: 'deg', from: { X: 1 }, rate: 'k * X * r + V + t' }],
      observables: [{ id: 'obs', expr: 'X + V + r + t', noise: { dist: 'normal', sd: 'k * r + t' } }],
      events: [{ at: 'k', every: '2 * k', assign: { X: 'X + r + V + t', k: 'k * 2', V: 0 } }],
    };
    expect(validateModel(m).problems).toEqual([]);
    const bad = clone(m);
    bad.odes[0].initial = 'X + r';
    bad.observables[0].expr = 'obs + deg';
    expect(problemsOf(bad).map(formatProblem)).toEqual([
      'odes[0].initial, at character 1: "X" is a species: initial values may use only parameters and t',
      'odes[0].initial, at character 5: "r" is a rule: initial values may use only parameters and t',
      'observables[0].expr, at character 1: "obs" is an observable: observables cannot be used in expressions',
      'observables[0].expr, at character 7: "deg" is a reaction, not a quantity',
    ]);
  });

  it('ids are unique across every section', () => {
    const m = clone(SIR);
    m.odes = [{ id: 'beta', initial: 0, derivative: '1' }];
    m.observables[0].id = 'infection';
    expect(problemsOf(m).map(formatProblem)).toEqual([
      'odes[0].id: duplicate id "beta": already the id of a parameter (parameters[0])',
      'reactions[0].id: duplicate id "infection": already the id of an observable (observables[0])',
    ]);
  });

  it('rejects reserved and prototype names as ids, and identifiers that are not identifiers', () => {
    const m = clone(SIR);
    m.parameters[3].id = 'exp';
    m.species[2].id = '__proto__';
    m.reactions[1].to = { 'R-1': 1 };
    const lines = problemsOf(m).map(formatProblem);
    expect(lines).toContain('parameters[3].id: "exp" is a reserved name (t, time, the functions and the constants pi and e); choose another id');
    expect(lines).toContain('species[2].id: "__proto__" cannot be used as an id (it cannot be a key in JSON objects such as "from" or "assign")');
    expect(lines).toContain('reactions[1].to["R-1"]: "R-1" is not a valid id: an id is a letter or _ followed by letters, digits or _');
  });

  it('reports wrong types with what was found', () => {
    const m = clone(SIR) as Record<string, unknown>;
    m.parameters = { beta: 1 };
    m.species = [{ id: 'S', initial: true }];
    expect(problemsOf(m).map(formatProblem)).toEqual([
      'parameters: must be a list (found an object)',
      'species[0].initial: must be a number or an expression in quotes (found boolean true)',
    ]);
    expect(problemsOf([1, 2]).map(formatProblem)).toEqual(['a model must be a JSON object (found a list)']);
    expect(problemsOf(null).map(formatProblem)).toEqual(['a model must be a JSON object (found null)']);
  });

  it('does not confuse ids with Object.prototype properties', () => {
    const m = clone(SIR);
    m.reactions[0].rate = 'beta * S * I / N + toString + hasOwnProperty';
    m.reactions[1].to = { constructor: 1 };
    expect(problemsOf(m).map(formatProblem)).toEqual([
      'reactions[0].rate, at character 20: unknown name "toString"',
      'reactions[0].rate, at character 31: unknown name "hasOwnProperty"',
      'reactions[1].to.constructor: unknown species "constructor": reactions change only species',
    ]);
  });

  it('binomial noise needs a positive integer number of trials', () => {
    const m = clone(SIR) as Record<string, unknown> & typeof SIR;
    (m.observables[0] as Record<string, unknown>).noise = { dist: 'binomial', n: 0 };
    expect(problemsOf(m).map(formatProblem)).toEqual(['observables[0].noise.n: the number of trials must be a positive integer (found 0)']);
    (m.observables[0] as Record<string, unknown>).noise = { dist: 'binomial', n: 'N' };
    expect(validateModel(m).problems).toEqual([]);
  });
});

describe('parseModelJson', () => {
  it('parses and validates', () => {
    expect(parseModelJson(JSON.stringify(SIR, null, 2)).problems).toEqual([]);
    expect(parseModelJson('\uFEFF' + JSON.stringify(SIR)).problems).toEqual([]);
  });
  it('reports JSON syntax errors with line and column', () => {
    const text = '{\n  "format": "sgnn-model/1",\n  "name": "x",\n  "parameters": [ {"id": "k", "value": 1,} ]\n}';
    expect(parseModelJson(text)).toEqual({ model: null, problems: [{ path: '', message: 'invalid JSON at line 4, column 42: trailing comma before "}"' }] });
    expect(formatProblem(parseModelJson(text).problems[0])).toBe('invalid JSON at line 4, column 42: trailing comma before "}"');
  });
  const cases: [string, string][] = [
    ['', 'line 1, column 1: expected a value but found the end of the text'],
    ['{"a": 1', 'line 1, column 8: expected "," or "}" but found the end of the text'],
    ['{"a" 1}', 'line 1, column 6: expected ":" after the property name but found "1"'],
    ["{'a': 1}", 'line 1, column 2: expected a property name in double quotes but found "\'"'],
    ['[1, 2,]', 'line 1, column 7: trailing comma before "]"'],
    ['{"a": "x\ny"}', 'line 1, column 9: line break or control character inside a string (strings end with " on the same line)'],
    ['{"a": tru}', 'line 1, column 7: expected a value but found "t"'],
    ['{"a": 01}', 'line 1, column 8: expected "," or "}" but found "1"'],
    ['{"a": 1}\n}', 'line 2, column 1: unexpected "}" after the end of the JSON value'],
    ['{"a": "\\x"}', 'line 1, column 8: invalid escape "\\\\x" in a string'],
    ['{"a": \'x\'}', 'line 1, column 7: expected a value but found "\'" (JSON strings use double quotes)'],
  ];
  for (const [text, msg] of cases) {
    it(JSON.stringify(text), () => expect(parseModelJson(text).problems[0].message).toBe(`invalid JSON at ${msg}`));
  }
  it('the scanner agrees with JSON.parse on valid JSON, and survives deep nesting', () => {
    for (const text of ['{}', '[]', '0', '-1.5e+3', '"\\u00e9"', '{"a":[1,{"b":null}],"c":true}', ' [ [ ] , { } ] ']) {
      expect(findJsonSyntaxError(text)).toBeNull();
    }
    expect(findJsonSyntaxError('['.repeat(200_000))?.message).toBe('expected a value but found the end of the text');
    expect(parseModelJson('['.repeat(200_000)).problems).toHaveLength(1);
  });
});

describe('rule ordering', () => {
  it('topologicalOrder puts dependencies first, in file order otherwise', () => {
    expect(topologicalOrder([[2], [], [1]])).toEqual([1, 2, 0]);
    expect(topologicalOrder([[], [], []])).toEqual([0, 1, 2]);
    expect(topologicalOrder([[1], [0], []])).toEqual([2]);
  });
  it('findRuleCycles names each cycle once, from its first rule in the file', () => {
    expect(findRuleCycles([
      { id: 'a', deps: ['x'] }, { id: 'b', deps: ['c'] }, { id: 'c', deps: ['d'] }, { id: 'd', deps: ['b'] }, { id: 'e', deps: ['b'] }, { id: 'x', deps: [] },
    ])).toEqual([['b', 'c', 'd']]);
  });
});
