import { describe, expect, it } from 'vitest';
import type { ResourceRecord } from '../zone/record.ts';
import { decodeMessage, encodeMessage, formErrReply, maxUdpReplySize } from './codec.ts';
import { WireError } from './errors.ts';
import { screenQuery } from './header.ts';
import type { DnsMessage } from './message.ts';
import { replyTo } from './message.ts';
import { EVERY_TYPE, fuzzCorpus, rr, sampleMessage as message } from '../testing/wire-samples.ts';


describe('codec round trips', () => {
  it.each(EVERY_TYPE.map((r) => [`${r.type} ${r.name}`, r] as const))('%s encodes, decodes to the same record and re-encodes to the same bytes', (_label, record) => {
    for (const section of ['answers', 'authorities', 'additionals'] as const) {
      const msg = message({ [section]: [record] });
      const wire = encodeMessage(msg);
      const back = decodeMessage(wire);
      expect(back).toEqual(msg);
      expect(encodeMessage(back).equals(wire)).toBe(true);
    }
  });

  it('a message holding every type at once round-trips', () => {
    const msg = message({ answers: EVERY_TYPE, authorities: EVERY_TYPE.slice(0, 5), additionals: EVERY_TYPE.slice(5) });
    const wire = encodeMessage(msg);
    expect(decodeMessage(wire)).toEqual(msg);
    expect(encodeMessage(decodeMessage(wire)).equals(wire)).toBe(true);
  });

  it.each([
    [{ udpSize: 4096, do: true, version: 0 }],
    [{ udpSize: 512, do: false, version: 0 }],
    [{ udpSize: 1232, do: false, version: 1 }],
  ])('EDNS0 %o survives the round trip as an OPT record outside additionals', (edns) => {
    const msg = message({ edns, additionals: [EVERY_TYPE[0] as ResourceRecord] });
    const wire = encodeMessage(msg);
    const back = decodeMessage(wire);
    expect(back.edns).toEqual(edns);
    expect(back.additionals).toHaveLength(1);
    expect(wire.readUInt16BE(10)).toBe(2); // the OPT is counted on the wire
    expect(encodeMessage(back).equals(wire)).toBe(true);
  });

  it.each([
    ['QUERY', 'NOERROR'], ['NOTIFY', 'NXDOMAIN'], ['UPDATE', 'REFUSED'], ['OPCODE_3', 'SERVFAIL'], ['QUERY', 'FORMERR'], ['QUERY', 'NOTIMP'],
  ] as const)('header opcode %s and rcode %s round-trip with every flag', (opcode, rcode) => {
    const msg = message({ opcode, rcode, response: false, authoritative: true, truncated: true, recursionDesired: false, recursionAvailable: true });
    expect(decodeMessage(encodeMessage(msg))).toEqual(msg);
  });

  it('question case, unknown types and classes are kept as sent', () => {
    const msg = message({ questions: [{ name: 'WwW.ExAmPlE.oRg.', type: 'TYPE65534', class: 'CH' }, { name: '.', type: 'ANY', class: 'CLASS42' }] });
    expect(decodeMessage(encodeMessage(msg)).questions).toEqual(msg.questions);
  });

  it('replyTo output encodes (the server path)', () => {
    const query = decodeMessage(encodeMessage(message({ response: false, edns: { udpSize: 4096, do: true, version: 0 } })));
    const reply = decodeMessage(encodeMessage(replyTo(query)));
    expect(reply).toMatchObject({ id: 0x1234, response: true, questions: query.questions, edns: { udpSize: 1232, do: true } });
  });
});

describe('decode of foreign bytes', () => {
  // www.example.org A, with the answer owner compressed to the question name.
  const compressed = (
    '1234 8180 0001 0002 0000 0000 03777777 076578616d706c65 036f7267 00 0001 0001'
    + ' c00c 0005 0001 00000e10 0006 03616263 c010'
    + ' c02d 0001 0001 00000e10 0004 c0000201'
  );

  it('follows compression pointers in owner names and RDATA', () => {
    const m = decodeMessage(Buffer.from(compressed.replace(/ /g, ''), 'hex'));
    expect(m.answers).toEqual([
      { name: 'www.example.org.', ttl: 3600, class: 'IN', type: 'CNAME', data: 'abc.example.org.' },
      { name: 'abc.example.org.', ttl: 3600, class: 'IN', type: 'A', data: '192.0.2.1' },
    ]);
  });

  it('keeps a type we have no shape for as raw TYPEnnn bytes', () => {
    const hinfo = Buffer.from('0000 8000 0000 0001 0000 0000 00 000d 0001 0000003c 0006 03414243 01 58'.replace(/ /g, ''), 'hex');
    const m = decodeMessage(hinfo);
    expect(m.answers[0]).toEqual({ name: '.', ttl: 60, class: 'IN', type: 'TYPE13', data: Buffer.from('03414243' + '0158', 'hex') });
    expect(encodeMessage(m).equals(hinfo)).toBe(true);
  });

  it('ignores trailing bytes after the last record, as miekg/dns does', () => {
    const wire = Buffer.concat([encodeMessage(message()), Buffer.from([1, 2, 3])]);
    expect(decodeMessage(wire).questions).toHaveLength(1);
  });

  const header = (qd: number, an: number, ns: number, ar: number, flags = 0x0100): string =>
    `abcd${flags.toString(16).padStart(4, '0')}${[qd, an, ns, ar].map((n) => n.toString(16).padStart(4, '0')).join('')}`;
  const q = '076578616d706c6500 0001 0001';
  const ERRORS: Array<[string, string, WireError['code']]> = [
    ['empty buffer', '', 'truncated'],
    ['11-byte header', header(0, 0, 0, 0).slice(0, 22), 'truncated'],
    ['question promised but absent', header(1, 0, 0, 0), 'truncated'],
    ['question without type and class', header(1, 0, 0, 0) + '076578616d706c6500', 'truncated'],
    ['label runs past the end', header(1, 0, 0, 0) + '3f6162', 'truncated'],
    ['pointer to itself', header(1, 0, 0, 0) + 'c00c 0001 0001', 'malformed'],
    ['forward pointer', header(1, 0, 0, 0) + 'c020 0001 0001', 'malformed'],
    ['extended label type 0x40', header(1, 0, 0, 0) + '41 0001 0001', 'malformed'],
    ['name longer than 255 bytes', header(1, 0, 0, 0) + '3f'.concat('61'.repeat(63)).repeat(4) + '00 0001 0001', 'malformed'],
    ['A record with RDLENGTH 5', header(1, 1, 0, 0) + q + ' c00c 0001 0001 0000003c 0005 0102030405', 'malformed'],
    ['RDATA past the end', header(1, 1, 0, 0) + q + ' c00c 0001 0001 0000003c 0010 0102', 'truncated'],
    ['MX RDATA shorter than its name', header(1, 1, 0, 0) + q + ' c00c 000f 0001 0000003c 0003 000a 03', 'malformed'],
    ['DNSKEY with protocol 4', header(1, 1, 0, 0) + q + ' c00c 0030 0001 0000003c 0005 0101 04 0d 00', 'malformed'],
    ['two OPT records', header(1, 0, 0, 2) + q + ' 00 0029 1000 00000000 0000 00 0029 1000 00000000 0000', 'malformed'],
    ['OPT in the answer section', header(1, 1, 0, 0) + q + ' 00 0029 1000 00000000 0000', 'malformed'],
    ['OPT not owned by the root', header(1, 0, 0, 1) + q + ' c00c 0029 1000 00000000 0000', 'malformed'],
    ['record of class CH', header(1, 1, 0, 0) + q + ' c00c 0010 0003 0000003c 0002 0161', 'unsupported'],
    ['label holding a dot', header(1, 0, 0, 0) + '03612e62 00 0001 0001', 'unsupported'],
    ['label holding non-ASCII', header(1, 0, 0, 0) + '03c3a962 00 0001 0001', 'unsupported'],
    ['label holding a line break', header(1, 0, 0, 0) + '03610a62 00 0001 0001', 'unsupported'],
    ['rcode YXDOMAIN', header(1, 0, 0, 0, 0x8106) + q, 'unsupported'],
    ['extended rcode BADVERS via OPT', header(1, 0, 0, 1, 0x8100) + q + ' 00 0029 1000 01000000 0000', 'unsupported'],
  ];
  it.each(ERRORS)('%s is a WireError %#', (_what, hex, code) => {
    const buf = Buffer.from(hex.replace(/ /g, ''), 'hex');
    let caught: unknown = null;
    try {
      decodeMessage(buf);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(WireError);
    expect((caught as WireError).code).toBe(code);
  });
});

describe('encode refuses what cannot be valid on the wire', () => {
  const CASES: Array<[string, DnsMessage, WireError['code']]> = [
    ['64-byte label', message({ questions: [{ name: `${'a'.repeat(64)}.org.`, type: 'A', class: 'IN' }] }), 'malformed'],
    ['empty label', message({ answers: [rr({ name: 'a..org.', type: 'A', data: '1.2.3.4' })] }), 'malformed'],
    ['256-byte TXT string', message({ answers: [rr({ type: 'TXT', data: [Buffer.alloc(256)] })] }), 'malformed'],
    ['bad IPv4', message({ answers: [rr({ type: 'A', data: '1.2.3.256' })] }), 'malformed'],
    ['IPv4 in AAAA', message({ answers: [rr({ type: 'AAAA', data: '1.2.3.4' })] }), 'malformed'],
    ['TTL above 2^32-1', message({ answers: [rr({ type: 'A', data: '1.2.3.4', ttl: 2 ** 32 })] }), 'malformed'],
    ['SSHFP of unknown hash length', message({ answers: [rr({ type: 'SSHFP', data: { algorithm: 1, hash: 9, fingerprint: 'AB' } })] }), 'malformed'],
    ['unknown question type', message({ questions: [{ name: 'a.', type: 'BOGUS', class: 'IN' }] }), 'unsupported'],
    ['unknown opcode', message({ opcode: 'FROB' }), 'unsupported'],
    ['id out of range', message({ id: 70000 }), 'malformed'],
  ];
  it.each(CASES)('%s', (_what, msg, code) => {
    expect(() => encodeMessage(msg)).toThrow(WireError);
    try {
      encodeMessage(msg);
    } catch (err) {
      expect((err as WireError).code).toBe(code);
    }
  });
});

describe('truncation to a size limit (miekg/dns Msg.Truncate)', () => {
  const txt = (i: number): ResourceRecord => rr({ type: 'TXT', data: [Buffer.alloc(100, 0x61 + (i % 26))] });
  const big = message({ answers: Array.from({ length: 20 }, (_, i) => txt(i)) });

  it.each([
    [null, 512],
    [{ udpSize: 0, do: false, version: 0 }, 512],
    [{ udpSize: 1232, do: false, version: 0 }, 1232],
    [{ udpSize: 4096, do: true, version: 0 }, 4096],
    [{ udpSize: 65000, do: false, version: 0 }, 4096],
  ] as const)('EDNS %o allows UDP replies of %d bytes', (edns, size) => {
    expect(maxUdpReplySize({ edns })).toBe(size);
  });

  it('a big TXT answer over UDP without EDNS is cut to whole records, TC set, at most 512 bytes', () => {
    const full = encodeMessage(big);
    expect(full.length).toBeGreaterThan(2000);
    const wire = encodeMessage(big, { maxSize: maxUdpReplySize({ edns: null }) });
    expect(wire.length).toBeLessThanOrEqual(512);
    const back = decodeMessage(wire);
    expect(back.truncated).toBe(true);
    expect(back.questions).toEqual(big.questions);
    // Each record is 15 (owner) + 10 + 101 bytes; 12 + 17 of header and question leave room for 3.
    expect(back.answers).toEqual(big.answers.slice(0, 3));
  });

  it('with EDNS 4096 the same answer fits whole and TC stays clear', () => {
    const msg = { ...big, edns: { udpSize: 4096, do: false, version: 0 } };
    const wire = encodeMessage(msg, { maxSize: maxUdpReplySize(msg) });
    const back = decodeMessage(wire);
    expect(back.truncated).toBe(false);
    expect(back.answers).toHaveLength(20);
  });

  it('keeps the OPT record and reserves its room when truncating', () => {
    const msg = { ...big, edns: { udpSize: 1232, do: true, version: 0 } };
    const wire = encodeMessage(msg, { maxSize: 1232 });
    expect(wire.length).toBeLessThanOrEqual(1232);
    const back = decodeMessage(wire);
    expect(back.edns).toEqual(msg.edns);
    expect(back.truncated).toBe(true);
    expect(back.answers).toEqual(big.answers.slice(0, 9));
  });

  it('stops at the first record that does not fit, in every later section too', () => {
    const small = rr({ type: 'A', data: '192.0.2.9' });
    const msg = message({ answers: big.answers.slice(0, 3), authorities: [txt(5)], additionals: [small] });
    const back = decodeMessage(encodeMessage(msg, { maxSize: 512 }));
    expect(back.answers).toHaveLength(3);
    expect(back.authorities).toHaveLength(0);
    expect(back.additionals).toHaveLength(0); // it would fit, but miekg stops at the first miss
    expect(back.truncated).toBe(true);
  });

  it('a message under the limit is untouched and a set TC bit is kept', () => {
    const msg = message({ truncated: true, answers: [txt(0)] });
    expect(decodeMessage(encodeMessage(msg, { maxSize: 512 }))).toEqual(msg);
  });

  it('limits below 512 count as 512', () => {
    expect(encodeMessage(big, { maxSize: 100 }).length).toBe(encodeMessage(big, { maxSize: 512 }).length);
  });
});

describe('header screen and error replies', () => {
  const query = encodeMessage(message({ response: false, id: 0xbeef, recursionDesired: true }));
  const withFlags = (flags: number, counts?: [number, number, number, number]): Buffer => {
    const b = Buffer.from(query);
    b.writeUInt16BE(flags, 2);
    if (counts) counts.forEach((c, i) => b.writeUInt16BE(c, 4 + 2 * i));
    return b;
  };

  it.each([
    ['a normal query', query, 'accept'],
    ['11 bytes', query.subarray(0, 11), 'ignore'],
    ['a response', withFlags(0x8100), 'ignore'],
    ['opcode UPDATE', withFlags(5 << 11), 'notimp'],
    ['opcode NOTIFY', withFlags(4 << 11), 'accept'],
    ['no question', withFlags(0x0100, [0, 0, 0, 0]), 'formerr'],
    ['two questions', withFlags(0x0100, [2, 0, 0, 0]), 'formerr'],
    ['two answers', withFlags(0x0100, [1, 2, 0, 0]), 'formerr'],
    ['two authority records', withFlags(0x0100, [1, 0, 2, 0]), 'formerr'],
    ['three additionals', withFlags(0x0100, [1, 0, 0, 3]), 'formerr'],
  ] as const)('%s: %s', (_what, buf, verdict) => {
    expect(screenQuery(buf)).toBe(verdict);
  });

  it('FORMERR keeps id and RD, sets QR, clears the rest and echoes a readable question', () => {
    const broken = Buffer.concat([query.subarray(0, 4), Buffer.from([0, 1, 0, 1, 0, 0, 0, 0]), query.subarray(12)]);
    const reply = formErrReply(broken);
    expect(reply).not.toBeNull();
    const m = decodeMessage(reply as Buffer);
    expect(m).toMatchObject({ id: 0xbeef, response: true, rcode: 'FORMERR', opcode: 'QUERY', recursionDesired: true, authoritative: false, answers: [], edns: null });
    expect(m.questions).toEqual([{ name: 'example.org.', type: 'A', class: 'IN' }]);
  });

  it('FORMERR of a packet with an unreadable question is the header alone', () => {
    const junk = Buffer.from('beef0100000100000000000003', 'hex');
    const m = decodeMessage(formErrReply(junk) as Buffer);
    expect(m.questions).toEqual([]);
    expect(m.rcode).toBe('FORMERR');
  });

  it('fewer than 12 bytes get no reply at all', () => {
    expect(formErrReply(Buffer.alloc(11))).toBeNull();
    expect(formErrReply(Buffer.alloc(0))).toBeNull();
  });
});

describe('fuzz', () => {
  it('10,000 random and mutated packets: decode throws only WireError, and what decodes also encodes', () => {
    const corpus = fuzzCorpus(10_000, 6703);
    let decoded = 0;
    const codes = new Map<string, number>();
    for (const buf of corpus) {
      let msg: DnsMessage;
      try {
        msg = decodeMessage(buf);
      } catch (err) {
        if (!(err instanceof WireError)) throw new Error(`non-WireError for ${buf.toString('hex')}: ${String(err)}`);
        codes.set(err.code, (codes.get(err.code) ?? 0) + 1);
        continue;
      }
      decoded++;
      const again = encodeMessage(msg);
      expect(decodeMessage(again)).toEqual(msg);
      encodeMessage(replyTo(msg), { maxSize: maxUdpReplySize(msg) });
    }
    // The corpus must exercise both paths, or this test proves nothing.
    expect(decoded).toBeGreaterThan(500);
    expect(codes.get('malformed') ?? 0).toBeGreaterThan(100);
    expect(codes.get('truncated') ?? 0).toBeGreaterThan(100);
  });
});
