import { describe, expect, it } from 'vitest';
import type { DnsMessage, Rcode } from '../wire/message.ts';
import { replyTo } from '../wire/message.ts';
import type { ResourceRecord } from './record.ts';
import { Zone } from './zone.ts';
import { lookup, nameFromRight, replaceWithAsteriskLabel, type LookupResultCode, type Upstream } from './lookup.ts';
import { query, rr, sorted, zoneOf } from './test-fixtures.ts';
import { ZONE_A, ZONE_D, ZONE_SOA_ONLY } from './test-zones.ts';

const zoneA = zoneOf('example.com.', ZONE_A);
const zoneD = zoneOf('example.com.', ZONE_D);

function q(qname: string, qtype: string, extra: { do?: boolean; depth?: number } = {}) {
  return { qname, qtype, do: extra.do ?? false, depth: extra.depth ?? 0 };
}

describe('lookup result codes', () => {
  it.each([
    ['G3 apex SOA', zoneA, 'example.com.', 'SOA', 'Success'],
    ['G18 name without the type', zoneA, 'a.example.com.', 'MX', 'NoData'],
    ['G19 wildcard without the type', zoneA, 'wildcard.nodata.example.com.', 'MX', 'NoData'],
    ['G22 apex without the type', zoneA, 'example.com.', 'TXT', 'NoData'],
    ['G23 empty non-terminal', zoneA, 'x.example.com.', 'A', 'Success'],
    ['G8 no such name', zoneA, 'b.example.com.', 'A', 'NameError'],
    ['G25 below a zone cut', zoneD, 'a.delegated.example.com.', 'TXT', 'Delegation'],
    ['G26 NS at the cut', zoneD, 'delegated.example.com.', 'NS', 'Delegation'],
    ['G15 external CNAME, no upstream', zoneA, 'ext-cname.example.com.', 'A', 'ServerFailure'],
  ] as const)('%s → %s', async (_what, zone, qname, qtype, want) => {
    expect((await lookup(zone, q(qname, qtype), null)).result).toBe(want);
  });

  it('answers ServerFailure for a zone without SOA (not loaded yet)', async () => {
    const r = await lookup(new Zone('example.com.', 'f', 'i'), q('example.com.', 'SOA'), null);
    expect(r).toEqual({ result: 'ServerFailure', answer: [], ns: [], extra: [] });
  });

  it('answers ServerFailure past chase depth 8, but still answers apex SOA/NS there', async () => {
    expect((await lookup(zoneA, q('a.example.com.', 'A', { depth: 9 }), null)).result).toBe('ServerFailure');
    expect((await lookup(zoneA, q('a.example.com.', 'A', { depth: 8 }), null)).result).toBe('Success');
    expect((await lookup(zoneA, q('example.com.', 'SOA', { depth: 9 }), null)).result).toBe('Success');
  });

  it('answers ServerFailure for a name outside the origin', async () => {
    expect((await lookup(zoneA, q('example.org.', 'A'), null)).result).toBe('ServerFailure');
  });

  it('answers DS at a zone cut from the parent side instead of referring', async () => {
    const zone = zoneOf('example.com.', `${ZONE_D}\ndelegated.example.com. 1800 IN DS 12345 8 2 ABCDEF`);
    const ds = await lookup(zone, q('delegated.example.com.', 'DS'), null);
    expect(ds.result).toBe('Success');
    expect(sorted(ds.answer)).toEqual(['delegated.example.com. 1800 IN DS 12345 8 2 ABCDEF']);
    // Below the cut DS is just another referral.
    expect((await lookup(zone, q('a.delegated.example.com.', 'DS'), null)).result).toBe('Delegation');
  });

  it('answers the SOA-only zone\'s apex A with NameError (issue 6703\'s zone has no tree node)', async () => {
    const zone = zoneOf('example.com.', ZONE_SOA_ONLY);
    const r = await lookup(zone, q('example.com.', 'A'), null);
    expect(r.result).toBe('NameError');
    // One more name anywhere turns it into an empty non-terminal.
    const grown = zoneOf('example.com.', `${ZONE_SOA_ONLY}\nwww.example.com. 120 IN A 192.0.2.1`);
    expect((await lookup(grown, q('example.com.', 'A'), null)).result).toBe('Success');
  });

  it('lower-cases the question name itself', async () => {
    const r = await lookup(zoneA, q('WWW.Example.COM.', 'A'), null);
    expect(r.result).toBe('Success');
    expect(r.answer.map((x) => x.name)).toEqual(['www.example.com.', 'a.example.com.']);
  });

  it('returns stored TTLs, the SOA\'s own TTL in negative answers (no RFC 2308 clamp)', async () => {
    const zone = zoneOf('example.org.', `
      example.org. 86400 IN SOA ns.example.org. h.example.org. 1 7200 3600 1209600 60
      example.org. 86400 IN NS ns.example.org.
      a.example.org. 5 IN A 192.0.2.1
    `);
    const nx = await lookup(zone, q('b.example.org.', 'A'), null);
    expect(nx.ns.map((r) => r.ttl)).toEqual([86400]);
    expect((await lookup(zone, q('a.example.org.', 'A'), null)).answer.map((r) => r.ttl)).toEqual([5]);
  });
});

describe('CNAME chasing', () => {
  it('stops an in-zone CNAME loop after 9 hops with what it collected', async () => {
    const zone = zoneOf('example.com.', `
      example.com. 60 IN SOA ns.example.com. h.example.com. 1 1 1 1 1
      a.example.com. 60 IN CNAME b.example.com.
      b.example.com. 60 IN CNAME a.example.com.
    `);
    const r = await lookup(zone, q('a.example.com.', 'A'), null);
    expect(r.result).toBe('Success');
    expect(r.answer).toHaveLength(10);
  });

  it('ends the chain without a target record as Success with the apex NS (not the SOA)', async () => {
    const r = await lookup(zoneA, q('www.example.com.', 'MX'), null);
    expect(r.result).toBe('Success');
    expect(sorted(r.answer)).toEqual(['www.example.com. 1800 IN CNAME a.example.com.']);
    expect(r.ns).toHaveLength(4);
  });

  function reply(rcode: Rcode, answers: ResourceRecord[] = []): DnsMessage {
    const m = replyTo(query('external.example.', 'A'));
    m.rcode = rcode;
    m.answers = answers;
    return m;
  }
  const ext = rr('external.example. 60 IN A 198.51.100.1');

  it.each<[string, Upstream, LookupResultCode, number]>([
    ['NXDOMAIN', async () => reply('NXDOMAIN'), 'NameError', 1],
    ['SERVFAIL', async () => reply('SERVFAIL'), 'ServerFailure', 1],
    ['NOERROR, empty', async () => reply('NOERROR'), 'NoData', 1],
    ['NOERROR with an answer', async () => reply('NOERROR', [ext]), 'Success', 2],
    ['REFUSED', async () => reply('REFUSED'), 'Success', 1],
    ['no reply (null)', async () => null, 'Success', 1],
    ['an error', async () => Promise.reject(new Error('boom')), 'ServerFailure', 1],
  ])('maps an upstream %s to %s', async (_what, upstream, want, answers) => {
    const r = await lookup(zoneA, q('ext-cname.example.com.', 'A'), upstream);
    expect(r.result).toBe(want);
    expect(r.answer).toHaveLength(answers);
    expect(r.ns).toHaveLength(4);
  });

  it('asks the upstream for the CNAME target with the query type', async () => {
    const asked: Array<[string, string]> = [];
    await lookup(zoneA, q('ext-cname.example.com.', 'AAAA'), async (name, type) => {
      asked.push([name, type]);
      return null;
    });
    expect(asked).toEqual([['external.example.', 'AAAA']]);
  });
});

describe('DNSSEC OK', () => {
  const signed = zoneOf('example.com.', `
    example.com. 60 IN SOA ns.example.com. h.example.com. 1 1 1 1 1
    example.com. 60 IN NS ns.example.com.
    example.com. 60 IN RRSIG SOA 8 2 60 20300101000000 20200101000000 1 example.com. AAAA
    example.com. 60 IN RRSIG NS 8 2 60 20300101000000 20200101000000 1 example.com. AAAA
    a.example.com. 60 IN A 192.0.2.1
    a.example.com. 60 IN RRSIG A 8 3 60 20300101000000 20200101000000 1 example.com. AAAA
    a.example.com. 60 IN NSEC c.example.com. A RRSIG NSEC
    c.example.com. 60 IN A 192.0.2.3
    c.example.com. 60 IN NSEC example.com. A RRSIG NSEC
  `);

  it('adds no RRSIG or NSEC without the DO bit', async () => {
    const r = await lookup(signed, q('a.example.com.', 'A'), null);
    expect(r.answer.map((x) => x.type)).toEqual(['A']);
    expect(r.ns.map((x) => x.type)).toEqual(['NS']);
    expect((await lookup(signed, q('b.example.com.', 'A'), null)).ns.map((x) => x.type)).toEqual(['SOA']);
  });

  it('adds the covering RRSIGs and the denying NSEC with the DO bit', async () => {
    const r = await lookup(signed, q('a.example.com.', 'A', { do: true }), null);
    expect(r.answer.map((x) => x.type)).toEqual(['A', 'RRSIG']);
    expect(r.ns.map((x) => x.type)).toEqual(['NS', 'RRSIG']);
    const nx = await lookup(signed, q('b.example.com.', 'A', { do: true }), null);
    expect(nx.result).toBe('NameError');
    expect(nx.ns.map((x) => `${x.name} ${x.type}`)).toEqual(['example.com. SOA', 'example.com. RRSIG', 'a.example.com. NSEC']);
    const nodata = await lookup(signed, q('a.example.com.', 'MX', { do: true }), null);
    expect(nodata.ns.map((x) => `${x.name} ${x.type}`)).toEqual(['example.com. SOA', 'example.com. RRSIG', 'a.example.com. NSEC']);
  });
});

describe('name helpers of the lookup (vectors G49-G51, G63-G67)', () => {
  it.each([
    ['G49', '.', ''],
    ['G50', 'example.com.', '*.com.'],
    ['G51', 'www.example.com.', '*.example.com.'],
  ])('%s: replaceWithAsteriskLabel(%j) is %j', (_id, name, want) => {
    expect(replaceWithAsteriskLabel(name)).toBe(want);
  });

  it.each([
    ['G63', 'example.org.', 0, 'example.org.', false],
    ['G64', 'a.example.org.', 0, 'example.org.', false],
    ['G65', 'a.example.org.', 1, 'a.example.org.', false],
    ['G66', 'a.example.org.', 2, 'a.example.org.', true],
    ['G67', 'a.b.example.org.', 2, 'a.b.example.org.', false],
  ] as const)('%s: nameFromRight(%j, %i) is %j, overshoot %j', (_id, qname, i, want, shot) => {
    expect(nameFromRight('example.org.', qname, i)).toEqual([want, shot]);
  });
});

describe('a large zone', () => {
  it('builds 100k names and answers exact, empty non-terminal and NXDOMAIN lookups', async () => {
    const records: ResourceRecord[] = [rr('big.example. 60 IN SOA ns.big.example. h.big.example. 1 1 1 1 1')];
    for (let i = 0; i < 100_000; i++) {
      records.push({ name: `h${i}.r${i % 300}.big.example.`, ttl: 60, class: 'IN', type: 'A', data: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` });
    }
    const zone = Zone.fromRecords('big.example.', 'db.big', 'i', records);
    expect(zone.recordCount).toBe(100_001);
    expect((await lookup(zone, q('h99999.r99.big.example.', 'A'), null)).answer[0]?.data).toBe('10.1.134.159');
    expect((await lookup(zone, q('r7.big.example.', 'A'), null)).result).toBe('Success');
    expect((await lookup(zone, q('r300.big.example.', 'A'), null)).result).toBe('NameError');
  });
});
