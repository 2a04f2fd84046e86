import { afterEach, describe, expect, it } from 'vitest';
import type { TimerHandle } from '../../dns/server/clock.ts';
import { publish } from '../../dns/server/events.ts';
import { TimerProbe } from './timers.ts';
import { cancelAll, clock, plantCancelledButHeld, plantClearedButHeld, plantTimedZones, TimerHolder } from './plant.fixture.ts';

let probe: TimerProbe | null = null;
afterEach(() => {
  probe?.stop();
  probe = null;
});

const FIXTURE = /^harness\/leak\/probes\/plant\.fixture\.ts:\d+:\d+ /;
const THIS_FILE = /^harness\/leak\/probes\/timers\.test\.ts:\d+:\d+ /;

describe('TimerProbe', () => {
  it('counts planted Clock timers by owner kind, agrees with both ground truths, and returns to zero', async () => {
    probe = new TimerProbe().start();
    const handles: TimerHandle[] = [
      ...plantTimedZones(3, 'A', 'zone-reload'),
      ...plantTimedZones(1, 'A', 'auto-walk'),
      ...plantTimedZones(1, 'A', 'corefile-watch'),
    ];
    let s = await probe.sample();
    expect(s.byKind).toEqual({ zoneReload: 3, autoWalk: 1, corefileWatch: 1, other: 0, total: 5 });
    expect(s.groundTruth.asyncHooksTimeouts).toBe(5);
    expect(s.groundTruth.activeResourcesTimeoutsDelta).toBe(5);
    expect(s.groundTruth.untracked).toEqual([]);
    expect(s.disagreements).toEqual([]);
    expect(s.live.map((t) => t.timerId).sort()).toEqual(handles.map((h) => h.id).sort());
    for (const t of s.live) {
      expect(t.createdAt).toMatch(FIXTURE);
      expect(t.asyncId).toBeTypeOf('number');
    }
    expect(s.live.filter((t) => t.owner.kind === 'zone-reload').map((t) => t.owner.subject).sort())
      .toEqual(['A0.example.', 'A1.example.', 'A2.example.']);

    cancelAll(handles);
    s = await probe.sample();
    expect(s.byKind.total).toBe(0);
    expect(s.live).toEqual([]);
    expect(s.groundTruth.asyncHooksTimeouts).toBe(0);
    expect(s.groundTruth.activeResourcesTimeoutsDelta).toBe(0);
    expect(s.disagreements).toEqual([]);
  });

  it('a one-shot Clock timer that fired is neither in the ledger nor active', async () => {
    probe = new TimerProbe().start();
    let fired = 0;
    clock.after(1, { kind: 'other', plugin: 'errors', instanceId: 'A', subject: 'once' }, () => void fired++);
    await new Promise((r) => setTimeout(r, 10));
    const s = await probe.sample();
    expect(fired).toBe(1);
    expect(s.byKind.total).toBe(0);
    expect(s.groundTruth.asyncHooksTimeouts).toBe(0);
    expect(s.disagreements).toEqual([]);
  });

  it('ground truth catches a raw interval the ledger never heard of, with its creation site', async () => {
    probe = new TimerProbe().start();
    const raw = setInterval(() => undefined, 3_600_000);
    let s = await probe.sample();
    expect(s.byKind.total).toBe(0);
    expect(s.groundTruth.asyncHooksTimeouts).toBe(1);
    expect(s.groundTruth.activeResourcesTimeoutsDelta).toBe(1);
    expect(s.groundTruth.untracked).toHaveLength(1);
    expect(s.groundTruth.untracked[0]?.createdAt).toMatch(THIS_FILE);
    expect(s.disagreements).toHaveLength(1);
    expect(s.disagreements[0]).toMatch(/never armed through the Clock/);

    clearInterval(raw);
    s = await probe.sample();
    expect(s.groundTruth.asyncHooksTimeouts).toBe(0);
    expect(s.disagreements).toEqual([]);
  });

  it('an unref\'d timer is active for async_hooks but absent from getActiveResourcesInfo', async () => {
    probe = new TimerProbe().start();
    const [h] = plantTimedZones(1, 'U');
    // Reach the Timeout through async_hooks' view only: unref via the resource is not in the Clock API.
    const s0 = await probe.sample();
    expect(s0.groundTruth.activeResourcesTimeoutsDelta).toBe(1);
    const raw = setInterval(() => undefined, 3_600_000).unref();
    const s = await probe.sample();
    expect(s.groundTruth.asyncHooksTimeouts).toBe(2);
    expect(s.groundTruth.activeResourcesTimeoutsDelta).toBe(1);
    expect(s.groundTruth.untracked.map((v) => v.hasRef)).toEqual([false]);
    clearInterval(raw);
    h?.cancel();
  });

  it('flags a subject that lies: disarmed in the ledger but still running, armed but no Timeout', async () => {
    probe = new TimerProbe().start();
    const [h] = plantTimedZones(1, 'L');
    if (!h) throw new Error('no handle');
    publish('timer:disarmed', () => ({ timerId: h.id, owner: h.owner }));
    publish('timer:armed', () => ({ timerId: 999_999, owner: { kind: 'zone-reload', plugin: 'auto', instanceId: 'L', subject: 'ghost.' }, intervalMs: 1, repeat: true }));
    const s = await probe.sample();
    expect(s.byKind.zoneReload).toBe(1);
    expect(s.groundTruth.asyncHooksTimeouts).toBe(1);
    expect(s.disagreements.sort()).toEqual([
      'timer #999999 (zone-reload, plugin auto, ghost., instance L) is armed in the ledger but async_hooks saw no Timeout for it',
      expect.stringMatching(new RegExp(`^timer #${h.id} was disarmed in the ledger but its Timeout is still active \\(created at harness/leak/probes/plant\\.fixture\\.ts`)),
    ].sort());
    h.cancel();
  });

  it('case 31: a cleared Timeout kept in a live field is reported as clearedReachable; a cancelled Clock handle is not', async () => {
    probe = new TimerProbe().start();
    const holder = new TimerHolder();
    plantClearedButHeld(holder, 'raw');
    const kept: TimerHandle[] = [];
    plantCancelledButHeld(kept, 'clock');
    let s = await probe.sample();
    expect(s.groundTruth.asyncHooksTimeouts).toBe(0);
    expect(s.byKind.total).toBe(0);
    expect(s.clearedReachable).toHaveLength(1);
    expect(s.clearedReachable[0]?.createdAt).toMatch(FIXTURE);
    expect(s.clearedReachable[0]?.timerId).toBeNull();

    holder.timer = null;
    s = await probe.sample();
    expect(s.clearedReachable).toEqual([]);
    expect(kept).toHaveLength(1);
  });

  it('creationSite() maps a Clock timer id and an async id to the same site', async () => {
    probe = new TimerProbe().start();
    const handles = plantTimedZones(1, 'S');
    const s = await probe.sample();
    const t = s.live[0];
    expect(t).toBeDefined();
    expect(probe.creationSite({ timerId: t?.timerId ?? -1 })).toBe(t?.createdAt);
    expect(probe.creationSite({ asyncId: t?.asyncId ?? -1 })).toBe(t?.createdAt);
    expect(probe.creationSite({ timerId: -5 })).toBeUndefined();
    cancelAll(handles);
  });
});

describe('TimerProbe creation sites', () => {
  it('a timer armed synchronously inside another timer\'s callback keeps its creation site', async () => {
    const probe = new TimerProbe().start();
    let handle: TimerHandle | null = null;
    try {
      // The stack then ends in node's timer internals too; only the top block may be cut.
      await new Promise<void>((resolve) => setTimeout(() => {
        handle = clock.every(60_000, { kind: 'zone-reload', plugin: 'test', instanceId: 'i-nested', subject: 'nested.example.' }, () => {});
        resolve();
      }, 1));
      const s = await probe.sample();
      const live = s.live.filter((l) => l.owner.instanceId === 'i-nested');
      expect(live).toHaveLength(1);
      expect(live[0]!.createdAt).toMatch(/harness\/leak\/probes\/timers\.test\.ts:\d+/);
    } finally {
      (handle as TimerHandle | null)?.cancel();
      probe.stop();
    }
  });
});
