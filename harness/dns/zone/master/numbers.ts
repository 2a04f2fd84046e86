import { FieldError } from './text.ts';

/**
 * A TTL or SOA timer as BIND reads it: a plain number, or number+unit groups (`1w2d3h4m5s`,
 * units in any case). A plain number may not follow a unit (`1h30` is refused, as in BIND).
 * Returns -1 when the text is not a TTL, -2 when it is one but exceeds 2^32-1.
 */
export function parseTtl(text: string): number {
  const len = text.length;
  if (len === 0 || len > 63) return -1;
  let total = 0;
  let i = 0;
  while (i < len) {
    let n = 0;
    const start = i;
    while (i < len) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      n = n * 10 + (c - 48);
      i++;
    }
    if (i === start || i - start > 10 || n > 0xffffffff) return -1;
    if (i === len) {
      if (total !== 0) return -1;
      total = n;
      break;
    }
    const unit = text.charCodeAt(i++) | 0x20;
    if (unit === 119) total += n * 604800;
    else if (unit === 100) total += n * 86400;
    else if (unit === 104) total += n * 3600;
    else if (unit === 109) total += n * 60;
    else if (unit === 115) total += n;
    else return -1;
  }
  return total > 0xffffffff ? -2 : total;
}

/** An unsigned decimal field no larger than `max`. */
export function parseUint(text: string, max: number, what: string): number {
  const len = text.length;
  if (len === 0 || len > 10) throw badNumber(text, max, what);
  let n = 0;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) throw badNumber(text, max, what);
    n = n * 10 + (c - 48);
  }
  if (n > max) throw badNumber(text, max, what);
  return n;
}

function badNumber(text: string, max: number, what: string): FieldError {
  return new FieldError(`bad ${what} "${text}": expected a whole number from 0 to ${max}`);
}

/** Strict dotted quad (no leading zeros, as BIND's inet_pton). Returns the text or throws. */
export function parseIpv4(text: string): string {
  if (ipv4Bytes(text) === undefined) {
    throw new FieldError(`bad IPv4 address "${text}"`, 'write four decimal numbers 0-255 without leading zeros, like 192.0.2.1');
  }
  return text;
}

export function ipv4Bytes(text: string): number[] | undefined {
  const out: number[] = [];
  let n = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i === text.length ? 46 : text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || out.length === 4) return undefined;
      out.push(n);
      n = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && n === 0) return undefined;
      n = n * 10 + (c - 48);
      if (++digits > 3 || n > 255) return undefined;
    } else {
      return undefined;
    }
  }
  return out.length === 4 ? out : undefined;
}

/** Parses an IPv6 address (with an optional dotted-quad tail) into 8 words. */
export function ipv6Words(text: string): number[] | undefined {
  const dbl = text.indexOf('::');
  if (dbl >= 0 && text.indexOf('::', dbl + 1) >= 0) return undefined;
  const parseSide = (s: string, allowV4: boolean): number[] | undefined => {
    if (s === '') return [];
    const groups = s.split(':');
    const words: number[] = [];
    for (let g = 0; g < groups.length; g++) {
      const part = groups[g] ?? '';
      if (allowV4 && g === groups.length - 1 && part.includes('.')) {
        const v4 = ipv4Bytes(part);
        if (v4 === undefined) return undefined;
        words.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return undefined;
      words.push(parseInt(part, 16));
    }
    return words;
  };
  if (dbl < 0) {
    const w = parseSide(text, true);
    return w !== undefined && w.length === 8 ? w : undefined;
  }
  const head = parseSide(text.slice(0, dbl), false);
  const tail = parseSide(text.slice(dbl + 2), true);
  if (head === undefined || tail === undefined || head.length + tail.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** BIND's (RFC 5952-like) spelling of 8 words, including `::ffff:1.2.3.4` and `::1.2.3.4`. */
export function formatIpv6(words: readonly number[]): string {
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (words[i] === 0) {
      if (curBase === -1) {
        curBase = i;
        curLen = 1;
      } else curLen++;
    } else if (curBase !== -1) {
      if (bestBase === -1 || curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
      curBase = -1;
    }
  }
  if (curBase !== -1 && (bestBase === -1 || curLen > bestLen)) {
    bestBase = curBase;
    bestLen = curLen;
  }
  if (bestBase !== -1 && bestLen < 2) bestBase = -1;
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) s += ':';
      continue;
    }
    if (i !== 0) s += ':';
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      const w6 = words[6] ?? 0;
      const w7 = words[7] ?? 0;
      s += `${w6 >> 8}.${w6 & 255}.${w7 >> 8}.${w7 & 255}`;
      return s;
    }
    s += (words[i] ?? 0).toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) s += ':';
  return s;
}

/** Canonical AAAA text, or throws. */
export function parseIpv6(text: string): string {
  const w = ipv6Words(text);
  if (w === undefined) {
    throw new FieldError(`bad IPv6 address "${text}"`, 'write eight hex groups separated by ":" (one "::" allowed), like 2001:db8::1');
  }
  return formatIpv6(w);
}

/** Hex text (any case, possibly split over tokens already joined) to bytes. */
export function parseHex(text: string, what: string): Buffer {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
    throw new FieldError(`bad ${what}: "${text.length > 40 ? `${text.slice(0, 40)}...` : text}" is not an even number of hex digits`);
  }
  return Buffer.from(text, 'hex');
}

/** Base64 text (already joined) to bytes, strictly (padding where RFC 4648 requires it). */
export function parseBase64(text: string, what: string): Buffer {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw new FieldError(`bad ${what}: not valid base64`, 'check for a truncated or mistyped key/signature');
  }
  return Buffer.from(text, 'base64');
}
