/**
 * A running log of the subject's events for one run: each gets a sequence number, so a
 * step can wait for "the first outcome after my edit" without racing the watcher. Holds
 * only plain data (never the zone or instance objects some payloads carry).
 */
import diagnostics from 'node:diagnostics_channel';
import { channelName, EVENT_NAMES, type EventName, type EventPayloads } from '../../dns/server/events.ts';

export interface LoggedEvent<E extends EventName = EventName> {
  seq: number;
  name: E;
  at: number;
  data: Omit<EventPayloads[E], 'zone' | 'instance'>;
}

/** Every event, so a scenario can wait for any of them; the loud ones are kept small below. */
const WATCHED: readonly EventName[] = EVENT_NAMES;

/** Events that come by the thousand (queries, timers): only their instance is kept. */
const SLIM: ReadonlySet<EventName> = new Set(['query:done', 'timer:armed', 'timer:disarmed', 'hook:ran']);

export class EventLog {
  private seq = 0;
  readonly events: LoggedEvent[] = [];
  private waiters = new Set<(name: EventName) => void>();
  private readonly handlers = new Map<EventName, (m: unknown) => void>();

  start(): this {
    for (const name of WATCHED) {
      const handler = (message: unknown): void => {
        const { zone: _z, instance: _i, ...full } = message as Record<string, unknown>;
        const owner = (full['owner'] as { instanceId?: string } | undefined)?.instanceId;
        const data = SLIM.has(name) ? { instanceId: (full['instanceId'] as string | undefined) ?? owner ?? null } : full;
        this.events.push({ seq: ++this.seq, name, at: performance.now(), data } as LoggedEvent);
        for (const w of [...this.waiters]) w(name);
      };
      this.handlers.set(name, handler);
      diagnostics.subscribe(channelName(name), handler);
    }
    return this;
  }

  stop(): void {
    for (const [name, handler] of this.handlers) diagnostics.unsubscribe(channelName(name), handler);
    this.handlers.clear();
    this.waiters.clear();
  }

  /** The sequence number of the latest event (0 before any). */
  get position(): number {
    return this.seq;
  }

  since<E extends EventName>(seq: number, names: readonly E[]): LoggedEvent<E>[] {
    // events[i].seq === i + 1, so the tail after `seq` starts at index `seq`.
    return this.events.slice(Math.max(0, seq)).filter((e): e is LoggedEvent<E> => (names as readonly EventName[]).includes(e.name));
  }

  /**
   * Resolves with the first `count` events named in `names` after `seq`, or rejects after
   * `timeoutMs` real milliseconds with a message saying what was awaited.
   */
  waitFor<E extends EventName>(names: readonly E[], opts: { after: number; count?: number; timeoutMs: number; what: string; filter?: (e: LoggedEvent) => boolean }): Promise<LoggedEvent<E>[]> {
    const count = opts.count ?? 1;
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.since(opts.after, names).filter((e) => !opts.filter || opts.filter(e));
        if (found.length >= count) {
          cleanup();
          resolve(found.slice(0, count));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        cleanup();
        const seen = this.since(opts.after, names).filter((e) => !opts.filter || opts.filter(e)).length;
        reject(new Error(`timed out after ${opts.timeoutMs} ms waiting for ${opts.what} (${names.join(' or ')}: saw ${seen} of ${count})`));
      }, opts.timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const waiter = (name: EventName): void => {
        if ((names as readonly EventName[]).includes(name)) check();
      };
      this.waiters.add(waiter);
      check();
    });
  }
}
