import dgram from 'node:dgram';
import diagnostics from 'node:diagnostics_channel';
import net from 'node:net';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpClient, buildQuery, query, queryRaw } from '../testing/client.ts';
import { decodeMessage, encodeMessage, maxUdpReplySize } from '../wire/codec.ts';
import { fuzzCorpus } from '../testing/wire-samples.ts';
import { WireError } from '../wire/errors.ts';
import type { DnsMessage } from '../wire/message.ts';
import { replyTo } from '../wire/message.ts';
import { channelName } from './events.ts';
import type { QueryHandler } from './listener.ts';
import { SocketPair } from './listener.ts';

const HOST = '127.0.0.1';
const open: SocketPair[] = [];

async function bind(opts: Parameters<typeof SocketPair.bind>[2] = {}): Promise<SocketPair> {
  const pair = await SocketPair.bind(HOST, 0, opts);
  open.push(pair);
  return pair;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
});

/** decode + replyTo + one A record named after the handler + encode sized for the transport. */
function answering(tag: string, delayMs = 0): QueryHandler {
  return async (buf, meta) => {
    const q = decodeMessage(buf);
    if (delayMs) await sleep(delayMs);
    const reply = replyTo(q);
    const question = q.questions[0];
    if (question?.type === 'A') reply.answers.push({ name: question.name, ttl: 1, class: 'IN', type: 'A', data: tag });
    return encodeMessage(reply, { maxSize: meta.transport === 'udp' ? maxUdpReplySize(q) : 65535 });
  };
}

const udpOrTcp = ['udp', 'tcp'] as const;

describe('SocketPair.bind', () => {
  it('binds UDP and TCP on the same ephemeral port and answers on both', async () => {
    const pair = await bind();
    pair.setHandler(answering('192.0.2.1'));
    expect(pair.port).toBeGreaterThan(0);
    expect(pair.address).toBe(`dns://127.0.0.1:${pair.port}`);
    for (const transport of udpOrTcp) {
      const r = await query({ port: pair.port, name: 'a.example.org', type: 'A', transport, id: 7 });
      expect(r).toMatchObject({ id: 7, response: true, rcode: 'NOERROR' });
      expect(r.answers[0]).toMatchObject({ type: 'A', data: '192.0.2.1' });
    }
    expect(pair.stats).toMatchObject({ udpReceived: 1, tcpReceived: 1, replies: 2 });
  });

  it('a UDP port in use fails with EADDRINUSE and a Go-style message, leaving nothing open', async () => {
    const first = await bind();
    const before = process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap').length;
    const err = await SocketPair.bind(HOST, first.port).catch((e: unknown) => e as NodeJS.ErrnoException);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ code: 'EADDRINUSE', message: `listen udp 127.0.0.1:${first.port}: bind: address already in use` });
    expect(process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap').length).toBe(before);
  });

  it('a TCP port in use fails with EADDRINUSE and releases the UDP socket it had bound', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen({ host: HOST, port: 0 }, resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const err = await SocketPair.bind(HOST, port).catch((e: unknown) => e as NodeJS.ErrnoException);
      expect(err).toMatchObject({ code: 'EADDRINUSE', message: `listen tcp 127.0.0.1:${port}: bind: address already in use` });
      // The UDP half was closed: the same UDP port binds again.
      const udp = dgram.createSocket('udp4');
      await new Promise<void>((resolve, reject) => { udp.once('error', reject); udp.bind(port, HOST, resolve); });
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});

describe('ownership', () => {
  it('the last release closes both sockets, leaves no handle and frees the port', async () => {
    const count = (): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
      return out;
    };
    await sleep(20); // handles closed by earlier tests free a turn or two after their callbacks
    const base = count();
    const pair = await SocketPair.bind(HOST, 0);
    pair.setHandler(answering('192.0.2.2'));
    pair.acquire('old');
    pair.acquire('new');
    const client = await TcpClient.connect({ port: pair.port });
    await client.query(buildQuery({ name: 'x.', type: 'A', id: 1 }));
    expect(count().UDPWrap ?? 0).toBe((base.UDPWrap ?? 0) + 1);

    await pair.release('old');
    expect(pair.closed).toBe(false);
    expect((await query({ port: pair.port, name: 'x.', type: 'A' })).rcode).toBe('NOERROR');

    await pair.release('new');
    await client.closed; // the server side dropped the open connection
    await nextTurn();
    const after = count();
    for (const kind of ['UDPWrap', 'TCPServerWrap', 'TCPSocketWrap']) expect(after[kind] ?? 0, kind).toBe(base[kind] ?? 0);
    expect(() => pair.acquire('late')).toThrow(/closed/);

    const again = await SocketPair.bind(HOST, pair.port);
    expect(again.port).toBe(pair.port);
    await again.close();
  });

  it('release resolves only once the handles are gone: one setImmediate later none is listed', async () => {
    await sleep(20);
    const handles = (): number => process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap' || r === 'TCPServerWrap').length;
    const base = handles();
    const pair = await SocketPair.bind(HOST, 0);
    pair.acquire('only');
    expect(handles()).toBe(base + 2);
    await pair.release('only');
    await nextTurn();
    expect(handles()).toBe(base);
  });

  it('publishes server:listening on the first acquire and server:closed on close', async () => {
    const seen: Array<[string, unknown]> = [];
    const onListening = (m: unknown): void => { seen.push(['listening', m]); };
    const onClosed = (m: unknown): void => { seen.push(['closed', m]); };
    diagnostics.subscribe(channelName('server:listening'), onListening);
    diagnostics.subscribe(channelName('server:closed'), onClosed);
    try {
      const pair = await SocketPair.bind(HOST, 0);
      pair.acquire('inst-1/bind');
      pair.acquire('inst-1/.:0');
      await pair.release('inst-1/bind');
      await pair.release('inst-1/.:0');
      expect(seen).toEqual([
        ['listening', { instanceId: 'inst-1/bind', address: pair.address, transport: 'dns', port: pair.port }],
        ['closed', { instanceId: 'inst-1/bind', address: pair.address }],
      ]);
    } finally {
      diagnostics.unsubscribe(channelName('server:listening'), onListening);
      diagnostics.unsubscribe(channelName('server:closed'), onClosed);
    }
  });
});

describe('handoff', () => {
  it('a handler swap while 1,000 UDP queries are in flight loses none', async () => {
    const pair = await bind();
    pair.setHandler(answering('10.0.0.1', 60));
    const sockets = Array.from({ length: 10 }, () => dgram.createSocket('udp4'));
    await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.bind(0, HOST, resolve))));
    const answers = new Map<number, string>();
    let done: () => void = () => {};
    const allIn = new Promise<void>((resolve) => { done = resolve; });
    for (const s of sockets) {
      s.setRecvBufferSize(1 << 22);
      s.on('message', (msg) => {
        const m = decodeMessage(msg);
        answers.set(m.id, (m.answers[0]?.data as string | undefined) ?? m.rcode);
        if (answers.size === 1000) done();
      });
    }
    let maxInFlight = 0;
    for (let id = 0; id < 1000; id++) {
      const wire = encodeMessage(buildQuery({ name: `q${id}.example.org`, type: 'A', id }));
      (sockets[id % 10] as dgram.Socket).send(wire, pair.port, HOST);
      if (id % 50 === 49) {
        await sleep(2);
        maxInFlight = Math.max(maxInFlight, pair.inFlight);
      }
      if (id === 499) {
        // The swap happens with queries still inside the old handler (how many depends on how
        // fast this machine is right now; that some are is what makes the test mean something).
        expect(pair.inFlight).toBeGreaterThan(0);
        pair.setHandler(answering('10.0.0.2', 10));
      }
    }
    await Promise.race([allIn, sleep(10_000)]);
    await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    expect(answers.size).toBe(1000);
    const byOld = [...answers.values()].filter((v) => v === '10.0.0.1').length;
    const byNew = [...answers.values()].filter((v) => v === '10.0.0.2').length;
    expect(byOld + byNew).toBe(1000);
    // Which handler answers a packet depends on when the kernel handed it over; both must have.
    expect(byOld).toBeGreaterThan(0);
    expect(byNew).toBeGreaterThan(0);
    expect(maxInFlight).toBeGreaterThan(0);
    expect(pair.stats.noHandler).toBe(0);
  });
});

describe('TCP framing', () => {
  it('a query written one byte at a time is answered', async () => {
    const pair = await bind();
    pair.setHandler(answering('192.0.2.3'));
    const c = await TcpClient.connect({ port: pair.port });
    const frame = TcpClient.frame(encodeMessage(buildQuery({ name: 'slow.example.', type: 'A', id: 42 })));
    const reply = c.nextReply(42);
    for (const byte of frame) {
      await c.writeRaw(Buffer.from([byte]));
      await nextTurn();
    }
    expect(decodeMessage(await reply).answers[0]).toMatchObject({ data: '192.0.2.3' });
    await c.close();
  });

  it('two queries in one write get two replies, pipelined out of order on one connection', async () => {
    const pair = await bind();
    // The first query is slower than the second: replies come back in completion order.
    pair.setHandler(async (buf, meta) => {
      const q = decodeMessage(buf);
      await sleep(q.id === 1 ? 80 : 5);
      return answering(`10.9.9.${q.id}`)(buf, meta);
    });
    const c = await TcpClient.connect({ port: pair.port });
    const both = Buffer.concat([1, 2].map((id) => TcpClient.frame(encodeMessage(buildQuery({ name: 'p.example.', type: 'A', id })))));
    const firstFrame = c.nextReply(null);
    await c.writeRaw(both);
    expect((await firstFrame).readUInt16BE(0)).toBe(2);
    expect(decodeMessage(await c.nextReply(1)).answers[0]).toMatchObject({ data: '10.9.9.1' });
    expect(pair.stats.tcpConnections).toBe(1);
    await c.close();
  });

  it('many queries on one connection, then a half-close: every reply arrives, then the server closes', async () => {
    const pair = await bind();
    pair.setHandler(answering('192.0.2.4', 5));
    const c = await TcpClient.connect({ port: pair.port });
    const replies = Array.from({ length: 50 }, (_, id) => c.query(buildQuery({ name: `m${id}.example.`, type: 'A', id })));
    await Promise.all(replies.map((r) => r.then((m) => expect(m.rcode).toBe('NOERROR'))));
    const more = c.query(buildQuery({ name: 'last.example.', type: 'A', id: 999 }));
    c.end();
    expect((await more).id).toBe(999);
    await c.closed;
  });

  it('half a message then silence: the connection is closed after the idle timeout', async () => {
    const pair = await bind({ tcpIdleTimeoutMs: 150 });
    pair.setHandler(answering('192.0.2.5'));
    const c = await TcpClient.connect({ port: pair.port });
    const frame = TcpClient.frame(encodeMessage(buildQuery({ name: 'hang.example.', type: 'A', id: 5 })));
    const started = performance.now();
    await c.writeRaw(frame.subarray(0, 9));
    await c.closed;
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(140);
    expect(waited).toBeLessThan(3000);
    expect(pair.stats.tcpDropped).toBe(1);
    await sleep(10); // the server socket's own 'close' follows the client's
    expect(pair.connections).toBe(0);
    expect(pair.stats.tcpReceived).toBe(0);
  });

  it('a slow handler is not idleness: the reply still comes after the idle timeout', async () => {
    const pair = await bind({ tcpIdleTimeoutMs: 50 });
    pair.setHandler(answering('192.0.2.6', 200));
    const c = await TcpClient.connect({ port: pair.port });
    const r = await c.query(buildQuery({ name: 'slowhandler.example.', type: 'A', id: 9 }));
    expect(r.answers[0]).toMatchObject({ data: '192.0.2.6' });
    await c.closed; // then idle for real
  });

  it.each([0, 1, 11])('a frame length of %d (no room for a header) closes the connection', async (len) => {
    const pair = await bind();
    pair.setHandler(answering('192.0.2.7'));
    const c = await TcpClient.connect({ port: pair.port });
    await c.writeRaw(Buffer.concat([Buffer.from([0, len]), Buffer.alloc(len)]));
    await c.closed;
    expect(pair.stats.tcpDropped).toBe(1);
  });

  it('a frame announcing 65535 bytes that never come is buffered, then dropped by the idle timeout', async () => {
    const pair = await bind({ tcpIdleTimeoutMs: 100 });
    pair.setHandler(answering('192.0.2.8'));
    const c = await TcpClient.connect({ port: pair.port });
    await c.writeRaw(Buffer.concat([Buffer.from([0xff, 0xff]), Buffer.alloc(30_000, 1)]));
    await c.closed;
    expect(pair.stats.tcpDropped).toBe(1);
    // The server is still fine.
    expect((await query({ port: pair.port, name: 'ok.', type: 'A', transport: 'tcp' })).rcode).toBe('NOERROR');
  });
});

describe('bad packets never hurt the server', () => {
  const header = (flags: number, qd: number, an = 0): Buffer => {
    const b = Buffer.alloc(12);
    b.writeUInt16BE(0x4242, 0);
    b.writeUInt16BE(flags, 2);
    b.writeUInt16BE(qd, 4);
    b.writeUInt16BE(an, 6);
    return b;
  };
  const question = encodeMessage(buildQuery({ name: 'q.example.', type: 'A', id: 0x4242 })).subarray(12);

  it.each(udpOrTcp)('over %s: FORMERR for no question, NOTIMP for UPDATE, silence for a response', async (transport) => {
    const pair = await bind();
    pair.setHandler(answering('192.0.2.9'));
    const opts = { port: pair.port, transport, timeoutMs: 300 };
    const formerr = decodeMessage(await queryRaw(header(0x0100, 0), opts));
    expect(formerr).toMatchObject({ id: 0x4242, response: true, rcode: 'FORMERR', recursionDesired: true, questions: [] });
    const notimp = decodeMessage(await queryRaw(Buffer.concat([header(5 << 11, 1), question]), opts));
    expect(notimp).toMatchObject({ rcode: 'NOTIMP', opcode: 'UPDATE' });
    await expect(queryRaw(Buffer.concat([header(0x8000, 1), question]), opts)).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    expect(pair.stats).toMatchObject({ formErr: 1, notImp: 1, dropped: 1, handlerErrors: 0 });
  });

  it('a packet shorter than a header gets no reply over UDP', async () => {
    const pair = await bind();
    pair.setHandler(answering('192.0.2.9'));
    await expect(queryRaw(Buffer.from([1, 2, 3]), { port: pair.port, timeoutMs: 200 })).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    expect(pair.stats.dropped).toBe(1);
  });

  it('a handler that rejects with WireError yields FORMERR; any other rejection SERVFAIL, counted', async () => {
    const pair = await bind();
    const wire = encodeMessage(buildQuery({ name: 'boom.example.', type: 'A', id: 77 }));
    pair.setHandler(async () => { throw new WireError('malformed', 'test'); });
    expect(decodeMessage(await queryRaw(wire, { port: pair.port }))).toMatchObject({ id: 77, rcode: 'FORMERR', questions: [{ name: 'boom.example.' }] });
    pair.setHandler(async () => { throw new Error('plugin bug'); });
    expect(decodeMessage(await queryRaw(wire, { port: pair.port, transport: 'tcp' }))).toMatchObject({ id: 77, rcode: 'SERVFAIL', questions: [{ name: 'boom.example.' }] });
    pair.setHandler((() => { throw new Error('sync bug'); }) as unknown as QueryHandler);
    expect(decodeMessage(await queryRaw(wire, { port: pair.port }))).toMatchObject({ rcode: 'SERVFAIL' });
    expect(pair.stats.handlerErrors).toBe(2);
    expect((pair.lastHandlerError as Error).message).toBe('sync bug');
  });

  it('UDP replies are sized by the handler from the query EDNS: TC without EDNS, whole with 4096', async () => {
    const pair = await bind();
    pair.setHandler(async (buf, meta) => {
      const q = decodeMessage(buf);
      const reply: DnsMessage = replyTo(q);
      for (let i = 0; i < 20; i++) reply.answers.push({ name: 'big.example.', ttl: 1, class: 'IN', type: 'TXT', data: [Buffer.alloc(100, 0x61 + i)] });
      return encodeMessage(reply, { maxSize: meta.transport === 'udp' ? maxUdpReplySize(q) : 65535 });
    });
    const plainWire = await queryRaw(encodeMessage(buildQuery({ name: 'big.example.', type: 'TXT', id: 1 })), { port: pair.port });
    expect(plainWire.length).toBeLessThanOrEqual(512);
    expect(decodeMessage(plainWire).truncated).toBe(true);
    const edns = await query({ port: pair.port, name: 'big.example.', type: 'TXT', edns: { udpSize: 4096 } });
    expect(edns.truncated).toBe(false);
    expect(edns.answers).toHaveLength(20);
    const tcp = await query({ port: pair.port, name: 'big.example.', type: 'TXT', transport: 'tcp' });
    expect(tcp.truncated).toBe(false);
    expect(tcp.answers).toHaveLength(20);
  });

  it('10,000 random and mutated packets over UDP and TCP: nothing throws, a valid query is answered after', async () => {
    const pair = await bind({ tcpIdleTimeoutMs: 500 });
    pair.setHandler(answering('192.0.2.10'));
    const corpus = fuzzCorpus(10_000, 1604);
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => udp.bind(0, HOST, resolve));
    let replies = 0;
    udp.on('message', () => { replies++; });
    for (let i = 0; i < corpus.length; i++) {
      udp.send(corpus[i] as Buffer, pair.port, HOST);
      if (i % 100 === 99) {
        // Flow control: let the server drain before the next batch, so a busy machine does not
        // make the kernel drop datagrams (what is tested is the server, not the socket buffer).
        const deadline = Date.now() + 2_000;
        while (pair.stats.udpReceived < i + 1 - 100 && Date.now() < deadline) await sleep(1);
      }
    }
    // The same packets as TCP frames, 500 to a connection, in one stream each.
    for (let start = 0; start < 2_000; start += 500) {
      const c = await TcpClient.connect({ port: pair.port });
      const frames = corpus.slice(start, start + 500).filter((b) => b.length >= 12).map(TcpClient.frame);
      await c.writeRaw(Buffer.concat(frames)).catch(() => {});
      await sleep(20);
      await c.close();
    }
    await sleep(100);
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    expect(pair.stats.udpReceived).toBeGreaterThan(9_000);
    expect(replies).toBeGreaterThan(1_000);
    expect(pair.stats.handlerErrors).toBe(0);
    for (const transport of udpOrTcp) {
      const r = await query({ port: pair.port, name: 'after.example.', type: 'A', transport });
      expect(r.answers[0]).toMatchObject({ data: '192.0.2.10' });
    }
  });
});

describe('handlers that answer at once', () => {
  it.each(udpOrTcp)('%s: a Buffer returned without a promise is sent; null drops; a non-Buffer is SERVFAIL', async (transport) => {
    const pair = await bind();
    const wire = encodeMessage(buildQuery({ name: 'now.example.', type: 'A', id: 31 }));
    const sync = answering('192.0.2.5');
    // The async helper's reply, computed ahead, handed back synchronously.
    const ready = await sync(wire, { transport, remoteAddress: HOST, remotePort: 0 });
    pair.setHandler((buf) => {
      if (ready === null) return null;
      const out = Buffer.from(ready);
      out.writeUInt16BE(buf.readUInt16BE(0), 0);
      return out;
    });
    const r = await query({ port: pair.port, name: 'now.example.', type: 'A', transport, id: 32 });
    expect(r).toMatchObject({ id: 32, rcode: 'NOERROR', answers: [{ data: '192.0.2.5' }] });
    expect(pair.inFlight).toBe(0);

    pair.setHandler(() => null);
    await expect(queryRaw(wire, { port: pair.port, transport, timeoutMs: 200 })).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    pair.setHandler((() => 'not bytes') as unknown as QueryHandler);
    expect(decodeMessage(await queryRaw(wire, { port: pair.port, transport }))).toMatchObject({ id: 31, rcode: 'SERVFAIL' });
    expect(pair.stats).toMatchObject({ dropped: 1, handlerErrors: 1, replies: 2 });
  });
});
