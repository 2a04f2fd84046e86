import { afterEach, describe, expect, it } from 'vitest';
import type { TimerHandle } from '../../dns/server/clock.ts';
import { LeakError } from '../errors.ts';
import { buildReport, Probes, type ProbeSample } from './index.ts';
import { cancelAll, Zone, plantTimedZones, publishZone } from './plant.fixture.ts';

let probes: Probes | null = null;
afterEach(() => {
  probes?.stop();
  probes = null;
});

const CLEAN = { zonesAlive: 0, instancesAlive: 0, timers: { total: 0 }, fds: 0, clearedTimersReachable: 0 };

/** Case 28: an assertion that fails on a zone, with the error caught and kept (or not) by the caller. */
function failAssertionOn(keep: unknown[] | null): void {
  const zone = new Zone('assert.example.', 'X');
  publishZone(zone, '/zones/db.assert');
  try {
    expect(zone).toEqual({ origin: 'wrong.' });
  } catch (err) {
    keep?.push(err);
  }
}

describe('Probes (combined)', () => {
  it('reports every planted offender in one message with owner and creation site, and is clean once removed', async () => {
    probes = new Probes().start();
    const handles: TimerHandle[] = [...plantTimedZones(2, 'A'), ...plantTimedZones(1, 'A', 'auto-walk')];
    const report = await probes.check(CLEAN, { attempts: 2, initialDelayMs: 1 });
    expect(report.ok).toBe(false);
    expect(report.attempts).toBe(2);
    expect(report.sample.zonesAlive).toBe(3);
    expect(report.sample.timers).toEqual({ zoneReload: 2, autoWalk: 1, corefileWatch: 0, other: 0, total: 3 });
    expect(report.checks.filter((c) => !c.ok).map((c) => `${c.name}=${c.actual}`)).toEqual(['zonesAlive=3', 'timers.total=3']);

    const site = String.raw`harness/leak/probes/plant\.fixture\.ts:\d+:\d+ \(plantTimedZones\)`;
    const lines = report.message.split('\n');
    expect(lines[0]).toBe('found unexpected leaks: 2 of 5 checks failed after 2 attempts');
    expect(lines.slice(1, 4)).toEqual(['  zonesAlive: 3, expected 0', '  timers.total: 3, expected 0', 'offenders (6):']);
    expect(lines[4]).toMatch(new RegExp(`^  Zone A0\\.example\\. of instance A \\(file /zones/db\\.A0\\.example\\.\\) is still reachable, its timer #${handles[0]?.id} \\(zone-reload\\) still armed, created at ${site}$`));
    expect(lines.filter((l) => /^  timer #\d+ \(zone-reload, plugin auto, A\d\.example\., instance A, every 3600000 ms\) is still armed, created at /.test(l))).toHaveLength(2);
    expect(lines.filter((l) => /^  timer #\d+ \(auto-walk, /.test(l))).toHaveLength(1);
    expect(report.offenders.map((o) => o.kind).sort()).toEqual(['timer', 'timer', 'timer', 'zone', 'zone', 'zone']);
    await expect(probes.verify(CLEAN, { attempts: 1 })).rejects.toBeInstanceOf(LeakError);

    cancelAll(handles);
    const clean = await probes.check(CLEAN);
    expect(clean.ok).toBe(true);
    expect(clean.attempts).toBe(1);
    expect(clean.message).toBe('');
    expect(clean.offenders).toEqual([]);
  });

  it('case 28: a failed assertion is not a leak once its error is dropped; a kept error is the retainer', async () => {
    probes = new Probes().start();
    const kept: unknown[] = [];
    failAssertionOn(kept);
    expect((await probes.sample()).zonesAlive).toBe(1);
    kept.length = 0;
    for (let i = 0; i < 3; i++) failAssertionOn(null);
    const report = await probes.check(CLEAN);
    expect(report.message).toBe('');
    expect(report.ok).toBe(true);
  });

  it('an exact expectation also fails when fewer timers run than expected (a torn-down new instance)', () => {
    const sample: ProbeSample = {
      zonesAlive: 1, instancesAlive: 1, timers: { zoneReload: 0, autoWalk: 1, corefileWatch: 1, other: 0, total: 2 },
      fds: 0, heapUsed: 0, zones: [{ origin: 'example.org.', instanceId: 'i2', file: 'zones/db.example.org' }], instances: ['i2'],
      liveTimers: [], timerGroundTruth: { asyncHooksTimeouts: 2, activeResourcesTimeoutsDelta: 2, activeResourcesTimeoutsRawDelta: 2, untracked: [] },
      clearedTimersReachable: [], timerDisagreements: [], newFds: [], resources: {}, zoneFiles: [],
    };
    const r = buildReport(sample, { zonesAlive: 1, timers: { zoneReload: 1, autoWalk: 1, corefileWatch: 1 } });
    expect(r.ok).toBe(false);
    expect(r.message).toBe('found unexpected leaks: 1 of 4 checks failed after 1 attempt\n  timers.zoneReload: 0, expected 1');
  });
});
