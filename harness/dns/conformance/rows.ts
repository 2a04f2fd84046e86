/**
 * The query table for zones/db.example.org: each row names the sections compared with NSD and,
 * where CoreDNS and NSD differ, why, with CoreDNS's behaviour pinned
 * (coredns-semantics.md 4.3, v1.11 `file` plugin).
 */
import type { ConformanceRow, SectionRule } from './compare.ts';

export const ORIGIN = 'example.org.';

const SAME: SectionRule = { kind: 'same' };

/** Both servers put the apex NS RRset in the authority section of positive answers. */
const APEX_NS_BOTH = SAME;

const APEX_NS = ['example.org. 3600 IN NS ns1.example.org.', 'example.org. 3600 IN NS ns2.example.net.'];

const NS_GLUE: SectionRule = {
  kind: 'ref-adds-ns-glue',
  glue: ['ns1.example.org.'],
  why: 'NSD adds the address of the in-zone apex NS it put in authority; CoreDNS additional processing covers only MX/SRV targets and apex NS queries (semantics 4.3 step 5)',
};

/** SOA TTL 3600, MINIMUM 300 in the zone. */
const NEGATIVE_SOA: SectionRule = {
  kind: 'soa-ttl',
  ours: 3600,
  ref: 300,
  why: 'CoreDNS returns the SOA with its stored TTL, no RFC 2308 clamp (semantics 4.3 TTL rules); NSD gives min(SOA TTL, MINIMUM)',
};

const answer = (id: string, name: string, type: string, extra: Partial<ConformanceRow> = {}): ConformanceRow => ({
  id, name, type, class: 'answer', rcode: 'NOERROR', aa: true, authority: APEX_NS_BOTH, additional: NS_GLUE, ...extra,
});
const negative = (id: string, name: string, type: string, cls: 'nxdomain' | 'nodata' | 'ent', note?: string): ConformanceRow => ({
  id, name, type, class: cls, rcode: cls === 'nxdomain' ? 'NXDOMAIN' : 'NOERROR', aa: true,
  authority: NEGATIVE_SOA, additional: SAME, ...(note === undefined ? {} : { note }),
});
const referral = (id: string, name: string, type: string, note: string): ConformanceRow => ({
  id, name, type, class: 'referral', rcode: 'NOERROR', aa: false, authority: SAME, additional: SAME, note,
});

export const ROWS: readonly ConformanceRow[] = [
  // Apex: SOA and NS are kept beside the tree in CoreDNS (semantics 4.1), A/AAAA/MX in it.
  answer('N01', 'example.org.', 'SOA'),
  answer('N02', 'example.org.', 'NS', { authority: SAME, additional: SAME, note: 'both: NS in answer, no authority, ns1 glue in additional' }),
  answer('N03', 'example.org.', 'A'),
  answer('N04', 'example.org.', 'AAAA'),
  answer('N05', 'example.org.', 'MX', { note: 'additional: A/AAAA of the in-zone MX target mail.example.org from both' }),
  negative('N06', 'example.org.', 'TXT', 'nodata'),
  answer('N07', 'host.example.org.', 'A'),
  answer('N08', 'host.example.org.', 'AAAA'),
  negative('N09', 'mail.example.org.', 'MX', 'nodata'),
  // CNAMEs: www -> web -> host, chased inside the zone.
  answer('N10', 'www.example.org.', 'A', { class: 'cname' }),
  answer('N11', 'www.example.org.', 'AAAA', { class: 'cname' }),
  answer('N12', 'www.example.org.', 'CNAME', { class: 'cname', note: 'qtype CNAME: the CNAME itself, not chased' }),
  answer('N13', 'web.example.org.', 'A', { class: 'cname' }),
  answer('N14', 'www.example.org.', 'TXT', {
    class: 'cname',
    note: 'chain ends at a name without TXT',
    authority: {
      kind: 'pinned',
      ours: APEX_NS,
      why: 'CoreDNS returns the CNAME chain as Success with ns = apex NS (semantics 4.3 step 7.3); NSD answers NODATA at the target with the SOA',
    },
    additional: SAME,
  }),
  answer('N15', 'ext.example.org.', 'A', {
    class: 'cname',
    note: 'CNAME out of the zone; our upstream re-enters the server, which REFUSES example.net, counted as Success (semantics 4.3 step 7.2)',
    authority: {
      kind: 'pinned',
      ours: APEX_NS,
      why: 'CoreDNS v1.11 externalLookup returns ns = apex NS with the CNAME; NSD gives no authority for an out-of-zone target',
    },
    additional: SAME,
  }),
  // Wildcards (*.wild has A and TXT; *.alias is a CNAME).
  answer('N16', 'foo.wild.example.org.', 'A', { class: 'wildcard' }),
  answer('N17', 'foo.wild.example.org.', 'TXT', { class: 'wildcard' }),
  answer('N18', 'x.y.wild.example.org.', 'A', { class: 'wildcard', note: 'a wildcard covers several labels' }),
  negative('N19', 'foo.wild.example.org.', 'AAAA', 'nodata', 'wildcard NODATA: the wildcard has no AAAA'),
  answer('N20', 'sub.wild.example.org.', 'A', { note: 'an explicit name beside the wildcard wins' }),
  negative('N21', 'sub.wild.example.org.', 'TXT', 'nodata', 'the wildcard does not fill in types for an existing name'),
  negative('N22', 'x.sub.wild.example.org.', 'A', 'nxdomain', 'sub.wild exists, so *.wild does not apply below it'),
  answer('N23', 'foo.alias.example.org.', 'A', { class: 'wildcard', note: 'wildcard CNAME renamed to the qname, then chased' }),
  negative('N24', 'wild.example.org.', 'A', 'ent', 'the wildcard\'s parent exists only as an empty non-terminal'),
  // NXDOMAIN.
  negative('N25', 'nope.example.org.', 'A', 'nxdomain'),
  negative('N26', 'deep.nope.example.org.', 'AAAA', 'nxdomain'),
  // Empty non-terminals.
  negative('N27', 'ent.example.org.', 'A', 'ent'),
  negative('N28', 'b.ent.example.org.', 'TXT', 'ent'),
  answer('N29', 'a.b.ent.example.org.', 'A'),
  negative('N30', '_tcp.example.org.', 'SRV', 'ent'),
  // Delegation child.example.org with in-bailiwick glue.
  referral('N31', 'child.example.org.', 'NS', 'NS at the cut is a referral, not an answer'),
  referral('N32', 'www.child.example.org.', 'A', 'below the cut'),
  referral('N33', 'ns.child.example.org.', 'A', 'glue is not authoritative data: still a referral'),
  referral('N34', 'child.example.org.', 'SOA', 'the child\'s SOA is the child\'s business'),
  negative('N35', 'child.example.org.', 'DS', 'nodata', 'DS is answered by the parent side of the cut (semantics 4.3 step 4); there is none'),
  // TXT with spaces and semicolons, several strings; SRV with an in-zone target.
  answer('N36', 'txt.example.org.', 'TXT'),
  answer('N37', '_sip._tcp.example.org.', 'SRV', { note: 'additional: A/AAAA of the in-zone SRV target host.example.org from both' }),
  // Case: NSD echoes the query's case in owner names (compression to the question), CoreDNS
  // lower-cases them; names are compared case-insensitively.
  answer('N38', 'WwW.ExAmPlE.oRg.', 'A', { class: 'cname' }),
];
