/**
 * The watcher on its own, against a small in-test process and instance (the real lifecycle
 * is exercised in auto/auto-reload.test.ts). Real timers, scaled.
 */
import { describe, expect, it } from 'vitest';
import { Clock } from '../../server/clock.ts';
import { createLogger } from '../../server/log.ts';
import { PROFILES } from '../../profiles.ts';
import type { EventHook, InstanceHandle, ProcessState } from '../plugin.ts';
import { hashCorefile } from './hash.ts';
import { reloadState } from './state.ts';
import { Watcher, type WatcherEnv } from './watcher.ts';

const V1 = '.:1053 {\n    whoami\n}\n';
const V2 = '.:1053 {\n    whoami\n    log\n}\n';

class FakeProcess implements ProcessState {
  corefile: string | null = V1;
  readFails = false;
  private readonly globals = new Map<string, unknown>();
  global<T>(plugin: string, init: () => T): T {
    if (!this.globals.has(plugin)) this.globals.set(plugin, init());
    return this.globals.get(plugin) as T;
  }
  registerEventHook(_name: string, _hook: EventHook): void {}
  async loadCorefile(): Promise<string | null> {
    if (this.readFails) throw new Error('EACCES');
    return this.corefile;
  }
}

class FakeInstance implements InstanceHandle {
  restarts: string[] = [];
  /** Resolves a pending restart; set while one is in progress. */
  release: (() => void) | null = null;
  failWith: Error | null = null;
  slow = false;
  stopped = false;
  constructor(
    readonly id: string,
    readonly corefileText: string,
  ) {}
  async restart(text: string): Promise<InstanceHandle> {
    this.restarts.push(text);
    if (this.slow) await new Promise<void>((r) => (this.release = r));
    if (this.failWith) throw this.failWith;
    return new FakeInstance(`${this.id}+`, text);
  }
}

function setup(profile: keyof typeof PROFILES = 'fixed') {
  const proc = new FakeProcess();
  const lines: string[] = [];
  const state = reloadState(proc);
  state.corefilePath = 'Corefile';
  const env: WatcherEnv = {
    clock: new Clock(0.001),
    log: createLogger((l) => lines.push(l), 'reload'),
    profile: PROFILES[profile],
    process: proc,
    state,
  };
  const inst = new FakeInstance('i1', V1);
  const watcher = new Watcher(inst, hashCorefile(V1, 'Corefile'), env);
  return { proc, lines, state, env, inst, watcher };
}

describe('reload watcher ticks', () => {
  it('does nothing while the hash is unchanged (comment/indent edits included)', async () => {
    const { proc, inst, watcher } = setup();
    await watcher.tick();
    proc.corefile = '.:1053 {\n        whoami   # note\n}\n\n';
    await watcher.tick();
    expect(inst.restarts).toEqual([]);
    expect(watcher.returned).toBe(false);
  });

  it('restarts once on a changed hash, then returns and marks usage unused', async () => {
    const { proc, inst, watcher, state } = setup();
    state.usage = 'used';
    proc.corefile = V2;
    await watcher.tick();
    expect(inst.restarts).toEqual([V2]);
    expect(watcher.returned).toBe(true);
    expect(state.usage).toBe('unused');
  });

  it('keeps watching after a failed restart and does not retry the same broken file', async () => {
    const { proc, inst, watcher, lines } = setup();
    inst.failWith = new Error("Corefile:3 - Error during parsing: Unknown directive 'junk'");
    proc.corefile = '.:1053 {\n    whoami\n    junk\n}\n';
    await watcher.tick();
    await watcher.tick();
    expect(inst.restarts).toHaveLength(1);
    expect(watcher.returned).toBe(false);
    expect(lines).toEqual(["[ERROR] plugin/reload: Corefile changed but reload failed: Corefile:3 - Error during parsing: Unknown directive 'junk'"]);
    inst.failWith = null;
    proc.corefile = V2;
    await watcher.tick();
    expect(inst.restarts).toHaveLength(2);
    expect(watcher.returned).toBe(true);
  });

  it('warns on every tick while the Corefile does not parse, and never restarts', async () => {
    const { proc, inst, watcher, lines } = setup();
    proc.corefile = '. { whoami\n';
    await watcher.tick();
    await watcher.tick();
    expect(inst.restarts).toEqual([]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[WARNING\] plugin\/reload: Corefile parse failed: Corefile:\d+ - /);
  });

  it('ignores a Corefile it cannot read, silently', async () => {
    const { proc, inst, watcher, lines } = setup();
    proc.readFails = true;
    await watcher.tick();
    proc.readFails = false;
    proc.corefile = null; // started from a string
    await watcher.tick();
    expect(inst.restarts).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('drops ticks while its restart is in progress', async () => {
    const { proc, inst, watcher } = setup();
    inst.slow = true;
    proc.corefile = V2;
    const first = watcher.tick();
    await new Promise((r) => setTimeout(r, 5));
    proc.corefile = `${V2}\n.:1054 {\n    whoami\n}\n`;
    await watcher.tick();
    await watcher.tick();
    expect(inst.restarts).toHaveLength(1);
    inst.release?.();
    await first;
    expect(watcher.returned).toBe(true);
  });
});

describe('reload watcher ticker by profile (PR 5686)', () => {
  async function afterReturn(profile: keyof typeof PROFILES) {
    const ctx = setup(profile);
    ctx.watcher.start(2_000);
    ctx.proc.corefile = V2;
    await ctx.watcher.tick();
    const active = ctx.watcher.ticker?.active;
    // Let the (scaled, 2 ms) ticker fire a few times after the return.
    await new Promise((r) => setTimeout(r, 20));
    const restarts = ctx.inst.restarts.length;
    ctx.watcher.ticker?.cancel();
    return { active, restarts, watchers: ctx.state.watchers.length };
  }

  it('coredns-1.10.0: the returned watcher leaves its ticker running, doing nothing', async () => {
    expect(await afterReturn('coredns-1.10.0')).toEqual({ active: true, restarts: 1, watchers: 0 });
  });

  it('coredns-1.11.3 and later: the returned watcher stops its ticker', async () => {
    for (const p of ['coredns-1.11.3', 'coredns-1.11.4', 'fixed'] as const) {
      expect(await afterReturn(p)).toEqual({ active: false, restarts: 1, watchers: 0 });
    }
  });

  it('quit ends the task whatever it was doing', async () => {
    const { watcher, state, inst, proc } = setup('coredns-1.11.3');
    watcher.start(2_000);
    expect(state.watchers).toEqual([watcher]);
    watcher.quit();
    expect(watcher.ticker?.active).toBe(false);
    proc.corefile = V2;
    await watcher.tick();
    expect(inst.restarts).toEqual([]);
    expect(state.watchers).toEqual([]);
  });
});
