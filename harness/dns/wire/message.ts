/**
 * A DNS message as the subject handles it: decoded by the wire adapter, answered by the
 * plugin chain, encoded back by the wire adapter.
 */
import type { ResourceRecord } from '../zone/record.ts';

export type Rcode = 'NOERROR' | 'FORMERR' | 'SERVFAIL' | 'NXDOMAIN' | 'NOTIMP' | 'REFUSED';

export const RCODE_NUMBERS: Readonly<Record<Rcode, number>> = {
  NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5,
};

export interface Question {
  /** As the client sent it (case preserved), absolute with trailing dot. */
  name: string;
  /** Type mnemonic, e.g. `A`, `SOA`, `TYPE65534`. */
  type: string;
  class: string;
}

export interface EdnsInfo {
  /** Advertised UDP payload size. */
  udpSize: number;
  /** DNSSEC OK bit. */
  do: boolean;
  version: number;
}

export interface DnsMessage {
  id: number;
  /** QR bit: true for responses. */
  response: boolean;
  opcode: string;
  authoritative: boolean;
  truncated: boolean;
  recursionDesired: boolean;
  recursionAvailable: boolean;
  rcode: Rcode;
  questions: Question[];
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  additionals: ResourceRecord[];
  /** EDNS0 OPT, if present (kept out of `additionals`). */
  edns: EdnsInfo | null;
}

/** A reply skeleton for `query` (CoreDNS's SetReply): same id, question, RD; QR set. */
export function replyTo(query: DnsMessage): DnsMessage {
  return {
    id: query.id,
    response: true,
    opcode: query.opcode,
    authoritative: false,
    truncated: false,
    recursionDesired: query.recursionDesired,
    recursionAvailable: false,
    rcode: 'NOERROR',
    questions: query.questions.slice(0, 1),
    answers: [],
    authorities: [],
    additionals: [],
    edns: query.edns ? { udpSize: 1232, do: query.edns.do, version: 0 } : null,
  };
}

/** A standard query for one question (RD set unless told otherwise). */
export function queryMessage(name: string, type: string, opts: { id?: number; edns?: EdnsInfo | null; recursionDesired?: boolean } = {}): DnsMessage {
  return {
    id: opts.id ?? 0,
    response: false,
    opcode: 'QUERY',
    authoritative: false,
    truncated: false,
    recursionDesired: opts.recursionDesired ?? true,
    recursionAvailable: false,
    rcode: 'NOERROR',
    questions: [{ name, type, class: 'IN' }],
    answers: [],
    authorities: [],
    additionals: [],
    edns: opts.edns ?? null,
  };
}
