import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { TimerHandle } from '../../dns/server/clock.ts';
import { analyzeSnapshot, writeSnapshot } from './heap.ts';
import { cancelAll, plantClearedButHeld, plantTimedZones, TimerHolder } from './plant.fixture.ts';
import { TimerProbe } from './timers.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'heap-probe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let timers: TimerProbe | null = null;
afterEach(() => {
  timers?.stop();
  timers = null;
});

const FIXTURE_SITE = /^harness\/leak\/probes\/plant\.fixture\.ts:\d+:\d+ \(plantTimedZones\)$/;

describe('heap probe', () => {
  it('finds exactly the planted zones per instance, each retained by its Clock Timeout with owner, id and creation site; none after cleanup', async () => {
    timers = new TimerProbe().start();
    const handles: TimerHandle[] = [...plantTimedZones(3, 'A'), ...plantTimedZones(2, 'B')];
    const holder = new TimerHolder();
    plantClearedButHeld(holder, 'C');

    const snap = await writeSnapshot(path.join(dir, 'leaky.heapsnapshot'));
    expect(snap.bytes).toBeGreaterThan(1_000_000);
    const a = await analyzeSnapshot(snap.file, { timers });
    console.log(`[heap probe] write ${snap.ms.toFixed(0)} ms, ${(snap.bytes / 1e6).toFixed(1)} MB, ${a.totalNodes} nodes; analysis ${a.ms.toFixed(0)} ms (parse ${a.parseMs.toFixed(0)} ms)`);

    expect(a.zones).toHaveLength(6);
    expect(Object.keys(a.byInstance).sort()).toEqual(['A', 'B', 'C']);
    expect(a.byInstance.A?.count).toBe(3);
    expect(a.byInstance.B?.count).toBe(2);
    expect(a.byInstance.C?.count).toBe(1);
    // 64 record strings per zone: retained size must include them.
    for (const z of a.zones) expect(z.retainedSize).toBeGreaterThan(z.selfSize + 64 * 16);

    const clockZones = a.zones.filter((z) => z.instanceId !== 'C');
    const byOrigin = new Map(clockZones.map((z) => [z.origin, z]));
    for (const h of handles) {
      const z = byOrigin.get(h.owner.subject);
      expect(z, h.owner.subject).toBeDefined();
      expect(z?.retainer.timer?.timerId).toBe(h.id);
      expect(z?.retainer.timer?.owner).toEqual(h.owner);
      expect(z?.retainer.timer?.cleared).toBe(false);
      expect(z?.retainer.timer?.asyncId).toBeTypeOf('number');
      expect(z?.retainer.timerCreatedAt).toMatch(FIXTURE_SITE);
      const p = z?.retainer.path ?? [];
      expect(p.indexOf('Timeout._onTimeout')).toBeGreaterThan(0);
      expect(p.slice(0, p.indexOf('Timeout._onTimeout'))).toContain('system / Context.callback');
    }

    // Case 31: the cleared raw interval pins its zone through the async-context store.
    const held = a.zones.find((z) => z.instanceId === 'C');
    expect(held?.retainer.timer?.cleared).toBe(true);
    expect(held?.retainer.timer?.timerId).toBeNull();
    expect(held?.retainer.timerCreatedAt).toMatch(/^harness\/leak\/probes\/plant\.fixture\.ts:\d+:\d+ /);
    expect(held?.retainer.path.some((s) => s.startsWith('Timeout.') && s.includes('kResourceStore'))).toBe(true);
    expect(held?.retainer.path).toContain('TimerHolder.timer');

    cancelAll(handles);
    holder.timer = null;
    const clean = await writeSnapshot(path.join(dir, 'clean.heapsnapshot'));
    const b = await analyzeSnapshot(clean.file, { timers });
    expect(b.zones).toEqual([]);
    expect(b.byInstance).toEqual({});
  });

  it('a missing snapshot is a clear HEAP_ANALYSIS_FAILED error', async () => {
    await expect(analyzeSnapshot(path.join(dir, 'nope.heapsnapshot'))).rejects.toMatchObject({ code: 'HEAP_ANALYSIS_FAILED' });
  });
});
