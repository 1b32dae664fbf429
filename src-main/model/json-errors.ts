/**
 * Where JSON text is broken. `JSON.parse` messages differ between engines and often give no
 * position, so on failure a small scanner finds the first offending character itself.
 */

export interface JsonSyntaxError {
  /** 0-based offset of the offending character. */
  offset: number;
  /** 1-based line and column (column in UTF-16 code units, as editors count). */
  line: number;
  column: number;
  message: string;
}

/** Line and column (both 1-based) of a 0-based offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function shown(text: string, i: number): string {
  return i >= text.length ? 'the end of the text' : JSON.stringify(text[i]);
}

/**
 * The first syntax error of `text` as JSON, or null when it is valid JSON. Iterative (an explicit
 * stack), so deeply nested input cannot overflow the call stack.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  const n = text.length;
  let i = 0;
  const stack: string[] = [];
  const fail = (offset: number, message: string): JsonSyntaxError => ({ offset, ...lineColumn(text, offset), message });
  const skipWs = (): void => {
    while (i < n) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
      else break;
    }
  };
  /** Scans a string starting at text[i] === '"'; returns an error or null. */
  const scanString = (): JsonSyntaxError | null => {
    const start = i;
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return null;
      }
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail(i, 'invalid \\u escape: 4 hexadecimal digits expected');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i += 2;
        } else {
          return fail(i, `invalid escape ${e === undefined ? '\\' : JSON.stringify('\\' + e)} in a string`);
        }
        continue;
      }
      if (c < 0x20) return fail(i, 'line break or control character inside a string (strings end with " on the same line)');
      i++;
    }
    return fail(start, 'unterminated string');
  };
  const scanNumber = (): JsonSyntaxError | null => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '-' || m[0] === '') return fail(i, 'invalid number');
    i += m[0].length;
    return null;
  };
  const scanKey = (): JsonSyntaxError | null => {
    skipWs();
    if (text[i] !== '"') return fail(i, `expected a property name in double quotes but found ${shown(text, i)}`);
    const err = scanString();
    if (err) return err;
    skipWs();
    if (text[i] !== ':') return fail(i, `expected ":" after the property name but found ${shown(text, i)}`);
    i++;
    return null;
  };

  for (;;) {
    // Expecting a value.
    skipWs();
    const c = text[i];
    let err: JsonSyntaxError | null = null;
    if (c === '{') {
      i++;
      skipWs();
      if (text[i] === '}') {
        i++;
      } else {
        stack.push('}');
        err = scanKey();
        if (err) return err;
        continue;
      }
    } else if (c === '[') {
      i++;
      skipWs();
      if (text[i] === ']') {
        i++;
      } else {
        stack.push(']');
        continue;
      }
    } else if (c === '"') {
      err = scanString();
    } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      err = scanNumber();
    } else if (text.startsWith('true', i)) {
      i += 4;
    } else if (text.startsWith('false', i)) {
      i += 5;
    } else if (text.startsWith('null', i)) {
      i += 4;
    } else {
      const hint = c === '\'' ? ' (JSON strings use double quotes)' : '';
      return fail(i, `expected a value but found ${shown(text, i)}${hint}`);
    }
    if (err) return err;
    // After a value: close containers, or go on after a comma.
    for (;;) {
      skipWs();
      if (stack.length === 0) {
        return i < n ? fail(i, `unexpected ${shown(text, i)} after the end of the JSON value`) : null;
      }
      const close = stack[stack.length - 1];
      const d = text[i];
      if (d === close) {
        stack.pop();
        i++;
        continue;
      }
      if (d === ',') {
        i++;
        skipWs();
        if (text[i] === close) return fail(i, `trailing comma before "${close}"`);
        if (close === '}') {
          err = scanKey();
          if (err) return err;
        }
        break;
      }
      return fail(i, `expected "," or "${close}" but found ${shown(text, i)}`);
    }
  }
}
