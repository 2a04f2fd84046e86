import { ESCAPED, QUOTED, type LogicalLine } from './lexer.ts';
import { parseTtl, parseUint } from './numbers.ts';
import { FieldError, absoluteName, characterString } from './text.ts';

/**
 * Reads the RDATA fields of one logical line, left to right. Each reader names the field it
 * wanted, so a missing or bad field gives a message that says which one; `errorLine` is the
 * physical line the parser reports.
 */
export class Cursor {
  line!: LogicalLine;
  i = 0;
  origin = '.';
  originWire = 1;
  /** Line of the token being read, or of the end of the record when a field is missing. */
  errorLine = 0;

  reset(line: LogicalLine, start: number, origin: string, originWire: number): void {
    this.line = line;
    this.i = start;
    this.origin = origin;
    this.originWire = originWire;
    this.errorLine = line.line;
  }

  has(): boolean {
    return this.i < this.line.count;
  }

  /** Flags of the next token (QUOTED, ESCAPED), 0 at the end. */
  peekFlags(): number {
    return this.i < this.line.count ? (this.line.flags[this.i] ?? 0) : 0;
  }

  peek(): string | undefined {
    return this.i < this.line.count ? this.line.texts[this.i] : undefined;
  }

  /** The next token's raw text (escapes intact). */
  raw(what: string): string {
    const l = this.line;
    if (this.i >= l.count) {
      this.errorLine = l.endLine;
      throw new FieldError(`missing ${what}`, 'the record ends too early; check for a forgotten field');
    }
    this.errorLine = l.lines[this.i] ?? l.line;
    return l.texts[this.i++] ?? '';
  }

  /** An unquoted token without escapes (numbers, addresses, mnemonics). */
  word(what: string): string {
    const flags = this.peekFlags();
    const t = this.raw(what);
    if (flags !== 0) {
      if ((flags & QUOTED) !== 0) throw new FieldError(`bad ${what}: a quoted string where ${what} was expected`);
      throw new FieldError(`bad ${what} "${t}": escapes are not allowed here`);
    }
    return t;
  }

  name(what: string): string {
    const flags = this.peekFlags();
    const t = this.raw(what);
    return absoluteName(t, flags !== 0, this.origin, this.originWire);
  }

  uint(max: number, what: string): number {
    return parseUint(this.word(what), max, what);
  }

  /** A 32-bit counter that may use TTL units (SOA timers). */
  counter(what: string): number {
    const t = this.word(what);
    const v = parseTtl(t);
    if (v < 0) throw new FieldError(`bad ${what} "${t}": expected a number of seconds (units w d h m s allowed) up to 4294967295`);
    return v;
  }

  charString(what: string): Buffer {
    const flags = this.peekFlags();
    const t = this.raw(what);
    return (flags & ESCAPED) === 0 && t.length <= 255 && isAscii(t) ? Buffer.from(t, 'latin1') : characterString(t);
  }

  /** The remaining tokens joined without spaces (hex and base64 may be split over tokens). */
  joinedRest(what: string): string {
    if (!this.has()) this.raw(what);
    let s = '';
    while (this.has()) s += this.word(what);
    return s;
  }

  /** Fails if anything is left after the RDATA. */
  end(type: string): void {
    if (this.has()) {
      const t = this.raw('end');
      throw new FieldError(`extra text "${t}" after the ${type} data`, 'remove it, or start a comment with ";"');
    }
  }
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}
