/**
 * Numbers <-> mnemonics for RR types, classes and opcodes (IANA registry values).
 * Unknown numbers use the RFC 3597 spelling `TYPE123` / `CLASS123`, which is also what a zone
 * file writes, so a name produced here always maps back to the same number.
 */

const TYPE_NUMBERS: Readonly<Record<string, number>> = {
  A: 1, NS: 2, MD: 3, MF: 4, CNAME: 5, SOA: 6, MB: 7, MG: 8, MR: 9, NULL: 10, WKS: 11, PTR: 12,
  HINFO: 13, MINFO: 14, MX: 15, TXT: 16, RP: 17, AFSDB: 18, X25: 19, ISDN: 20, RT: 21,
  SIG: 24, KEY: 25, PX: 26, AAAA: 28, LOC: 29, NXT: 30, SRV: 33, NAPTR: 35, KX: 36, CERT: 37,
  DNAME: 39, OPT: 41, APL: 42, DS: 43, SSHFP: 44, IPSECKEY: 45, RRSIG: 46, NSEC: 47, DNSKEY: 48,
  DHCID: 49, NSEC3: 50, NSEC3PARAM: 51, TLSA: 52, SMIMEA: 53, HIP: 55, CDS: 59, CDNSKEY: 60,
  OPENPGPKEY: 61, CSYNC: 62, ZONEMD: 63, SVCB: 64, HTTPS: 65, SPF: 99, EUI48: 108, EUI64: 109,
  TKEY: 249, TSIG: 250, IXFR: 251, AXFR: 252, MAILB: 253, MAILA: 254, ANY: 255, URI: 256,
  CAA: 257, TA: 32768, DLV: 32769,
};

const TYPE_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(TYPE_NUMBERS).map(([name, n]) => [n, name]),
);

const CLASS_NUMBERS: Readonly<Record<string, number>> = { IN: 1, CS: 2, CH: 3, HS: 4, NONE: 254, ANY: 255 };
const CLASS_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(CLASS_NUMBERS).map(([name, n]) => [n, name]),
);

// dns-packet's spelling, kept so that `DnsMessage.opcode` reads the same whichever side made it.
const OPCODE_NUMBERS: Readonly<Record<string, number>> = { QUERY: 0, IQUERY: 1, STATUS: 2, NOTIFY: 4, UPDATE: 5 };
const OPCODE_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(OPCODE_NUMBERS).map(([name, n]) => [n, name]),
);

function fromGeneric(name: string, prefix: string, max: number): number | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const digits = name.slice(prefix.length);
  if (!/^[0-9]{1,5}$/.test(digits)) return undefined;
  const n = Number(digits);
  return n <= max ? n : undefined;
}

export function typeName(n: number): string {
  return TYPE_NAMES.get(n) ?? `TYPE${n}`;
}

/** The number for `A`, `TYPE65534`, ...; undefined for a name no registry or RFC 3597 spells. */
export function typeNumber(name: string): number | undefined {
  const upper = name.toUpperCase();
  return TYPE_NUMBERS[upper] ?? fromGeneric(upper, 'TYPE', 0xffff);
}

export function className(n: number): string {
  return CLASS_NAMES.get(n) ?? `CLASS${n}`;
}

export function classNumber(name: string): number | undefined {
  const upper = name.toUpperCase();
  return CLASS_NUMBERS[upper] ?? fromGeneric(upper, 'CLASS', 0xffff);
}

export function opcodeName(n: number): string {
  return OPCODE_NAMES.get(n) ?? `OPCODE_${n}`;
}

export function opcodeNumber(name: string): number | undefined {
  const upper = name.toUpperCase();
  return OPCODE_NUMBERS[upper] ?? fromGeneric(upper, 'OPCODE_', 15);
}
