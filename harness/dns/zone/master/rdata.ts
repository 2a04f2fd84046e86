import type {
  CaaData, DnskeyData, DsData, MxData, NaptrData, NsecData, RrsigData, SoaData, SrvData, SshfpData, TlsaData,
} from '../record.ts';
import type { Cursor } from './cursor.ts';
import { parseBase64, parseHex, parseIpv4, parseIpv6 } from './numbers.ts';
import { FieldError, lowerName, unescapeBytes } from './text.ts';
import { typeName, typeNumber } from './types.ts';

/** Reads one type's RDATA in presentation form. Names CoreDNS lower-cases come out lower-case. */
export type RdataReader = (c: Cursor) => unknown;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes to a JS string for dns-packet's string fields; refuses what would not survive UTF-8. */
export function utf8Text(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new FieldError(`${what} is not valid UTF-8`, 'this server keeps this field as text; use UTF-8 or plain ASCII');
  }
}

const SOA_FIELDS = ['serial', 'refresh', 'retry', 'expire', 'minimum'] as const;

function soa(c: Cursor): SoaData {
  try {
    const mname = lowerName(c.name('SOA mname (primary server)'));
    const rname = lowerName(c.name('SOA rname (mailbox)'));
    const serial = c.uint(0xffffffff, 'SOA serial');
    const n: number[] = [];
    for (const f of SOA_FIELDS.slice(1)) n.push(c.counter(`SOA ${f}`));
    return { mname, rname, serial, refresh: n[0] ?? 0, retry: n[1] ?? 0, expire: n[2] ?? 0, minimum: n[3] ?? 0 };
  } catch (e) {
    // CoreDNS (miekg/dns) words every SOA field error this way; keep that text so logs match.
    if (e instanceof FieldError) {
      throw new FieldError(`bad SOA zone parameter: ${e.reason}`,
        e.hint ?? 'an SOA needs mname rname serial refresh retry expire minimum');
    }
    throw e;
  }
}

/** RDLENGTH is 16 bits (RFC 1035 3.2.1): no record's data may exceed it. */
const MAX_RDATA = 65535;

function strings(c: Cursor, type: string): Buffer[] {
  const out: Buffer[] = [c.charString(`${type} string`)];
  while (c.has()) out.push(c.charString(`${type} string`));
  const size = out.reduce((n, b) => n + 1 + b.length, 0);
  if (size > MAX_RDATA) {
    throw new FieldError(`${type} data is ${size} bytes, more than the ${MAX_RDATA} a record can hold`, 'split the text over several records');
  }
  return out;
}

const ALGORITHMS: Readonly<Record<string, number>> = {
  RSAMD5: 1, DH: 2, DSA: 3, RSASHA1: 5, 'DSA-NSEC3-SHA1': 6, 'RSASHA1-NSEC3-SHA1': 7, RSASHA256: 8,
  RSASHA512: 10, 'ECC-GOST': 12, ECDSAP256SHA256: 13, ECDSAP384SHA384: 14, ED25519: 15, ED448: 16,
  INDIRECT: 252, PRIVATEDNS: 253, PRIVATEOID: 254,
};

function algorithm(c: Cursor, what: string): number {
  const t = c.word(what);
  const named = ALGORITHMS[t.toUpperCase()];
  if (named !== undefined) return named;
  const first = t.charCodeAt(0);
  if (first < 48 || first > 57) throw new FieldError(`bad ${what} "${t}": unknown algorithm`, 'use the algorithm number, for example 8 or 13');
  c.i--;
  return c.uint(255, what);
}

/** Digest lengths BIND insists on for the digest types it knows (DS, and SSHFP below). */
export const DS_DIGEST_LENGTH: Readonly<Record<number, number>> = { 1: 20, 2: 32, 3: 32, 4: 48 };
export const SSHFP_LENGTH: Readonly<Record<number, number>> = { 1: 20, 2: 32 };

export function checkDigestLength(table: Readonly<Record<number, number>>, kind: number, got: number, what: string): void {
  const want = table[kind];
  if (want !== undefined && want !== got) {
    throw new FieldError(`bad ${what}: ${got} bytes, but digest type ${kind} is ${want} bytes`, 'check that the digest is complete');
  }
}

function ds(c: Cursor): DsData {
  const keyTag = c.uint(65535, 'DS key tag');
  const alg = algorithm(c, 'DS algorithm');
  const digestType = c.uint(255, 'DS digest type');
  const digest = parseHex(c.joinedRest('DS digest'), 'DS digest');
  checkDigestLength(DS_DIGEST_LENGTH, digestType, digest.length, 'DS digest');
  return { keyTag, algorithm: alg, digestType, digest };
}

function dnskey(c: Cursor): DnskeyData {
  const flags = c.uint(65535, 'DNSKEY flags');
  const protocol = c.uint(255, 'DNSKEY protocol');
  if (protocol !== 3) throw new FieldError(`bad DNSKEY protocol ${protocol}: must be 3 (RFC 4034)`);
  const alg = algorithm(c, 'DNSKEY algorithm');
  const key = parseBase64(c.joinedRest('DNSKEY public key'), 'DNSKEY public key');
  return { flags, algorithm: alg, key };
}

/** RRSIG times: up to 10 characters is seconds since the epoch, otherwise YYYYMMDDHHmmSS (as BIND). */
function sigTime(c: Cursor, what: string): number {
  const t = c.word(what);
  if (t.length <= 10) return c.i--, c.uint(0xffffffff, what);
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(t);
  if (m === null) throw new FieldError(`bad ${what} "${t}"`, 'write it as YYYYMMDDHHmmSS (UTC) or as seconds since 1970');
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (y < 1970 || mo < 1 || mo > 12 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    throw new FieldError(`bad ${what} "${t}": not a valid date and time`);
  }
  return (ms / 1000) % 0x100000000;
}

function coveredType(c: Cursor, what: string): string {
  const t = c.word(what);
  const n = typeNumber(t);
  if (n === undefined) throw new FieldError(`bad ${what} "${t}": unknown type`, 'use a type mnemonic or TYPEnnn');
  return typeName(n);
}

function rrsig(c: Cursor): RrsigData {
  const typeCovered = coveredType(c, 'RRSIG type covered');
  const alg = algorithm(c, 'RRSIG algorithm');
  const labels = c.uint(255, 'RRSIG labels');
  const originalTTL = c.counter('RRSIG original TTL');
  const expiration = sigTime(c, 'RRSIG expiration');
  const inception = sigTime(c, 'RRSIG inception');
  const keyTag = c.uint(65535, 'RRSIG key tag');
  const signersName = c.name('RRSIG signer name');
  const signature = parseBase64(c.joinedRest('RRSIG signature'), 'RRSIG signature');
  return { typeCovered, algorithm: alg, labels, originalTTL, expiration, inception, keyTag, signersName, signature };
}

/** Type names sorted by number without duplicates, as the NSEC bitmap holds them. */
export function sortTypes(numbers: number[]): string[] {
  return [...new Set(numbers)].sort((a, b) => a - b).map(typeName);
}

function nsec(c: Cursor): NsecData {
  const nextDomain = c.name('NSEC next domain');
  const nums: number[] = [];
  while (c.has()) {
    const t = c.word('NSEC type');
    const n = typeNumber(t);
    if (n === undefined) throw new FieldError(`bad NSEC type "${t}": unknown type`, 'use a type mnemonic or TYPEnnn');
    nums.push(n);
  }
  return { nextDomain, rrtypes: sortTypes(nums) };
}

function caa(c: Cursor): CaaData {
  const flags = c.uint(255, 'CAA flags');
  const tag = c.word('CAA tag');
  if (!/^[A-Za-z0-9]{1,255}$/.test(tag)) throw new FieldError(`bad CAA tag "${tag}": letters and digits only`, 'common tags are issue, issuewild and iodef');
  const raw = c.raw('CAA value');
  const value = utf8Text(unescapeBytes(raw), 'CAA value');
  return { flags, tag, value, issuerCritical: (flags & 128) !== 0 };
}

function naptr(c: Cursor): NaptrData {
  const order = c.uint(65535, 'NAPTR order');
  const preference = c.uint(65535, 'NAPTR preference');
  const flags = utf8Text(c.charString('NAPTR flags'), 'NAPTR flags');
  const services = utf8Text(c.charString('NAPTR services'), 'NAPTR services');
  const regexp = utf8Text(c.charString('NAPTR regexp'), 'NAPTR regexp');
  const replacement = c.name('NAPTR replacement');
  return { order, preference, flags, services, regexp, replacement };
}

function sshfp(c: Cursor): SshfpData {
  const algorithm = c.uint(255, 'SSHFP algorithm');
  const hash = c.uint(255, 'SSHFP fingerprint type');
  const fp = parseHex(c.joinedRest('SSHFP fingerprint'), 'SSHFP fingerprint');
  checkDigestLength(SSHFP_LENGTH, hash, fp.length, 'SSHFP fingerprint');
  return { algorithm, hash, fingerprint: fp.toString('hex').toUpperCase() };
}

function tlsa(c: Cursor): TlsaData {
  const usage = c.uint(255, 'TLSA usage');
  const selector = c.uint(255, 'TLSA selector');
  const matchingType = c.uint(255, 'TLSA matching type');
  const certificate = parseHex(c.joinedRest('TLSA certificate data'), 'TLSA certificate data');
  return { usage, selector, matchingType, certificate };
}

/** The text readers, by type name. Types absent here can only be written as RFC 3597 `\#`. */
export const RDATA_READERS: Readonly<Record<string, RdataReader>> = {
  A: (c) => parseIpv4(c.word('IPv4 address')),
  AAAA: (c) => parseIpv6(c.word('IPv6 address')),
  NS: (c) => lowerName(c.name('NS name server')),
  CNAME: (c) => lowerName(c.name('CNAME target')),
  DNAME: (c) => lowerName(c.name('DNAME target')),
  PTR: (c) => c.name('PTR target'),
  SOA: soa,
  MX: (c): MxData => ({ preference: c.uint(65535, 'MX preference'), exchange: lowerName(c.name('MX exchange')) }),
  TXT: (c) => strings(c, 'TXT'),
  SPF: (c) => strings(c, 'SPF'),
  SRV: (c): SrvData => ({
    priority: c.uint(65535, 'SRV priority'),
    weight: c.uint(65535, 'SRV weight'),
    port: c.uint(65535, 'SRV port'),
    target: c.name('SRV target'),
  }),
  CAA: caa,
  NAPTR: naptr,
  SSHFP: sshfp,
  TLSA: tlsa,
  DS: ds,
  DNSKEY: dnskey,
  RRSIG: rrsig,
  NSEC: nsec,
};
