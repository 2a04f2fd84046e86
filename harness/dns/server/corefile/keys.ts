/**
 * Server-block key normalisation (CoreDNS InspectServerBlocks, plugin.SplitHostPort),
 * semantics doc 1.5. The miniature serves plain DNS only: other transports are recognised
 * (so their default ports are known) but rejected with a clear error.
 */
import { CorefileError } from './types.ts';
import type { ServerBlock, ZoneAddress } from './types.ts';

export type Transport = 'dns' | 'tls' | 'quic' | 'grpc' | 'https' | 'https3' | 'unix';

/** Checked in CoreDNS's order; `https3://` must not be mistaken for `https://`. */
const TRANSPORTS: readonly Transport[] = ['tls', 'dns', 'grpc', 'https', 'https3', 'quic', 'unix'];

const DEFAULT_PORTS: Readonly<Record<Exclude<Transport, 'dns' | 'unix'>, number>> = {
  tls: 853,
  quic: 853,
  grpc: 443,
  https: 443,
  https3: 443,
};

/** What a key says before the miniature decides whether it can serve it. */
export interface InspectedKey {
  transport: Transport;
  /** Host part(s) as written (a CIDR gives its reverse zones), not yet fully qualified. */
  hosts: string[];
  /** Explicit port, else the transport's default; `null` for unix sockets. */
  port: number | null;
}

/** parse.Transport: strips a known `scheme://`; no scheme means dns. */
export function splitTransport(key: string): [Transport, string] {
  for (const t of TRANSPORTS) {
    const prefix = `${t}://`;
    if (key.startsWith(prefix)) return [t, key.slice(prefix.length)];
  }
  return ['dns', key];
}

/** Go's strconv.Quote, enough for error messages. */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Go's strconv.Atoi: optional sign, decimal digits, within int64. */
function goAtoi(s: string): bigint | null {
  if (!/^[+-]?[0-9]+$/.test(s)) return null;
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n) return null;
  return n;
}

/** miekg/dns IsFqdn: a trailing dot that is not escaped. */
function isFqdn(s: string): boolean {
  if (!s.endsWith('.')) return false;
  const body = s.slice(0, -1);
  let backslashes = 0;
  for (let i = body.length - 1; i >= 0 && body[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 0;
}

export function fqdn(s: string): string {
  return isFqdn(s) ? s : `${s}.`;
}

/** miekg/dns IsDomainName: label lengths and the 255-octet wire limit, over UTF-8 bytes. */
export function isDomainName(name: string): boolean {
  if (name.length === 0) return false;
  const s = Buffer.from(fqdn(name), 'utf8');
  const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;
  let off = 0;
  let begin = 0;
  let wasDot = false;
  for (let i = 0; i < s.length; i++) {
    const b = s[i];
    if (b === 0x5c) {
      if (off + 1 > 256) return false;
      if (i + 3 < s.length && isDigit(s[i + 1]) && isDigit(s[i + 2]) && isDigit(s[i + 3])) {
        i += 3;
        begin += 3;
      } else {
        i++;
        begin++;
      }
      wasDot = false;
    } else if (b === 0x2e) {
      if (wasDot) return false;
      wasDot = true;
      const labelLen = i - begin;
      if (labelLen >= 64) return false;
      off += 1 + labelLen;
      if (off > 256) return false;
      begin = i + 1;
    } else {
      wasDot = false;
    }
  }
  return true;
}

interface Cidr {
  /** Network address (host bits cleared), one entry per byte. */
  bytes: number[];
  bits: 32 | 128;
  ones: number;
}

function parseIPv4(s: string): number[] | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    // Go (1.17+) rejects leading zeros, which some parsers read as octal.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    out.push(v);
  }
  return out;
}

function parseIPv6(s: string): number[] | null {
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const fields = part.split(':');
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i] ?? '';
      if (i === fields.length - 1 && f.includes('.')) {
        const v4 = parseIPv4(f);
        if (v4 === null) return null;
        out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(f)) return null;
      out.push(parseInt(f, 16));
    }
    return out;
  };
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (head === null || tail === null) return null;
  let all: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return null;
    all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    if (head.length !== 8) return null;
    all = head;
  }
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

function maskBytes(bytes: number[], ones: number): number[] {
  return bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, ones - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
}

/** Go's net.ParseCIDR for the forms a Corefile key can hold; null if it is not a CIDR. */
function parseCidr(s: string): Cidr | null {
  const slash = s.indexOf('/');
  if (slash === -1) return null;
  const addr = s.slice(0, slash);
  const prefix = s.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(prefix)) return null;
  const ones = Number(prefix);
  const v4 = parseIPv4(addr);
  if (v4 !== null) return ones > 32 ? null : { bytes: maskBytes(v4, ones), bits: 32, ones };
  const v6 = parseIPv6(addr);
  if (v6 !== null) return ones > 128 ? null : { bytes: maskBytes(v6, ones), bits: 128, ones };
  return null;
}

/** Reverse zone of a network on a label boundary (octets for IPv4, nibbles for IPv6). */
function reverseZone(bytes: number[], bits: 32 | 128, ones: number): string {
  if (bits === 32) {
    const octets = bytes.slice(0, ones / 8).reverse();
    return [...octets.map(String), 'in-addr.arpa.'].join('.');
  }
  const nibbles = bytes.flatMap((b) => [b >> 4, b & 0xf]).slice(0, ones / 4).reverse();
  return [...nibbles.map((n) => n.toString(16)), 'ip6.arpa.'].join('.');
}

/** cidr.Split + cidr.Reverse: a prefix off the label boundary becomes several reverse zones. */
function reverseZones(c: Cidr): string[] {
  const boundary = c.bits === 32 ? 8 : 4;
  if (c.ones % boundary === 0) return [reverseZone(c.bytes, c.bits, c.ones)];
  const mask = Math.ceil(c.ones / boundary) * boundary;
  const count = 1 << (mask - c.ones);
  const base = c.bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
  const step = 1n << BigInt(c.bits - mask);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let v = base + step * BigInt(i);
    const bytes = new Array<number>(c.bits / 8);
    for (let j = bytes.length - 1; j >= 0; j--) {
      bytes[j] = Number(v & 0xffn);
      v >>= 8n;
    }
    out.push(reverseZone(bytes, c.bits, mask));
  }
  return out;
}

/** plugin.SplitHostPort: errors are plain messages, as CoreDNS's are. */
function splitHostPort(s: string): { hosts: string[]; port: bigint | null } {
  let host = s;
  let port: bigint | null = null;
  const colon = s.lastIndexOf(':');
  if (colon !== -1 && colon === s.length - 1) throw new Error(`expecting data after last colon: ${goQuote(s)}`);
  if (colon !== -1) {
    const p = goAtoi(s.slice(colon + 1));
    if (p !== null) {
      port = p;
      host = s.slice(0, colon);
    }
  }
  const byteLen = Buffer.byteLength(host, 'utf8');
  if (byteLen > 255) throw new Error(`specified zone is too long: ${byteLen} > 255`);
  if (!isDomainName(host)) throw new Error(`zone is not a valid domain name: ${host}`);
  const cidr = parseCidr(host);
  if (cidr === null) return { hosts: [host], port };
  if (host.startsWith(':') || (host.startsWith('0') && host.includes(':'))) throw new Error(`invalid CIDR ${host}`);
  // IPv4-mapped IPv6 prefixes give nonsense reverse zones in CoreDNS; refuse them outright.
  if (cidr.bits === 128 && host.includes('.')) throw new Error(`invalid CIDR ${host}`);
  return { hosts: reverseZones(cidr), port };
}

function keyError(msg: string): CorefileError {
  return new CorefileError('key', '', 0, msg);
}

/**
 * Splits a key into transport, host(s) and port without deciding whether we serve it.
 * Throws CorefileError code `key` with CoreDNS's message (no file:line).
 */
export function inspectKey(key: string, defaultPort: number): InspectedKey {
  const [transport, rest] = splitTransport(key);
  let split: { hosts: string[]; port: bigint | null };
  try {
    split = splitHostPort(rest);
    // CoreDNS re-checks the fully qualified form: `a` may pass where `a.` does not.
    for (const h of split.hosts) splitHostPort(fqdn(h));
  } catch (err) {
    throw keyError(err instanceof Error ? err.message : String(err));
  }
  let port: number | null;
  if (split.port !== null) {
    if (split.port < 0n || split.port > 65535n) throw keyError(`port ${split.port} is out of range 0-65535: ${key}`);
    port = Number(split.port);
  } else if (transport === 'dns') {
    port = defaultPort;
  } else if (transport === 'unix') {
    port = null;
  } else {
    port = DEFAULT_PORTS[transport];
  }
  return { transport, hosts: split.hosts, port };
}

/**
 * Normalises one key into the zone addresses it serves: `EXAMPLE.ORG` gives
 * `dns://example.org.:53`, `10.0.0.0/15` gives two reverse zones.
 */
export function normalizeKey(key: string, defaultPort: number): ZoneAddress[] {
  const k = inspectKey(key, defaultPort);
  if (k.transport !== 'dns' || k.port === null) {
    throw keyError(`transport '${k.transport}://' of key '${key}' is not supported by this miniature: only dns:// is served`);
  }
  const port = k.port;
  return k.hosts.map((h) => {
    const zone = fqdn(h).toLowerCase();
    return { transport: 'dns', zone, port, key: `dns://${zone}:${port}` };
  });
}

/**
 * Every zone address of a block, in key order. Errors keep CoreDNS's prefix and add the
 * block's place: `error inspecting server blocks: <file>:<line> - <err>`.
 */
export function blockAddresses(block: ServerBlock, defaultPort: number, displayFile: string): ZoneAddress[] {
  const file = block.file === '' ? displayFile : block.file;
  const out: ZoneAddress[] = [];
  for (const key of block.keys) {
    try {
      out.push(...normalizeKey(key, defaultPort));
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new CorefileError('key', file, block.line, `error inspecting server blocks: ${file}:${block.line} - ${why}`);
    }
  }
  return out;
}
