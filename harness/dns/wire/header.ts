/**
 * Header-level decisions that must work on bytes no full decoder accepted: which queries a
 * server even looks at, and the small error replies it sends for the rest. Modelled on
 * miekg/dns (the library under CoreDNS): `defaultMsgAcceptFunc` and the reply it writes
 * with `SetRcodeFormatError` when a message is rejected or fails to unpack.
 */
import { readName, writeName } from './names.ts';

export const HEADER_SIZE = 12;

const QR = 0x8000;
const OPCODE_MASK = 0x7800;
const AA = 0x0400;
const Z = 0x0040;
const RCODE_MASK = 0x000f;

/**
 * What miekg/dns's default accept function decides from the header alone:
 * - `ignore`: too short to have a header, or a response (QR set): no reply, so that nothing
 *   can be used to reflect traffic.
 * - `notimp`: an opcode other than QUERY or NOTIFY.
 * - `formerr`: not exactly one question, or more records than a query carries (ANCOUNT > 1,
 *   NSCOUNT > 1, ARCOUNT > 2).
 * - `accept`: decode it.
 */
export type HeaderVerdict = 'accept' | 'ignore' | 'notimp' | 'formerr';

export function screenQuery(buf: Buffer): HeaderVerdict {
  if (buf.length < HEADER_SIZE) return 'ignore';
  const flags = buf.readUInt16BE(2);
  if (flags & QR) return 'ignore';
  const opcode = (flags & OPCODE_MASK) >> 11;
  if (opcode !== 0 && opcode !== 4) return 'notimp';
  if (buf.readUInt16BE(4) !== 1) return 'formerr';
  if (buf.readUInt16BE(6) > 1 || buf.readUInt16BE(8) > 1 || buf.readUInt16BE(10) > 2) return 'formerr';
  return 'accept';
}

export interface ErrorReplyOptions {
  /** Copy the first question back when it can be read (miekg keeps what it unpacked). */
  echoQuestion: boolean;
  /** Keep the query's opcode (NOTIMP) instead of resetting it to QUERY (FORMERR). */
  keepOpcode: boolean;
}

/**
 * A header-only reply to `query` with `rcode`: same id, QR set, AA and Z cleared, the other
 * flags (RD, CD, ...) copied, no records and no OPT. Null when there is no header to answer.
 */
export function errorReply(query: Buffer, rcode: number, options: ErrorReplyOptions): Buffer | null {
  if (query.length < HEADER_SIZE) return null;
  const inFlags = query.readUInt16BE(2);
  let flags = (inFlags & ~(OPCODE_MASK | AA | Z | RCODE_MASK)) | QR | (rcode & RCODE_MASK);
  if (options.keepOpcode) flags |= inFlags & OPCODE_MASK;
  const question = options.echoQuestion ? firstQuestion(query) : null;
  const header = Buffer.alloc(HEADER_SIZE);
  header.writeUInt16BE(query.readUInt16BE(0), 0);
  header.writeUInt16BE(flags, 2);
  header.writeUInt16BE(question ? 1 : 0, 4);
  return question ? Buffer.concat([header, question]) : header;
}

function firstQuestion(query: Buffer): Buffer | null {
  if (query.readUInt16BE(4) < 1) return null;
  try {
    const { name, next } = readName(query, HEADER_SIZE);
    if (next + 4 > query.length) return null;
    return Buffer.concat([writeName(name), query.subarray(next, next + 4)]);
  } catch {
    // An unreadable question is simply not echoed; the header alone still answers.
    return null;
  }
}

/** FORMERR for a message that failed to decode (question echoed when readable); null if < 12 bytes. */
export function formErrReply(buf: Buffer): Buffer | null {
  return errorReply(buf, 1, { echoQuestion: true, keepOpcode: false });
}
