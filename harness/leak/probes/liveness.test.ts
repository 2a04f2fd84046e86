import { afterEach, describe, expect, it } from 'vitest';
import type { TimerHandle } from '../../dns/server/clock.ts';
import { LivenessProbe } from './liveness.ts';
import {
  cancelAll, Instance, plantCancelledButHeld, plantClearedButHeld, plantTimedZones, publishInstance, TimerHolder,
} from './plant.fixture.ts';

let probe: LivenessProbe | null = null;
afterEach(() => {
  probe?.stop();
  probe = null;
});

/** Module-level on purpose: a reference the test means to keep (notes pitfall 2). */
const keptInstances: Instance[] = [];

function plantInstances(n: number): void {
  for (let i = 0; i < n; i++) {
    const inst = new Instance(`inst-${i}`);
    publishInstance(inst);
    keptInstances.push(inst);
  }
}

describe('LivenessProbe', () => {
  it('counts exactly the zones a live interval retains, and zero once the timers are cancelled', async () => {
    probe = new LivenessProbe().start();
    const handles: TimerHandle[] = plantTimedZones(3, 'A');
    let s = await probe.sample();
    expect(s.zonesAlive).toBe(3);
    expect(s.zones.map((z) => `${z.instanceId}/${z.origin}`).sort()).toEqual(['A/A0.example.', 'A/A1.example.', 'A/A2.example.']);

    cancelAll(handles);
    s = await probe.sample();
    expect(s.zonesAlive).toBe(0);
    expect(s.zones).toEqual([]);
  });

  it('counts instances held by the test and forgets them when released', async () => {
    probe = new LivenessProbe().start();
    plantInstances(2);
    expect((await probe.sample()).instancesAlive).toBe(2);
    expect((await probe.sample()).instances.sort()).toEqual(['inst-0', 'inst-1']);
    keptInstances.length = 0;
    expect((await probe.sample()).instancesAlive).toBe(0);
  });

  it('agrees with v8.queryObjects per instance, and both reach zero', async () => {
    probe = new LivenessProbe().start();
    const a = plantTimedZones(2, 'A');
    const b = plantTimedZones(1, 'B');
    let c = await probe.crossCheck();
    expect(c).toEqual({ weakRefCount: 3, v8Count: 3, v8ByInstance: { A: 2, B: 1 }, agree: true });
    cancelAll(a);
    cancelAll(b);
    c = await probe.crossCheck();
    expect(c.weakRefCount).toBe(0);
    // The class itself may be gone from the probe's view (no zone left to learn it from) or count 0.
    expect(c.v8Count ?? 0).toBe(0);
    expect(c.agree).toBe(true);
  });

  it('expectAtMost retries, then reports the count that stayed above', async () => {
    probe = new LivenessProbe().start();
    const handles = plantTimedZones(2, 'A');
    const bad = await probe.expectAtMost({ zones: 0 }, { attempts: 3, initialDelayMs: 1 });
    expect(bad.ok).toBe(false);
    expect(bad.attempts).toBe(3);
    expect(bad.value.zonesAlive).toBe(2);

    // Release while the retry loop runs, as an async shutdown would: right after the 2nd measurement.
    const measure = probe.sample.bind(probe);
    let calls = 0;
    probe.sample = async (rounds?: number) => {
      const s = await measure(rounds);
      if (++calls === 2) cancelAll(handles);
      return s;
    };
    const good = await probe.expectAtMost({ zones: 0 }, { attempts: 8, initialDelayMs: 1 });
    expect(good.ok).toBe(true);
    expect(good.attempts).toBe(3);
    expect(good.value.zonesAlive).toBe(0);
  });

  it('case 31: a cleared raw interval kept in a live field pins its zone; a cancelled Clock handle does not', async () => {
    probe = new LivenessProbe().start();
    const holder = new TimerHolder();
    plantClearedButHeld(holder, 'raw');
    const kept: TimerHandle[] = [];
    plantCancelledButHeld(kept, 'clock');
    let s = await probe.sample();
    expect(s.zones.map((z) => z.instanceId)).toEqual(['raw']);
    expect(kept[0]?.active).toBe(false);

    holder.timer = null;
    s = await probe.sample();
    expect(s.zonesAlive).toBe(0);
  });

  it('stop() unsubscribes: zones published afterwards are not tracked', async () => {
    probe = new LivenessProbe().start();
    probe.stop();
    const handles = plantTimedZones(1, 'late');
    probe.start();
    expect((await probe.sample()).zonesAlive).toBe(0);
    cancelAll(handles);
  });

  it('sampling before start() is a clear error', async () => {
    await expect(new LivenessProbe().sample()).rejects.toThrow(/call start\(\) before sampling/);
  });
});
