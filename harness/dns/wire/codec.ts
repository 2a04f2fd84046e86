/**
 * The wire adapter: the only module that imports dns-packet.
 *
 * dns-packet encodes and decodes RDATA; everything around it (header, questions, owner names,
 * OPT, section counts, truncation) is done here, because dns-packet trusts its input: it reads
 * past RDLENGTH, returns `NaN`-sized strings instead of failing, and turns label bytes into
 * UTF-8 text. Every record it decodes is checked to have consumed exactly its RDLENGTH.
 *
 * Invariant pinned by the tests: whatever `decodeMessage` returns, `encodeMessage` can encode.
 *
 * Differences from CoreDNS (miekg/dns) worth knowing:
 * - No name compression on output, so a truncated reply keeps fewer records than CoreDNS's
 *   compressed one would (the rule is the same, the byte counts are larger).
 * - Names whose labels hold a '.' or non-ASCII bytes, records of a class other than IN, and
 *   rcodes outside our `Rcode` union are refused as `unsupported` (the server answers FORMERR).
 * - AD/CD flags and EDNS options are not carried into `DnsMessage`.
 */
import dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';
import { isIPv4, isIPv6 } from 'node:net';
import type { ResourceRecord } from '../zone/record.ts';
import { WireError } from './errors.ts';
import { HEADER_SIZE } from './header.ts';
import type { DnsMessage, EdnsInfo, Question, Rcode } from './message.ts';
import { RCODE_NUMBERS } from './message.ts';
import { className, classNumber, opcodeName, opcodeNumber, typeName, typeNumber } from './mnemonics.ts';
import { checkName, readName, writeName } from './names.ts';

export { formErrReply } from './header.ts';

/** Smallest UDP payload every resolver accepts (RFC 1035). */
export const MIN_UDP_SIZE = 512;
/** Largest UDP reply we send whatever the client advertises (the brief's cap, as in NSD/BIND). */
export const MAX_UDP_SIZE = 4096;
/** Largest DNS message: the TCP length prefix is 16 bits. */
export const MAX_MESSAGE_SIZE = 65535;

export interface EncodeOptions {
  /**
   * Largest encoding allowed. A larger message loses records (see `encodeMessage`).
   * Values below 512 count as 512.
   * @default 65535
   */
  maxSize?: number;
}

interface Sized { bytes: number }
interface RdataCodec { decode: ((buf: Buffer, offset: number) => unknown) & Sized }
interface DnsPacketInternals {
  record(type: string): RdataCodec;
  answer: { encode: ((a: Answer) => Buffer) & Sized };
}
// dns-packet exports its per-record codecs at run time; @types/dns-packet does not declare them.
const internals = dnsPacket as unknown as DnsPacketInternals;

const QR = 0x8000, AA = 0x0400, TC = 0x0200, RD = 0x0100, RA = 0x0080;
const CLASS_IN = 1;
const TYPE_OPT = 41;
const DO_BIT = 0x8000;

/** Record types whose RDATA dns-packet decodes into the shapes of `zone/record.ts`. */
const STRUCTURED = new Set([
  'A', 'AAAA', 'NS', 'CNAME', 'DNAME', 'PTR', 'SOA', 'MX', 'TXT', 'SRV', 'CAA', 'NAPTR',
  'SSHFP', 'TLSA', 'DS', 'DNSKEY', 'RRSIG', 'NSEC',
]);
const TYPE_SPF = 99;

const RCODE_BY_NUMBER = new Map<number, Rcode>(
  (Object.entries(RCODE_NUMBERS) as [Rcode, number][]).map(([name, n]) => [n, name]),
);

/**
 * The UDP reply size a query allows: 512 without EDNS, else its advertised size clamped to
 * [512, 4096]. The handler applies it (it has the decoded query); the listener does not decode.
 */
export function maxUdpReplySize(query: Pick<DnsMessage, 'edns'>): number {
  if (!query.edns) return MIN_UDP_SIZE;
  return Math.min(Math.max(query.edns.udpSize, MIN_UDP_SIZE), MAX_UDP_SIZE);
}

// ---------------------------------------------------------------------------------------------
// decode

/** Decodes one message. Throws only `WireError`. Trailing bytes are ignored, as miekg/dns does. */
export function decodeMessage(buf: Buffer): DnsMessage {
  try {
    return decodeUnchecked(buf);
  } catch (err) {
    if (err instanceof WireError) throw err;
    throw new WireError('malformed', `undecodable message: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }
}

interface DecodeState { buf: Buffer; offset: number; edns: EdnsInfo | null; extendedRcode: number }

function decodeUnchecked(buf: Buffer): DnsMessage {
  if (!Buffer.isBuffer(buf)) throw new WireError('malformed', 'message must be a Buffer');
  if (buf.length < HEADER_SIZE) throw new WireError('truncated', `message of ${buf.length} bytes is shorter than a header`);
  const flags = buf.readUInt16BE(2);
  const counts = [buf.readUInt16BE(4), buf.readUInt16BE(6), buf.readUInt16BE(8), buf.readUInt16BE(10)] as const;
  const state: DecodeState = { buf, offset: HEADER_SIZE, edns: null, extendedRcode: 0 };

  const questions: Question[] = [];
  for (let i = 0; i < counts[0]; i++) questions.push(readQuestion(state));
  const answers = readSection(state, counts[1], 'answer');
  const authorities = readSection(state, counts[2], 'authority');
  const additionals = readSection(state, counts[3], 'additional');

  const rcodeNumber = (state.extendedRcode << 4) | (flags & 0x000f);
  const rcode = RCODE_BY_NUMBER.get(rcodeNumber);
  if (rcode === undefined) throw new WireError('unsupported', `rcode ${rcodeNumber} is not one this server knows`);

  return {
    id: buf.readUInt16BE(0),
    response: (flags & QR) !== 0,
    opcode: opcodeName((flags >> 11) & 0xf),
    authoritative: (flags & AA) !== 0,
    truncated: (flags & TC) !== 0,
    recursionDesired: (flags & RD) !== 0,
    recursionAvailable: (flags & RA) !== 0,
    rcode,
    questions,
    answers,
    authorities,
    additionals,
    edns: state.edns,
  };
}

function readQuestion(state: DecodeState): Question {
  const { name, next } = readName(state.buf, state.offset);
  if (next + 4 > state.buf.length) throw new WireError('truncated', `question '${name}' is cut short`);
  state.offset = next + 4;
  return { name, type: typeName(state.buf.readUInt16BE(next)), class: className(state.buf.readUInt16BE(next + 2)) };
}

function readSection(state: DecodeState, count: number, section: string): ResourceRecord[] {
  const records: ResourceRecord[] = [];
  for (let i = 0; i < count; i++) {
    const { buf } = state;
    const { name: owner, next } = readName(buf, state.offset);
    if (next + 10 > buf.length) throw new WireError('truncated', `${section} record '${owner}' is cut short`);
    const type = buf.readUInt16BE(next);
    const klass = buf.readUInt16BE(next + 2);
    const ttl = buf.readUInt32BE(next + 4);
    const rdlength = buf.readUInt16BE(next + 8);
    const rdStart = next + 10;
    const rdEnd = rdStart + rdlength;
    if (rdEnd > buf.length) throw new WireError('truncated', `${section} record '${owner}' ${typeName(type)}: RDATA runs past the end of the message`);
    state.offset = rdEnd;

    if (type === TYPE_OPT) {
      readOpt(state, section, owner, klass, ttl);
      continue;
    }
    if (klass !== CLASS_IN) throw new WireError('unsupported', `${section} record '${owner}' ${typeName(type)} has class ${className(klass)}; only IN is served`);
    const rr = decodeRecord(buf.subarray(0, rdEnd), rdStart, owner, type, ttl);
    try {
      checkRecord(rr);
    } catch (err) {
      // Valid on the wire but not representable in our string form without loss.
      throw new WireError('unsupported', (err as Error).message, { cause: err });
    }
    records.push(rr);
  }
  return records;
}

function readOpt(state: DecodeState, section: string, owner: string, klass: number, ttl: number): void {
  if (section !== 'additional') throw new WireError('malformed', `OPT record in the ${section} section`);
  if (owner !== '.') throw new WireError('malformed', `OPT record owned by '${owner}' instead of the root`);
  if (state.edns) throw new WireError('malformed', 'more than one OPT record');
  state.extendedRcode = ttl >>> 24;
  state.edns = { udpSize: klass, do: (ttl & DO_BIT) !== 0, version: (ttl >>> 16) & 0xff };
}

/** `view` ends where the record's RDATA ends, so dns-packet cannot read into the next record. */
function decodeRecord(view: Buffer, rdStart: number, owner: string, type: number, ttl: number): ResourceRecord {
  const rdata = view.subarray(rdStart);
  const mnemonic = typeName(type);
  const base = { name: owner, ttl, class: 'IN' as const };
  if (type === TYPE_SPF) return { ...base, type: 'SPF', data: readCharacterStrings(rdata, owner) };
  if (!STRUCTURED.has(mnemonic)) return { ...base, type: `TYPE${type}`, data: Buffer.from(rdata) };

  const codec = internals.record(mnemonic);
  const data = codec.decode(view, rdStart - 2);
  if (codec.decode.bytes !== rdata.length + 2) {
    throw new WireError('malformed', `record '${owner}' ${mnemonic}: RDATA does not match its length ${rdata.length}`);
  }
  return { ...base, ...fromPacketData(mnemonic, data) } as ResourceRecord;
}

function readCharacterStrings(rdata: Buffer, owner: string): Buffer[] {
  const out: Buffer[] = [];
  let pos = 0;
  while (pos < rdata.length) {
    const len = rdata[pos] as number;
    if (pos + 1 + len > rdata.length) throw new WireError('malformed', `record '${owner}': character-string runs past its RDATA`);
    out.push(Buffer.from(rdata.subarray(pos + 1, pos + 1 + len)));
    pos += 1 + len;
  }
  return out;
}

const abs = (name: string): string => (name === '.' ? '.' : `${name}.`);

/** dns-packet spells unknown types `UNKNOWN_n`; we spell them `TYPEn`. */
function ourTypeName(packetName: string): string {
  if (packetName.startsWith('UNKNOWN_')) return typeName(Number(packetName.slice('UNKNOWN_'.length)));
  const n = typeNumber(packetName);
  if (n === undefined) throw new WireError('unsupported', `type '${packetName}' is not known`);
  return typeName(n);
}

/** A type bitmap is a set: windows out of order or repeated on the wire read as the same set. */
function canonicalTypes(packetNames: string[]): string[] {
  const numbers = new Set(packetNames.map((t) => typeNumber(ourTypeName(t)) as number));
  return [...numbers].sort((a, b) => a - b).map(typeName);
}

// The decoded RDATA objects are dns-packet's; their shapes are documented in @types/dns-packet.
// `any`-free access goes through this record view.
type Fields = Record<string, unknown>;

function fromPacketData(type: string, data: unknown): { type: string; data: unknown } {
  const d = data as Fields;
  const buf = (v: unknown): Buffer => Buffer.from(v as Buffer);
  switch (type) {
    case 'A': case 'AAAA':
      return { type, data };
    case 'NS': case 'CNAME': case 'DNAME': case 'PTR':
      return { type, data: abs(data as string) };
    case 'SOA':
      return { type, data: { mname: abs(d.mname as string), rname: abs(d.rname as string), serial: d.serial, refresh: d.refresh, retry: d.retry, expire: d.expire, minimum: d.minimum } };
    case 'MX':
      return { type, data: { preference: d.preference, exchange: abs(d.exchange as string) } };
    case 'TXT':
      return { type, data: (data as Buffer[]).map(buf) };
    case 'SRV':
      return { type, data: { priority: d.priority, weight: d.weight, port: d.port, target: abs(d.target as string) } };
    case 'CAA':
      return { type, data: { flags: d.flags, tag: d.tag, value: d.value, issuerCritical: d.issuerCritical } };
    case 'NAPTR':
      return { type, data: { order: d.order, preference: d.preference, flags: d.flags, services: d.services, regexp: d.regexp, replacement: abs(d.replacement as string) } };
    case 'SSHFP':
      return { type, data: { algorithm: d.algorithm, hash: d.hash, fingerprint: d.fingerprint } };
    case 'TLSA':
      return { type, data: { usage: d.usage, selector: d.selector, matchingType: d.matchingType, certificate: buf(d.certificate) } };
    case 'DS':
      return { type, data: { keyTag: d.keyTag, algorithm: d.algorithm, digestType: d.digestType, digest: buf(d.digest) } };
    case 'DNSKEY':
      return { type, data: { flags: d.flags, algorithm: d.algorithm, key: buf(d.key) } };
    case 'RRSIG':
      return {
        type,
        data: {
          typeCovered: ourTypeName(d.typeCovered as string), algorithm: d.algorithm, labels: d.labels,
          originalTTL: d.originalTTL, expiration: d.expiration, inception: d.inception, keyTag: d.keyTag,
          signersName: abs(d.signersName as string), signature: buf(d.signature),
        },
      };
    case 'NSEC':
      return { type, data: { nextDomain: abs(d.nextDomain as string), rrtypes: canonicalTypes(d.rrtypes as string[]) } };
    default:
      throw new WireError('unsupported', `no decoder for type ${type}`);
  }
}

// ---------------------------------------------------------------------------------------------
// encode

/**
 * Encodes `msg`. When the encoding exceeds `maxSize` (default 65535, the TCP limit), records
 * are dropped the way miekg/dns `Msg.Truncate` does (CoreDNS calls it for every reply): the
 * header and question always stay, the OPT record's size is reserved and it stays too; then
 * answer, authority and additional records are kept in order, whole, while they fit; at the
 * first one that does not fit, it and every later record (in any section) are dropped, and TC
 * is set. miekg works record by record, not RRset by RRset, and so do we. Throws only `WireError`.
 */
export function encodeMessage(msg: DnsMessage, opts: EncodeOptions = {}): Buffer {
  try {
    return encodeUnchecked(msg, opts);
  } catch (err) {
    if (err instanceof WireError) throw err;
    throw new WireError('malformed', `unencodable message: ${(err as Error)?.message ?? String(err)}`, { cause: err });
  }
}

function encodeUnchecked(msg: DnsMessage, opts: EncodeOptions): Buffer {
  const maxSize = Math.min(Math.max(opts.maxSize ?? MAX_MESSAGE_SIZE, MIN_UDP_SIZE), MAX_MESSAGE_SIZE);
  const questions = msg.questions.map(encodeQuestion);
  const sections = [msg.answers, msg.authorities, msg.additionals].map((rrs) => rrs.map(encodeRecord));
  const opt = msg.edns ? encodeOpt(msg.edns) : null;
  const optSize = opt ? opt.length : 0;

  const fixed = HEADER_SIZE + sum(questions);
  let truncated = msg.truncated;
  let kept = sections;
  if (fixed + sum(sections.flat()) + optSize > maxSize) {
    const budget = maxSize - optSize;
    let used = fixed;
    let full = false;
    kept = sections.map((records) => {
      const out: Buffer[] = [];
      for (const r of records) {
        if (full || used + r.length > budget) { full = true; break; }
        used += r.length;
        out.push(r);
      }
      return out;
    });
    truncated = true;
  }
  const [answers = [], authorities = [], additionals = []] = kept;
  if (questions.length > 0xffff) throw new WireError('malformed', 'more than 65535 questions');

  const header = Buffer.alloc(HEADER_SIZE);
  header.writeUInt16BE(checkUint(msg.id, 0xffff, 'id'), 0);
  header.writeUInt16BE(headerFlags(msg, truncated), 2);
  header.writeUInt16BE(questions.length, 4);
  header.writeUInt16BE(answers.length, 6);
  header.writeUInt16BE(authorities.length, 8);
  header.writeUInt16BE(additionals.length + (opt ? 1 : 0), 10);
  const parts = [header, ...questions, ...answers, ...authorities, ...additionals];
  if (opt) parts.push(opt);
  return Buffer.concat(parts);
}

const sum = (bufs: Buffer[]): number => bufs.reduce((n, b) => n + b.length, 0);

function headerFlags(msg: DnsMessage, truncated: boolean): number {
  const opcode = opcodeNumber(msg.opcode);
  if (opcode === undefined) throw new WireError('unsupported', `opcode '${msg.opcode}' is not known`);
  const rcode = RCODE_NUMBERS[msg.rcode];
  if (rcode === undefined) throw new WireError('unsupported', `rcode '${msg.rcode}' is not known`);
  return (msg.response ? QR : 0) | (opcode << 11) | (msg.authoritative ? AA : 0) | (truncated ? TC : 0)
    | (msg.recursionDesired ? RD : 0) | (msg.recursionAvailable ? RA : 0) | rcode;
}

function checkUint(value: unknown, max: number, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new WireError('malformed', `${what} must be an integer in [0, ${max}], got ${String(value)}`);
  }
  return value;
}

function encodeQuestion(q: Question): Buffer {
  checkName(q.name, 'question');
  const type = typeNumber(q.type);
  if (type === undefined) throw new WireError('unsupported', `question type '${q.type}' is not known`);
  const klass = classNumber(q.class);
  if (klass === undefined) throw new WireError('unsupported', `question class '${q.class}' is not known`);
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(type, 0);
  tail.writeUInt16BE(klass, 2);
  return Buffer.concat([writeName(q.name), tail]);
}

function encodeOpt(edns: EdnsInfo): Buffer {
  const out = Buffer.alloc(11);
  // out[0] = 0: the root owner name.
  out.writeUInt16BE(TYPE_OPT, 1);
  out.writeUInt16BE(checkUint(edns.udpSize, 0xffff, 'EDNS UDP size'), 3);
  out.writeUInt8(0, 5); // extended rcode: every Rcode we have fits in the header
  out.writeUInt8(checkUint(edns.version, 0xff, 'EDNS version'), 6);
  out.writeUInt16BE(edns.do ? DO_BIT : 0, 7);
  out.writeUInt16BE(0, 9); // no options
  return out;
}

function encodeRecord(rr: ResourceRecord): Buffer {
  checkRecord(rr);
  const answer = toPacketAnswer(rr);
  const out = internals.answer.encode(answer);
  return out.length === internals.answer.encode.bytes ? out : out.subarray(0, internals.answer.encode.bytes);
}

const MAX_CHARACTER_STRING = 255;

/** Rejects what dns-packet would write silently wrong (long labels, long strings, bad addresses). */
function checkRecord(rr: ResourceRecord): void {
  const what = `record '${String(rr.name)}' ${String(rr.type)}`;
  checkName(rr.name, what);
  checkUint(rr.ttl, 0xffffffff, `${what}: TTL`);
  if (rr.class !== 'IN') throw new WireError('unsupported', `${what}: class ${String(rr.class)} is not served`);
  const strings = (list: Buffer[]): void => {
    if (!Array.isArray(list)) throw new WireError('malformed', `${what}: data must be a list of Buffers`);
    for (const s of list) {
      if (!Buffer.isBuffer(s)) throw new WireError('malformed', `${what}: data must be a list of Buffers`);
      if (s.length > MAX_CHARACTER_STRING) throw new WireError('malformed', `${what}: a character-string is longer than 255 bytes`);
    }
  };
  const str = (s: string, field: string): void => {
    if (Buffer.byteLength(s) > MAX_CHARACTER_STRING) throw new WireError('malformed', `${what}: ${field} is longer than 255 bytes`);
  };
  switch (rr.type) {
    case 'A': if (!isIPv4(rr.data)) throw new WireError('malformed', `${what}: '${rr.data}' is not an IPv4 address`); break;
    case 'AAAA': if (!isIPv6(rr.data)) throw new WireError('malformed', `${what}: '${rr.data}' is not an IPv6 address`); break;
    case 'NS': case 'CNAME': case 'DNAME': case 'PTR': checkName(rr.data, what); break;
    case 'SOA': checkName(rr.data.mname, `${what} MNAME`); checkName(rr.data.rname, `${what} RNAME`, true); break;
    case 'MX': checkName(rr.data.exchange, what); break;
    case 'SRV': checkName(rr.data.target, what); break;
    case 'NAPTR':
      checkName(rr.data.replacement, what);
      str(rr.data.flags, 'flags'); str(rr.data.services, 'services'); str(rr.data.regexp, 'regexp');
      break;
    case 'RRSIG': checkName(rr.data.signersName, what); packetTypeName(rr.data.typeCovered, what); break;
    case 'NSEC': checkName(rr.data.nextDomain, what); for (const t of rr.data.rrtypes) packetTypeName(t, what); break;
    case 'TXT': case 'SPF': strings(rr.data); break;
    case 'CAA': str(rr.data.tag, 'tag'); break;
    case 'TLSA': if (!Buffer.isBuffer(rr.data.certificate)) throw new WireError('malformed', `${what}: certificate must be a Buffer`); break;
    case 'DS': if (!Buffer.isBuffer(rr.data.digest)) throw new WireError('malformed', `${what}: digest must be a Buffer`); break;
    case 'DNSKEY': if (!Buffer.isBuffer(rr.data.key)) throw new WireError('malformed', `${what}: key must be a Buffer`); break;
    case 'SSHFP':
      if (!/^([0-9a-fA-F]{2})*$/.test(rr.data.fingerprint)) throw new WireError('malformed', `${what}: fingerprint is not hex`);
      break;
    default:
      // Only `TYPEnnn` with raw bytes is left; anything else here came in untyped.
      if (typeNumber(rr.type) === undefined || !Buffer.isBuffer(rr.data)) {
        throw new WireError('unsupported', `${what}: type is not supported`);
      }
  }
}

/** dns-packet accepts `UNKNOWN_n` for every type number, which spares us its mnemonic list. */
function packetTypeName(type: string, what: string): string {
  const n = typeNumber(type);
  if (n === undefined) throw new WireError('unsupported', `${what}: type '${type}' is not known`);
  return `UNKNOWN_${n}`;
}

const bare = (name: string): string => (name === '.' ? '.' : name.replace(/\.$/, ''));

function characterStrings(list: Buffer[]): Buffer {
  return Buffer.concat(list.flatMap((s) => [Buffer.from([s.length]), s]));
}

function toPacketAnswer(rr: ResourceRecord): Answer {
  const base = { name: bare(rr.name), ttl: rr.ttl, class: 'IN' as const };
  let typed: { type: string; data: unknown };
  switch (rr.type) {
    case 'A': case 'AAAA': typed = { type: rr.type, data: rr.data }; break;
    case 'NS': case 'CNAME': case 'DNAME': case 'PTR': typed = { type: rr.type, data: bare(rr.data) }; break;
    case 'SOA': typed = { type: 'SOA', data: { ...rr.data, mname: bare(rr.data.mname), rname: bare(rr.data.rname) } }; break;
    case 'MX': typed = { type: 'MX', data: { ...rr.data, exchange: bare(rr.data.exchange) } }; break;
    case 'TXT': typed = { type: 'TXT', data: rr.data.slice() }; break;
    case 'SPF': typed = { type: `UNKNOWN_${TYPE_SPF}`, data: characterStrings(rr.data) }; break;
    case 'SRV': typed = { type: 'SRV', data: { ...rr.data, target: bare(rr.data.target) } }; break;
    // A fresh object: dns-packet's CAA encoder writes `flags` back into what it is given.
    case 'CAA': typed = { type: 'CAA', data: { ...rr.data } }; break;
    case 'NAPTR': typed = { type: 'NAPTR', data: { ...rr.data, replacement: bare(rr.data.replacement) } }; break;
    case 'SSHFP': case 'TLSA': case 'DS': case 'DNSKEY': typed = { type: rr.type, data: { ...rr.data } }; break;
    case 'RRSIG':
      typed = { type: 'RRSIG', data: { ...rr.data, typeCovered: packetTypeName(rr.data.typeCovered, rr.name), signersName: bare(rr.data.signersName) } };
      break;
    case 'NSEC':
      typed = { type: 'NSEC', data: { nextDomain: bare(rr.data.nextDomain), rrtypes: rr.data.rrtypes.map((t) => packetTypeName(t, rr.name)) } };
      break;
    default: {
      const n = typeNumber(rr.type);
      if (n === undefined || !Buffer.isBuffer(rr.data)) throw new WireError('unsupported', `record '${rr.name}': type ${String(rr.type)} is not supported`);
      typed = { type: `UNKNOWN_${n}`, data: rr.data };
    }
  }
  // Our shapes are dns-packet's (record.ts says so) apart from spelling; the cast bridges the
  // narrower literal types of @types/dns-packet (CAA tags, type names).
  return { ...base, ...typed } as unknown as Answer;
}
