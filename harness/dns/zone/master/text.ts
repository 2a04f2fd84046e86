/**
 * Presentation-format helpers: escapes (`\DDD`, `\c`) in names and character-strings, and
 * domain names in BIND's canonical spelling (absolute, trailing dot, specials escaped).
 * Errors are thrown as {@link FieldError}; the parser adds file and line.
 */

/** A bad field; the caller turns it into a ZoneParseError with file and line. */
export class FieldError extends Error {
  constructor(
    readonly reason: string,
    readonly hint?: string,
  ) {
    super(reason);
  }
}

/** Decodes a token's escapes into bytes (UTF-8 for non-ASCII characters). */
export function unescapeBytes(raw: string): Buffer {
  if (raw.indexOf('\\') < 0) return Buffer.from(raw, 'utf8');
  const out: number[] = [];
  const len = raw.length;
  for (let i = 0; i < len; i++) {
    const c = raw.charCodeAt(i);
    if (c !== 92) {
      if (c < 0x80) out.push(c);
      else i = pushUtf8(raw, i, out);
      continue;
    }
    if (i + 1 >= len) throw new FieldError(`dangling backslash in "${raw}"`, 'escape the backslash as \\\\');
    const d = raw.charCodeAt(i + 1);
    if (d >= 48 && d <= 57) {
      const d2 = raw.charCodeAt(i + 2);
      const d3 = raw.charCodeAt(i + 3);
      if (!(d2 >= 48 && d2 <= 57 && d3 >= 48 && d3 <= 57)) {
        throw new FieldError(`bad escape in "${raw}": \\ followed by a digit needs exactly three digits`, 'write a byte as \\DDD, for example \\032 for a space');
      }
      const v = (d - 48) * 100 + (d2 - 48) * 10 + (d3 - 48);
      if (v > 255) throw new FieldError(`bad escape \\${raw.slice(i + 1, i + 4)} in "${raw}": above 255`, 'a \\DDD escape is one byte, 000 to 255');
      out.push(v);
      i += 3;
    } else if (d < 0x80) {
      out.push(d);
      i++;
    } else {
      i = pushUtf8(raw, i + 1, out);
    }
  }
  return Buffer.from(out);
}

function pushUtf8(raw: string, i: number, out: number[]): number {
  const cp = raw.codePointAt(i) ?? 0;
  const bytes = Buffer.from(String.fromCodePoint(cp), 'utf8');
  for (const b of bytes) out.push(b);
  return cp > 0xffff ? i + 1 : i;
}

/** Decodes a character-string (RFC 1035 <character-string>): at most 255 bytes. */
export function characterString(raw: string): Buffer {
  const b = unescapeBytes(raw);
  if (b.length > 255) {
    throw new FieldError(`character-string of ${b.length} bytes is longer than 255`, 'split it into several quoted strings of at most 255 bytes each');
  }
  return b;
}

// Bytes BIND prints escaped with a backslash in names: " ( ) . ; \ @ $
function isNameSpecial(c: number): boolean {
  return c === 0x22 || c === 0x28 || c === 0x29 || c === 0x2e || c === 0x3b || c === 0x5c || c === 0x40 || c === 0x24;
}

/** One label's bytes in canonical presentation form. */
export function labelToText(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let s = '';
  for (let i = start; i < end; i++) {
    const c = bytes[i] ?? 0;
    if (isNameSpecial(c)) s += `\\${String.fromCharCode(c)}`;
    else if (c > 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += `\\${String(c).padStart(3, '0')}`;
  }
  return s;
}

/** Wire length of a canonical absolute name (escapes counted as one byte). */
export function wireLength(name: string): number {
  if (name === '.') return 1;
  let n = 1;
  for (let i = 0; i < name.length; i++) {
    if (name.charCodeAt(i) === 92) {
      const d = name.charCodeAt(i + 1);
      i += d >= 48 && d <= 57 ? 3 : 1;
    }
    n++;
  }
  return n;
}

/**
 * The absolute canonical name for a name token, relative names completed with `origin`
 * (itself canonical and absolute). Case is kept; callers lower-case where CoreDNS does.
 */
export function absoluteName(raw: string, escaped: boolean, origin: string, originWire: number): string {
  if (raw === '@') return origin;
  if (raw === '.') return '.';
  if (!escaped) {
    const len = raw.length;
    let labelLen = 0;
    let fast = true;
    for (let i = 0; i < len; i++) {
      const c = raw.charCodeAt(i);
      if (c === 46) {
        if (labelLen === 0) throw emptyLabel(raw);
        labelLen = 0;
      } else if (c > 0x20 && c < 0x7f && c !== 0x40 && c !== 0x24) {
        if (++labelLen > 63) throw longLabel(raw);
      } else {
        fast = false;
        break;
      }
    }
    if (fast) {
      if (labelLen === 0) return checkWire(raw, len + 1);
      if (origin === '.') return checkWire(`${raw}.`, len + 2);
      return checkWire(`${raw}.${origin}`, len + 1 + originWire);
    }
  }
  return slowName(raw, origin, originWire);
}

function slowName(raw: string, origin: string, originWire: number): string {
  // Split on unescaped dots first, then decode each label, so `\.` stays inside its label.
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 92) {
      i++;
    } else if (c === 46) {
      parts.push(raw.slice(start, i));
      start = i + 1;
    }
  }
  const absolute = start === raw.length;
  if (!absolute) parts.push(raw.slice(start));
  let text = '';
  let wire = 1;
  for (const p of parts) {
    if (p.length === 0) throw emptyLabel(raw);
    const bytes = unescapeBytes(p);
    if (bytes.length > 63) throw longLabel(raw);
    text += `${labelToText(bytes)}.`;
    wire += bytes.length + 1;
  }
  if (absolute) return checkWire(text, wire);
  if (origin === '.') return checkWire(text, wire);
  return checkWire(text + origin, wire - 1 + originWire);
}

function checkWire(name: string, wire: number): string {
  if (wire > 255) {
    throw new FieldError(`domain name "${name}" is ${wire} bytes on the wire, more than 255`, 'shorten the name');
  }
  return name;
}

function emptyLabel(raw: string): FieldError {
  return new FieldError(`bad domain name "${raw}": empty label`, 'remove the doubled or leading dot');
}

function longLabel(raw: string): FieldError {
  return new FieldError(`bad domain name "${raw}": a label is longer than 63 bytes`, 'labels are at most 63 bytes');
}

/** Lower-cases ASCII letters of a canonical name (escapes never hide letters in canonical form). */
export function lowerName(name: string): string {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 65 && c <= 90) return name.toLowerCase();
  }
  return name;
}
