/**
 * Text → JSON for the model text syntax (docs/model-text-syntax.md). The result is the plain
 * JSON object, before zod defaults, so `validateModel` checks text and JSON files alike.
 */
import { MODEL_FORMAT } from '../schema.ts';
import type { ModelProblem } from '../problems.ts';
import { IDENT_RE, NOISE_ARGS, PRIOR_ARGS, keyPath, type ArgTable, type ExprSlot } from './lexical.ts';
import { LineScanner, LineSyntaxError, type ReadExpr } from './scanner.ts';

/** 1-based line and column of a statement or field in the text. */
export interface TextLocation {
  line: number;
  column: number;
  /** For expression fields: the 1-based column of the expression's first character. */
  expr?: number;
}

export interface ParsedModelText {
  /** The model as plain JSON (not yet validated), or null when the text has syntax problems. */
  model: unknown | null;
  /** Syntax problems, all of them: `path` is `line L`, `pos` the 0-based column. */
  problems: ModelProblem[];
  /**
   * Where each JSON path (`reactions[0].rate`, `layout.S`, ...) was written; expression fields
   * point at the expression's first character. See `locateProblem`.
   */
  locations: Map<string, TextLocation>;
}

type Json = Record<string, unknown>;

// A record built from text: defineProperty so that a key such as `__proto__` stays a plain key.
function setKey(obj: Json, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

const KEYWORDS = ['model', 'description', 'source', 'time_units', 'parameter', 'species', 'rule', 'ode', 'observable', 'event', 'events', 'layout'];
const STATEMENTS_HINT = 'a statement: model, parameter, species, rule, ode, observable, event, layout, or "name: A -> B ; rate" for a reaction';

interface HeaderField {
  key: 'name' | 'description' | 'source' | 'timeUnits';
  value: string;
  line: number;
}

class ModelBuilder {
  readonly headers = new Map<string, HeaderField>();
  readonly parameters: Json[] = [];
  readonly species: Json[] = [];
  readonly rules: Json[] = [];
  readonly odes: Json[] = [];
  readonly reactions: Json[] = [];
  readonly observables: Json[] = [];
  readonly events: Json[] = [];
  eventsNone: number | null = null;
  readonly layout: Json = {};
  readonly layoutLines = new Map<string, number>();
  layoutNone: number | null = null;
  readonly locations = new Map<string, TextLocation>();
  line = 0;

  /** Records where `path` was written; columns are 0-based here, 1-based in the map. */
  at(path: string, column: number, exprColumn?: number): void {
    const loc: TextLocation = { line: this.line, column: column + 1 };
    if (exprColumn !== undefined) loc.expr = exprColumn + 1;
    this.locations.set(path, loc);
  }
}

/** Parses `*.sgnn.txt` text into the JSON model, collecting every syntax problem. */
export function parseModelText(text: string): ParsedModelText {
  const b = new ModelBuilder();
  const problems: ModelProblem[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  lines.forEach((line, index) => {
    b.line = index + 1;
    const sc = new LineScanner(line);
    try {
      parseStatement(sc, b);
    } catch (err) {
      if (!(err instanceof LineSyntaxError)) throw err;
      problems.push({ path: `line ${b.line}`, pos: err.column, message: err.message });
    }
  });
  if (!b.headers.has('name')) problems.push({ path: 'line 1', message: 'missing the model line, e.g. model "SIR"' });
  if (b.eventsNone !== null && b.events.length > 0) {
    problems.push({ path: `line ${b.eventsNone}`, message: '"events none" contradicts the event statements; remove it' });
  }
  if (b.layoutNone !== null && b.layoutLines.size > 0) {
    problems.push({ path: `line ${b.layoutNone}`, message: '"layout none" contradicts the layout statements; remove it' });
  }
  if (problems.length > 0) {
    problems.sort((p, q) => lineOf(p) - lineOf(q));
    return { model: null, problems, locations: b.locations };
  }
  const model: Json = { format: MODEL_FORMAT };
  for (const h of b.headers.values()) model[h.key] = h.value;
  Object.assign(model, {
    parameters: b.parameters, species: b.species, rules: b.rules, odes: b.odes,
    reactions: b.reactions, observables: b.observables,
  });
  if (b.events.length > 0 || b.eventsNone !== null) model.events = b.events;
  if (b.layoutLines.size > 0 || b.layoutNone !== null) model.layout = b.layout;
  return { model, problems, locations: b.locations };
}

function lineOf(p: ModelProblem): number {
  return Number(p.path.slice('line '.length));
}

function parseStatement(sc: LineScanner, b: ModelBuilder): void {
  if (sc.atEnd()) return;
  const start = sc.i;
  const word = sc.peekWord();
  if (word === null) sc.unexpected(STATEMENTS_HINT);
  sc.i += word.length;
  sc.skipWs();
  const next = sc.peek();
  // An id followed by `:` is a reaction and by `~`/`=` a parameter, even when the id is a keyword.
  if (next === ':') {
    sc.i++;
    parseReaction(sc, b, word, start);
    return;
  }
  if (next === '~' || (next === '=' && sc.text[sc.i + 1] !== '=')) {
    parseParameter(sc, b, word, start, true);
    return;
  }
  switch (word) {
    case 'model': return parseHeader(sc, b, 'name', 'the model name, e.g. model "SIR"');
    case 'description': return parseHeader(sc, b, 'description', 'a quoted description');
    case 'source': return parseHeader(sc, b, 'source', 'a quoted source');
    case 'time_units': return parseHeader(sc, b, 'timeUnits', 'the time units, e.g. time_units "days"');
    case 'parameter': return parseParameter(sc, b, sc.readIdent('the parameter id'), start, false);
    case 'species': return parseSpecies(sc, b, start);
    case 'rule': return parseRule(sc, b, start);
    case 'ode': return parseOde(sc, b, start);
    case 'observable': return parseObservable(sc, b, start);
    case 'event': return parseEvent(sc, b, start);
    case 'events': return parseEventsNone(sc, b);
    case 'layout': return parseLayout(sc, b, start);
  }
  if (sc.text.includes('->') || sc.text.includes('→')) sc.fail('a reaction needs a name first: "infection: S + I -> 2 I ; beta * S * I"', start);
  const near = word.length >= 3 ? KEYWORDS.find((k) => k.startsWith(word.slice(0, 3))) : undefined;
  sc.fail(`unknown statement "${word}"${near ? ` (did you mean "${near}"?)` : ''}: expected ${STATEMENTS_HINT}`, start);
}

function parseHeader(sc: LineScanner, b: ModelBuilder, key: HeaderField['key'], what: string): void {
  const first = b.headers.get(key);
  const column = sc.i;
  if (first) sc.fail(`${key === 'timeUnits' ? 'time_units' : key === 'name' ? 'model' : key} is given twice (first on line ${first.line})`, 0);
  sc.skipWs();
  let value: string;
  if (sc.peek() === '"') value = sc.readString();
  else {
    // One bare word is accepted (`model SIR`); anything longer must be quoted.
    const m = /[^\s"#]+/y;
    m.lastIndex = sc.i;
    const w = m.exec(sc.text)?.[0];
    if (w === undefined) sc.unexpected(what);
    value = w;
    sc.i += w.length;
  }
  if (!sc.atEnd()) sc.fail(`unexpected "${sc.rest()}" after the ${key === 'name' ? 'model name' : key}: quote text that has spaces`);
  b.headers.set(key, { key, value, line: b.line });
  b.at(key, column);
}

/** Trailing `[units]` and `"description"`, in either order, then the end of the line. */
function parseAnnotations(sc: LineScanner, b: ModelBuilder, item: Json, path: string, kind: string, units: boolean): void {
  while (!sc.atEnd()) {
    const c = sc.peek();
    const column = sc.i;
    if (c === '[') {
      if (!units) sc.fail(`${kind} have no units`);
      if (item.units !== undefined) sc.fail('units are given twice');
      sc.i++;
      sc.skipWs();
      let u: string;
      if (sc.peek() === '"') {
        u = sc.readString();
        sc.expect(']', '"]" after the units');
      } else {
        const close = sc.text.indexOf(']', sc.i);
        if (close < 0) sc.fail('missing "]" after the units', column);
        u = sc.text.slice(sc.i, close).trim();
        sc.i = close + 1;
      }
      item.units = u;
      b.at(`${path}.units`, column);
    } else if (c === '"') {
      if (item.description !== undefined) sc.fail('the description is given twice');
      item.description = sc.readString();
      b.at(`${path}.description`, column);
    } else {
      sc.fail(`unexpected "${sc.rest()}": expected ${units ? '[units], ' : ''}a "description" or the end of the line`);
    }
  }
}

function readExprAt(sc: LineScanner, b: ModelBuilder, path: string, slot: ExprSlot, what: string): number | string {
  const e: ReadExpr = sc.readExpr(slot, what);
  b.at(path, e.column, e.column);
  return e.value;
}

function parseParameter(sc: LineScanner, b: ModelBuilder, id: string, start: number, shorthand: boolean): void {
  const path = `parameters[${b.parameters.length}]`;
  const item: Json = { id };
  b.at(path, start);
  if (sc.tryConsumeEquals()) {
    const e = sc.readExpr('line', 'a number');
    if (typeof e.value !== 'number') {
      sc.fail(`a parameter's value must be a plain number, not "${e.value}"; use "rule ${id} = ${e.value}" for a computed quantity`, e.column);
    }
    item.value = e.value;
    b.at(`${path}.value`, e.column);
  }
  if (sc.tryConsume('~')) item.prior = parseDist(sc, b, `${path}.prior`, 'prior', PRIOR_ARGS, true);
  else if (shorthand) sc.unexpected(`"~ prior" (or write "parameter ${id} = ..." for a fixed parameter)`);
  parseAnnotations(sc, b, item, path, 'parameters', true);
  b.parameters.push(item);
}

/** `dist(args)`: positional args in the table's order, then `name=value` ones. */
function parseDist(sc: LineScanner, b: ModelBuilder, path: string, kind: 'prior' | 'noise', tables: Record<string, ArgTable>, numbersOnly: boolean): Json {
  sc.skipWs();
  const distColumn = sc.i;
  const dist = sc.readIdent(`a ${kind} distribution (${Object.keys(tables).join(', ')})`);
  const table = Object.hasOwn(tables, dist) ? tables[dist] : undefined;
  if (!table) sc.fail(`unknown ${kind} distribution "${dist}": expected one of ${Object.keys(tables).join(', ')}`, distColumn);
  b.at(path, distColumn);
  const out: Json = { dist };
  const given = new Map<string, number | string>();
  let positional = 0;
  const hasParens = sc.tryConsume('(');
  if (!hasParens && table.required > 0) sc.unexpected(`"(" and the arguments of ${dist}: ${dist}(${table.fields.join(', ')})`);
  if (hasParens && !sc.tryConsume(')')) {
    for (;;) {
      sc.skipWs();
      const argStart = sc.i;
      let name: string | null = null;
      const w = sc.peekWord();
      if (w !== null) {
        sc.i += w.length;
        if (sc.tryConsumeEquals()) name = w;
        else sc.i = argStart;
      }
      if (name === null && given.size > positional) sc.fail(`a positional argument cannot follow a named one in ${dist}(...)`, argStart);
      if (name === null) {
        if (positional >= table.fields.length) sc.fail(`too many arguments: ${dist} takes ${table.fields.length === 0 ? 'none' : table.fields.join(', ')}`, argStart);
        name = table.fields[positional++];
      } else if (!table.fields.includes(name)) {
        sc.fail(`${dist} has no argument "${name}": it takes ${table.fields.join(', ') || 'none'}`, argStart);
      }
      if (given.has(name)) sc.fail(`argument "${name}" is given twice`, argStart);
      const e = sc.readExpr('arg', `the value of ${name}`);
      if (numbersOnly && typeof e.value !== 'number') sc.fail(`${kind} arguments must be plain numbers, not "${e.value}"`, e.column);
      given.set(name, e.value);
      b.at(`${path}.${name}`, e.column, e.column);
      if (sc.tryConsume(')')) break;
      if (!sc.tryConsume(',')) sc.unexpected(`"," or ")" in ${dist}(...)`);
    }
  }
  const missing = table.fields.slice(0, table.required).filter((f) => !given.has(f));
  if (missing.length > 0) sc.fail(`${dist} needs ${missing.join(' and ')}: ${dist}(${table.fields.slice(0, table.required).map((f) => `${f}=...`).join(', ')})`, distColumn);
  for (const f of table.fields) if (given.has(f)) out[f] = given.get(f);
  return out;
}

function parseSpecies(sc: LineScanner, b: ModelBuilder, start: number): void {
  const path = `species[${b.species.length}]`;
  const id = sc.readIdent('the species id');
  b.at(path, start);
  if (!sc.tryConsumeEquals()) sc.unexpected(`"=" and the initial amount: species ${id} = 10`);
  const item: Json = { id, initial: readExprAt(sc, b, `${path}.initial`, 'line', 'the initial amount') };
  parseAnnotations(sc, b, item, path, 'species', true);
  b.species.push(item);
}

function parseRule(sc: LineScanner, b: ModelBuilder, start: number): void {
  const path = `rules[${b.rules.length}]`;
  const id = sc.readIdent('the rule id');
  b.at(path, start);
  if (!sc.tryConsumeEquals()) sc.unexpected(`"=" and an expression: rule ${id} = beta / gamma`);
  const item: Json = { id, expr: expressionText(sc, b, `${path}.expr`, 'the expression') };
  parseAnnotations(sc, b, item, path, 'rules', false);
  b.rules.push(item);
}

function parseOde(sc: LineScanner, b: ModelBuilder, start: number): void {
  const path = `odes[${b.odes.length}]`;
  const id = sc.readIdent('the variable id');
  b.at(path, start);
  if (!sc.tryConsume("'")) sc.unexpected(`"'" after the variable: ode ${id}' = derivative ; initial value`);
  if (!sc.tryConsumeEquals()) sc.unexpected(`"=" and the derivative: ode ${id}' = derivative ; initial value`);
  const derivative = expressionText(sc, b, `${path}.derivative`, 'the derivative');
  if (!sc.tryConsume(';') || !sc.tryWord('initial')) sc.unexpected(`"; initial" and the initial value: ode ${id}' = ... ; initial 0`);
  const item: Json = { id, initial: readExprAt(sc, b, `${path}.initial`, 'line', 'the initial value'), derivative };
  parseAnnotations(sc, b, item, path, 'odes', false);
  b.odes.push(item);
}

/** An expression field that the schema keeps as text only: a bare `2` stays the string "2". */
function expressionText(sc: LineScanner, b: ModelBuilder, path: string, what: string): string {
  const e = sc.readExpr('line', what, true);
  b.at(path, e.column, e.column);
  return String(e.value);
}

function parseObservable(sc: LineScanner, b: ModelBuilder, start: number): void {
  const path = `observables[${b.observables.length}]`;
  const id = sc.readIdent('the observable id');
  b.at(path, start);
  if (!sc.tryConsumeEquals()) sc.unexpected(`"=" and an expression: observable ${id} = I ~ poisson`);
  const item: Json = { id, expr: expressionText(sc, b, `${path}.expr`, 'the observed expression') };
  if (sc.tryConsume('~')) item.noise = parseDist(sc, b, `${path}.noise`, 'noise', NOISE_ARGS, false);
  parseAnnotations(sc, b, item, path, 'observables', true);
  b.observables.push(item);
}

/** One side of a reaction: `∅`, `0`, nothing, or `[n] A + [n] B ...` (a repeated species adds up). */
function parseSide(sc: LineScanner, b: ModelBuilder, path: string, end: string): Json | undefined {
  sc.skipWs();
  const column = sc.i;
  if (sc.tryConsume('∅')) {
    b.at(path, column);
    return {};
  }
  if (end === '->' ? sc.text.startsWith('->', sc.i) || sc.peek() === '→' : sc.peek() === ';') return undefined;
  b.at(path, column);
  const side: Json = {};
  for (let first = true; ; first = false) {
    sc.skipWs();
    const termStart = sc.i;
    let coefficient = 1;
    if (/[\d.]/.test(sc.peek())) {
      coefficient = sc.readNumber('a stoichiometric coefficient', false);
      if (coefficient === 0 && first && sc.peekWord() === null) return {};
    }
    const id = sc.readIdent('a species');
    const before = Object.hasOwn(side, id) ? (side[id] as number) : 0;
    setKey(side, id, before + coefficient);
    b.at(`${path}${keyPath(id)}`, termStart);
    if (!sc.tryConsume('+')) return side;
  }
}

function parseReaction(sc: LineScanner, b: ModelBuilder, id: string, start: number): void {
  const path = `reactions[${b.reactions.length}]`;
  b.at(path, start);
  const item: Json = { id };
  const from = parseSide(sc, b, `${path}.from`, '->');
  if (!sc.tryConsume('->') && !sc.tryConsume('→')) sc.unexpected(`"->" between reactants and products: ${id}: S + I -> 2 I ; rate`);
  const to = parseSide(sc, b, `${path}.to`, ';');
  if (!sc.tryConsume(';')) sc.unexpected(`";" and the rate after the products: ${id}: ... -> ... ; rate`);
  if (from !== undefined) item.from = from;
  if (to !== undefined) item.to = to;
  item.rate = expressionText(sc, b, `${path}.rate`, 'the rate');
  parseAnnotations(sc, b, item, path, 'reactions', false);
  b.reactions.push(item);
}

function parseEvent(sc: LineScanner, b: ModelBuilder, start: number): void {
  const path = `events[${b.events.length}]`;
  b.at(path, start);
  const item: Json = {};
  // `event at ...` has no id; `event lockdown at ...` (and `event at at ...`) has one.
  const w = sc.peekWord();
  if (w === null) sc.unexpected('"at" and the time: event at 10: x = 0');
  const afterWord = sc.i + w.length;
  sc.i = afterWord;
  if (w !== 'at' || sc.peekWord() === 'at') {
    item.id = w;
    b.at(`${path}.id`, afterWord - w.length);
    if (!sc.tryWord('at')) sc.unexpected(`"at" and the time: event ${w} at 10: x = 0`);
  }
  item.at = readExprAt(sc, b, `${path}.at`, item.id === undefined ? 'timing-first' : 'timing', 'the event time');
  if (sc.tryWord('every')) item.every = readExprAt(sc, b, `${path}.every`, 'timing', 'the interval after every');
  if (sc.tryWord('count')) {
    sc.skipWs();
    b.at(`${path}.count`, sc.i);
    item.count = sc.readNumber('the number of occurrences after count');
  }
  if (!sc.tryConsume(':')) sc.unexpected('":" and the assignments: event at 10: beta = beta / 2');
  sc.skipWs();
  b.at(`${path}.assign`, sc.i);
  const assign: Json = {};
  for (;;) {
    sc.skipWs();
    const targetColumn = sc.i;
    const target = sc.readIdent('a target to assign (species, ode or parameter)');
    if (Object.hasOwn(assign, target)) sc.fail(`"${target}" is assigned twice in this event`, targetColumn);
    if (!sc.tryConsumeEquals()) sc.unexpected(`"=" after ${target}`);
    const e = sc.readExpr('assign', `the new value of ${target}`);
    setKey(assign, target, e.value);
    // The entry is located at its target (for "unknown target"), its expression kept for positions.
    b.at(`${path}.assign${keyPath(target)}`, targetColumn, e.column);
    if (!sc.tryConsume(',')) break;
  }
  item.assign = assign;
  parseAnnotations(sc, b, item, path, 'events', false);
  b.events.push(item);
}

function parseEventsNone(sc: LineScanner, b: ModelBuilder): void {
  if (!sc.tryWord('none') || !sc.atEnd()) sc.fail('expected "events none" (an explicitly empty event list); single events are written "event at ..."');
  b.eventsNone = b.line;
}

function parseLayout(sc: LineScanner, b: ModelBuilder, start: number): void {
  sc.skipWs();
  const keyColumn = sc.i;
  let key: string;
  if (sc.peek() === '"') key = sc.readString();
  else {
    key = sc.readIdent('a diagram node id, e.g. layout S 120 40');
    if (key === 'none' && sc.atEnd()) {
      b.layoutNone = b.line;
      b.at('layout', start);
      return;
    }
  }
  const first = b.layoutLines.get(key);
  if (first !== undefined) sc.fail(`layout of "${key}" is given twice (first on line ${first})`, keyColumn);
  const x = sc.readNumber(`the x position of ${key}: layout ${IDENT_RE.test(key) ? key : JSON.stringify(key)} 120 40`);
  const y = sc.readNumber(`the y position of ${key}`);
  if (!sc.atEnd()) sc.fail(`unexpected "${sc.rest()}" after the position of ${key}`);
  setKey(b.layout, key, { x, y });
  b.layoutLines.set(key, b.line);
  if (!b.locations.has('layout')) b.at('layout', start);
  b.at(`layout${keyPath(key)}`, keyColumn);
}
