/**
 * Restart outcomes: a failed restart leaves the old instance serving; a good one hands the
 * sockets over (vector J12); SIGUSR1 purges the event hooks (2.6); a stale instance cannot be
 * restarted (issue 6263).
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { query } from '../testing/client.ts';
import { startServer, type StartedServer } from '../testing/start.ts';
import { RestartError } from './restart.ts';
import { StartFailure } from './startup.ts';
import { CorefileError } from './corefile/types.ts';

const GOOD = '.:0 {\n    whoami\n}\n';

let server: StartedServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function boot(corefile = GOOD, logs?: string[]): Promise<StartedServer> {
  server = await startServer(corefile, logs ? { logSink: (l) => logs.push(l) } : {});
  return server;
}

/** A TCP port nobody else may bind (held without SO_REUSEPORT). */
async function busyPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen({ port: 0, host: '127.0.0.1', exclusive: true }, resolve));
  const addr = srv.address();
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return { port: addr.port, close: () => new Promise((resolve) => srv.close(() => resolve())) };
}

describe('a failed restart keeps the old instance serving', () => {
  const cases: Array<{ name: string; corefile: (busy: number) => string; stage: string; message: RegExp }> = [
    { name: 'syntax error', corefile: () => '.:0 {\n    whoami\n', stage: 'parse', message: /Corefile:\d+ - Syntax error|Unexpected EOF|expecting '}'/ },
    { name: 'unknown directive (B12)', corefile: () => '.:0 {\n    whoami\n    invalid\n}\n', stage: 'parse', message: /Corefile:3 - Error during parsing: Unknown directive 'invalid'/ },
    { name: 'setup error', corefile: () => '.:0 {\n    whoami extra\n}\n', stage: 'setup', message: /^starting with listener file descriptors: plugin\/whoami: .*Corefile:2 - Error during parsing: Wrong argument count/ },
    { name: 'zone served twice on a port (B11)', corefile: () => 'example.org:0 {\n    whoami\n}\nexample.org:0 {\n    whoami\n}\n', stage: 'setup', message: /cannot serve dns:\/\/example\.org\.:0 - it is already defined/ },
    { name: 'port in use for a new block (J8)', corefile: (busy) => `.:0 {\n    whoami\n}\nexample.net:${busy} {\n    whoami\n}\n`, stage: 'listen', message: /Listen: listen (udp|tcp) 127\.0\.0\.1:\d+: bind: address already in use/ },
  ];

  it.each(cases)('$name: stage $stage, old instance answers', async ({ corefile, stage, message }) => {
    const logs: string[] = [];
    const s = await boot(GOOD, logs);
    const before = s.process.current();
    const port = s.port();
    const busy = await busyPort();
    try {
      const err = await s.process.restart(corefile(busy.port)).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(RestartError);
      const re = err as RestartError;
      expect(re.stage).toBe(stage);
      expect(re.message).toMatch(message);
    } finally {
      await busy.close();
    }
    expect(s.process.current()).toBe(before);
    expect(s.process.instances()).toHaveLength(1);
    expect(logs.some((l) => l.startsWith('[ERROR] Restart failed: '))).toBe(true);
    const reply = await query({ port, name: 'after.example.org.', type: 'A' });
    expect(reply.rcode).toBe('NOERROR');
    expect(reply.additionals).toHaveLength(2);
  });

  it('keeps file:line on the raw error of a bad Corefile', async () => {
    const s = await boot();
    const err = (await s.process.restart('.:0 {\n    whoami\n    junk\n}\n').catch((e: unknown) => e)) as RestartError;
    expect(err.cause).toBeInstanceOf(CorefileError);
    expect((err.cause as CorefileError).line).toBe(3);
  });
});

describe('socket hand-over', () => {
  it('J12: restarting `.:0 { whoami }` with the same Corefile keeps the UDP port; whoami answers before and after', async () => {
    const s = await boot();
    const port = s.port();
    const ask = () => query({ port, name: 'whoami.example.org.', type: 'SRV' });
    const before = await ask();
    expect(before).toMatchObject({ rcode: 'NOERROR', answers: [] });
    expect(before.additionals).toHaveLength(2);
    const next = await s.process.restart(GOOD);
    expect(next.port).toBe(port);
    const after = await ask();
    expect(after).toMatchObject({ rcode: 'NOERROR', answers: [] });
    expect(after.additionals).toHaveLength(2);
  });

  it('an address the new Corefile drops is closed, a new one is bound', async () => {
    const s = await boot('.:0 {\n    whoami\n}\n');
    const oldPort = s.port();
    const other = await busyPort();
    const freePort = other.port;
    await other.close();
    await s.process.restart(`.:${freePort} {\n    whoami\n}\n`);
    expect(s.port()).toBe(freePort);
    await expect(query({ port: oldPort, name: 'x.', type: 'A', timeoutMs: 300 })).rejects.toThrow();
    expect((await query({ port: freePort, name: 'x.', type: 'A' })).rcode).toBe('NOERROR');
  });

  it('a stale (stopped) instance cannot be restarted: its sockets are gone (issue 6263)', async () => {
    const s = await boot();
    const stale = s.process.current();
    if (stale === null) throw new Error('not started');
    await s.process.restart(GOOD);
    await expect(stale.restart(GOOD, 'reload')).rejects.toThrow(/getting old listener file: .*use of closed network connection/);
    expect((await query({ port: s.port(), name: 'x.', type: 'A' })).rcode).toBe('NOERROR');
  });
});

describe('SIGUSR1 (semantics 2.6)', () => {
  it('restarts from the Corefile on disk and purges the event hooks for good', async () => {
    const logs: string[] = [];
    const s = await boot(GOOD, logs);
    s.process.registerEventHook('probe', () => {});
    await s.write('Corefile', 'example.org:0 {\n    whoami\n}\n');
    const first = s.process.current();
    expect(await s.process.signal('SIGUSR1')).toBe(0);
    expect(s.process.current()).not.toBe(first);
    expect(s.process.current()?.listeners().map((l) => l.zone)).toEqual(['example.org.']);
    expect(s.process.eventHookNames()).toEqual([]);
    expect(logs).toContain('[INFO] SIGUSR1: Reloading');
  });

  it('restores the hooks when its restart fails', async () => {
    const logs: string[] = [];
    const s = await boot(GOOD, logs);
    s.process.registerEventHook('probe', () => {});
    await s.write('Corefile', '.:0 {\n    nonsense\n}\n');
    await s.process.signal('SIGUSR1');
    expect(s.process.eventHookNames()).toEqual(['probe']);
    expect(logs.some((l) => l.startsWith('[ERROR] SIGUSR1: starting with listener file descriptors: '))).toBe(true);
  });

  it('a duplicate event hook name throws (caddy panics)', async () => {
    const s = await boot();
    s.process.registerEventHook('x', () => {});
    expect(() => s.process.registerEventHook('x', () => {})).toThrow('hook named x already registered');
  });
});

describe('first start', () => {
  it('a bad Corefile rejects with a StartFailure naming file and line, and nothing listens', async () => {
    const err = await startServer('.:0 {\n    whoami\n    bogus\n}\n').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StartFailure);
    expect((err as StartFailure).stage).toBe('parse');
    expect((err as StartFailure).message).toMatch(/Corefile:3 - Error during parsing: Unknown directive 'bogus'/);
  });

  it('stop is idempotent and leaves no instance', async () => {
    const s = await boot();
    expect(await s.process.stop()).toBe(0);
    expect(await s.process.stop()).toBe(0);
    expect(s.process.current()).toBeNull();
  });
});
