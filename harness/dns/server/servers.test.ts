/**
 * Query routing inside one server (semantics 1.5), on DnsServer directly: longest zone match,
 * then `.`, else REFUSED; non-IN REFUSED; FORMERR for 0 or 2 questions; an unwritten
 * SERVFAIL/REFUSED/FORMERR/NOTIMP from the chain becomes an empty reply with that rcode.
 */
import { describe, expect, it } from 'vitest';
import type { Handler, HandlerResult } from '../plugins/plugin.ts';
import type { DnsMessage, Rcode } from '../wire/message.ts';
import { silentLogger } from './log.ts';
import { DnsServer } from './servers.ts';

/** A chain that writes a reply naming itself in the additional section's absence: the TXT answer is its name. */
function tagging(tag: string, result: HandlerResult | null = null): Handler {
  return {
    name: tag,
    async serveDNS(req, w) {
      if (result !== null) return result;
      w.write({ ...req.message, response: true, answers: [{ name: req.qname, type: 'TXT', ttl: 0, class: 'IN', data: [Buffer.from(`${tag}|${req.zone}`)] }] });
      return { rcode: 'NOERROR' };
    },
  };
}

function q(name: string, opts: { cls?: string; questions?: number } = {}): DnsMessage {
  const question = { name, type: 'A', class: opts.cls ?? 'IN' };
  return {
    id: 7, response: false, opcode: 'QUERY', authoritative: false, truncated: false, recursionDesired: true,
    recursionAvailable: false, rcode: 'NOERROR', questions: Array.from({ length: opts.questions ?? 1 }, () => question),
    answers: [], authorities: [], additionals: [], edns: null,
  };
}

const META = { transport: 'udp' as const, remoteAddress: '127.0.0.1', remotePort: 5353 };

function server(zones: Record<string, Handler | null>): DnsServer {
  return new DnsServer('i0', '127.0.0.1', 0, new Map(Object.entries(zones)), silentLogger);
}

function tagOf(reply: DnsMessage | null): string | null {
  const rr = reply?.answers[0];
  return rr?.type === 'TXT' ? (rr.data[0]?.toString() ?? null) : null;
}

describe('routing', () => {
  const s = server({ 'example.org.': tagging('org'), 'sub.example.org.': tagging('sub'), '.': tagging('root') });
  const cases: Array<{ qname: string; tag: string }> = [
    { qname: 'www.sub.example.org.', tag: 'sub|sub.example.org.' },
    { qname: 'WWW.SUB.Example.ORG.', tag: 'sub|sub.example.org.' },
    { qname: 'sub.example.org.', tag: 'sub|sub.example.org.' },
    { qname: 'other.example.org.', tag: 'org|example.org.' },
    { qname: 'example.org.', tag: 'org|example.org.' },
    { qname: 'example.net.', tag: 'root|.' },
    { qname: '.', tag: 'root|.' },
  ];
  it.each(cases)('$qname goes to $tag', async ({ qname, tag }) => {
    expect(tagOf(await s.serveMessage(q(qname), META, 0))).toBe(tag);
  });

  it('no matching zone and no root zone: REFUSED', async () => {
    const only = server({ 'example.org.': tagging('org') });
    expect((await only.serveMessage(q('example.net.'), META, 0))?.rcode).toBe('REFUSED');
  });

  it('a zone whose block has no handler plugin (only reload): REFUSED', async () => {
    expect((await server({ '.': null }).serveMessage(q('a.'), META, 0))?.rcode).toBe('REFUSED');
  });

  it('non-IN class: REFUSED without reaching the chain', async () => {
    expect((await s.serveMessage(q('example.org.', { cls: 'CH' }), META, 0))?.rcode).toBe('REFUSED');
  });

  it.each([0, 2])('%i questions: FORMERR', async (n) => {
    expect((await s.serveMessage(q('example.org.', { questions: n }), META, 0))?.rcode).toBe('FORMERR');
  });
});

describe('unwritten results', () => {
  const written: Rcode[] = ['SERVFAIL', 'REFUSED', 'FORMERR', 'NOTIMP'];
  it.each(written)('chain returns %s without writing: the server writes an empty reply with it, no AA', async (rcode) => {
    const reply = await server({ '.': tagging('x', { rcode }) }).serveMessage(q('a.'), META, 0);
    expect(reply).toMatchObject({ rcode, authoritative: false, answers: [], response: true, id: 7 });
  });

  it.each(['NOERROR', 'NXDOMAIN'] as Rcode[])('chain returns %s without writing: nothing is sent', async (rcode) => {
    expect(await server({ '.': tagging('x', { rcode }) }).serveMessage(q('a.'), META, 0)).toBeNull();
  });

  it('a throwing plugin is answered SERVFAIL (CoreDNS recovers panics)', async () => {
    const boom: Handler = { name: 'boom', serveDNS: () => Promise.reject(new Error('boom')) };
    expect((await server({ '.': boom }).serveMessage(q('a.'), META, 0))?.rcode).toBe('SERVFAIL');
  });
});

describe('upstream', () => {
  it('re-enters the same server with depth + 1', async () => {
    const seen: Array<[string, number]> = [];
    const chasing: Handler = {
      name: 'chase',
      async serveDNS(req, w) {
        seen.push([req.qname, req.depth]);
        if (req.qname === 'a.example.org.') {
          const inner = await req.upstream('b.example.org.', 'A');
          w.write({ ...req.message, response: true, answers: inner?.answers ?? [] });
          return { rcode: 'NOERROR' };
        }
        return tagging('inner').serveDNS(req, w);
      },
    };
    const reply = await server({ 'example.org.': chasing }).serveMessage(q('a.example.org.'), META, 0);
    expect(seen).toEqual([['a.example.org.', 0], ['b.example.org.', 1]]);
    expect(tagOf(reply)).toBe('inner|example.org.');
  });
});
