/**
 * Encoded replies a DnsServer already built, so that a repeated question costs a copy instead
 * of decode, routing, lookup and encode.
 *
 * Correctness rests on three facts:
 * - The key is the query's bytes after the 2-byte id, per transport: everything that
 *   shapes the reply (flags, question as sent, EDNS size and DO bit) is in it. The reply is
 *   returned with the query's id written over the stored one.
 * - Only replies built from zone data alone are stored (the server decides: its chain starts
 *   with a plugin that only answers from zones, and `serveZone` said no upstream was asked).
 * - Zone data changes bump `answerEpoch()` (zone/answer-epoch.ts); an entry from another
 *   epoch is never served, and the first look under a new epoch drops them all.
 * One cache belongs to one DnsServer, so a restart (a new instance, new servers) starts empty.
 */

export interface CachedReply {
  readonly bytes: Buffer;
  /** For `query:done`: the question as decoded and the reply's rcode. */
  readonly name: string;
  readonly type: string;
  readonly rcode: string;
}

/** Entries kept per server and transport; the oldest goes first when full. */
export const REPLY_CACHE_CAPACITY = 32_768;

export class ReplyCache {
  /** Keys are per transport (their size limits differ): two maps spare a concatenation per query. */
  private readonly udp = new Map<string, CachedReply>();
  private readonly tcp = new Map<string, CachedReply>();
  private epoch = -1;

  constructor(private readonly capacity = REPLY_CACHE_CAPACITY) {}

  /** The key of a query: its bytes after the id (latin1 keeps one char per byte). */
  static key(query: Buffer): string {
    return query.toString('latin1', 2);
  }

  get size(): number {
    return this.udp.size + this.tcp.size;
  }

  /** The entry for `key` over `transport` if it was stored under `epoch`. */
  get(key: string, transport: 'udp' | 'tcp', epoch: number): CachedReply | undefined {
    if (epoch !== this.epoch) {
      this.clear();
      this.epoch = epoch;
      return undefined;
    }
    return (transport === 'udp' ? this.udp : this.tcp).get(key);
  }

  /** Stores a reply computed under `epoch`; one from an older epoch than the cache's is dropped. */
  set(key: string, transport: 'udp' | 'tcp', epoch: number, reply: CachedReply): void {
    if (epoch < this.epoch) return;
    if (epoch > this.epoch) {
      this.clear();
      this.epoch = epoch;
    }
    const entries = transport === 'udp' ? this.udp : this.tcp;
    if (entries.size >= this.capacity && !entries.has(key)) {
      const oldest = entries.keys().next();
      if (!oldest.done) entries.delete(oldest.value);
    }
    entries.set(key, reply);
  }

  clear(): void {
    this.udp.clear();
    this.tcp.clear();
  }

  /** A copy of `entry.bytes` carrying the id of `query`. */
  static replyFor(entry: CachedReply, query: Buffer): Buffer {
    const out = Buffer.allocUnsafe(entry.bytes.length);
    entry.bytes.copy(out, 0);
    out[0] = query[0] as number;
    out[1] = query[1] as number;
    return out;
  }
}
