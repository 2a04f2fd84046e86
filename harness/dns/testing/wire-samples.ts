/**
 * Sample wire data shared by the codec and listener tests: one record of every type in
 * zone/record.ts, and a reproducible corpus of random and mutated packets.
 */
import { encodeMessage } from '../wire/codec.ts';
import { prng } from './prng.ts';
export { prng };
import type { DnsMessage } from '../wire/message.ts';
import type { ResourceRecord } from '../zone/record.ts';

/** A response for `example.org. A` with the given fields replaced. */
export function sampleMessage(over: Partial<DnsMessage> = {}): DnsMessage {
  return {
    id: 0x1234, response: true, opcode: 'QUERY', authoritative: true, truncated: false,
    recursionDesired: true, recursionAvailable: false, rcode: 'NOERROR',
    questions: [{ name: 'example.org.', type: 'A', class: 'IN' }],
    answers: [], authorities: [], additionals: [], edns: null, ...over,
  };
}

export const rr = (data: Omit<ResourceRecord, 'name' | 'ttl' | 'class'> & Partial<ResourceRecord>): ResourceRecord =>
  ({ name: 'www.example.org.', ttl: 3600, class: 'IN', ...data }) as ResourceRecord;

/** One record of every type in zone/record.ts. */
export const EVERY_TYPE: ResourceRecord[] = [
  rr({ type: 'A', data: '192.0.2.1' }),
  rr({ type: 'AAAA', data: '2001:db8::1' }),
  rr({ type: 'NS', data: 'ns1.example.org.' }),
  rr({ type: 'CNAME', data: 'target.example.net.' }),
  rr({ type: 'DNAME', data: 'example.net.' }),
  rr({ type: 'PTR', data: 'host.example.org.' }),
  rr({ name: 'example.org.', type: 'SOA', data: { mname: 'ns1.example.org.', rname: 'hostmaster.example.org.', serial: 2024010101, refresh: 7200, retry: 3600, expire: 1209600, minimum: 300 } }),
  rr({ type: 'SOA', data: { mname: '.', rname: 'john\\.doe.example.org.', serial: 4294967295, refresh: 0, retry: 1, expire: 2, minimum: 3 } }),
  rr({ type: 'MX', data: { preference: 10, exchange: 'mail.example.org.' } }),
  rr({ type: 'TXT', data: [Buffer.from('v=spf1 -all'), Buffer.alloc(0), Buffer.alloc(255, 0x61), Buffer.from([0, 1, 0xff])] }),
  rr({ type: 'SPF', data: [Buffer.from('v=spf1 include:example.net ~all')] }),
  rr({ type: 'SRV', data: { priority: 0, weight: 5, port: 5060, target: 'sip.example.org.' } }),
  rr({ type: 'CAA', data: { flags: 0, tag: 'issue', value: 'ca.example.net', issuerCritical: false } }),
  rr({ type: 'CAA', data: { flags: 128, tag: 'iodef', value: 'mailto:sec@example.org', issuerCritical: true } }),
  rr({ type: 'NAPTR', data: { order: 100, preference: 10, flags: 'S', services: 'SIP+D2U', regexp: '', replacement: '_sip._udp.example.org.' } }),
  rr({ type: 'NAPTR', data: { order: 1, preference: 2, flags: 'U', services: 'E2U+sip', regexp: '!^.*$!sip:info@example.org!', replacement: '.' } }),
  rr({ type: 'SSHFP', data: { algorithm: 4, hash: 2, fingerprint: '8F7A3C1E0D9B2A4F6E5D4C3B2A1908F7E6D5C4B3A29180F7E6D5C4B3A2918070' } }),
  rr({ type: 'SSHFP', data: { algorithm: 1, hash: 1, fingerprint: '0123456789ABCDEF0123456789ABCDEF01234567' } }),
  rr({ type: 'TLSA', data: { usage: 3, selector: 1, matchingType: 1, certificate: Buffer.from('d2abde240d7cd3ee6b4b28c54df034b97983a1d16e8a410e4561cb106618e971', 'hex') } }),
  rr({ type: 'DS', data: { keyTag: 60485, algorithm: 5, digestType: 1, digest: Buffer.from('2bb183af5f22588179a53b0a98631fad1a292118', 'hex') } }),
  rr({ type: 'DNSKEY', data: { flags: 257, algorithm: 13, key: Buffer.from('mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==', 'base64') } }),
  rr({ type: 'RRSIG', data: { typeCovered: 'A', algorithm: 13, labels: 3, originalTTL: 3600, expiration: 1700000000, inception: 1690000000, keyTag: 12345, signersName: 'example.org.', signature: Buffer.alloc(64, 7) } }),
  rr({ type: 'RRSIG', data: { typeCovered: 'TYPE65534', algorithm: 8, labels: 2, originalTTL: 60, expiration: 2, inception: 1, keyTag: 1, signersName: 'example.org.', signature: Buffer.from([1, 2, 3]) } }),
  rr({ type: 'NSEC', data: { nextDomain: 'z.example.org.', rrtypes: ['A', 'MX', 'RRSIG', 'NSEC', 'CAA', 'TYPE65534'] } }),
  rr({ type: 'TYPE65534', data: Buffer.from([0x07, 0xe4, 0x00, 0x00, 0x01]) }),
  rr({ type: 'TYPE65534', data: Buffer.alloc(0) }),
  rr({ name: '*.example.org.', type: 'A', data: '10.0.0.1' }),
  rr({ name: '.', type: 'NS', data: 'a.root-servers.net.' }),
];


/** Random buffers and mutations of valid messages (the same corpus the listener test sends). */
export function fuzzCorpus(count: number, seed: number): Buffer[] {
  const rand = prng(seed);
  const int = (n: number): number => Math.floor(rand() * n);
  const seeds = [
    encodeMessage(sampleMessage({ response: false, answers: [], edns: { udpSize: 4096, do: true, version: 0 } })),
    encodeMessage(sampleMessage({ answers: EVERY_TYPE })),
    Buffer.from('1234818000010002000000000377777707657861' + '6d706c65036f72670000010001c00c000500010000' + '0e10000603616263c010c02d000100010000' + '0e100004c0000201', 'hex'),
  ];
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 3 === 0) {
      const b = Buffer.alloc(int(80));
      for (let j = 0; j < b.length; j++) b[j] = int(256);
      // Half of them get a plausible header so that decoding goes past it.
      if (b.length >= 12 && i % 2 === 0) b.writeUInt32BE(0x00010000 | int(4), 4);
      out.push(b);
      continue;
    }
    let b = Buffer.from(seeds[int(seeds.length)] as Buffer);
    const edits = 1 + int(4);
    for (let e = 0; e < edits; e++) {
      switch (int(5)) {
        case 0: if (b.length) b[int(b.length)] = int(256); break;
        case 1: b = b.subarray(0, int(b.length + 1)); break;
        case 2: if (b.length >= 12) b.writeUInt16BE(int(6), 4 + 2 * int(4)); break;
        case 3: { const at = int(b.length + 1); b = Buffer.concat([b.subarray(0, at), Buffer.from([int(256), int(256)]), b.subarray(at)]); break; }
        case 4: if (b.length > 2) b[int(b.length)] = 0xc0; break;
      }
    }
    out.push(b);
  }
  return out;
}

