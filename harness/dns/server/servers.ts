/**
 * One DNS server per listen address (CoreDNS's dnsserver.Server): the zones it serves, each with
 * the plugin chain of its server block, and query routing (semantics 1.5).
 */
import type { DnsMessage, Rcode } from '../wire/message.ts';
import { queryMessage, replyTo } from '../wire/message.ts';
import { decodeMessage, encodeMessage, formErrReply, MAX_MESSAGE_SIZE, maxUdpReplySize } from '../wire/codec.ts';
import type { Handler, HandlerResult, Request, ResponseWriter } from '../plugins/plugin.ts';
import type { QueryHandler, QueryMeta, SocketPair } from './listener.ts';
import type { Logger } from './log.ts';
import { isObserved, publish } from './events.ts';
import { answerEpoch } from '../zone/answer-epoch.ts';
import { ReplyCache } from './reply-cache.ts';

/** Rcodes the server writes itself when the chain returns them without writing (plugin.ClientWrite). */
const CLIENT_WRITE: ReadonlySet<Rcode> = new Set<Rcode>(['SERVFAIL', 'REFUSED', 'FORMERR', 'NOTIMP']);

/**
 * Chains whose first handler does nothing per query but pick a zone and answer from it (or
 * pass the query on): their replies may be cached. `log`, `errors` or `whoami` in front (they
 * log, or look at the client) make a chain uncacheable.
 */
const ZONE_ONLY_HEADS: ReadonlySet<string> = new Set(['file', 'auto']);


/** Collects what the chain writes; the first reply wins (a second write is a plugin bug). */
export class ReplyWriter implements ResponseWriter {
  reply: DnsMessage | null = null;
  /** Set by `serveZone` (zone/answer-epoch.ts): the reply came from zone data alone. */
  zoneAnswer = false;
  noteZoneAnswer(): void {
    this.zoneAnswer = true;
  }
  get written(): boolean {
    return this.reply !== null;
  }
  write(reply: DnsMessage): void {
    if (this.reply === null) this.reply = reply;
  }
}

/** An empty reply with `rcode` and no AA (CoreDNS's errorFunc). */
export function errorReply(query: DnsMessage, rcode: Rcode): DnsMessage {
  return { ...replyTo(query), rcode };
}

export class DnsServer {
  /** `host:port` as configured; `.:0` keeps port 0 here so a restart finds it again (2.4). */
  readonly address: string;
  private pair: SocketPair | null = null;
  private stopping: Promise<void> | null = null;
  /** Bound once so `setHandler` can compare identities. A cached reply is answered at once. */
  readonly handler: QueryHandler = (buf, meta) => this.serveCached(buf, meta) ?? this.serveWire(buf, meta);
  /** Replies of this server (so of this instance) built from zone data alone. */
  readonly replyCache = new ReplyCache();

  constructor(
    readonly instanceId: string,
    readonly host: string,
    readonly configuredPort: number,
    /** Zone (`example.org.`) -> the chain of the block that serves it (null: no handler plugin). */
    readonly zones: ReadonlyMap<string, Handler | null>,
    private readonly log: Logger,
  ) {
    this.address = serverAddress(host, configuredPort);
  }

  /** The owner id this server uses on its SocketPair (its instance: one server per address). */
  get ownerId(): string {
    return this.instanceId;
  }

  /** The actual port (differs from the configured one for `:0`), or null before listen. */
  get port(): number | null {
    return this.pair?.port ?? null;
  }

  get socketPair(): SocketPair | null {
    return this.pair;
  }

  get stopped(): boolean {
    return this.stopping !== null;
  }

  /**
   * Takes ownership of `pair` and installs this server's handler on it. On a hand-over the
   * swap is one assignment, so a query is answered either by the old chain or by the new one.
   */
  listen(pair: SocketPair): void {
    pair.acquire(this.ownerId);
    pair.setHandler(this.handler);
    this.pair = pair;
  }

  /**
   * Stops once (v1.13.0+ stop-once): gives up this server's claim on its sockets. A socket
   * that a newer instance took over stays open; one nobody owns any more is closed (the
   * SocketPair publishes `server:listening`/`server:closed`).
   */
  stop(): Promise<void> {
    this.stopping ??= this.pair === null ? Promise.resolve() : this.pair.release(this.ownerId);
    return this.stopping;
  }

  /** Lines like CoreDNS's OnStartupComplete: `example.org.:1053`, sorted by zone. */
  startupLines(): string[] {
    const port = this.port ?? this.configuredPort;
    return [...this.zones.keys()].sort().map((zone) => `${zone}:${port}`);
  }

  /**
   * The cached reply to `buf`, with its id, or undefined when there is none. Publishes
   * `query:done` as `serveWire` would.
   */
  serveCached(buf: Buffer, meta: QueryMeta): Buffer | undefined {
    const started = isObserved('query:done') ? performance.now() : 0;
    const entry = this.replyCache.get(ReplyCache.key(buf), meta.transport, answerEpoch());
    if (entry === undefined) return undefined;
    const out = ReplyCache.replyFor(entry, buf);
    publish('query:done', () => ({
      instanceId: this.instanceId,
      transport: meta.transport,
      name: entry.name,
      type: entry.type,
      rcode: entry.rcode,
      durationMs: performance.now() - started,
    }));
    return out;
  }

  /** Wire in, wire out. Never throws: a malformed packet gets FORMERR or nothing. */
  async serveWire(buf: Buffer, meta: QueryMeta): Promise<Buffer | null> {
    const started = performance.now();
    // Read before anything looks at zone data: a change during this query voids the entry.
    const epoch = answerEpoch();
    let query: DnsMessage;
    try {
      query = decodeMessage(buf);
    } catch {
      return formErrReply(buf);
    }
    // miekg/dns's default accept func: responses are dropped, unknown opcodes get NOTIMP.
    if (query.response) return null;
    let reply: DnsMessage | null;
    let cacheable = false;
    if (query.opcode !== 'QUERY' && query.opcode !== 'NOTIFY') reply = errorReply(query, 'NOTIMP');
    else ({ reply, cacheable } = await this.route(query, meta, 0));
    if (reply === null) return null;
    const maxSize = meta.transport === 'udp' ? maxUdpReplySize(query) : MAX_MESSAGE_SIZE;
    let out: Buffer;
    try {
      out = encodeMessage(reply, { maxSize });
    } catch (err) {
      // A reply we cannot encode is our failure, not the client's: SERVFAIL, never cached.
      this.log.error(`cannot encode the reply to ${query.questions[0]?.name ?? '?'} ${query.questions[0]?.type ?? '?'}: ${(err as Error).message}`);
      reply = errorReply(query, 'SERVFAIL');
      cacheable = false;
      out = encodeMessage(reply, { maxSize });
    }
    const q = query.questions[0];
    if (cacheable && q !== undefined) {
      this.replyCache.set(ReplyCache.key(buf), meta.transport, epoch, { bytes: out, name: q.name, type: q.type, rcode: reply.rcode });
    }
    if (isObserved('query:done')) {
      publish('query:done', () => ({
        instanceId: this.instanceId,
        transport: meta.transport,
        name: q?.name ?? '',
        type: q?.type ?? '',
        rcode: reply.rcode,
        durationMs: performance.now() - started,
      }));
    }
    return out;
  }

  /** Routes a decoded query (Server.ServeDNS). Resolves to the reply, or null when nothing is sent. */
  async serveMessage(query: DnsMessage, meta: QueryMeta, depth: number): Promise<DnsMessage | null> {
    return (await this.route(query, meta, depth)).reply;
  }

  /** `serveMessage`, and whether the reply may be cached (see ZONE_ONLY_HEADS). */
  private async route(query: DnsMessage, meta: QueryMeta, depth: number): Promise<{ reply: DnsMessage | null; cacheable: boolean }> {
    const q = query.questions[0];
    if (q === undefined || query.questions.length !== 1) return { reply: errorReply(query, 'FORMERR'), cacheable: false };
    if (q.class !== 'IN') return { reply: errorReply(query, 'REFUSED'), cacheable: false };
    const qname = q.name.toLowerCase();
    const zone = this.match(qname);
    if (zone === null) return { reply: errorReply(query, 'REFUSED'), cacheable: false };
    const chain = this.zones.get(zone) ?? null;
    if (chain === null) return { reply: errorReply(query, 'REFUSED'), cacheable: false };
    const req: Request = {
      message: query,
      qname,
      qtype: q.type,
      transport: meta.transport,
      remoteAddress: meta.remoteAddress,
      remotePort: meta.remotePort,
      zone,
      depth,
      upstream: (name, type) => this.serveMessage(upstreamQuery(query, name, type), meta, depth + 1),
    };
    const w = new ReplyWriter();
    let result: HandlerResult;
    let threw = false;
    try {
      result = await chain.serveDNS(req, w);
    } catch (err) {
      threw = true;
      // CoreDNS recovers a panicking plugin with SERVFAIL; so do we, and say why.
      this.log.error(`Recovered from panic in server: "${this.address}" ${err instanceof Error ? err.message : String(err)}`);
      result = { rcode: 'SERVFAIL' };
    }
    if (w.reply !== null) return { reply: w.reply, cacheable: w.zoneAnswer && !threw && depth === 0 && ZONE_ONLY_HEADS.has(chain.name) };
    if (CLIENT_WRITE.has(result.rcode)) return { reply: errorReply(query, result.rcode), cacheable: false };
    return { reply: null, cacheable: false };
  }

  /** Longest served zone that is qname or an ancestor of it, then `.`; null if none. */
  match(qname: string): string | null {
    let name = qname;
    for (;;) {
      if (this.zones.has(name)) return name;
      const dot = nextLabel(name);
      if (dot === null) break;
      name = dot;
    }
    return this.zones.has('.') ? '.' : null;
  }
}

/** `host:port`; an IPv6 host is bracketed. */
export function serverAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** `www.example.org.` -> `example.org.`; `org.` -> null (the root is tried separately). */
function nextLabel(name: string): string | null {
  let i = 0;
  // Skip escaped dots (`a\.b.example.`): they are part of a label.
  while (i < name.length) {
    const ch = name[i];
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === '.') break;
    i++;
  }
  const rest = name.slice(i + 1);
  return rest === '' ? null : rest;
}

function upstreamQuery(original: DnsMessage, name: string, type: string): DnsMessage {
  return queryMessage(name, type, { id: original.id, edns: original.edns });
}
