import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatModelText, locateProblem, parseModelText } from '../../../src-main/model/text-syntax.ts';
import { MODEL_FORMAT, modelSchema, type Model } from '../../../src-main/model/schema.ts';
import { formatProblem } from '../../../src-main/model/problems.ts';
import { validateModel } from '../../../src-main/model/validate.ts';

/** Parses text that must be free of syntax problems and applies zod defaults. */
function parseOk(text: string): Model {
  const r = parseModelText(text);
  expect(r.problems).toEqual([]);
  return modelSchema.parse(r.model);
}

/** JSON → text → JSON is identity, and formatting is a fixed point. */
function expectRoundTrip(json: unknown): string {
  const model = modelSchema.parse(json);
  const text = formatModelText(model);
  const back = parseModelText(text);
  expect(back.problems, text).toEqual([]);
  expect(modelSchema.parse(back.model)).toEqual(model);
  expect(formatModelText(modelSchema.parse(back.model))).toBe(text);
  return text;
}

const SPEC_SIR = {
  format: 'sgnn-model/1',
  name: 'SIR',
  parameters: [
    { id: 'beta', value: 1.7, prior: { dist: 'lognormal', mu: 0.5, sigma: 0.5 } },
    { id: 'gamma', prior: { dist: 'uniform', low: 0.1, high: 1.0 } },
    { id: 'phi_inv', prior: { dist: 'exponential', rate: 5 } },
    { id: 'N', value: 763 },
  ],
  species: [{ id: 'S', initial: 'N - 1' }, { id: 'I', initial: 1 }, { id: 'R', initial: 0 }],
  rules: [{ id: 'R0', expr: 'beta / gamma' }],
  odes: [],
  reactions: [
    { id: 'infection', from: { S: 1, I: 1 }, to: { I: 2 }, rate: 'beta * S * I / N' },
    { id: 'recovery', from: { I: 1 }, to: { R: 1 }, rate: 'gamma * I' },
  ],
  observables: [{ id: 'cases', expr: 'I', noise: { dist: 'negbinomial', dispersion: '1 / phi_inv' } }],
};

const SIR_TEXT = `model "SIR"

parameter beta    = 1.7 ~ lognormal(mu=0.5, sigma=0.5)
parameter gamma         ~ uniform(low=0.1, high=1)
parameter phi_inv       ~ exponential(rate=5)
parameter N       = 763

species S = N - 1
species I = 1
species R = 0

rule R0 = beta / gamma

infection: S + I -> 2 I ; beta * S * I / N
recovery:  I     -> R   ; gamma * I

observable cases = I ~ negbinomial(dispersion=1 / phi_inv)
`;

describe('hand-written models', () => {
  it('the example of docs/model-text-syntax.md is valid and canonical', () => {
    const doc = readFileSync(new URL('../../../docs/model-text-syntax.md', import.meta.url), 'utf8');
    const example = /```\n([\s\S]*?)```/.exec(doc)![1];
    const r = parseModelText(example);
    expect(r.problems).toEqual([]);
    expect(validateModel(r.model).problems).toEqual([]);
    expect(formatModelText(modelSchema.parse(r.model))).toBe(example);
  });

  it('formats the spec SIR canonically and reads it back', () => {
    expect(expectRoundTrip(SPEC_SIR)).toBe(SIR_TEXT);
    expect(parseModelText(SIR_TEXT).model).toEqual(SPEC_SIR);
  });

  it('reads the issue\'s terse flavour: shorthand priors, positional args, comments', () => {
    const m = parseOk(`# the classic
model SIR
beta ~ lognormal(0.5, 0.5)      # a parameter with a prior needs no keyword
gamma = 0.2 ~ uniform(0.1, 1.0)
parameter N = 763
species S = N - 1
species I = 1
species R = 0
infection: S + I -> 2 I; beta*S*I/N
recovery: I -> R; gamma*I
`);
    expect(m.parameters[0]).toEqual({ id: 'beta', prior: { dist: 'lognormal', mu: 0.5, sigma: 0.5 } });
    expect(m.parameters[1]).toEqual({ id: 'gamma', value: 0.2, prior: { dist: 'uniform', low: 0.1, high: 1 } });
    expect(m.reactions[0]).toEqual({ id: 'infection', from: { S: 1, I: 1 }, to: { I: 2 }, rate: 'beta*S*I/N' });
  });

  it('SEIR with events, units, descriptions and layout', () => {
    const text = `model "SEIR with lockdown"
description "Weekly vaccination pulses; a lockdown halves contacts at day 30."
source "https://example.org/seir#model"
time_units "days"

parameter beta  = 0.6 ~ gamma(shape=2, rate=4) [1/day] "contact rate"
parameter sigma = 0.2                          [1/day]
parameter gamma = 0.1 ~ normal(mean=0.1, sd=0.02, low=0)
parameter N     = 10000

species S = N - 10 [people] "susceptible"
species E = 0
species I = 10
species R = 0

exposure:  S + I -> E + I ; beta * S * I / N
onset:     E     -> I     ; sigma * E
recovery:  I     -> R     ; gamma * I

observable incidence = sigma * E ~ poisson [people/day]

event lockdown at 30: beta = beta * 0.5 "halves contacts"
event at 7 every 7 count 10: S = S - min(S, 500), R = R + min(S, 500)

layout S 0 0
layout E 100 0
layout "reaction exposure" 50 -20
`;
    const m = parseOk(text);
    expect(m.parameters[2].prior).toEqual({ dist: 'normal', mean: 0.1, sd: 0.02, low: 0 });
    expect(m.species[0]).toEqual({ id: 'S', initial: 'N - 10', units: 'people', description: 'susceptible' });
    expect(m.events).toEqual([
      { id: 'lockdown', at: 30, assign: { beta: 'beta * 0.5' }, description: 'halves contacts' },
      { at: 7, every: 7, count: 10, assign: { S: 'S - min(S, 500)', R: 'R + min(S, 500)' } },
    ]);
    expect(m.layout).toEqual({ S: { x: 0, y: 0 }, E: { x: 100, y: 0 }, 'reaction exposure': { x: 50, y: -20 } });
    expect(m.source).toBe('https://example.org/seir#model');
    expectRoundTrip(m);
  });

  it('an ode-based Van der Pol oscillator', () => {
    const m = parseOk(`model "Van der Pol"
parameter mu = 1.5 ~ halfnormal(1)
ode x' = y                          ; initial 2
ode y' = mu * (1 - x^2) * y - x     ; initial 0 "velocity"
observable position = x ~ normal(sd=0.1)
`);
    expect(m.odes).toEqual([
      { id: 'x', initial: 2, derivative: 'y' },
      { id: 'y', initial: 0, derivative: 'mu * (1 - x^2) * y - x', description: 'velocity' },
    ]);
    expect(m.observables[0].noise).toEqual({ dist: 'normal', sd: 0.1 });
    expectRoundTrip(m);
  });

  it('a model with rules, comparisons and sources/sinks', () => {
    const m = parseOk(`model "Logistic with harvest"
parameter r = 0.5
parameter K = 100
parameter h = 0.1 ~ beta(2, 5)
species X = 10
rule growth = r * X * (1 - X / K)
rule open = if(t >= 10 && t <= 20, 1, 0)   # harvest season
rule flag = X == K || X != 0
birth:   -> X ; growth
harvest: X -> ∅ ; h * open * X
death:   X -> 0 ; 0.01 * X
observable stock = X ~ lognormal(sigma=0.2)
`);
    expect(m.rules.map((r) => r.expr)).toEqual(['r * X * (1 - X / K)', 'if(t >= 10 && t <= 20, 1, 0)', 'X == K || X != 0']);
    expect(m.reactions[0]).toEqual({ id: 'birth', to: { X: 1 }, rate: 'growth' });
    expect(m.reactions[1]).toEqual({ id: 'harvest', from: { X: 1 }, to: {}, rate: 'h * open * X' });
    expect(m.reactions[2]).toEqual({ id: 'death', from: { X: 1 }, to: {}, rate: '0.01 * X' });
    expectRoundTrip(m);
  });

  it('non-integer stoichiometry, repeated species and unicode arrows', () => {
    const m = parseOk('model m\nr1: 0.5 A + A → 1.5e-3 B ; k * A\nr2: 2A -> ; k');
    expect(m.reactions[0]).toEqual({ id: 'r1', from: { A: 1.5 }, to: { B: 0.0015 }, rate: 'k * A' });
    expect(m.reactions[1]).toEqual({ id: 'r2', from: { A: 2 }, rate: 'k' });
  });
});

describe('numbers versus expressions', () => {
  it('a bare number is a JSON number; a quoted one stays a string', () => {
    const m = parseOk('model m\nspecies A = 1\nspecies B = "1"\nspecies C = -0\nspecies D = 2.50\nevent at "5": A = "0"');
    expect(m.species.map((s) => s.initial)).toEqual([1, '1', -0, 2.5]);
    expect(Object.is(m.species[2].initial, -0)).toBe(true);
    expect(m.events?.[0]).toEqual({ at: '5', assign: { A: '0' } });
  });

  it('text-only fields keep a bare number as text', () => {
    const m = parseOk('model m\nrule k = 2\nr: A -> B ; 3\nobservable o = 1');
    expect([m.rules[0].expr, m.reactions[0].rate, m.observables[0].expr]).toEqual(['2', '3', '1']);
  });

  it('quotes what would not read back bare', () => {
    const weird = ['1', ' x', 'x ', 'a ; b', 'a # b', 'every + 1', 'at', '=x', 'a, b', ')(', '"q"', 'x\ny', '~', 'f(a, b)'];
    for (const w of weird) {
      expectRoundTrip({
        format: MODEL_FORMAT, name: w,
        species: [{ id: 'A', initial: w }],
        rules: [{ id: 'r', expr: w }],
        observables: [{ id: 'o', expr: w, noise: { dist: 'normal', sd: w } }],
        events: [{ at: w, every: w, assign: { A: w, B: w } }, { id: 'at', at: w, assign: { A: w } }],
      });
    }
  });

  it('keeps empty events, empty layout and explicitly empty reaction sides', () => {
    const text = expectRoundTrip({ format: MODEL_FORMAT, name: 'm', reactions: [{ id: 'r', from: {}, to: {}, rate: 'k' }], events: [], layout: {} });
    expect(text).toContain('r: ∅ -> ∅ ; k');
    expect(text).toContain('events none');
    expect(text).toContain('layout none');
  });

  it('ids that are keywords of the text syntax', () => {
    const kw = ['parameter', 'species', 'rule', 'ode', 'observable', 'event', 'events', 'layout', 'model', 'description', 'at', 'every', 'count', 'initial', 'none'];
    expectRoundTrip({
      format: MODEL_FORMAT, name: 'keywords',
      parameters: kw.map((id) => ({ id, value: 1, prior: { dist: 'exponential', rate: 1 } })),
      species: kw.map((id) => ({ id, initial: id })),
      reactions: kw.map((id) => ({ id, from: { [id]: 1 }, rate: id })),
      events: [{ id: 'at', at: 'at', assign: { every: 'count' } }, { at: 'at + every', every: 'count', assign: { at: 1 } }],
      layout: { none: { x: 1, y: 2 } },
    });
  });
});

describe('syntax problems', () => {
  const cases: [string, string, number, RegExp][] = [
    ['missing model line', 'species S = 1', 1, /missing the model line/],
    ['unknown statement', 'model m\nspecie S = 1', 2, /unknown statement "specie" \(did you mean "species"\?\)/],
    ['reaction without a name', 'model m\nS + I -> 2 I ; k', 2, /a reaction needs a name first/],
    ['missing arrow', 'model m\nr: S + I 2 I ; k', 2, /expected "->"/],
    ['missing rate', 'model m\nr: S -> I', 2, /expected ";" and the rate/],
    ['empty rate', 'model m\nr: S -> I ;', 2, /expected the rate, but the line ends/],
    ['dangling plus', 'model m\nr: S + -> I ; k', 2, /expected a species/],
    ['unknown prior', 'model m\nparameter b ~ lognorm(0, 1)', 2, /unknown prior distribution "lognorm": expected one of uniform, loguniform/],
    ['prior missing argument', 'model m\nparameter b ~ lognormal(mu=0)', 2, /lognormal needs sigma/],
    ['prior with expression', 'model m\nparameter b ~ uniform(0, N)', 2, /prior arguments must be plain numbers, not "N"/],
    ['too many arguments', 'model m\nparameter b ~ exponential(1, 2)', 2, /too many arguments: exponential takes rate/],
    ['unknown argument', 'model m\nparameter b ~ gamma(shape=1, scale=2)', 2, /gamma has no argument "scale": it takes shape, rate/],
    ['positional after named', 'model m\nparameter b ~ beta(a=1, 2)', 2, /positional argument cannot follow a named one/],
    ['computed parameter value', 'model m\nparameter b = N * 2', 2, /must be a plain number, not "N \* 2"; use "rule b = N \* 2"/],
    ['unknown noise', 'model m\nobservable o = I ~ gaussian(1)', 2, /unknown noise distribution "gaussian"/],
    ['unterminated string', 'model m\nspecies S = 1 "susceptible', 2, /unterminated string/],
    ['bad escape', 'model "a\\qb"', 1, /invalid escape/],
    ['units where there are none', 'model m\nrule r = a [1/day]', 2, /rules have no units/],
    ['missing bracket', 'model m\nspecies S = 1 [people', 2, /missing "]"/],
    ['ode without prime', 'model m\node x = y ; initial 0', 2, /expected "'" after the variable/],
    ['ode without initial', "model m\node x' = y", 2, /"; initial"/],
    ['event without colon', 'model m\nevent at 10 x = 1', 2, /expected ":" and the assignments/],
    ['event assigning twice', 'model m\nevent at 10: x = 1, x = 2', 2, /"x" is assigned twice/],
    ['event with == for =', 'model m\nevent at 10: x == 1', 2, /expected "=" after x/],
    ['duplicate model', 'model a\nmodel b', 2, /model is given twice \(first on line 1\)/],
    ['name with spaces unquoted', 'model my model', 1, /quote text that has spaces/],
    ['layout without y', 'model m\nlayout S 10', 2, /expected the y position of S/],
    ['layout twice', 'model m\nlayout S 1 2\nlayout S 3 4', 3, /layout of "S" is given twice \(first on line 2\)/],
    ['trailing junk', 'model m\nspecies S = 1 [a] 7', 2, /unexpected "7"/],
    ['huge number', 'model m\nlayout S 1e999 0', 2, /too large/],
  ];
  for (const [name, text, line, message] of cases) {
    it(name, () => {
      const r = parseModelText(text);
      expect(r.model).toBeNull();
      const p = r.problems.find((q) => q.path === `line ${line}` && message.test(q.message));
      expect(p, JSON.stringify(r.problems)).toBeDefined();
    });
  }

  it('points at the column of the offending text', () => {
    const r = parseModelText('model m\nparameter b ~ lognorm(0, 1)');
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].pos).toBe('parameter b ~ '.length);
    expect(formatProblem(r.problems[0])).toMatch(/^line 2, at character 15: unknown prior distribution "lognorm"/);
  });

  it('collects every problem, one per faulty line, in line order', () => {
    const r = parseModelText('model m\nspecies S 1\nspecies I = 1\nr: S -> ; \nbeta ~ foo(1)');
    expect(r.problems.map((p) => p.path)).toEqual(['line 2', 'line 4', 'line 5']);
  });

  it('never throws, whatever the text', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom('model m', 'r: A -> B ; k', 'event at 1: x = 2', '"', '[', '∅', 'ode x\' = ', 'layout', 'species S = "1" [u]', 'layout "a b" -0 1e3', 'x ~ normal(0, 1, high=2)')), { maxLength: 8 }), (lines) => {
      const r = parseModelText(lines.join('\n'));
      expect(r.model === null).toBe(r.problems.length > 0);
      // Whatever parses into a valid model also survives format → parse.
      const valid = modelSchema.safeParse(r.model);
      if (valid.success) expect(parseOk(formatModelText(valid.data))).toEqual(valid.data);
    }), { numRuns: 500 });
  });
});

describe('locations', () => {
  it('maps JSON paths to lines and columns, and relocates validation problems', () => {
    const text = 'model m\nspecies S = 1\ninfection: S -> I ; bta * S\nlayout S 1 2';
    const r = parseModelText(text);
    expect(r.locations.get('reactions[0].rate')).toEqual({ line: 3, column: 21, expr: 21 });
    expect(r.locations.get('reactions[0].from.S')).toEqual({ line: 3, column: 12 });
    expect(r.locations.get('layout.S')).toEqual({ line: 4, column: 8 });
    const p = locateProblem({ path: 'reactions[0].rate', message: 'unknown name "bta"', pos: 0, suggestion: 'beta' }, r.locations);
    expect(p).toEqual({ path: 'line 3', pos: 20, message: 'reactions[0].rate: unknown name "bta"', suggestion: 'beta' });
    // A path without its own location falls back to its nearest located ancestor.
    expect(locateProblem({ path: 'species[0].id', message: 'duplicate id' }, r.locations)).toMatchObject({ path: 'line 2', pos: 0 });
    expect(locateProblem({ path: 'odes', message: 'x' }, r.locations)).toEqual({ path: 'odes', message: 'x' });
  });

  it('puts validateModel\'s problems at their place in the text', () => {
    const r = parseModelText(`model "SIR"
parameter beta = 0.3 ~ lognormal(mu=0.5, sigma=-1)
species S = 100
species I = 1
infection: S + I -> 2 I ; bta * S * I
event at 10: Q = beta + gama
`);
    const located = validateModel(r.model).problems.map((p) => locateProblem(p, r.locations));
    const at = (re: RegExp): string | undefined => {
      const p = located.find((q) => re.test(q.message));
      return p && `${p.path}:${(p.pos ?? -1) + 1}`;
    };
    expect(at(/sigma/)).toBe('line 2:48');
    expect(at(/"bta"/)).toBe('line 5:27');
    expect(at(/target "Q"/)).toBe('line 6:14');
    expect(at(/"gama"/)).toBe('line 6:25');
  });
});

// ---------------------------------------------------------------- property-based round trip

const KEYWORDS = ['parameter', 'species', 'rule', 'ode', 'observable', 'event', 'events', 'layout', 'model', 'at', 'every', 'count', 'initial', 'none', 'e', 'poisson'];
const idArb = fc.oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,7}$/), fc.constantFrom(...KEYWORDS));
const finiteArb = fc.double({ noNaN: true, noDefaultInfinity: true });
const positiveArb = fc.double({ noNaN: true, noDefaultInfinity: true, min: Number.MIN_VALUE });
const textArb = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('', ' ', 'a "quoted" \\ path', 'line\nbreak\ttab', '\ud800 lone', 'π ≈ 3.14 # not a comment', '[1/day]'));

const realisticExprArb: fc.Arbitrary<string> = fc.letrec((tie) => ({
  e: fc.oneof(
    { maxDepth: 3, depthSize: 'small' },
    idArb,
    finiteArb.map(String),
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '^', '==', '<=', '>=', '!=', '<', '>', '&&', '||'), tie('e')).map(([a, op, b]) => `${a} ${op} ${b}`),
    tie('e').map((a) => `(${a})`),
    tie('e').map((a) => `-${a}`),
    fc.tuple(fc.constantFrom('max', 'min', 'pow'), tie('e'), tie('e')).map(([f, a, b]) => `${f}(${a}, ${b})`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([c, a, b]) => `if(${c}, ${a}, ${b})`),
  ),
})).e;
// Realistic expressions mostly, but any non-empty string must survive too.
const exprArb = fc.oneof({ weight: 4, arbitrary: realisticExprArb }, { weight: 1, arbitrary: fc.string({ minLength: 1, unit: 'binary' }) }, { weight: 1, arbitrary: finiteArb.map(String) });
const numOrExprArb = fc.oneof(finiteArb, exprArb);

const priorArb = fc.oneof(
  fc.record({ dist: fc.constant('uniform'), low: finiteArb, high: finiteArb }),
  fc.record({ dist: fc.constant('loguniform'), low: positiveArb, high: positiveArb }),
  fc.record({ dist: fc.constant('normal'), mean: finiteArb, sd: positiveArb, low: finiteArb, high: finiteArb }, { requiredKeys: ['dist', 'mean', 'sd'] }),
  fc.record({ dist: fc.constant('lognormal'), mu: finiteArb, sigma: positiveArb }),
  fc.record({ dist: fc.constant('gamma'), shape: positiveArb, rate: positiveArb }),
  fc.record({ dist: fc.constant('beta'), a: positiveArb, b: positiveArb }),
  fc.record({ dist: fc.constant('exponential'), rate: positiveArb }),
  fc.record({ dist: fc.constant('halfnormal'), sd: positiveArb }),
);
const noiseArb = fc.oneof(
  fc.record({ dist: fc.constant('normal'), sd: numOrExprArb }),
  fc.record({ dist: fc.constant('lognormal'), sigma: numOrExprArb }),
  fc.record({ dist: fc.constant('poisson') }),
  fc.record({ dist: fc.constant('negbinomial'), dispersion: numOrExprArb }),
  fc.record({ dist: fc.constant('binomial'), n: numOrExprArb }),
);
const stoichArb = fc.dictionary(idArb, positiveArb, { maxKeys: 3 });

const modelArb = fc.record({
  format: fc.constant(MODEL_FORMAT),
  name: fc.string({ minLength: 1 }),
  description: textArb,
  source: textArb,
  timeUnits: textArb,
  parameters: fc.array(fc.record({ id: idArb, value: finiteArb, prior: priorArb, description: textArb, units: textArb }, { requiredKeys: ['id'] }), { maxLength: 4 }),
  species: fc.array(fc.record({ id: idArb, initial: numOrExprArb, description: textArb, units: textArb }, { requiredKeys: ['id', 'initial'] }), { maxLength: 4 }),
  rules: fc.array(fc.record({ id: idArb, expr: exprArb, description: textArb }, { requiredKeys: ['id', 'expr'] }), { maxLength: 3 }),
  odes: fc.array(fc.record({ id: idArb, initial: numOrExprArb, derivative: exprArb, description: textArb }, { requiredKeys: ['id', 'initial', 'derivative'] }), { maxLength: 3 }),
  reactions: fc.array(fc.record({ id: idArb, from: stoichArb, to: stoichArb, rate: exprArb, description: textArb }, { requiredKeys: ['id', 'rate'] }), { maxLength: 4 }),
  observables: fc.array(fc.record({ id: idArb, expr: exprArb, noise: noiseArb, description: textArb, units: textArb }, { requiredKeys: ['id', 'expr'] }), { maxLength: 3 }),
  events: fc.array(fc.record({
    id: idArb, at: numOrExprArb, every: numOrExprArb, count: fc.integer({ min: 1, max: 1000 }),
    assign: fc.dictionary(idArb, numOrExprArb, { minKeys: 1, maxKeys: 3 }), description: textArb,
  }, { requiredKeys: ['at', 'assign'] }), { maxLength: 3 }),
  layout: fc.dictionary(fc.oneof(idArb, fc.string()), fc.record({ x: finiteArb, y: finiteArb }), { maxKeys: 4 }),
}, { requiredKeys: ['format', 'name'] });

describe('round trip, property-based', () => {
  it('the generator makes valid models', () => {
    fc.assert(fc.property(modelArb, (m) => {
      expect(modelSchema.safeParse(m).success).toBe(true);
    }), { numRuns: 200 });
  });

  it('JSON → text → JSON is identity and formatting is stable', () => {
    fc.assert(fc.property(modelArb, (json) => {
      expectRoundTrip(json);
    }), { numRuns: 1500 });
  });

  it('text → JSON → text → JSON is stable for hand-written variants', () => {
    const variants = fc.tuple(
      fc.constantFrom('', '   ', '\t'),
      fc.constantFrom('', '  # note'),
      fc.constantFrom('lognormal(0.5, 0.5)', 'lognormal(mu=0.5, sigma=0.5)', 'lognormal(0.5, sigma = 0.5)'),
      fc.constantFrom('S + I -> 2 I', 'I + S → I + I', 'S+I->2I'),
      fc.constantFrom('\n', '\r\n'),
    );
    fc.assert(fc.property(variants, ([indent, comment, prior, eq, eol]) => {
      const text = [`model SIR${comment}`, `${indent}beta ~ ${prior}${comment}`, `${indent}species S = 10`, `infection: ${eq} ; beta * S * I${comment}`].join(eol);
      const once = parseOk(text);
      const twice = parseOk(formatModelText(once));
      expect(twice).toEqual(once);
    }));
  });
});
