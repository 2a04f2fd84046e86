/**
 * `reload_by_mtime` end to end, case 12 (12-mtime-reload-unchanged): the file's mtime is the
 * sole reload trigger. Real timers at timeScale 0.01, so `reload 1s` ticks every 10ms.
 *
 * Every write goes through a temp file whose mtime is set before it is renamed over the zone
 * file, so a tick never sees new content with the write's own (current) mtime.
 */
import diagnostics from 'node:diagnostics_channel';
import { renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { query } from '../../testing/client.ts';
import { startServer, type StartedServer } from '../../testing/start.ts';
import { channelName } from '../../server/events.ts';

const COREFILE = 'example.org:0 {\n    file db.example.org {\n        reload 1s\n        reload_by_mtime\n    }\n}\n';
/** The tick period in real ms (1s × 0.01) and a window of ten ticks. */
const TICK = 10;
const TEN_TICKS = 10 * TICK;

/** The case's zone: serial 2024050401 in every version; only `www` changes. */
function zone(www: string): string {
  return [
    '$ORIGIN example.org.',
    '$TTL 3600',
    '@ IN SOA ns1.example.org. hostmaster.example.org. 2024050401 7200 3600 1209600 3600',
    '@ IN NS ns1.example.org.',
    'ns1 IN A 192.0.2.53',
    `www IN A ${www}`,
    '',
  ].join('\n');
}

/** Puts `content` (or the current content) at `path` with mtime `t` in one atomic step. */
function replaceWithMtime(path: string, t: number, content?: string): void {
  if (content === undefined) {
    utimesSync(path, t, t);
    return;
  }
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, content);
  utimesSync(tmp, t, t);
  renameSync(tmp, path);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(2);
  }
}

/** Counts zone:reloaded for example.org. and file:opened on the zone file (each parse opens it). */
class Counter {
  reloads = 0;
  opens = 0;
  constructor(private readonly path: string) {}
  readonly onReload = (m: unknown): void => {
    if ((m as { origin: string }).origin === 'example.org.') this.reloads++;
  };
  readonly onOpen = (m: unknown): void => {
    if ((m as { path: string }).path === this.path) this.opens++;
  };
  reset(): void {
    this.reloads = 0;
    this.opens = 0;
  }
}

let server: StartedServer | null = null;
let counter: Counter | null = null;

beforeEach(() => {
  counter = null;
});
afterEach(async () => {
  if (counter !== null) {
    diagnostics.unsubscribe(channelName('zone:reloaded'), counter.onReload);
    diagnostics.unsubscribe(channelName('file:opened'), counter.onOpen);
  }
  await server?.close();
  server = null;
});

async function start(logs: string[]): Promise<{ s: StartedServer; path: string; c: Counter }> {
  const s = (server = await startServer(COREFILE, { files: { 'db.example.org': zone('192.0.2.1') }, timeScale: 0.01, logSink: (l) => logs.push(l) }));
  const path = join(s.dir, 'db.example.org');
  const c = (counter = new Counter(path));
  diagnostics.subscribe(channelName('zone:reloaded'), c.onReload);
  diagnostics.subscribe(channelName('file:opened'), c.onOpen);
  return { s, path, c };
}

async function www(s: StartedServer): Promise<string[]> {
  const r = await query({ port: s.port(), name: 'www.example.org.', type: 'A' });
  expect(r.rcode).toBe('NOERROR');
  return r.answers.map((a) => String(a.data));
}

describe('file reload_by_mtime (case 12)', () => {
  it('reloads only when the mtime advances, whatever the serial, and keeps the old data otherwise', async () => {
    const logs: string[] = [];
    const { s, path, c } = await start(logs);
    // The case's T0 is the mtime the file had when setup loaded it (utimes takes seconds).
    const T0 = statSync(path).mtimeMs / 1000;

    // Unchanged file: over ten ticks, no reload and no parse (the file is not even opened).
    await sleep(TEN_TICKS);
    expect({ reloads: c.reloads, opens: c.opens }).toEqual({ reloads: 0, opens: 0 });

    // Touch with a later mtime, same content and serial: exactly one reload.
    replaceWithMtime(path, T0 + 10);
    await until(() => c.reloads >= 1);
    await sleep(TEN_TICKS);
    expect(c.reloads).toBe(1);
    expect(logs).toContain(`[INFO] plugin/file: Successfully reloaded zone "example.org." in "${path}" with 2024050401 SOA serial`);

    // New content, same serial, later mtime: one reload, the new data is served.
    c.reset();
    replaceWithMtime(path, T0 + 20, zone('192.0.2.2'));
    await until(() => c.reloads >= 1);
    await sleep(TEN_TICKS);
    expect(c.reloads).toBe(1);
    expect(await www(s)).toEqual(['192.0.2.2']);

    // New content whose mtime did not advance: not reloaded, the old answer stays.
    c.reset();
    replaceWithMtime(path, T0 + 20, zone('192.0.2.3'));
    await sleep(TEN_TICKS);
    expect({ reloads: c.reloads, opens: c.opens }).toEqual({ reloads: 0, opens: 0 });
    expect(await www(s)).toEqual(['192.0.2.2']);
  });

  it('without reload_by_mtime a later mtime with the same serial does not reload (serial mode unchanged)', async () => {
    const s = (server = await startServer(COREFILE.replace('        reload_by_mtime\n', ''), {
      files: { 'db.example.org': zone('192.0.2.1') },
      timeScale: 0.01,
    }));
    const path = join(s.dir, 'db.example.org');
    const c = (counter = new Counter(path));
    diagnostics.subscribe(channelName('zone:reloaded'), c.onReload);
    diagnostics.subscribe(channelName('file:opened'), c.onOpen);
    replaceWithMtime(path, Date.now() / 1000 + 60, zone('192.0.2.2'));
    await until(() => c.opens >= 3); // serial mode parses on every tick
    expect(c.reloads).toBe(0);
    expect(await www(s)).toEqual(['192.0.2.1']);
  });

  it('a file that fails to parse keeps the old data and is retried until a good one with a later mtime arrives', async () => {
    const logs: string[] = [];
    const { s, path, c } = await start(logs);
    replaceWithMtime(path, Date.now() / 1000 + 60, '$ORIGIN example.org.\n@ IN SOA a. b. 1 2 3 4 5\nwww IN A not-an-ip\n');
    await until(() => logs.filter((l) => l.startsWith('[ERROR] plugin/file: Parsing zone "example.org.":')).length >= 2);
    expect(c.reloads).toBe(0);
    expect(await www(s)).toEqual(['192.0.2.1']);
    replaceWithMtime(path, Date.now() / 1000 + 120, zone('192.0.2.4'));
    await until(() => c.reloads >= 1);
    expect(await www(s)).toEqual(['192.0.2.4']);
  });
});
