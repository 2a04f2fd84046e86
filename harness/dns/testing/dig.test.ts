/**
 * dig and kdig output parsing, on output captured from the real tools (dig 9.18, kdig 3.2)
 * against NSD 4.6.
 */
import { describe, expect, it } from 'vitest';
import { digArgs, MissingToolError, normaliseRecord, parseDigOutput, parseRecordLine, recordSet, requireTools } from './dig.ts';

const DIG_TXT = `
; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> @127.0.0.1 -p 15353 txt.example.org TXT +norecurse +nocookie
; (1 server found)
;; global options: +cmd
;; Got answer:
;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 24645
;; flags: qr aa; QUERY: 1, ANSWER: 2, AUTHORITY: 2, ADDITIONAL: 3

;; OPT PSEUDOSECTION:
; EDNS: version: 0, flags:; udp: 1232
;; QUESTION SECTION:
;txt.example.org.		IN	TXT

;; ANSWER SECTION:
txt.example.org.	3600	IN	TXT	"hello world; with semicolons" "second string"
txt.example.org.	3600	IN	TXT	"a;b c"

;; AUTHORITY SECTION:
example.org.		3600	IN	NS	ns1.example.org.
example.org.		3600	IN	NS	ns2.example.net.

;; ADDITIONAL SECTION:
ns1.example.org.	3600	IN	A	192.0.2.53
ns1.example.org.	3600	IN	AAAA	2001:db8::53

;; Query time: 0 msec
;; SERVER: 127.0.0.1#15353(127.0.0.1) (UDP)
;; WHEN: Thu Dec 03 12:58:42 UTC 2026
;; MSG SIZE  rcvd: 208
`;

const KDIG_NXDOMAIN = `;; ->>HEADER<<- opcode: QUERY; status: NXDOMAIN; id: 17559
;; Flags: qr aa; QUERY: 1; ANSWER: 0; AUTHORITY: 1; ADDITIONAL: 0

;; QUESTION SECTION:
;; nope.example.org.   		IN	A

;; AUTHORITY SECTION:
example.org.        	300	IN	SOA	ns1.example.org. hostmaster.example.org. 2024010101 7200 3600 1209600 300

;; Received 85 B
;; Time 2026-12-03 12:58:42 UTC
;; From 127.0.0.1@15353(TCP) in 0.3 ms
`;

const DIG_REFERRAL = `;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 64658
;; flags: qr; QUERY: 1, ANSWER: 0, AUTHORITY: 2, ADDITIONAL: 3

;; OPT PSEUDOSECTION:
; EDNS: version: 0, flags:; udp: 1232
;; QUESTION SECTION:
;x.child.example.org.		IN	A

;; AUTHORITY SECTION:
child.example.org.	3600	IN	NS	ns.child.example.org.
child.example.org.	3600	IN	NS	ns2.example.net.

;; ADDITIONAL SECTION:
ns.child.example.org.	3600	IN	A	192.0.2.100
`;

describe('parseDigOutput', () => {
  it('reads dig: rcode, flags, and every section, with quoted TXT strings kept whole', () => {
    const r = parseDigOutput(DIG_TXT, 'dig');
    expect(r.rcode).toBe('NOERROR');
    expect(r.flags).toEqual(['aa', 'qr']);
    expect(r.answer.map((x) => x.data)).toEqual(['"hello world; with semicolons" "second string"', '"a;b c"']);
    expect(recordSet(r.authority)).toEqual(['example.org. 3600 IN NS ns1.example.org.', 'example.org. 3600 IN NS ns2.example.net.']);
    expect(r.additional.map((x) => x.type)).toEqual(['A', 'AAAA']);
  });

  it('reads kdig: `;`-separated header, capital Flags, question line not taken as a record', () => {
    const r = parseDigOutput(KDIG_NXDOMAIN, 'kdig');
    expect(r.rcode).toBe('NXDOMAIN');
    expect(r.flags).toEqual(['aa', 'qr']);
    expect(r.answer).toEqual([]);
    expect(r.authority).toEqual([{
      name: 'example.org.', ttl: 300, class: 'IN', type: 'SOA',
      data: 'ns1.example.org. hostmaster.example.org. 2024010101 7200 3600 1209600 300',
    }]);
    expect(r.additional).toEqual([]);
  });

  it('a referral has no aa flag and its glue is in additional', () => {
    const r = parseDigOutput(DIG_REFERRAL, 'dig');
    expect(r.flags).toEqual(['qr']);
    expect(r.authority).toHaveLength(2);
    expect(normaliseRecord(r.additional[0]!)).toBe('ns.child.example.org. 3600 IN A 192.0.2.100');
  });

  it('output without a header is an error, not an empty reply', () => {
    expect(() => parseDigOutput(';; connection timed out; no servers could be reached\n', 'dig')).toThrow(/HEADER/);
  });
});

describe('normaliseRecord', () => {
  it('lower-cases names outside quotes and keeps case and spacing inside them', () => {
    const r = parseRecordLine('WwW.ExAmPlE.oRg.\t3600\tin\tcname\tWeb.ExAmPlE.oRg.');
    expect(normaliseRecord(r)).toBe('www.example.org. 3600 IN CNAME web.example.org.');
    const t = parseRecordLine('T.example.org. 60 IN TXT   "Mixed  Case; \\"q\\""    "Two"');
    expect(normaliseRecord(t)).toBe('t.example.org. 60 IN TXT "Mixed  Case; \\"q\\"" "Two"');
  });
});

describe('requireTools and digArgs', () => {
  it('names the Debian package of a missing command', () => {
    expect(() => requireTools(['reloadleak-no-such-tool'])).toThrow(MissingToolError);
    expect(() => requireTools(['reloadleak-no-such-tool'])).toThrow(/install the Debian package reloadleak-no-such-tool/);
    const e = new MissingToolError('kdig', 'knot-dnsutils');
    expect(e.message).toContain('apt-get install -y knot-dnsutils');
  });

  it('asks without recursion, one try, TCP only when asked', () => {
    expect(digArgs({ tool: 'dig', port: 5300, name: 'a.', type: 'A' })).toEqual(['@127.0.0.1', '-p', '5300', 'a.', 'A', '+norecurse', '+time=2', '+tries=1', '+nocookie']);
    expect(digArgs({ tool: 'kdig', port: 5300, name: 'a.', type: 'A', tcp: true })).toEqual(['@127.0.0.1', '-p', '5300', 'a.', 'A', '+norecurse', '+time=2', '+retry=0', '+tcp']);
  });
});
