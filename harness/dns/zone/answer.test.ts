/**
 * coredns-vectors.md section G, every row, through serveZone: rcode, AA and the three
 * sections (compared ignoring order; names, types, TTLs and RDATA exact). Rows whose
 * expectation changed after v1.11 pin the v1.11 behaviour and say so.
 */
import { describe, expect, it } from 'vitest';
import type { Rcode } from '../wire/message.ts';
import { Zone } from './zone.ts';
import { ask, sorted, zoneOf } from './test-fixtures.ts';
import { ZONE_A, ZONE_AW, ZONE_CE, ZONE_D, ZONE_DC, ZONE_E, ZONE_EW, ZONE_L, ZONE_MW, ZONE_SOA_ONLY, ZONE_W } from './test-zones.ts';

const zones = {
  A: zoneOf('example.com.', ZONE_A),
  D: zoneOf('example.com.', ZONE_D),
  W: zoneOf('example.org.', ZONE_W),
  CE: zoneOf('example.org.', ZONE_CE),
  EW: zoneOf('example.org.', ZONE_EW),
  AW: zoneOf('example.org.', ZONE_AW),
  MW: zoneOf('example.org.', ZONE_MW),
  E: zoneOf('example.com.', ZONE_E),
  SOA: zoneOf('example.com.', ZONE_SOA_ONLY),
  L: zoneOf('example.com.', ZONE_L),
  DC: zoneOf('example.org.', ZONE_DC),
};

const AUTH_A = ['ns1', 'ns2', 'ns3', 'ns4'].map((n) => `example.com. 1800 IN NS ${n}.example.net.`);
const SOA_A = 'example.com. 1800 IN SOA ns1.example.net. hostmaster.example.com. 1282630057 14400 3600 604800 14400';
const A_ADDR = ['a.example.com. 1800 IN A 192.0.2.78', 'a.example.com. 1800 IN AAAA 2001:db8::6735'];
const REF = ['delegated.example.com. 1800 IN NS a.delegated.example.com.', 'delegated.example.com. 1800 IN NS ns2.example.net.'];
const GLUE = ['a.delegated.example.com. 1800 IN A 192.0.2.78', 'a.delegated.example.com. 1800 IN AAAA 2001:db8::6735'];
const AUTH_W = ['example.org. 3600 IN NS a.iana-servers.net.', 'example.org. 3600 IN NS b.iana-servers.net.'];
const SOA_W = 'example.org. 3600 IN SOA sns.dns.icann.org. noc.dns.icann.org. 2015082541 7200 3600 1209600 3600';
const NS_B = ['example.org. 3600 IN NS b.iana-servers.net.'];
const SOA_EW = 'example.org. 3600 IN SOA ns.example.org. hostmaster.example.org. 1 7200 3600 1209600 3600';
const SOA_ONLY = 'example.com. 120 IN SOA examplens.com. example.email.com. 2024052714 900 180 1209600 180';
const DNAME_SELF = 'alias.example.com. 500 IN DNAME alias.example.com.';
const CNAME_SELF = 'www.alias.example.com. 500 IN CNAME www.alias.example.com.';
const WILD_LOOP = 'bar.foo.example.com. 500 IN CNAME bar.foo.example.com.';

interface Row {
  id: string;
  zone: keyof typeof zones;
  qname: string;
  qtype: string;
  rcode: Rcode;
  /** @default true */
  aa?: boolean;
  answer?: string[];
  ns?: string[];
  extra?: string[];
  /** Serve through a server, so the upstream can re-enter it. @default false (unit test, no server) */
  server?: boolean;
  /** The answer section must come in exactly this order. */
  ordered?: boolean;
}

const rows: Row[] = [
  // ZONE-A
  { id: 'G1', zone: 'A', qname: 'www.example.com.', qtype: 'A', rcode: 'NOERROR', answer: ['www.example.com. 1800 IN CNAME a.example.com.', 'a.example.com. 1800 IN A 192.0.2.78'], ns: AUTH_A },
  { id: 'G2', zone: 'A', qname: 'www.example.com.', qtype: 'AAAA', rcode: 'NOERROR', answer: ['www.example.com. 1800 IN CNAME a.example.com.', 'a.example.com. 1800 IN AAAA 2001:db8::6735'], ns: AUTH_A },
  { id: 'G3', zone: 'A', qname: 'example.com.', qtype: 'SOA', rcode: 'NOERROR', answer: [SOA_A], ns: AUTH_A },
  { id: 'G4', zone: 'A', qname: 'example.com.', qtype: 'AAAA', rcode: 'NOERROR', answer: ['example.com. 1800 IN AAAA 2001:db8::6735'], ns: AUTH_A },
  { id: 'G5', zone: 'A', qname: 'eXaMpLe.CoM.', qtype: 'AAAA', rcode: 'NOERROR', answer: ['example.com. 1800 IN AAAA 2001:db8::6735'], ns: AUTH_A },
  {
    id: 'G6', zone: 'A', qname: 'example.com.', qtype: 'MX', rcode: 'NOERROR', ns: AUTH_A,
    answer: ['1 mx1', '5 mx2', '5 mx3', '10 mx4', '10 mx5'].map((m) => `example.com. 1800 IN MX ${m}.example.net.`),
  },
  { id: 'G7', zone: 'A', qname: 'a.example.com.', qtype: 'SRV', rcode: 'NOERROR', ns: [SOA_A] },
  { id: 'G8', zone: 'A', qname: 'b.example.com.', qtype: 'A', rcode: 'NXDOMAIN', ns: [SOA_A] },
  { id: 'G9', zone: 'A', qname: 'srv.example.com.', qtype: 'SRV', rcode: 'NOERROR', answer: ['srv.example.com. 1800 IN SRV 10 10 8080 a.example.com.'], ns: AUTH_A, extra: A_ADDR },
  { id: 'G10', zone: 'A', qname: 'mx.example.com.', qtype: 'MX', rcode: 'NOERROR', answer: ['mx.example.com. 1800 IN MX 10 a.example.com.'], ns: AUTH_A, extra: A_ADDR },
  { id: 'G11', zone: 'A', qname: 'asterisk.x.example.com.', qtype: 'CNAME', rcode: 'NOERROR', answer: ['asterisk.x.example.com. 1800 IN CNAME www.example.com.'], ns: AUTH_A },
  { id: 'G12', zone: 'A', qname: 'a.b.x.example.com.', qtype: 'CNAME', rcode: 'NXDOMAIN', ns: [SOA_A] },
  { id: 'G13', zone: 'A', qname: 'asterisk.y.example.com.', qtype: 'A', rcode: 'NOERROR', answer: ['asterisk.y.example.com. 1800 IN A 192.0.2.78'], ns: AUTH_A },
  { id: 'G14', zone: 'A', qname: 'foo.dname.example.com.', qtype: 'CNAME', rcode: 'NOERROR', answer: ['dname.example.com. 1800 IN DNAME x.example.com.', 'foo.dname.example.com. 1800 IN CNAME foo.x.example.com.'], ns: AUTH_A },
  { id: 'G15', zone: 'A', qname: 'ext-cname.example.com.', qtype: 'A', rcode: 'SERVFAIL', answer: ['ext-cname.example.com. 1800 IN CNAME external.example.'], ns: AUTH_A },
  { id: 'G16', zone: 'A', qname: 'txt.example.com.', qtype: 'TXT', rcode: 'NOERROR', answer: ['txt.example.com. 1800 IN TXT "v=spf1 a mx ~all"'], ns: AUTH_A },
  { id: 'G17', zone: 'A', qname: 'caa.example.com.', qtype: 'CAA', rcode: 'NOERROR', answer: ['caa.example.com. 1800 IN CAA 0 issue "letsencrypt.org"'], ns: AUTH_A },
  { id: 'G18', zone: 'A', qname: 'a.example.com.', qtype: 'MX', rcode: 'NOERROR', ns: [SOA_A] },
  { id: 'G19', zone: 'A', qname: 'wildcard.nodata.example.com.', qtype: 'MX', rcode: 'NOERROR', ns: [SOA_A] },
  { id: 'G20', zone: 'A', qname: 'wildcard.nodata.example.com.', qtype: 'A', rcode: 'NOERROR', answer: ['wildcard.nodata.example.com. 1800 IN A 192.0.2.79'], ns: AUTH_A },
  { id: 'G21', zone: 'A', qname: 'example.com.', qtype: 'NS', rcode: 'NOERROR', answer: AUTH_A },
  { id: 'G22', zone: 'A', qname: 'example.com.', qtype: 'TXT', rcode: 'NOERROR', ns: [SOA_A] },
  { id: 'G23', zone: 'A', qname: 'x.example.com.', qtype: 'A', rcode: 'NOERROR', ns: [SOA_A] },
  { id: 'G24', zone: 'A', qname: 'ext-cname.example.com.', qtype: 'A', rcode: 'NOERROR', answer: ['ext-cname.example.com. 1800 IN CNAME external.example.'], ns: AUTH_A, server: true },
  // ZONE-D
  { id: 'G25', zone: 'D', qname: 'a.delegated.example.com.', qtype: 'TXT', rcode: 'NOERROR', aa: false, ns: REF, extra: GLUE },
  { id: 'G26', zone: 'D', qname: 'delegated.example.com.', qtype: 'NS', rcode: 'NOERROR', aa: false, ns: REF, extra: GLUE },
  { id: 'G27', zone: 'D', qname: 'foo.delegated.example.com.', qtype: 'A', rcode: 'NOERROR', aa: false, ns: REF, extra: GLUE },
  { id: 'G28', zone: 'D', qname: 'foo.delegated.example.com.', qtype: 'TXT', rcode: 'NOERROR', aa: false, ns: REF, extra: GLUE },
  { id: 'G29', zone: 'D', qname: 'foo.delegated.example.com.', qtype: 'SOA', rcode: 'NOERROR', aa: false, ns: REF, extra: GLUE },
  { id: 'G30', zone: 'D', qname: 'example.com.', qtype: 'SOA', rcode: 'NOERROR', answer: [SOA_A], ns: AUTH_A },
  { id: 'G31', zone: 'D', qname: 'example.com.', qtype: 'AAAA', rcode: 'NOERROR', ns: [SOA_A] },
  // ZONE-W
  { id: 'G32', zone: 'W', qname: 'wild.w.example.org.', qtype: 'TXT', rcode: 'NOERROR', answer: ['wild.w.example.org. 3600 IN TXT "Wildcard"'], ns: AUTH_W },
  { id: 'G33', zone: 'W', qname: 'wild.c.example.org.', qtype: 'TXT', rcode: 'NOERROR', answer: ['wild.c.example.org. 3600 IN TXT "c Wildcard"'], ns: AUTH_W },
  {
    id: 'G34', zone: 'W', qname: 'wild.d.example.org.', qtype: 'TXT', rcode: 'NOERROR', ns: AUTH_W,
    answer: ['wild.d.example.org. 3600 IN CNAME alias.example.org.', 'alias.example.org. 3600 IN TXT "Wildcard CNAME expansion"'],
  },
  { id: 'G35', zone: 'W', qname: 'alias.example.org.', qtype: 'TXT', rcode: 'NOERROR', answer: ['alias.example.org. 3600 IN TXT "Wildcard CNAME expansion"'], ns: AUTH_W },
  { id: 'G36', zone: 'W', qname: 'a.b.c.w.example.org.', qtype: 'TXT', rcode: 'NOERROR', answer: ['a.b.c.w.example.org. 3600 IN TXT "Not a wildcard"'], ns: AUTH_W },
  { id: 'G37', zone: 'W', qname: 'wild.w.example.org.', qtype: 'A', rcode: 'NOERROR', ns: [SOA_W] },
  // v1.11 (<= v1.14.6): the *.w found at the c.w level is kept across the empty non-terminal b.c.w.
  { id: 'G38', zone: 'W', qname: 'x.b.c.w.example.org.', qtype: 'TXT', rcode: 'NOERROR', answer: ['x.b.c.w.example.org. 3600 IN TXT "Wildcard"'], ns: AUTH_W },
  // ZONE-CE, v1.11 column
  { id: 'G39', zone: 'CE', qname: 'nonexistent.deeper.example.org.', qtype: 'A', rcode: 'NOERROR', answer: ['nonexistent.deeper.example.org. 3600 IN A 127.0.0.53'], ns: NS_B },
  { id: 'G40', zone: 'CE', qname: 'nonexistent.example.org.', qtype: 'A', rcode: 'NOERROR', answer: ['nonexistent.example.org. 3600 IN A 127.0.0.53'], ns: NS_B },
  // ZONE-EW, v1.11 column
  { id: 'G41', zone: 'EW', qname: 'something.e.example.org.', qtype: 'A', rcode: 'NXDOMAIN', ns: [SOA_EW] },
  { id: 'G42', zone: 'EW', qname: 'f.*.e.example.org.', qtype: 'A', rcode: 'NOERROR', answer: ['f.*.e.example.org. 3600 IN A 192.0.2.1'], ns: ['example.org. 3600 IN NS ns.example.org.'] },
  { id: 'G43', zone: 'EW', qname: 'missing.*.e.example.org.', qtype: 'A', rcode: 'NXDOMAIN', ns: [SOA_EW] },
  { id: 'G44', zone: 'EW', qname: 'missing.deep.e.example.org.', qtype: 'A', rcode: 'NXDOMAIN', ns: [SOA_EW] },
  { id: 'G45', zone: 'EW', qname: 'something.ordinary.example.org.', qtype: 'A', rcode: 'NOERROR', answer: ['something.ordinary.example.org. 3600 IN A 192.0.2.4'], ns: ['example.org. 3600 IN NS ns.example.org.'] },
  // ZONE-AW / ZONE-MW
  { id: 'G46', zone: 'AW', qname: 'foo.example.org.', qtype: 'A', rcode: 'NOERROR', answer: ['foo.example.org. 3600 IN A 127.0.0.54'], ns: NS_B },
  { id: 'G47', zone: 'AW', qname: 'bar.example.org.', qtype: 'A', rcode: 'NOERROR', answer: ['bar.example.org. 3600 IN A 127.0.0.53'], ns: NS_B },
  { id: 'G48', zone: 'MW', qname: 'bar.intern.example.org.', qtype: 'A', rcode: 'NOERROR', answer: ['bar.intern.example.org. 3600 IN A 127.0.1.52'], ns: NS_B },
  // ZONE-E
  { id: 'G52', zone: 'E', qname: 'b.c.example.com.', qtype: 'A', rcode: 'NOERROR', ns: [SOA_A] },
  { id: 'G53', zone: 'E', qname: 'c.example.com.', qtype: 'A', rcode: 'NOERROR', ns: [SOA_A] },
  { id: 'G54', zone: 'E', qname: 'd.example.com.', qtype: 'A', rcode: 'NXDOMAIN', ns: [SOA_A] },
  { id: 'G55', zone: 'E', qname: 'example.com.', qtype: 'A', rcode: 'NOERROR', ns: [SOA_A] },
  // Only a SOA (issue 6703's zone)
  { id: 'G56', zone: 'SOA', qname: 'example.com.', qtype: 'SOA', rcode: 'NOERROR', answer: [SOA_ONLY] },
  { id: 'G57', zone: 'SOA', qname: 'example.com.', qtype: 'A', rcode: 'NXDOMAIN', ns: [SOA_ONLY] },
  { id: 'G58', zone: 'SOA', qname: 'www.example.com.', qtype: 'A', rcode: 'NXDOMAIN', ns: [SOA_ONLY] },
  // ZONE-L through a server. v1.11: each chase level adds its CNAME before depth 9 fails.
  {
    id: 'G59', zone: 'L', qname: 'something.foo.example.com.', qtype: 'A', rcode: 'SERVFAIL', server: true,
    answer: ['something.foo.example.com. 500 IN CNAME bar.foo.example.com.', ...Array<string>(8).fill(WILD_LOOP)],
    ns: ['example.com. 500 IN NS ns1.outside.com.'],
  },
  // v1.11 (< v1.14.7): the self-referencing DNAME is chased until depth 9, one DNAME+CNAME per level.
  {
    id: 'G60', zone: 'L', qname: 'www.alias.example.com.', qtype: 'A', rcode: 'SERVFAIL', server: true,
    answer: Array.from({ length: 9 }, () => [DNAME_SELF, CNAME_SELF]).flat(),
    ns: ['example.com. 500 IN NS ns1.outside.com.'],
  },
  {
    id: 'G61', zone: 'L', qname: 'www.redirect.example.com.', qtype: 'A', rcode: 'NOERROR', server: true, ordered: true,
    answer: ['redirect.example.com. 500 IN DNAME target.example.com.', 'www.redirect.example.com. 500 IN CNAME www.target.example.com.', 'www.target.example.com. 500 IN A 192.0.2.1'],
    ns: ['example.com. 500 IN NS ns1.outside.com.'],
  },
  // v1.11 (<= v1.14.4, bug 6385): the authority is the apex NS, not the SOA.
  { id: 'G62', zone: 'DC', qname: 'name.example.org.', qtype: 'A', rcode: 'NXDOMAIN', server: true, answer: ['name.example.org. 3600 IN CNAME name2.example.org.'], ns: AUTH_W },
];

describe('serveZone answers the section G vectors (v1.11 semantics)', () => {
  it.each(rows)('$id: $qname $qtype → $rcode', async (row) => {
    const { reply } = await ask([zones[row.zone]], row.qname, row.qtype, { server: row.server ?? false });
    expect(reply.rcode).toBe(row.rcode);
    expect(reply.authoritative).toBe(row.aa ?? true);
    expect(reply.response).toBe(true);
    expect(sorted(reply.answers)).toEqual([...(row.answer ?? [])].sort());
    expect(sorted(reply.authorities)).toEqual([...(row.ns ?? [])].sort());
    expect(sorted(reply.additionals)).toEqual([...(row.extra ?? [])].sort());
    if (row.ordered) expect(reply.answers.map((r) => r.type)).toEqual(row.answer?.map((l) => l.split(' ')[3]));
  });
});

describe('serveZone reply building', () => {
  it('echoes the question in the client\'s case while answering in lower case (G5)', async () => {
    const { reply } = await ask([zones.A], 'eXaMpLe.CoM.', 'AAAA');
    expect(reply.questions).toEqual([{ name: 'eXaMpLe.CoM.', type: 'AAAA', class: 'IN' }]);
    expect(reply.answers[0]?.name).toBe('example.com.');
    expect(reply.id).toBe(4242);
  });

  it('writes nothing and returns SERVFAIL for a zone without SOA, so the server writes it', async () => {
    const served = await ask([new Zone('example.com.', 'db', 'i')], 'example.com.', 'SOA');
    expect(served.written).toBe(false);
    expect(served.handler.rcode).toBe('SERVFAIL');
    expect(served.reply.answers).toEqual([]);
    expect(served.reply.authorities).toEqual([]);
  });

  it('writes the reply and returns NOERROR for an unresolvable external CNAME (G15)', async () => {
    const served = await ask([zones.A], 'ext-cname.example.com.', 'A');
    expect(served.written).toBe(true);
    expect(served.handler.rcode).toBe('NOERROR');
    expect(served.reply.rcode).toBe('SERVFAIL');
  });

  it('writes NXDOMAIN itself and still returns NOERROR, as CoreDNS returns (0, nil)', async () => {
    const served = await ask([zones.A], 'b.example.com.', 'A');
    expect(served.written).toBe(true);
    expect(served.handler.rcode).toBe('NOERROR');
  });

  it.each(['AXFR', 'IXFR'])('refuses %s without writing (no transfer plugin)', async (qtype) => {
    const served = await ask([zones.A], 'example.com.', qtype);
    expect(served.written).toBe(false);
    expect(served.handler.rcode).toBe('REFUSED');
  });
});
