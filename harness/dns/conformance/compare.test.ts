/**
 * The comparator catches each kind of difference, and each per-row rule allows exactly the
 * difference it names (so nsd-compare.test.ts can fail).
 */
import { describe, expect, it } from 'vitest';
import { parseRecordLine, type DigResult } from '../testing/dig.ts';
import { compareReplies, type ConformanceRow, type SectionRule } from './compare.ts';

function reply(rcode: string, flags: string[], sections: Partial<Record<'answer' | 'authority' | 'additional', string[]>>): DigResult {
  const parse = (lines: string[] = []) => lines.map(parseRecordLine);
  return { tool: 'dig', rcode, flags, answer: parse(sections.answer), authority: parse(sections.authority), additional: parse(sections.additional), raw: '' };
}

const NS = ['example.org. 3600 IN NS ns1.example.org.', 'example.org. 3600 IN NS ns2.example.net.'];
const GLUE = ['ns1.example.org. 3600 IN A 192.0.2.53', 'ns1.example.org. 3600 IN AAAA 2001:db8::53'];
const HOST = ['host.example.org. 3600 IN A 192.0.2.80'];
const SOA = (ttl: number): string => `example.org. ${ttl} IN SOA ns1.example.org. hostmaster.example.org. 1 7200 3600 1209600 300`;

const row = (authority: SectionRule, additional: SectionRule, rest: Partial<ConformanceRow> = {}): ConformanceRow => ({
  id: 'T', name: 'host.example.org.', type: 'A', class: 'answer', rcode: 'NOERROR', aa: true, authority, additional, ...rest,
});
const GLUE_RULE: SectionRule = { kind: 'ref-adds-ns-glue', glue: ['ns1.example.org.'], why: 'test' };

describe('compareReplies', () => {
  const ref = reply('NOERROR', ['aa', 'qr'], { answer: HOST, authority: NS, additional: GLUE });

  it('accepts a reply that differs only as the rules allow', () => {
    const ours = reply('NOERROR', ['aa', 'qr'], { answer: HOST, authority: NS });
    expect(compareReplies(row({ kind: 'same' }, GLUE_RULE), ours, ref)).toEqual([]);
  });

  it('reports a different answer, rcode or AA', () => {
    const r = row({ kind: 'same' }, GLUE_RULE);
    expect(compareReplies(r, reply('NOERROR', ['aa', 'qr'], { answer: ['host.example.org. 3600 IN A 192.0.2.81'], authority: NS }), ref).join('\n')).toMatch(/answer differs/);
    expect(compareReplies(r, reply('NOERROR', ['aa', 'qr'], { answer: [...HOST, ...HOST], authority: NS }), ref).join('\n')).toMatch(/answer differs/);
    expect(compareReplies(r, reply('NXDOMAIN', ['aa', 'qr'], { answer: HOST, authority: NS }), ref).join('\n')).toMatch(/rcode: ours NXDOMAIN, ref NOERROR/);
    expect(compareReplies(r, reply('NOERROR', ['qr'], { answer: HOST, authority: NS }), ref).join('\n')).toMatch(/AA: ours false, ref true/);
  });

  it('holds both servers to the row\'s rcode and AA', () => {
    const r = row({ kind: 'same' }, GLUE_RULE, { rcode: 'NXDOMAIN' });
    const problems = compareReplies(r, reply('NOERROR', ['aa', 'qr'], { answer: HOST, authority: NS }), ref);
    expect(problems).toContain('ours: rcode NOERROR, row says NXDOMAIN');
    expect(problems).toContain('ref: rcode NOERROR, row says NXDOMAIN');
  });

  it('ref-adds-ns-glue: anything but the named glue must match, and the glue must be there', () => {
    const r = row({ kind: 'same' }, GLUE_RULE);
    const extra = reply('NOERROR', ['aa', 'qr'], { answer: HOST, authority: NS, additional: ['mail.example.org. 3600 IN A 192.0.2.25'] });
    expect(compareReplies(r, extra, ref).join('\n')).toMatch(/additional \(reference's NS glue aside\) differs/);
    const refWithout = reply('NOERROR', ['aa', 'qr'], { answer: HOST, authority: NS });
    expect(compareReplies(r, reply('NOERROR', ['aa', 'qr'], { answer: HOST, authority: NS }), refWithout).join('\n')).toMatch(/rule is stale/);
  });

  it('soa-ttl: the SOA must match TTL aside, and each side must have its pinned TTL', () => {
    const rule: SectionRule = { kind: 'soa-ttl', ours: 3600, ref: 300, why: 'test' };
    const r = row(rule, { kind: 'same' }, { rcode: 'NXDOMAIN', class: 'nxdomain' });
    const nsdNeg = reply('NXDOMAIN', ['aa', 'qr'], { authority: [SOA(300)] });
    expect(compareReplies(r, reply('NXDOMAIN', ['aa', 'qr'], { authority: [SOA(3600)] }), nsdNeg)).toEqual([]);
    expect(compareReplies(r, reply('NXDOMAIN', ['aa', 'qr'], { authority: [SOA(300)] }), nsdNeg).join('\n')).toMatch(/our SOA TTL 300, want 3600/);
    const otherSoa = SOA(3600).replace(' 1 7200', ' 2 7200');
    expect(compareReplies(r, reply('NXDOMAIN', ['aa', 'qr'], { authority: [otherSoa] }), nsdNeg).join('\n')).toMatch(/TTL aside\) differs/);
  });

  it('pinned: ours must be the pinned set, and the reference must still differ', () => {
    const rule: SectionRule = { kind: 'pinned', ours: NS, why: 'test' };
    const r = row(rule, { kind: 'same' });
    const nsdNoAuth = reply('NOERROR', ['aa', 'qr'], { answer: HOST });
    expect(compareReplies(r, reply('NOERROR', ['aa', 'qr'], { answer: HOST, authority: NS }), nsdNoAuth)).toEqual([]);
    expect(compareReplies(r, reply('NOERROR', ['aa', 'qr'], { answer: HOST }), nsdNoAuth).join('\n')).toMatch(/pinned to CoreDNS\) differs/);
    const nsdSame = reply('NOERROR', ['aa', 'qr'], { answer: HOST, authority: NS });
    expect(compareReplies(r, reply('NOERROR', ['aa', 'qr'], { answer: HOST, authority: NS }), nsdSame).join('\n')).toMatch(/reference gives the same/);
  });
});
