/**
 * Encoded replies a DnsServer already built, so that a repeated question costs a copy instead
 * of decode, routing, lookup and encode.
 *
 * Correctness rests on three facts:
 * - The key is the query's bytes after the 2-byte id, plus the transport: everything that
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

/** Entries kept per server; the oldest goes first when full. */
export const REPLY_CACHE_CAPACITY = 32_768;

export class ReplyCache {
  private readonly entries = new Map<string, CachedReply>();
  private epoch = -1;

  constructor(private readonly capacity = REPLY_CACHE_CAPACITY) {}

  /** The key of a query: transport, then its bytes after the id (latin1 keeps one char per byte). */
  static key(query: Buffer, transport: 'udp' | 'tcp'): string {
    return (transport === 'udp' ? 'u' : 't') + query.toString('latin1', 2);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The entry for `key` if it was stored under `epoch`. */
  get(key: string, epoch: number): CachedReply | undefined {
    if (epoch !== this.epoch) {
      this.entries.clear();
      this.epoch = epoch;
      return undefined;
    }
    return this.entries.get(key);
  }

  /** Stores a reply computed under `epoch`; one from an older epoch than the cache's is dropped. */
  set(key: string, epoch: number, reply: CachedReply): void {
    if (epoch < this.epoch) return;
    if (epoch > this.epoch) {
      this.entries.clear();
      this.epoch = epoch;
    }
    if (this.entries.size >= this.capacity && !this.entries.has(key)) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, reply);
  }

  clear(): void {
    this.entries.clear();
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
