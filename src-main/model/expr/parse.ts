/**
 * Parser of the expression language (spec: ../shared/spec/model-format.md § Expressions):
 * a hand-written lexer and a precedence-climbing parser. Text comes from users and from files
 * of unknown origin, so it is bounded (length, nesting) and rejected early with a message that
 * names the character and its position, never with a stack overflow.
 *
 * Precedence, lowest first: `||`, `&&`, `== !=`, `< <= > >=`, `+ -`, `* /`, unary `- !`, `^`.
 * `^` is right-associative and binds tighter than unary minus (`-2^2` is −4, `2^-1` is 0.5).
 */
import { ExprSyntaxError, FUNCTIONS, type BinaryOp, type Expr, type FunctionName } from './ast.ts';
import { closestName } from './names.ts';

/** Longest expression text accepted, in characters. */
export const MAX_EXPR_LENGTH = 20_000;
/** Deepest nesting of parentheses, calls, unary operators and powers accepted. */
export const MAX_EXPR_NESTING = 200;
/**
 * Deepest syntax tree accepted. Long left-associative chains (`a+b+c+…`) parse without recursion
 * but make deep trees, and every tree walker (format, derive, codegen) recurses; this bound keeps
 * them far from the stack limit.
 */
export const MAX_EXPR_TREE_DEPTH = 1_000;

/** Function names by a Map, never by object lookup: `constructor` or `__proto__` must not resolve. */
const FUNCTION_ARITY: ReadonlyMap<string, number> = new Map(Object.entries(FUNCTIONS));
const FUNCTION_NAMES: readonly string[] = [...FUNCTION_ARITY.keys()];

type TokenKind = 'num' | 'name' | 'op' | '(' | ')' | ',' | 'end';
interface Token {
  kind: TokenKind;
  /** Operator or name text; the number's source text for `num`. */
  text: string;
  value: number;
  pos: number;
}

const TWO_CHAR_OPS: ReadonlySet<string> = new Set(['<=', '>=', '==', '!=', '&&', '||']);
const ONE_CHAR_OPS: ReadonlySet<string> = new Set(['+', '-', '*', '/', '^', '<', '>', '!']);

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}
function isNameStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}
function isNameChar(c: string): boolean {
  return isNameStart(c) || isDigit(c);
}

/** Why a character that is not part of the language was rejected: says what would be valid. */
function badCharMessage(c: string, next: string): string {
  switch (c) {
    case '"': case '\'': case '`':
      return `strings are not allowed in expressions (found ${c})`;
    case '.':
      return '"." is not allowed: there is no member access in expressions';
    case '[': case ']':
      return `"${c}" is not allowed: there is no indexing in expressions`;
    case '{': case '}':
      return `"${c}" is not allowed in expressions`;
    case '=':
      return 'assignment "=" is not allowed in expressions (use "==" to compare)';
    case '&':
      return next === '&' ? 'unexpected "&"' : '"&" is not an operator (use "&&" for "and")';
    case '|':
      return '"|" is not an operator (use "||" for "or")';
    case ';':
      return '";" is not allowed: an expression is a single formula';
    case '%':
      return '"%" is not an operator (use floor for remainders)';
    default: {
      const code = c.codePointAt(0) ?? 0;
      // Invisible characters (control, non-breaking or other unusual spaces) by code point.
      const shown = code < 0x20 || code === 0x7f || /\s/.test(c) ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `"${c}"`;
      return `unexpected character ${shown}`;
    }
  }
}

/** Splits the text into tokens; throws ExprSyntaxError at the first character outside the language. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (isDigit(c) || (c === '.' && i + 1 < n && isDigit(text[i + 1]))) {
      while (i < n && isDigit(text[i])) i++;
      if (i < n && text[i] === '.') {
        i++;
        while (i < n && isDigit(text[i])) i++;
      }
      if (i < n && (text[i] === 'e' || text[i] === 'E')) {
        let j = i + 1;
        if (j < n && (text[j] === '+' || text[j] === '-')) j++;
        if (j < n && isDigit(text[j])) {
          while (j < n && isDigit(text[j])) j++;
          i = j;
        } else {
          throw new ExprSyntaxError(`malformed number "${text.slice(start, j)}": the exponent needs digits`, start);
        }
      }
      // `2x`, `1.2.3` or `3e` are typos, not implicit products: say so rather than "unexpected name".
      if (i < n && (isNameChar(text[i]) || text[i] === '.')) {
        let j = i;
        while (j < n && (isNameChar(text[j]) || text[j] === '.')) j++;
        throw new ExprSyntaxError(`malformed number "${text.slice(start, j)}" (write "*" for a product)`, start);
      }
      const source = text.slice(start, i);
      const value = Number(source);
      if (!Number.isFinite(value)) throw new ExprSyntaxError(`number ${source} is too large`, start);
      tokens.push({ kind: 'num', text: source, value, pos: start });
      continue;
    }
    if (isNameStart(c)) {
      while (i < n && isNameChar(text[i])) i++;
      tokens.push({ kind: 'name', text: text.slice(start, i), value: 0, pos: start });
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, text: c, value: 0, pos: start });
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      tokens.push({ kind: 'op', text: two, value: 0, pos: start });
      i += 2;
      continue;
    }
    if (two === '**') throw new ExprSyntaxError('"**" is not an operator (use "^" for powers)', start);
    if (ONE_CHAR_OPS.has(c)) {
      tokens.push({ kind: 'op', text: c, value: 0, pos: start });
      i++;
      continue;
    }
    throw new ExprSyntaxError(badCharMessage(c, text[i + 1] ?? ''), start);
  }
  tokens.push({ kind: 'end', text: '', value: 0, pos: n });
  return tokens;
}

/** Binary operators by precedence level (index 0 binds loosest); all left-associative. */
const LEVELS: readonly (readonly BinaryOp[])[] = [
  ['||'],
  ['&&'],
  ['==', '!='],
  ['<', '<=', '>', '>='],
  ['+', '-'],
  ['*', '/'],
];

function describe(tok: Token): string {
  switch (tok.kind) {
    case 'end': return 'the end of the expression';
    case 'num': return `number ${tok.text}`;
    case 'name': return `name "${tok.text}"`;
    default: return `"${tok.text}"`;
  }
}

/**
 * Parses one expression. Throws ExprSyntaxError (with the 0-based character position) on the
 * first error: a character outside the language, a missing operand or parenthesis, an unknown
 * function or a wrong number of arguments, too long or too deeply nested text.
 */
export function parseExpr(text: string): Expr {
  if (text.length > MAX_EXPR_LENGTH) {
    throw new ExprSyntaxError(`expression is too long (${text.length} characters; the limit is ${MAX_EXPR_LENGTH})`, MAX_EXPR_LENGTH);
  }
  const tokens = tokenize(text);
  if (tokens.length === 1) throw new ExprSyntaxError('expression is empty', 0);
  let k = 0;
  let nesting = 0;
  // Tree depths are tracked on the side (not on the nodes) so the returned tree holds only Expr fields.
  const depths = new WeakMap<Expr, number>();
  const dep = (e: Expr): number => depths.get(e) ?? 1;
  const made = (e: Expr, d: number, pos: number): Expr => {
    if (d > MAX_EXPR_TREE_DEPTH) throw new ExprSyntaxError(`expression is nested too deeply (more than ${MAX_EXPR_TREE_DEPTH} levels of operators)`, pos);
    depths.set(e, d);
    return e;
  };
  const enter = (pos: number): void => {
    if (++nesting > MAX_EXPR_NESTING) {
      throw new ExprSyntaxError(`expression is nested too deeply (more than ${MAX_EXPR_NESTING} levels of parentheses, calls or unary operators)`, pos);
    }
  };

  const peek = (): Token => tokens[k];
  const isOp = (tok: Token, op: string): boolean => tok.kind === 'op' && tok.text === op;
  const expect = (kind: TokenKind, what: string): Token => {
    const tok = tokens[k];
    if (tok.kind !== kind) throw new ExprSyntaxError(`expected ${what} but found ${describe(tok)}`, tok.pos);
    k++;
    return tok;
  };

  function parseBinary(level: number): Expr {
    if (level === LEVELS.length) return parseUnary();
    const ops = LEVELS[level];
    let left = parseBinary(level + 1);
    for (;;) {
      const tok = peek();
      if (tok.kind !== 'op' || !(ops as readonly string[]).includes(tok.text)) return left;
      k++;
      const right = parseBinary(level + 1);
      const node: Expr = { kind: 'binary', op: tok.text as BinaryOp, left, right, pos: left.pos };
      left = made(node, Math.max(dep(left), dep(right)) + 1, tok.pos);
    }
  }

  function parseUnary(): Expr {
    const tok = peek();
    if (isOp(tok, '-') || isOp(tok, '!')) {
      k++;
      enter(tok.pos);
      const arg = parseUnary();
      nesting--;
      return made({ kind: 'unary', op: tok.text as '-' | '!', arg, pos: tok.pos }, dep(arg) + 1, tok.pos);
    }
    if (isOp(tok, '+')) throw new ExprSyntaxError('unary "+" is not allowed (remove it)', tok.pos);
    return parsePower();
  }

  function parsePower(): Expr {
    const base = parsePrimary();
    const tok = peek();
    if (!isOp(tok, '^')) return base;
    k++;
    enter(tok.pos);
    // The exponent may carry its own sign (`2^-1`); `a^b^c` is `a^(b^c)`.
    const exponent = parseUnary();
    nesting--;
    return made({ kind: 'binary', op: '^', left: base, right: exponent, pos: base.pos }, Math.max(dep(base), dep(exponent)) + 1, tok.pos);
  }

  function parsePrimary(): Expr {
    const tok = peek();
    switch (tok.kind) {
      case 'num':
        k++;
        return { kind: 'num', value: tok.value, pos: tok.pos };
      case '(': {
        k++;
        enter(tok.pos);
        const inner = parseBinary(0);
        nesting--;
        const close = peek();
        if (close.kind !== ')') {
          throw new ExprSyntaxError(`expected ")" to close the "(" at character ${tok.pos + 1} but found ${describe(close)}`, close.pos);
        }
        k++;
        return inner;
      }
      case 'name': {
        k++;
        if (peek().kind === '(') return parseCall(tok);
        if (FUNCTION_ARITY.has(tok.text)) {
          throw new ExprSyntaxError(`"${tok.text}" is a function: call it with arguments, e.g. ${tok.text}(x)`, tok.pos);
        }
        return { kind: 'name', name: tok.text, pos: tok.pos };
      }
      case 'end':
        throw new ExprSyntaxError('expression ends too early: a number, a name or "(" is missing', tok.pos);
      default:
        throw new ExprSyntaxError(`expected a number, a name or "(" but found ${describe(tok)}`, tok.pos);
    }
  }

  function parseCall(nameTok: Token): Expr {
    const name = nameTok.text;
    const arity = FUNCTION_ARITY.get(name);
    if (arity === undefined) {
      const close = closestName(name, FUNCTION_NAMES);
      const hint = close ? ` (did you mean "${close}"?)` : ` (the functions are ${FUNCTION_NAMES.join(', ')})`;
      throw new ExprSyntaxError(`"${name}" is not a function${hint}`, nameTok.pos);
    }
    const open = expect('(', '"("');
    enter(open.pos);
    const args: Expr[] = [];
    let d = 1;
    if (peek().kind !== ')') {
      for (;;) {
        const arg = parseBinary(0);
        args.push(arg);
        d = Math.max(d, dep(arg));
        const tok = peek();
        if (tok.kind === ',') {
          k++;
          continue;
        }
        if (tok.kind === ')') break;
        throw new ExprSyntaxError(`expected "," or ")" in the call of ${name} but found ${describe(tok)}`, tok.pos);
      }
    }
    k++;
    nesting--;
    if (arity >= 0 && args.length !== arity) {
      throw new ExprSyntaxError(`${name} takes ${arity} argument${arity === 1 ? '' : 's'}, not ${args.length}`, nameTok.pos);
    }
    if (arity < 0 && args.length < -arity) {
      throw new ExprSyntaxError(`${name} takes at least ${-arity} arguments, not ${args.length}`, nameTok.pos);
    }
    return made({ kind: 'call', fn: name as FunctionName, args, pos: nameTok.pos }, d + 1, nameTok.pos);
  }

  const expr = parseBinary(0);
  const rest = peek();
  if (rest.kind !== 'end') {
    if (rest.kind === ')') throw new ExprSyntaxError('unmatched ")"', rest.pos);
    const hint = rest.kind === 'name' || rest.kind === 'num' || rest.kind === '(' ? ' (is an operator missing?)' : '';
    throw new ExprSyntaxError(`unexpected ${describe(rest)}${hint}`, rest.pos);
  }
  return expr;
}

/** Parses, returning the error instead of throwing (for validation, which collects every problem). */
export function tryParseExpr(text: string): { expr: Expr; error: null } | { expr: null; error: ExprSyntaxError } {
  try {
    return { expr: parseExpr(text), error: null };
  } catch (err) {
    if (err instanceof ExprSyntaxError) return { expr: null, error: err };
    throw err;
  }
}
