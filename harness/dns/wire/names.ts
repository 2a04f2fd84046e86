/**
 * Domain names on the wire (RFC 1035 4.1.4), read and written without dns-packet: its name
 * decoder joins labels with '.' and decodes bytes as UTF-8, and its encoder's multiline regex
 * eats dots next to line breaks, so a label holding a dot, a control or a non-ASCII byte would
 * come back as a different name. We read the labels ourselves and refuse
 * (as `unsupported`) the names our string form cannot carry exactly.
 */
import { WireError } from './errors.ts';

const MAX_NAME_WIRE = 255;
const MAX_LABEL = 63;
// Enough for any legal name (at most 127 labels) however it is compressed.
const MAX_POINTER_HOPS = 128;

export interface WireName {
  /** Presentation form, absolute with trailing dot; `.` for the root. */
  name: string;
  /** Offset just past the name where it sits in the message (after a pointer, not its target). */
  next: number;
}

/** Reads a possibly compressed name at `offset`. Pointers must go strictly backwards. */
export function readName(buf: Buffer, offset: number): WireName {
  const labels: string[] = [];
  let pos = offset;
  let segmentStart = offset;
  let next = -1;
  let wireLength = 1;
  let hops = 0;
  for (;;) {
    if (pos >= buf.length) throw new WireError('truncated', `name at offset ${offset} runs past the end of the message`);
    const len = buf[pos] as number;
    if (len === 0) {
      if (next < 0) next = pos + 1;
      break;
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (pos + 1 >= buf.length) throw new WireError('truncated', `name at offset ${offset}: pointer cut short`);
      const target = buf.readUInt16BE(pos) & 0x3fff;
      // Strictly before the current run of labels: guarantees progress, so no loops.
      if (target >= segmentStart) throw new WireError('malformed', `name at offset ${offset}: compression pointer to ${target} does not point backwards`);
      if (++hops > MAX_POINTER_HOPS) throw new WireError('malformed', `name at offset ${offset}: too many compression pointers`);
      if (next < 0) next = pos + 2;
      pos = target;
      segmentStart = target;
      continue;
    }
    if (kind !== 0) throw new WireError('malformed', `name at offset ${offset}: label type 0x${kind.toString(16)} is not supported`);
    if (pos + 1 + len > buf.length) throw new WireError('truncated', `name at offset ${offset}: label runs past the end of the message`);
    wireLength += len + 1;
    if (wireLength > MAX_NAME_WIRE) throw new WireError('malformed', `name at offset ${offset} is longer than 255 bytes`);
    labels.push(labelText(buf, pos + 1, len, offset));
    pos += 1 + len;
  }
  return { name: labels.length === 0 ? '.' : `${labels.join('.')}.`, next };
}

function labelText(buf: Buffer, start: number, len: number, nameOffset: number): string {
  for (let i = start; i < start + len; i++) {
    const b = buf[i] as number;
    // dns-packet strips dots next to line breaks (its regex is multiline): control bytes too.
    if (b === 0x2e || b >= 0x7f || b < 0x20) {
      throw new WireError('unsupported', `name at offset ${nameOffset}: a label holding '.', control or non-ASCII bytes cannot be represented`);
    }
  }
  return buf.toString('latin1', start, start + len);
}

/**
 * Splits a presentation name into labels the way dns-packet's encoder will, so that what we
 * validate is exactly what gets written. `mail` is dns-packet's SOA RNAME mode, where `\.`
 * keeps a dot inside the first label.
 */
export function nameLabels(name: string, mail = false): string[] {
  const bare = name.replace(/^\.|\.$/g, '');
  if (bare.length === 0) return [];
  const parts = bare.split('.');
  if (!mail) return parts;
  const labels: string[] = [];
  let local = '';
  for (const part of parts) {
    if (part.endsWith('\\')) {
      local += (local.length ? '.' : '') + part.slice(0, -1);
    } else if (labels.length === 0 && local.length) {
      labels.push(`${local}.${part}`);
    } else {
      labels.push(part);
    }
  }
  return labels;
}

/** Throws `malformed` unless `name` encodes as a legal wire name. `what` names it in the error. */
export function checkName(name: unknown, what: string, mail = false): void {
  if (typeof name !== 'string') throw new WireError('malformed', `${what}: name must be a string`);
  // Exactly the characters dns-packet's multiline regex mangles (and no zone should hold).
  if (/[\x00-\x1f\x7f]/.test(name)) throw new WireError('malformed', `${what}: name ${JSON.stringify(name)} holds control characters`);
  let wire = 1;
  for (const label of nameLabels(name, mail)) {
    const len = Buffer.byteLength(label);
    if (len === 0) throw new WireError('malformed', `${what}: name '${name}' has an empty label`);
    if (len > MAX_LABEL) throw new WireError('malformed', `${what}: name '${name}' has a label longer than 63 bytes`);
    wire += len + 1;
  }
  if (wire > MAX_NAME_WIRE) throw new WireError('malformed', `${what}: name '${name}' is longer than 255 bytes`);
}

/** Uncompressed wire form of a name already accepted by `checkName`. */
export function writeName(name: string): Buffer {
  const parts: Buffer[] = [];
  for (const label of nameLabels(name)) {
    // UTF-8, as dns-packet writes owner and RDATA names, so both halves of a message agree.
    const bytes = Buffer.from(label, 'utf8');
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}
