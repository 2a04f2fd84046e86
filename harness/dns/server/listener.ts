/**
 * One UDP socket and one TCP server on the same host:port: the socket pair a CoreDNS server
 * listens on, and the thing a restart hands over (semantics 2.4).
 *
 * Hand-over is `setHandler`: every packet is given to the handler current when it arrives, and
 * each reply goes out on the socket it came in on, so queries already inside the old handler
 * are still answered and nothing is dropped. The pair belongs to whoever `acquire`d it; the
 * last `release` closes it, and the returned promise resolves once no handle is left.
 *
 * Sizing is the handler's job: it has the decoded query, so it computes the UDP limit with
 * `maxUdpReplySize` (wire/codec.ts) and returns bytes ready to send. The listener does not
 * decode; it only screens headers (miekg/dns's accept rules) and frames TCP.
 */
import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { isWireError } from '../wire/errors.ts';
import { errorReply, formErrReply, screenQuery } from '../wire/header.ts';
import { publish } from './events.ts';

export interface QueryMeta {
  transport: 'udp' | 'tcp';
  remoteAddress: string;
  remotePort: number;
}

/**
 * Answers one query: reply bytes, or null for no reply, either at once or as a promise. A
 * throw or rejection is caught: a `WireError` gets FORMERR (the query did not decode),
 * anything else SERVFAIL (as CoreDNS's recover does). A reply given at once is sent at once,
 * without a trip through the microtask queue (the hot path of a cached answer).
 */
export type QueryHandler = (query: Buffer, meta: QueryMeta) => Buffer | null | Promise<Buffer | null>;

type Answer = Buffer | null | Promise<Buffer | null>;

/** A thenable (a buggy handler's other values fall through to the Buffer check). */
function isPromise(x: Answer): x is Promise<Buffer | null> {
  return x !== null && typeof (x as { then?: unknown }).then === 'function';
}

export interface SocketPairOptions {
  /**
   * A TCP connection with nothing to read and no query in progress for this long is closed
   * (a client that sends half a message and hangs). Uses `socket.setTimeout`.
   * @default 10000
   */
  tcpIdleTimeoutMs?: number;
  /**
   * Queries one TCP connection may have in progress; past it the connection is paused.
   * @default 128
   */
  tcpMaxPipelined?: number;
  /**
   * Requested kernel receive buffer for UDP (capped by net.core.rmem_max), so that a burst of
   * queries during a restart is queued rather than dropped by the kernel.
   * @default 4194304
   */
  udpRecvBufferSize?: number;
}

/** Counters for tests and the status view; they only grow. */
export interface ListenerStats {
  udpReceived: number;
  tcpReceived: number;
  tcpConnections: number;
  replies: number;
  /** No reply by rule: shorter than a header, a response, or the handler returned null. */
  dropped: number;
  /** FORMERR/NOTIMP from the header screen or a handler's WireError. */
  formErr: number;
  notImp: number;
  /** Handler rejections other than WireError (answered SERVFAIL). */
  handlerErrors: number;
  /** Packets that arrived while no handler was set. */
  noHandler: number;
  sendErrors: number;
  /** TCP connections closed for a bad frame length or the idle timeout. */
  tcpDropped: number;
}

const MAX_UDP_PAYLOAD = 65507;
const MAX_TCP_MESSAGE = 65535;
// A UDP port the kernel picks may be held on the TCP side by a client connection in TIME_WAIT
// (a test suite full of TCP queries leaves thousands): try again with another one.
const BIND_ATTEMPTS_EPHEMERAL = 64;

const SYSCALL_TEXT: Readonly<Record<string, string>> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'cannot assign requested address',
};

/** Go's net error text (`listen udp 127.0.0.1:53: bind: address already in use`), code kept. */
function listenError(transport: 'udp' | 'tcp', host: string, port: number, cause: unknown): Error {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const text = (code && SYSCALL_TEXT[code]) ?? (cause instanceof Error ? cause.message : String(cause));
  const err = new Error(`listen ${transport} ${hostPort(host, port)}: bind: ${text}`, { cause });
  (err as NodeJS.ErrnoException).code = code ?? 'ELISTEN';
  return err;
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function bindUdp(udp: dgram.Socket, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    udp.once('error', onError);
    udp.bind({ port, address: host, exclusive: true }, () => {
      udp.off('error', onError);
      resolve();
    });
  });
}

function listenTcp(server: net.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeUdp(udp: dgram.Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      udp.close(() => resolve());
    } catch {
      resolve(); // never bound or already closed
    }
  });
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}

/** dgram frees its handle a turn after the close callback (leak-detection-notes): wait it out. */
async function settleHandles(): Promise<void> {
  await nextTurn();
  await nextTurn();
}

async function resolveHost(host: string): Promise<string> {
  if (host === '') return '::';
  if (net.isIP(host)) return host;
  return (await lookup(host)).address;
}

export class SocketPair {
  readonly host: string;
  readonly port: number;
  /** `dns://host:port`, IPv6 hosts in brackets. */
  readonly address: string;
  readonly stats: ListenerStats = {
    udpReceived: 0, tcpReceived: 0, tcpConnections: 0, replies: 0, dropped: 0, formErr: 0,
    notImp: 0, handlerErrors: 0, noHandler: 0, sendErrors: 0, tcpDropped: 0,
  };
  /** The last non-WireError a handler rejected with, for diagnosis. */
  lastHandlerError: unknown = null;

  private handler: QueryHandler | null = null;
  private readonly owners = new Set<string>();
  private firstOwner: string | null = null;
  private readonly conns = new Set<net.Socket>();
  private pending = 0;
  private closing: Promise<void> | null = null;
  private readonly idleMs: number;
  private readonly maxPipelined: number;

  private constructor(host: string, port: number, private readonly udp: dgram.Socket, private readonly tcp: net.Server, options: SocketPairOptions) {
    this.host = host;
    this.port = port;
    this.address = `dns://${hostPort(host, port)}`;
    this.idleMs = options.tcpIdleTimeoutMs ?? 10_000;
    this.maxPipelined = options.tcpMaxPipelined ?? 128;
    udp.on('message', (msg, rinfo) => this.onUdp(msg, rinfo));
    // After bind an error event is a send/receive fault of one packet; never let it throw.
    udp.on('error', () => { this.stats.sendErrors++; });
    tcp.on('connection', (sock) => this.onConnection(sock));
    tcp.on('error', () => { this.stats.sendErrors++; });
  }

  /**
   * Binds UDP first, then TCP on the port UDP got. With port 0 the kernel's pick may be taken
   * for TCP; then both are closed and another port is tried. On failure nothing stays open and
   * the error reads like Go's (`listen tcp 127.0.0.1:53: bind: address already in use`), with
   * the errno in `code`.
   */
  static async bind(host: string, port: number, options: SocketPairOptions = {}): Promise<SocketPair> {
    const address = await resolveHost(host);
    const attempts = port === 0 ? BIND_ATTEMPTS_EPHEMERAL : 1;
    for (let attempt = 1; ; attempt++) {
      const udp = dgram.createSocket({ type: net.isIPv6(address) ? 'udp6' : 'udp4' });
      try {
        await bindUdp(udp, address, port);
      } catch (err) {
        await closeUdp(udp);
        await settleHandles();
        throw listenError('udp', host, port, err);
      }
      const actual = udp.address().port;
      const tcp = net.createServer({ allowHalfOpen: true });
      try {
        await listenTcp(tcp, address, actual);
      } catch (err) {
        await Promise.all([closeUdp(udp), closeServer(tcp)]);
        await settleHandles();
        if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE' && attempt < attempts) continue;
        throw listenError('tcp', host, actual, err);
      }
      try {
        udp.setRecvBufferSize(options.udpRecvBufferSize ?? 4 * 1024 * 1024);
      } catch {
        // A smaller kernel buffer only means more loss under bursts; not worth failing a bind.
      }
      return new SocketPair(host, actual, udp, tcp, options);
    }
  }

  /** Installs the handler for packets arriving from now on; queries in progress keep theirs. */
  setHandler(handler: QueryHandler | null): void {
    this.handler = handler;
  }

  /** Queries handed to a handler and not yet answered. */
  get inFlight(): number {
    return this.pending;
  }

  get connections(): number {
    return this.conns.size;
  }

  get closed(): boolean {
    return this.closing !== null;
  }

  get ownerIds(): readonly string[] {
    return [...this.owners];
  }

  /** Registers an owner; the first one names the pair in its events. Throws once closed. */
  acquire(ownerId: string): void {
    if (this.closing) throw new Error(`use of closed network connection: ${this.address} was released`);
    this.owners.add(ownerId);
    if (this.firstOwner === null) {
      this.firstOwner = ownerId;
      publish('server:listening', () => ({ instanceId: ownerId, address: this.address, transport: 'dns', port: this.port }));
    }
  }

  /**
   * Drops an owner. When none is left the pair closes: both sockets and every TCP connection,
   * awaited until the handles are gone. Releasing an id that holds nothing changes nothing.
   */
  release(ownerId: string): Promise<void> {
    if (this.closing) return this.closing;
    this.owners.delete(ownerId);
    if (this.owners.size > 0) return Promise.resolve();
    return this.close();
  }

  /**
   * Closes now whatever the owners (tests, failed starts). Idempotent. Queries still inside a
   * handler lose their reply: CoreDNS's stop barrier also returns at once in practice (2.5).
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.handler = null;
    const udpClosed = closeUdp(this.udp);
    const tcpClosed = closeServer(this.tcp);
    for (const sock of this.conns) sock.destroy();
    await Promise.all([udpClosed, tcpClosed]);
    await settleHandles();
    const instanceId = this.firstOwner ?? '';
    publish('server:closed', () => ({ instanceId, address: this.address }));
  }

  // -------------------------------------------------------------------------------------------

  /** One callback for every UDP send (no closure per reply). */
  private readonly afterUdpSend = (err: Error | null): void => {
    if (err) this.stats.sendErrors++;
    else this.stats.replies++;
  };

  private onUdp(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    this.stats.udpReceived++;
    const meta: QueryMeta = { transport: 'udp', remoteAddress: rinfo.address, remotePort: rinfo.port };
    const reply = this.answer(msg, meta);
    if (reply === null) return;
    if (isPromise(reply)) void reply.then((r) => this.sendUdp(r, rinfo));
    else this.sendUdp(reply, rinfo);
  }

  private sendUdp(reply: Buffer | null, rinfo: dgram.RemoteInfo): void {
    if (reply === null) return;
    if (reply.length > MAX_UDP_PAYLOAD) {
      this.stats.sendErrors++;
      return;
    }
    try {
      this.udp.send(reply, rinfo.port, rinfo.address, this.afterUdpSend);
    } catch {
      this.stats.sendErrors++; // closed meanwhile
    }
  }

  /** Screens, then asks the handler current now. Never throws, never rejects. */
  private answer(query: Buffer, meta: QueryMeta): Answer {
    switch (screenQuery(query)) {
      case 'ignore':
        this.stats.dropped++;
        return null;
      case 'formerr':
        this.stats.formErr++;
        return errorReply(query, 1, { echoQuestion: false, keepOpcode: false });
      case 'notimp':
        this.stats.notImp++;
        return errorReply(query, 4, { echoQuestion: false, keepOpcode: true });
      case 'accept':
        break;
    }
    const handler = this.handler;
    if (handler === null) {
      this.stats.noHandler++;
      return null;
    }
    this.pending++;
    let out: Answer;
    try {
      out = handler(query, meta);
    } catch (err) {
      this.pending--;
      return this.failed(query, err);
    }
    if (isPromise(out)) {
      return out.then(
        (reply) => {
          this.pending--;
          return this.checked(query, reply);
        },
        (err: unknown) => {
          this.pending--;
          return this.failed(query, err);
        },
      );
    }
    this.pending--;
    return this.checked(query, out);
  }

  private checked(query: Buffer, reply: unknown): Buffer | null {
    if (reply === null) {
      this.stats.dropped++;
      return null;
    }
    if (!Buffer.isBuffer(reply)) return this.failed(query, new TypeError(`handler returned ${typeof reply}, not a Buffer`));
    return reply;
  }

  private failed(query: Buffer, err: unknown): Buffer | null {
    if (isWireError(err)) {
      this.stats.formErr++;
      return formErrReply(query);
    }
    this.stats.handlerErrors++;
    this.lastHandlerError = err;
    return errorReply(query, 2, { echoQuestion: true, keepOpcode: true });
  }

  private onConnection(sock: net.Socket): void {
    if (this.closing) {
      sock.destroy();
      return;
    }
    this.stats.tcpConnections++;
    this.conns.add(sock);
    sock.setNoDelay(true);
    sock.setTimeout(this.idleMs);
    const meta: QueryMeta = { transport: 'tcp', remoteAddress: sock.remoteAddress ?? '', remotePort: sock.remotePort ?? 0 };
    let buffered: Buffer = Buffer.alloc(0);
    let inFlight = 0;
    let peerEnded = false;

    const finishIfDone = (): void => {
      if (peerEnded && inFlight === 0 && !sock.destroyed) sock.end();
    };
    const drop = (): void => {
      this.stats.tcpDropped++;
      sock.destroy();
    };

    sock.on('data', (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2) {
        const len = buffered.readUInt16BE(0);
        // miekg/dns closes a connection whose frame cannot hold a header.
        if (len < 12) return drop();
        if (buffered.length < 2 + len) break;
        const query = Buffer.from(buffered.subarray(2, 2 + len));
        buffered = buffered.subarray(2 + len);
        this.stats.tcpReceived++;
        inFlight++;
        if (inFlight >= this.maxPipelined) sock.pause();
        void Promise.resolve(this.answer(query, meta)).then((reply) => {
          inFlight--;
          if (reply !== null && !sock.destroyed && sock.writable) {
            if (reply.length > MAX_TCP_MESSAGE) {
              this.stats.sendErrors++;
            } else {
              const frame = Buffer.allocUnsafe(2 + reply.length);
              frame.writeUInt16BE(reply.length, 0);
              reply.copy(frame, 2);
              sock.write(frame);
              this.stats.replies++;
            }
          }
          if (sock.isPaused() && inFlight < this.maxPipelined) sock.resume();
          finishIfDone();
        });
      }
    });
    sock.on('end', () => {
      peerEnded = true;
      finishIfDone();
    });
    // Idle means nothing to read and nothing being answered; a slow handler is not idleness.
    sock.on('timeout', () => {
      if (inFlight === 0) drop();
    });
    sock.on('error', () => { this.stats.sendErrors++; });
    sock.on('close', () => { this.conns.delete(sock); });
  }
}
