/**
 * A real DNS client for tests and the harness: UDP or TCP to a server on this machine,
 * through the same codec the server uses. Every timer it arms is cleared before its promise
 * settles, so a probe that runs after a query sees none of them.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { decodeMessage, encodeMessage } from '../wire/codec.ts';
import { queryMessage, type DnsMessage } from '../wire/message.ts';

export interface ConnectOptions {
  /** @default '127.0.0.1' */
  host?: string;
  port: number;
  /** @default 2000 */
  timeoutMs?: number;
}

export interface RawQueryOptions extends ConnectOptions {
  /** @default 'udp' */
  transport?: 'udp' | 'tcp';
}

export interface QueryOptions extends RawQueryOptions {
  /** Absolute or not; a trailing dot is added. */
  name: string;
  /** Mnemonic or `TYPEnnn`. */
  type: string;
  /** EDNS0 to advertise; null or absent for a plain query. */
  edns?: { udpSize: number; do?: boolean } | null;
  /** @default random */
  id?: number;
  /** @default true */
  recursionDesired?: boolean;
}

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_TIMEOUT_MS = 2000;

function timeoutError(what: string, ms: number): Error {
  const err = new Error(`${what}: no reply within ${ms}ms`);
  (err as NodeJS.ErrnoException).code = 'ETIMEDOUT';
  return err;
}

/** The query `query()` sends, for tests that want to alter it first. */
export function buildQuery(opts: Pick<QueryOptions, 'name' | 'type' | 'edns' | 'id' | 'recursionDesired'>): DnsMessage {
  return queryMessage(opts.name.endsWith('.') ? opts.name : `${opts.name}.`, opts.type, {
    id: opts.id ?? Math.floor(Math.random() * 0x10000),
    edns: opts.edns ? { udpSize: opts.edns.udpSize, do: opts.edns.do ?? false, version: 0 } : null,
    ...(opts.recursionDesired !== undefined ? { recursionDesired: opts.recursionDesired } : {}),
  });
}

/** One query, one decoded reply (matched by id). Rejects on timeout with code ETIMEDOUT. */
export async function query(opts: QueryOptions): Promise<DnsMessage> {
  const payload = encodeMessage(buildQuery(opts));
  return decodeMessage(await queryRaw(payload, opts));
}

/**
 * Sends `payload` as is and resolves to the first reply carrying its id (any reply if it is
 * shorter than 2 bytes). TCP uses a fresh connection, closed afterwards.
 */
export async function queryRaw(payload: Buffer, opts: RawQueryOptions): Promise<Buffer> {
  if (opts.transport === 'tcp') {
    const conn = await TcpClient.connect(opts);
    try {
      conn.send(payload);
      return await conn.nextReply(payload.length >= 2 ? payload.readUInt16BE(0) : null, opts.timeoutMs);
    } finally {
      await conn.close();
    }
  }
  return udpExchange(payload, opts);
}

function udpExchange(payload: Buffer, opts: ConnectOptions): Promise<Buffer> {
  const host = opts.host ?? DEFAULT_HOST;
  const ms = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const id = payload.length >= 2 ? payload.readUInt16BE(0) : null;
  const sock = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
  return new Promise<Buffer>((resolve, reject) => {
    let done = false;
    const finish = (err: Error | null, reply?: Buffer): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.close(() => (err ? reject(err) : resolve(reply as Buffer)));
    };
    const timer = setTimeout(() => finish(timeoutError(`udp query to ${host}:${opts.port}`, ms)), ms);
    sock.on('error', (err) => finish(err));
    sock.on('message', (msg, rinfo) => {
      // Only the server's own reply to this id counts (stray datagrams are ignored).
      if (rinfo.port !== opts.port) return;
      if (id !== null && (msg.length < 2 || msg.readUInt16BE(0) !== id)) return;
      finish(null, msg);
    });
    sock.send(payload, opts.port, host, (err) => {
      if (err) finish(err);
    });
  });
}

interface Waiter {
  id: number | null;
  resolve: (frame: Buffer) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * One TCP connection carrying any number of queries: framed sends, raw writes (to split or
 * glue frames), replies matched by id in whatever order the server sends them.
 */
export class TcpClient {
  private buffered: Buffer = Buffer.alloc(0);
  private readonly frames: Buffer[] = [];
  private readonly waiters: Waiter[] = [];
  private ended = false;
  /** Resolves when the connection is closed by either side. */
  readonly closed: Promise<void>;

  private constructor(private readonly sock: net.Socket, private readonly defaultTimeoutMs: number) {
    this.closed = new Promise((resolve) => sock.once('close', () => resolve()));
    sock.on('data', (chunk: Buffer) => this.onData(chunk));
    sock.on('error', () => { /* surfaced through 'close' and the waiters */ });
    sock.on('close', () => {
      this.ended = true;
      for (const w of this.waiters.splice(0)) {
        clearTimeout(w.timer);
        w.reject(new Error('connection closed before the reply'));
      }
    });
  }

  static connect(opts: ConnectOptions): Promise<TcpClient> {
    const host = opts.host ?? DEFAULT_HOST;
    const ms = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise((resolve, reject) => {
      const sock = net.connect({ host, port: opts.port });
      const timer = setTimeout(() => {
        sock.destroy();
        reject(timeoutError(`tcp connect to ${host}:${opts.port}`, ms));
      }, ms);
      sock.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      sock.once('connect', () => {
        clearTimeout(timer);
        sock.setNoDelay(true);
        resolve(new TcpClient(sock, ms));
      });
    });
  }

  /** Writes bytes exactly as given: no length prefix. */
  writeRaw(bytes: Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.sock.write(bytes, (err) => (err ? reject(err) : resolve())));
  }

  /** Writes one message with its 2-byte length prefix. */
  send(message: Buffer): Promise<void> {
    return this.writeRaw(TcpClient.frame(message));
  }

  static frame(message: Buffer): Buffer {
    const out = Buffer.alloc(2 + message.length);
    out.writeUInt16BE(message.length, 0);
    message.copy(out, 2);
    return out;
  }

  /** Sends `msg` and resolves to the decoded reply with its id. */
  async query(msg: DnsMessage, timeoutMs?: number): Promise<DnsMessage> {
    const wait = this.nextReply(msg.id, timeoutMs);
    await this.send(encodeMessage(msg));
    return decodeMessage(await wait);
  }

  /** The next reply frame with `id` (or any frame for null), already received or still to come. */
  nextReply(id: number | null, timeoutMs?: number): Promise<Buffer> {
    const matches = (f: Buffer): boolean => id === null || (f.length >= 2 && f.readUInt16BE(0) === id);
    const idx = this.frames.findIndex(matches);
    if (idx >= 0) return Promise.resolve(this.frames.splice(idx, 1)[0] as Buffer);
    if (this.ended) return Promise.reject(new Error('connection closed before the reply'));
    const ms = timeoutMs ?? this.defaultTimeoutMs;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        id,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          reject(timeoutError('tcp reply', ms));
        }, ms),
      };
      this.waiters.push(waiter);
    });
  }

  /** Half-closes our side (the server should finish its replies, then close). */
  end(): void {
    this.sock.end();
  }

  /** Closes the connection and waits until it is gone. */
  async close(): Promise<void> {
    this.sock.destroy();
    await this.closed;
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 2) {
      const len = this.buffered.readUInt16BE(0);
      if (this.buffered.length < 2 + len) break;
      const frame = Buffer.from(this.buffered.subarray(2, 2 + len));
      this.buffered = this.buffered.subarray(2 + len);
      const w = this.waiters.findIndex((x) => x.id === null || (frame.length >= 2 && frame.readUInt16BE(0) === x.id));
      if (w >= 0) {
        const [waiter] = this.waiters.splice(w, 1) as [Waiter];
        clearTimeout(waiter.timer);
        waiter.resolve(frame);
      } else {
        this.frames.push(frame);
      }
    }
  }
}
