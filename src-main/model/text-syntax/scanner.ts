/**
 * A cursor over one line of model text. Statements never span lines, so a syntax error is
 * confined to its line and the parser can go on to report the problems of the next ones.
 */
import { HARD_STOPS, isNumberLiteral, type ExprSlot } from './lexical.ts';

/** A syntax error at a 0-based column of the current line; caught per line by the parser. */
export class LineSyntaxError extends Error {
  readonly column: number;
  constructor(message: string, column: number) {
    super(message);
    this.name = 'LineSyntaxError';
    this.column = column;
  }
}

/** An expression as read: a JSON number, or the exact string; `column` is where its text starts. */
export interface ReadExpr {
  value: number | string;
  column: number;
}

const NUMBER_AT = /[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const UNSIGNED_AT = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const IDENT_AT = /[A-Za-z_][A-Za-z0-9_]*/y;
const IDENT_CHAR = /[A-Za-z0-9_]/;

export class LineScanner {
  readonly text: string;
  i = 0;

  constructor(text: string) {
    this.text = text;
  }

  fail(message: string, column: number = this.i): never {
    throw new LineSyntaxError(message, column);
  }

  skipWs(): void {
    while (this.i < this.text.length && (this.text[this.i] === ' ' || this.text[this.i] === '\t')) this.i++;
  }

  /** Skips blanks; true at the end of the line or at a comment. */
  atEnd(): boolean {
    this.skipWs();
    return this.i >= this.text.length || this.text[this.i] === '#';
  }

  peek(): string {
    return this.text[this.i] ?? '';
  }

  /** The next characters, for messages: `unexpected "foo bar"`. */
  rest(): string {
    const r = this.text.slice(this.i).trimEnd();
    return r.length > 24 ? `${r.slice(0, 24)}…` : r;
  }

  unexpected(what: string): never {
    if (this.atEnd()) this.fail(`expected ${what}, but the line ends`);
    this.fail(`expected ${what}, found "${this.rest()}"`);
  }

  /** Consumes `s` when it comes next (after blanks). */
  tryConsume(s: string): boolean {
    this.skipWs();
    if (!this.text.startsWith(s, this.i)) return false;
    this.i += s.length;
    return true;
  }

  expect(s: string, what: string): void {
    if (!this.tryConsume(s)) this.unexpected(what);
  }

  /** A lone `=` (not the start of `==`). */
  tryConsumeEquals(): boolean {
    this.skipWs();
    if (this.peek() !== '=' || this.text[this.i + 1] === '=') return false;
    this.i++;
    return true;
  }

  peekWord(): string | null {
    this.skipWs();
    IDENT_AT.lastIndex = this.i;
    const m = IDENT_AT.exec(this.text);
    return m ? m[0] : null;
  }

  /** Consumes the identifier `word` when it comes next as a whole word. */
  tryWord(word: string): boolean {
    if (this.peekWord() !== word) return false;
    this.i += word.length;
    return true;
  }

  readIdent(what: string): string {
    const w = this.peekWord();
    if (w === null) this.unexpected(what);
    this.i += w.length;
    return w;
  }

  readNumber(what: string, signed = true): number {
    this.skipWs();
    const re = signed ? NUMBER_AT : UNSIGNED_AT;
    re.lastIndex = this.i;
    const m = re.exec(this.text);
    if (!m) this.unexpected(what);
    const n = Number(m[0]);
    if (!Number.isFinite(n)) this.fail(`${m[0]} is too large for a number`);
    this.i += m[0].length;
    return n;
  }

  /** A JSON string literal starting at the cursor's `"`. */
  readString(): string {
    this.skipWs();
    const start = this.i;
    if (this.peek() !== '"') this.unexpected('a quoted string');
    let j = start + 1;
    while (j < this.text.length && this.text[j] !== '"') j += this.text[j] === '\\' ? 2 : 1;
    if (j >= this.text.length) this.fail('unterminated string: add the closing "', start);
    // Tolerate raw tabs and other control characters that JSON itself would reject.
    const raw = this.text.slice(start, j + 1).replace(/[\u0000-\u001f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    this.i = j + 1;
    try {
      return JSON.parse(raw) as string;
    } catch {
      return this.fail('invalid escape in string: use \\" \\\\ \\n \\t or \\uXXXX', start);
    }
  }

  /**
   * An expression: a quoted string (kept exactly, even when it looks like a number) or bare text
   * up to what ends it in `slot` (see ExprSlot); bare text that is a plain number becomes a number,
   * except in `textOnly` fields, which the schema keeps as strings whatever they hold.
   */
  readExpr(slot: ExprSlot, what = 'an expression', textOnly = false): ReadExpr {
    this.skipWs();
    if (this.peek() === '"') {
      const column = this.i + 1;
      return { value: this.readString(), column };
    }
    const start = this.i;
    const stopAtComma = slot === 'arg' || slot === 'assign';
    const stopAtWords = slot === 'timing' || slot === 'timing-first';
    let depth = 0;
    let j = start;
    for (; j < this.text.length; j++) {
      const c = this.text[j];
      if (HARD_STOPS.has(c)) break;
      if (c === '(') depth++;
      else if (c === ')') {
        if (depth === 0 && slot === 'arg') break;
        depth--;
      } else if (c === ',' && depth === 0 && stopAtComma) break;
      else if (stopAtWords && depth === 0 && (c === 'e' || c === 'c') && !IDENT_CHAR.test(this.text[j - 1] ?? '')) {
        IDENT_AT.lastIndex = j;
        const w = IDENT_AT.exec(this.text)?.[0];
        if (w === 'every' || w === 'count') break;
      }
    }
    const raw = this.text.slice(start, j);
    const s = raw.trim();
    if (s.length === 0) this.unexpected(what);
    this.i = j;
    const column = start + (raw.length - raw.trimStart().length);
    if (!textOnly && isNumberLiteral(s)) {
      const n = Number(s);
      if (!Number.isFinite(n)) this.fail(`${s} is too large for a number`, column);
      return { value: n, column };
    }
    return { value: s, column };
  }
}
