import { ZoneParseError } from './errors.ts';

/** Token flag bits in {@link LogicalLine.flags}. */
export const QUOTED = 1;
export const ESCAPED = 2;

/**
 * The tokens of one logical line (one record or directive; parentheses join physical lines).
 * The arrays are reused from line to line, so only the first `count` entries are valid.
 */
export interface LogicalLine {
  texts: string[];
  /** QUOTED / ESCAPED bits per token. ESCAPED means the raw text still contains backslashes. */
  flags: number[];
  /** Physical line of each token. */
  lines: number[];
  count: number;
  /** The line began with a space or tab: the owner is the previous owner. */
  leadingBlank: boolean;
  /** Physical line the logical line started on. */
  line: number;
  /** Physical line where it ended (where a missing field would have been). */
  endLine: number;
}

export function emptyLogicalLine(): LogicalLine {
  return { texts: [], flags: [], lines: [], count: 0, leadingBlank: false, line: 0, endLine: 0 };
}

/**
 * A single-pass tokenizer for RFC 1035 master files. It only splits: escapes stay in the token
 * text, because their meaning depends on the field (`\.` inside a name is not a label separator).
 * Whitespace is space, tab and CR (so CRLF files work); `;` starts a comment outside quotes.
 */
export class Lexer {
  private pos = 0;
  private line = 1;
  private depth = 0;
  private parenLine = 0;
  private blankStart: boolean;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {
    const c = text.charCodeAt(0);
    this.blankStart = c === 32 || c === 9;
  }

  /** Fills `out` with the next non-empty logical line; false at end of input. */
  next(out: LogicalLine): boolean {
    const text = this.text;
    const len = text.length;
    out.count = 0;
    for (;;) {
      if (this.pos >= len) {
        if (this.depth > 0) {
          throw new ZoneParseError('syntax', this.file, this.parenLine, 'unbalanced parentheses: "(" is never closed',
            'add the missing ")" at the end of the record');
        }
        out.endLine = this.line;
        return out.count > 0;
      }
      const c = text.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 13) {
        this.pos++;
      } else if (c === 10) {
        this.pos++;
        if (this.depth === 0 && out.count > 0) {
          out.endLine = this.line;
          this.line++;
          this.markLineStart();
          return true;
        }
        this.line++;
        if (this.depth === 0) this.markLineStart();
      } else if (c === 59) {
        const nl = text.indexOf('\n', this.pos);
        this.pos = nl < 0 ? len : nl;
      } else if (c === 40) {
        if (this.depth === 0) this.parenLine = this.line;
        this.depth++;
        this.pos++;
      } else if (c === 41) {
        if (this.depth === 0) {
          throw new ZoneParseError('syntax', this.file, this.line, 'unbalanced parentheses: ")" without "("',
            'remove the ")" or open the record with "("');
        }
        this.depth--;
        this.pos++;
      } else if (c === 34) {
        this.quoted(out);
      } else {
        this.word(out);
      }
    }
  }

  private markLineStart(): void {
    const c = this.text.charCodeAt(this.pos);
    this.blankStart = c === 32 || c === 9;
  }

  private push(out: LogicalLine, text: string, flags: number): void {
    const i = out.count++;
    if (i === 0) {
      out.leadingBlank = this.blankStart;
      out.line = this.line;
    }
    out.texts[i] = text;
    out.flags[i] = flags;
    out.lines[i] = this.line;
  }

  private word(out: LogicalLine): void {
    const text = this.text;
    const len = text.length;
    const start = this.pos;
    const line = this.line;
    let pos = start;
    let flags = 0;
    while (pos < len) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 59 || c === 40 || c === 41 || c === 34) break;
      if (c === 92) {
        flags = ESCAPED;
        // An escaped newline belongs to the token, but is still a new physical line.
        if (text.charCodeAt(pos + 1) === 10) this.line++;
        pos += 2;
        if (pos > len) pos = len;
        continue;
      }
      pos++;
    }
    this.pos = pos;
    const i = out.count;
    this.push(out, text.slice(start, pos), flags);
    out.lines[i] = line;
  }

  private quoted(out: LogicalLine): void {
    const text = this.text;
    const len = text.length;
    const start = this.pos + 1;
    let pos = start;
    let flags = QUOTED;
    for (;;) {
      if (pos >= len) {
        throw new ZoneParseError('syntax', this.file, this.line, 'unbalanced quotes: the string never ends',
          'close the quoted string on the same line');
      }
      const c = text.charCodeAt(pos);
      if (c === 34) break;
      if (c === 10) {
        throw new ZoneParseError('syntax', this.file, this.line, 'unbalanced quotes: a newline inside a quoted string',
          'close the string before the end of the line, or write the newline as \\010');
      }
      if (c === 92) {
        flags = QUOTED | ESCAPED;
        if (text.charCodeAt(pos + 1) === 10) {
          throw new ZoneParseError('syntax', this.file, this.line, 'unbalanced quotes: a newline inside a quoted string',
            'close the string before the end of the line, or write the newline as \\010');
        }
        pos += 2;
        continue;
      }
      pos++;
    }
    this.pos = pos + 1;
    this.push(out, text.slice(start, pos), flags);
  }
}
