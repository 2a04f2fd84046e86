/**
 * Where a JSON text goes wrong. V8's JSON.parse messages differ between Node versions and
 * often carry no position ("Unexpected token 'l', ..."), so this small scanner finds the first
 * offending offset itself, and whether the text simply stops early (a truncated file).
 * It is only consulted after JSON.parse failed.
 */

export interface JsonSyntaxError {
  /** Offset of the first character that cannot continue valid JSON (text.length when the text stops early). */
  offset: number;
  /** The text ended while a value was still open. */
  atEnd: boolean;
  message: string;
}

class Stop extends Error {
  constructor(readonly offset: number, readonly atEnd: boolean, message: string) {
    super(message);
  }
}

export function findJsonError(text: string): JsonSyntaxError | null {
  let i = 0;
  const fail = (what: string): never => {
    if (i >= text.length) throw new Stop(text.length, true, `unexpected end of input, expected ${what}`);
    throw new Stop(i, false, `unexpected ${JSON.stringify(text[i])}, expected ${what}`);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i++;
  };
  const literal = (word: string): void => {
    for (const ch of word) {
      if (text[i] !== ch) fail(`'${word}'`);
      i++;
    }
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail('closing quote');
      const ch = text[i] as string;
      if (ch === '"') return void i++;
      if (ch === '\\') {
        i++;
        if (i >= text.length) fail('escape');
        if (text[i] === 'u') {
          i++;
          for (let k = 0; k < 4; k++, i++) if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail('hex digit');
          continue;
        }
        if (!'"\\/bfnrt'.includes(text[i] as string)) fail('escape character');
        i++;
        continue;
      }
      if (ch < ' ') fail('no control character in a string');
      i++;
    }
  };
  const number = (): void => {
    // Take everything number-like, then check it: a cut number ("1.", "2e", "-") at the very
    // end of the text is truncation, anywhere else a syntax error.
    const loose = /^-?\d*(\.\d*)?([eE][+-]?\d*)?/.exec(text.slice(i, i + 400))?.[0] ?? '';
    if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(loose)) return void (i += loose.length);
    if (i + loose.length >= text.length) {
      i = text.length;
      fail('digits');
    }
    fail('a number');
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail('a property name');
        string();
        ws();
        if (text[i] !== ':') fail("':'");
        i++;
        value();
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') return void i++;
        fail("',' or '}'");
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') return void i++;
        fail("',' or ']'");
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return number();
    fail('a value');
  };
  try {
    value();
    ws();
    if (i < text.length) fail('end of input');
    return null;
  } catch (err) {
    if (err instanceof Stop) return { offset: err.offset, atEnd: err.atEnd, message: err.message };
    throw err;
  }
}
