/**
 * The reply cache of a DnsServer: a repeated question is answered from the cache (same bytes,
 * the query's own id), and a cached answer changes when the zone data does: after a reload
 * with a new serial, after auto's walk adds or removes a zone, and after a restart. Chains
 * with a plugin in front that does something per query (log) are never cached.
 */
import diagnostics from 'node:diagnostics_channel';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildQuery, query, queryRaw } from '../testing/client.ts';
import { startServer, type StartedServer } from '../testing/start.ts';
import { encodeMessage } from '../wire/codec.ts';
import { bumpAnswerEpoch } from '../zone/answer-epoch.ts';
import { channelName } from './events.ts';
import type { DnsProcess } from './process-state.ts';
import { ReplyCache } from './reply-cache.ts';
import type { DnsServer } from './servers.ts';

function zoneText(origin: string, serial: number, www: string): string {
  return [
    '$TTL 3600',
    `$ORIGIN ${origin}`,
    `@ IN SOA sns.dns.icann.org. noc.dns.icann.org. ${serial} 7200 3600 1209600 3600`,
    '@ IN NS a.iana-servers.net.',
    `www IN A ${www}`,
    '',
  ].join('\n');
}

async function until(cond: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function firstServer(proc: DnsProcess): DnsServer {
  const s = proc.current()?.servers[0];
  if (s === undefined) throw new Error('no server');
  return s;
}

async function addressOf(port: number, name: string): Promise<string | undefined> {
  const reply = await query({ port, name, type: 'A' });
  const rr = reply.answers[0];
  return rr?.type === 'A' ? rr.data : reply.rcode;
}

const META = { transport: 'udp' as const, remoteAddress: '127.0.0.1', remotePort: 5353 };

let server: StartedServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('reply cache', () => {
  it('answers a repeated question from the cache with the id and question case of each query', async () => {
    const s = (server = await startServer('example.org:0 {\n    file db.example.org {\n        reload 0\n    }\n}\n', {
      files: { 'db.example.org': zoneText('example.org.', 1, '192.0.2.1') },
    }));
    const wire = encodeMessage(buildQuery({ name: 'WWW.Example.org.', type: 'A', id: 0x1111 }));
    const first = await queryRaw(wire, { port: s.port() });
    const dns = firstServer(s.process);
    expect(dns.replyCache.size).toBe(1);
    const again = Buffer.from(wire);
    again.writeUInt16BE(0x2222, 0);
    const cached = dns.serveCached(again, META);
    expect(cached?.readUInt16BE(0)).toBe(0x2222);
    expect(cached?.subarray(2)).toEqual(first.subarray(2));
    // Over the wire too, and the question keeps the case it was asked in.
    const second = await queryRaw(again, { port: s.port() });
    expect(second).toEqual(cached);
    expect(second.includes(Buffer.from('Example'))).toBe(true);
    // TCP is keyed apart (its size limit differs).
    expect(dns.serveCached(again, { ...META, transport: 'tcp' })).toBeUndefined();
  });

  it('a cached answer changes after a reload with a new serial', async () => {
    const s = (server = await startServer('example.org:0 {\n    file db.example.org {\n        reload 1s\n    }\n}\n', {
      files: { 'db.example.org': zoneText('example.org.', 1, '192.0.2.1') },
      timeScale: 0.01,
    }));
    expect(await addressOf(s.port(), 'www.example.org.')).toBe('192.0.2.1');
    expect(await addressOf(s.port(), 'www.example.org.')).toBe('192.0.2.1');
    const wire = encodeMessage(buildQuery({ name: 'www.example.org.', type: 'A', id: 1 }));
    await queryRaw(wire, { port: s.port() });
    expect(firstServer(s.process).serveCached(wire, META)).toBeDefined();
    await s.write('db.example.org', zoneText('example.org.', 2, '192.0.2.2'));
    await until(async () => (await addressOf(s.port(), 'www.example.org.')) === '192.0.2.2');
  });

  it('a cached answer changes after a restart (the new instance reads the file again)', async () => {
    const corefile = 'example.org:0 {\n    file db.example.org {\n        reload 0\n    }\n}\n';
    const s = (server = await startServer(corefile, { files: { 'db.example.org': zoneText('example.org.', 1, '192.0.2.1') } }));
    expect(await addressOf(s.port(), 'www.example.org.')).toBe('192.0.2.1');
    expect(await addressOf(s.port(), 'www.example.org.')).toBe('192.0.2.1');
    // Same serial: only a new instance can see it.
    await s.write('db.example.org', zoneText('example.org.', 1, '192.0.2.3'));
    expect(await addressOf(s.port(), 'www.example.org.')).toBe('192.0.2.1');
    await s.process.restart(corefile);
    expect(await addressOf(s.port(), 'www.example.org.')).toBe('192.0.2.3');
  });

  it('auto: a zone added by the walk takes over cached names below it; a removed one gives them back', async () => {
    const s = (server = await startServer('.:0 {\n    auto {\n        directory zones\n        reload 1s\n    }\n}\n', {
      files: { 'zones/db.example.org': zoneText('example.org.', 1, '192.0.2.1') },
      timeScale: 0.01,
    }));
    const name = 'www.sub.example.org.';
    expect(await addressOf(s.port(), name)).toBe('NXDOMAIN');
    expect(await addressOf(s.port(), name)).toBe('NXDOMAIN');
    await s.write('zones/db.sub.example.org', zoneText('sub.example.org.', 1, '192.0.2.7'));
    await until(async () => (await addressOf(s.port(), name)) === '192.0.2.7');
    await rm(join(s.dir, 'zones/db.sub.example.org'));
    await until(async () => (await addressOf(s.port(), name)) === 'NXDOMAIN');
  });

  it('a chain with log in front is not cached: every query is logged', async () => {
    const lines: string[] = [];
    const s = (server = await startServer('example.org:0 {\n    log\n    file db.example.org {\n        reload 0\n    }\n}\n', {
      files: { 'db.example.org': zoneText('example.org.', 1, '192.0.2.1') },
      logSink: (l) => lines.push(l),
    }));
    for (let i = 0; i < 3; i++) await addressOf(s.port(), 'www.example.org.');
    expect(firstServer(s.process).replyCache.size).toBe(0);
    expect(lines.filter((l) => l.includes('"A IN www.example.org.'))).toHaveLength(3);
  });

  it('a cached answer still publishes query:done', async () => {
    const s = (server = await startServer('example.org:0 {\n    file db.example.org {\n        reload 0\n    }\n}\n', {
      files: { 'db.example.org': zoneText('example.org.', 1, '192.0.2.1') },
    }));
    await addressOf(s.port(), 'www.example.org.');
    const seen: unknown[] = [];
    const on = (m: unknown): void => void seen.push(m);
    diagnostics.subscribe(channelName('query:done'), on);
    try {
      await addressOf(s.port(), 'www.example.org.');
    } finally {
      diagnostics.unsubscribe(channelName('query:done'), on);
    }
    expect(firstServer(s.process).replyCache.size).toBe(1);
    expect(seen).toEqual([expect.objectContaining({ transport: 'udp', name: 'www.example.org.', type: 'A', rcode: 'NOERROR' })]);
  });
});

describe('ReplyCache', () => {
  const entry = (tag: string) => ({ bytes: Buffer.from([0, 0, ...Buffer.from(tag)]), name: `${tag}.`, type: 'A', rcode: 'NOERROR' });

  it('serves only entries of the current epoch, and a new epoch empties it', () => {
    const c = new ReplyCache();
    c.set('k', 'udp', 5, entry('a'));
    expect(c.get('k', 'udp', 5)?.name).toBe('a.');
    expect(c.get('k', 'udp', 6)).toBeUndefined();
    expect(c.size).toBe(0);
    c.set('k', 'udp', 5, entry('old')); // computed before the change: dropped
    expect(c.get('k', 'udp', 6)).toBeUndefined();
  });

  it('drops the oldest entry when full', () => {
    const c = new ReplyCache(2);
    c.set('a', 'udp', 1, entry('a'));
    c.set('b', 'udp', 1, entry('b'));
    c.set('t', 'tcp', 1, entry('t'));
    c.set('c', 'udp', 1, entry('c'));
    expect([c.get('a', 'udp', 1), c.get('b', 'udp', 1)?.name, c.get('c', 'udp', 1)?.name]).toEqual([undefined, 'b.', 'c.']);
    expect([c.get('t', 'tcp', 1)?.name, c.get('t', 'udp', 1)]).toEqual(['t.', undefined]);
  });

  it('a bumped epoch voids what a server cached', async () => {
    const s = (server = await startServer('example.org:0 {\n    file db.example.org {\n        reload 0\n    }\n}\n', {
      files: { 'db.example.org': zoneText('example.org.', 1, '192.0.2.1') },
    }));
    const wire = encodeMessage(buildQuery({ name: 'www.example.org.', type: 'A', id: 9 }));
    await queryRaw(wire, { port: s.port() });
    const dns = firstServer(s.process);
    expect(dns.serveCached(wire, META)).toBeDefined();
    bumpAnswerEpoch();
    expect(dns.serveCached(wire, META)).toBeUndefined();
  });
});
