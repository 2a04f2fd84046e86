/**
 * auto + reload through the real lifecycle, per version profile: the timers each profile
 * leaves behind after Corefile reloads (vectors J1-J3, J5, J7, J9, J15; semantics Appendix B).
 * Real timers at timeScale 0.01: `reload 2s 1s` polls every 15-25 ms, auto's `reload 60s`
 * walks and reloads zones every 600 ms.
 */
import diagnostics from 'node:diagnostics_channel';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelName, type EventPayloads, type TimerOwner, type TimerOwnerKind } from '../../server/events.ts';
import type { ProfileName } from '../../profiles.ts';
import { startServer, type StartedServer } from '../../testing/start.ts';
import { query } from '../../testing/client.ts';

const TIME_SCALE = 0.01;

function zoneFile(origin: string, serial = 1): string {
  return `$ORIGIN ${origin}
@ 3600 IN SOA ns1.${origin} hostmaster.${origin} ${serial} 7200 3600 1209600 3600
@ 3600 IN NS ns1.${origin}
ns1 3600 IN A 192.0.2.53
www 3600 IN A 192.0.2.1
`;
}

/** K1 of the vectors; `autoReload` is the token a reload flips; `extra` lines go in the block. */
function k1(opts: { autoReload?: string; reload?: boolean; extra?: string } = {}): string {
  return `example.com:0 example.org:0 {
    auto {
        directory zones db\\.(.*) {1}
        reload ${opts.autoReload ?? '60s'}
    }
    errors
${opts.reload === false ? '' : '    reload 2s 1s\n'}${opts.extra ?? ''}}
`;
}

/** Live timers by owner kind, from the armed/disarmed events (what the timers probe counts). */
class Ledger {
  private readonly live = new Map<number, TimerOwner>();
  private readonly onArmed = (m: unknown): void => {
    const p = m as EventPayloads['timer:armed'];
    this.live.set(p.timerId, p.owner);
  };
  private readonly onDisarmed = (m: unknown): void => {
    this.live.delete((m as EventPayloads['timer:disarmed']).timerId);
  };
  constructor() {
    diagnostics.subscribe(channelName('timer:armed'), this.onArmed);
    diagnostics.subscribe(channelName('timer:disarmed'), this.onDisarmed);
  }
  count(kind: TimerOwnerKind): number {
    let n = 0;
    for (const o of this.live.values()) if (o.kind === kind) n++;
    return n;
  }
  counts(): { zone: number; walk: number; watch: number } {
    return { zone: this.count('zone-reload'), walk: this.count('auto-walk'), watch: this.count('corefile-watch') };
  }
  close(): void {
    diagnostics.unsubscribe(channelName('timer:armed'), this.onArmed);
    diagnostics.unsubscribe(channelName('timer:disarmed'), this.onDisarmed);
  }
}

/** Counts one event kind. */
class Counter<E extends keyof EventPayloads> {
  readonly seen: EventPayloads[E][] = [];
  private readonly fn = (m: unknown): void => {
    this.seen.push(m as EventPayloads[E]);
  };
  constructor(private readonly event: E) {
    diagnostics.subscribe(channelName(event), this.fn);
  }
  close(): void {
    diagnostics.unsubscribe(channelName(this.event), this.fn);
  }
}

async function until(what: string, cond: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  // Let the returning watcher finish its bookkeeping after Restart resolved.
  await new Promise((r) => setTimeout(r, 10));
}

let ledger: Ledger;
let applied: Counter<'restart:applied'>;
let failed: Counter<'restart:failed'>;
let lines: string[];
let server: StartedServer | null;

beforeEach(() => {
  ledger = new Ledger();
  applied = new Counter('restart:applied');
  failed = new Counter('restart:failed');
  lines = [];
  server = null;
});

afterEach(async () => {
  ledger.close();
  applied.close();
  failed.close();
  if (server) await server.close();
});

async function start(profile: ProfileName, corefile = k1(), zones: Record<string, string> = { 'db.example.com': zoneFile('example.com.'), 'db.example.org': zoneFile('example.org.') }): Promise<StartedServer> {
  const files: Record<string, string> = {};
  for (const [name, text] of Object.entries(zones)) files[`zones/${name}`] = text;
  // This test's array, not the variable: leaked zones of an earlier test still log.
  const sink = lines;
  server = await startServer(corefile, { profile, timeScale: TIME_SCALE, files, logSink: (l) => sink.push(l) });
  return server;
}

/**
 * Replaces the Corefile atomically. A plain rewrite truncates first, and a watcher tick that
 * lands in between reads an empty Corefile: a valid one (zero blocks) with another hash.
 */
async function writeCorefile(s: StartedServer, corefile: string): Promise<void> {
  const tmp = `${s.corefilePath}.tmp`;
  await writeFile(tmp, corefile);
  await rename(tmp, s.corefilePath);
}

/** Writes `corefile` and waits for the watcher's restart to be applied. */
async function reloadTo(s: StartedServer, corefile: string): Promise<void> {
  const before = applied.seen.length;
  await writeCorefile(s, corefile);
  await until('restart applied', () => applied.seen.length > before);
}

/** N reloads that flip a token each time (J3). */
async function reloads(s: StartedServer, n: number, make = (i: number) => k1({ autoReload: i % 2 === 0 ? '61s' : '60s' })): Promise<void> {
  for (let i = 0; i < n; i++) await reloadTo(s, make(i));
}

const N = 3;

describe('timers after N Corefile reloads, per profile (vectors J1-J3, Appendix B; Z = 2)', () => {
  it.each([
    { profile: 'coredns-1.10.0', after: { zone: 2 * (N + 1), walk: N + 1, watch: N + 1 } },
    { profile: 'coredns-1.11.3', after: { zone: 2 * (N + 1), walk: 1, watch: 1 } },
    { profile: 'coredns-1.11.4', after: { zone: 2, walk: 1, watch: 1 } },
    { profile: 'fixed', after: { zone: 2, walk: 1, watch: 1 } },
  ] as const)('$profile', async ({ profile, after }) => {
    const s = await start(profile);
    expect(ledger.counts()).toEqual({ zone: 2, walk: 1, watch: 1 }); // J1
    await reloads(s, N);
    expect(ledger.counts()).toEqual(after);
    const reply = await query({ port: s.port(), name: 'www.example.org.', type: 'A' });
    expect(reply.rcode).toBe('NOERROR');
    expect(reply.answers.map((r) => r.data)).toEqual(['192.0.2.1']);
  });
});

describe('issue 6703 (one zone, three reloads)', () => {
  it.each([
    { profile: 'coredns-1.11.3', zoneTimers: 4 },
    { profile: 'fixed', zoneTimers: 1 },
  ] as const)('$profile leaves $zoneTimers zone-reload timers', async ({ profile, zoneTimers }) => {
    const s = await start(profile, k1(), { 'db.example.org': zoneFile('example.org.') });
    await reloads(s, 3);
    expect(ledger.count('zone-reload')).toBe(zoneTimers);
  });
});

describe('J5: deleting a zone file after N reloads', () => {
  it.each([
    { profile: 'coredns-1.11.3', zone: 2 * (N + 1) - 1, staleErrors: true },
    { profile: 'fixed', zone: 1, staleErrors: false },
  ] as const)('$profile: the live walk removes it; stale copies keep ticking only when leaked', async ({ profile, zone, staleErrors }) => {
    const s = await start(profile);
    await reloads(s, N);
    const shutdowns = new Counter('zone:shutdown');
    await rm(join(s.dir, 'zones', 'db.example.com'));
    // The live zone's own tick may race the walk once (same interval), as upstream.
    let mark = lines.length;
    // One walk (600 ms) removes it; another interval lets leaked copies fail to open it.
    await until('zone removed', () => shutdowns.seen.some((e) => e.origin === 'example.com.'), 3_000);
    mark = lines.length;
    await new Promise((r) => setTimeout(r, 700));
    shutdowns.close();
    expect(ledger.count('zone-reload')).toBe(zone);
    const openFailures = lines.slice(mark).filter((l) => l.startsWith('[ERROR] plugin/file: Failed to open zone "example.com."'));
    expect(openFailures.length > 0).toBe(staleErrors);
    const reply = await query({ port: s.port(), name: 'www.example.com.', type: 'A' });
    expect(reply.rcode).toBe('REFUSED'); // no loaded zone, no next plugin (v1.12.3+)
  });
});

describe('J7: a Corefile the restart refuses (unknown directive)', () => {
  it.each(['coredns-1.11.3', 'fixed'] as const)('%s: fails once, starts nothing, is not retried', async (profile) => {
    const s = await start(profile);
    await writeCorefile(s, k1({ extra: '    junk\n' }));
    await until('restart failed', () => failed.seen.length > 0);
    await new Promise((r) => setTimeout(r, 150)); // several watcher ticks
    expect(failed.seen).toHaveLength(1);
    expect(failed.seen[0]?.stage).toBe('parse');
    expect(ledger.counts()).toEqual({ zone: 2, walk: 1, watch: 1 });
    expect(lines.some((l) => l.startsWith('[ERROR] plugin/reload: Corefile changed but reload failed: '))).toBe(true);
    await reloadTo(s, k1({ autoReload: '61s' })); // the next edit is tried
    expect(ledger.counts()).toEqual(profile === 'fixed' ? { zone: 2, walk: 1, watch: 1 } : { zone: 4, walk: 1, watch: 1 });
  });
});

describe('J9: removing the reload line', () => {
  it('coredns-1.11.4: a watcher still starts for the new instance, and later edits still reload (semantics 5.4)', async () => {
    const s = await start('coredns-1.11.4');
    await reloadTo(s, k1({ reload: false }));
    expect(ledger.count('corefile-watch')).toBe(1);
    await reloadTo(s, k1({ reload: false, autoReload: '61s' }));
    expect(applied.seen).toHaveLength(2);
  });

  it('fixed: no watcher runs any more', async () => {
    const s = await start('fixed');
    await reloadTo(s, k1({ reload: false }));
    expect(ledger.count('corefile-watch')).toBe(0);
    await writeCorefile(s, k1({ reload: false, autoReload: '61s' }));
    await new Promise((r) => setTimeout(r, 100));
    expect(applied.seen).toHaveLength(1);
  });
});

describe('J15: auto with reload 0', () => {
  it.each(['coredns-1.10.0', 'fixed'] as const)('%s: no zone or walk timers before or after reloads', async (profile) => {
    const s = await start(profile, k1({ autoReload: '0' }));
    expect(ledger.counts()).toEqual({ zone: 0, walk: 0, watch: 1 });
    await reloads(s, 2, (i) => k1({ autoReload: '0', extra: i % 2 === 0 ? '    whoami\n' : '' }));
    expect(ledger.count('zone-reload')).toBe(0);
    expect(ledger.count('auto-walk')).toBe(0);
    const reply = await query({ port: s.port(), name: 'www.example.com.', type: 'A' });
    expect(reply.rcode).toBe('NOERROR');
  });
});

describe('final shutdown', () => {
  it('fixed: after reloads, stop leaves no timer at all', async () => {
    const s = await start('fixed');
    await reloads(s, 2);
    await s.close();
    server = null;
    expect(ledger.counts()).toEqual({ zone: 0, walk: 0, watch: 0 });
  });

  it('coredns-1.11.4: stop without a reload stops the watcher (the first instance holds the quit)', async () => {
    const s = await start('coredns-1.11.4');
    await s.close();
    server = null;
    expect(ledger.counts()).toEqual({ zone: 0, walk: 0, watch: 0 });
  });

  // Upstream registers the quit only on the first instance (semantics 5.4) and relies on the
  // process exit; in process every instance with reload registers it (harness/dns/README.md).
  it('coredns-1.11.4: after a reload, final shutdown still stops the current watcher', async () => {
    const s = await start('coredns-1.11.4');
    await reloads(s, 1);
    await s.close();
    server = null;
    expect(ledger.counts()).toEqual({ zone: 0, walk: 0, watch: 0 });
  });

  it('coredns-1.10.0: after a reload, final shutdown ends the watcher but its ticker and the old one stay (PR 5686)', async () => {
    const s = await start('coredns-1.10.0');
    await reloads(s, 1);
    await s.close();
    server = null;
    expect(ledger.count('corefile-watch')).toBe(2);
  });
});

describe('SIGUSR1 then a Corefile edit (issue 6263, case 07)', () => {
  it('coredns-1.11.4: the hook is purged and the stale watcher fails to restart the stopped instance', async () => {
    const s = await start('coredns-1.11.4');
    await s.process.signal('SIGUSR1');
    expect(applied.seen).toHaveLength(1);
    await writeCorefile(s, k1({ autoReload: '61s' }));
    await until('restart failed', () => failed.seen.length > 0);
    expect(applied.seen).toHaveLength(1);
  });

  it('fixed: the new instance gets its own watcher and the edit is applied', async () => {
    const s = await start('fixed');
    await s.process.signal('SIGUSR1');
    await new Promise((r) => setTimeout(r, 20));
    expect(ledger.count('corefile-watch')).toBe(1);
    await reloadTo(s, k1({ autoReload: '61s' }));
    expect(failed.seen).toHaveLength(0);
    expect(ledger.counts()).toEqual({ zone: 2, walk: 1, watch: 1 });
  });
});
