/**
 * The restart order of semantics 2.3, recorded hook by hook: start, a good restart, restarts
 * that fail at each stage, and the final shutdown.
 */
import diagnostics from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { SETUPS } from '../plugins/registry.ts';
import { createHookRecorder, type HookRecorder } from '../testing/record-hooks.ts';
import { startServer, type StartedServer } from '../testing/start.ts';
import { channelName, type EventPayloads } from './events.ts';
import type { ProfileName } from '../profiles.ts';

const GOOD = '.:0 {\n    whoami\n}\n';

let server: StartedServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** Starts GOOD with a recorder on whoami; lifecycle events and log lines go to the same log. */
async function boot(profile: ProfileName = 'fixed'): Promise<{ rec: HookRecorder; s: StartedServer }> {
  const rec = createHookRecorder();
  const s = await startServer(GOOD, {
    profile,
    setups: { whoami: rec.wrap(SETUPS.whoami) },
    logSink: (line) => {
      if (line.includes('Reloading') || line.includes('Restart failed')) rec.log.push(line);
    },
  });
  s.process.registerEventHook('test', (event, inst) => rec.log.push(`event:${event}:${inst?.id ?? '-'}`));
  const onStopped = (m: unknown): void => { rec.log.push(`${(m as EventPayloads['instance:stopped']).instanceId}:stopped`); };
  diagnostics.subscribe(channelName('instance:stopped'), onStopped);
  const close = s.close;
  server = { ...s, close: async () => { await close(); diagnostics.unsubscribe(channelName('instance:stopped'), onStopped); } };
  return { rec, s };
}

describe('instance lifecycle order (semantics 2.2, 2.3, 2.6)', () => {
  it('first start runs OnFirstStartup then OnStartup (the startup event is emitted before a test hook could be registered)', async () => {
    const { rec, s } = await boot();
    const id = s.instance.id;
    expect(rec.log).toEqual([`${id}:firstStartup`, `${id}:startup`]);
  });

  it('a good restart: old OnRestart, new OnStartup, old stops, old OnShutdown, startup event, Reloading complete', async () => {
    const { rec, s } = await boot();
    const old = s.instance.id;
    rec.log.length = 0;
    const next = await s.process.restart(GOOD);
    const n = next.id;
    expect(rec.log).toEqual([
      '[INFO] Reloading',
      `${old}:restart`,
      `${n}:startup`,
      `${old}:stopped`,
      `${old}:shutdown`,
      `event:InstanceStartupEvent:${n}`,
      '[INFO] Reloading complete',
    ]);
    expect(rec.log).not.toContain(`${old}:finalShutdown`);
    expect(rec.log).not.toContain(`${n}:firstStartup`);
  });

  it('a restart failing in parse runs only the old instance\'s OnRestart and OnRestartFailed', async () => {
    const { rec, s } = await boot();
    const old = s.instance.id;
    rec.log.length = 0;
    await expect(s.process.restart('.:0 {\n    whoami\n    junk\n}\n')).rejects.toThrow("Unknown directive 'junk'");
    expect(rec.log).toEqual([
      '[INFO] Reloading',
      `${old}:restart`,
      // The candidate was built (and so is discarded) but never ran a callback.
      expect.stringMatching(/^i\d+:stopped$/),
      `${old}:restartFailed`,
      expect.stringMatching(/^\[ERROR\] Restart failed: .*Unknown directive 'junk'/),
    ]);
  });

  const failedStartupCases: Array<{ profile: ProfileName; newShutdownRuns: boolean }> = [
    { profile: 'coredns-1.10.0', newShutdownRuns: false },
    { profile: 'coredns-1.11.3', newShutdownRuns: false },
    { profile: 'coredns-1.11.4', newShutdownRuns: false },
    { profile: 'fixed', newShutdownRuns: true },
  ];
  it.each(failedStartupCases)('$profile: a restart failing in OnStartup runs the new OnShutdown: $newShutdownRuns', async ({ profile, newShutdownRuns }) => {
    const { rec, s } = await boot(profile);
    const old = s.instance.id;
    rec.log.length = 0;
    rec.failNextStartup = true;
    const err = await s.process.restart(GOOD).then(() => null, (e: unknown) => e as Error & { stage: string; newInstanceId: string });
    expect(err?.stage).toBe('startup');
    const n = err?.newInstanceId ?? '?';
    expect(rec.log).toEqual([
      '[INFO] Reloading',
      `${old}:restart`,
      `${n}:startup`,
      ...(newShutdownRuns ? [`${n}:shutdown`] : []),
      `${n}:stopped`,
      `${old}:restartFailed`,
      `[ERROR] Restart failed: startup of ${n} failed on purpose`,
    ]);
    expect(s.process.current()?.id).toBe(old);
  });

  it('final shutdown: ShutdownEvent, then OnShutdown and OnFinalShutdown of the current instance, then it stops', async () => {
    const { rec, s } = await boot();
    const next = await s.process.restart(GOOD);
    rec.log.length = 0;
    expect(await s.process.stop()).toBe(0);
    expect(rec.log).toEqual([
      'event:ShutdownEvent:-',
      `${next.id}:shutdown`,
      `${next.id}:finalShutdown`,
      `${next.id}:stopped`,
    ]);
  });

  it('hook:ran reports every callback with its phase, plugin and error', async () => {
    const ran: Array<EventPayloads['hook:ran']> = [];
    const sub = (m: unknown): void => { ran.push(m as EventPayloads['hook:ran']); };
    diagnostics.subscribe(channelName('hook:ran'), sub);
    try {
      const { rec, s } = await boot();
      rec.failNextStartup = true;
      await s.process.restart(GOOD).catch(() => undefined);
      const failed = ran.find((r) => r.phase === 'startup' && r.error !== null);
      expect(failed).toMatchObject({ plugin: 'whoami', error: expect.stringContaining('failed on purpose') });
      expect(ran.map((r) => r.phase)).toEqual(expect.arrayContaining(['firstStartup', 'startup', 'restart', 'restartFailed']));
      expect(ran.every((r) => r.durationMs >= 0)).toBe(true);
    } finally {
      diagnostics.unsubscribe(channelName('hook:ran'), sub);
    }
  });
});
