import { describe, expect, it } from 'vitest';
import type { LeakTrace } from '../../report/schema.ts';
import { explainOneLeak, intervalOf, splitAtTimeout } from './explain.ts';

// A retainer path as memlab reported it for a 1.11.3 leak (zone first, GC root last).
const MEMLAB_PATH = [
  'system / Context.zone', '(closure).context', 'system / Context.callback', '(closure).context', 'Timeout._onTimeout',
  'Timeout._idleNext', 'TimersList._idleNext', 'Object.[600]', 'system / Context.timerListMap', 'setInterval.context', 'global.setInterval', '(synthetic).2',
];

function zoneLeak(instanceId: string, zone: string, over: Partial<LeakTrace> = {}): LeakTrace {
  return {
    what: 'Zone',
    count: 1,
    owner: { plugin: 'auto', zone, instanceId },
    createdAt: 'harness/dns/plugins/file/reload.ts:28:32 (startZoneReload)',
    retainerPath: MEMLAB_PATH,
    explanation: `zone ${zone} of instance ${instanceId} is kept alive by its auto reload timer (every 600 ms), which was never stopped`,
    ...over,
  };
}

describe('explaining one leaked zone', () => {
  it('splits memlab\'s path at the nearest Timeout, Timeout first', () => {
    expect(splitAtTimeout(MEMLAB_PATH)).toEqual({
      timerToZone: ['Timeout._onTimeout', '(closure).context', 'Context.callback', '(closure).context', 'Context.zone'],
      timeoutToRoot: 7,
    });
    expect(splitAtTimeout(['(timer list)', 'Timeout #3', '_onTimeout closure', 'Zone'])).toEqual({ timerToZone: [], timeoutToRoot: 0 });
  });

  it.each([
    ['the trace text', zoneLeak('i1', 'example.org.'), 600],
    ['Node\'s timer list key on the path', zoneLeak('i1', 'example.org.', { explanation: 'still reachable' }), 600],
    ['neither', zoneLeak('i1', 'example.org.', { explanation: 'still reachable', retainerPath: [] }), null],
  ])('reads the interval from %s', (_name, leak, want) => {
    expect(intervalOf(leak)).toBe(want);
  });

  it('picks the oldest instance (ids compared as numbers) and says which reload stopped it', () => {
    const leaks = ['i10', 'i9', 'i11'].flatMap((id) => [zoneLeak(id, 'zone002.example.org.'), zoneLeak(id, 'example.org.')]);
    const e = explainOneLeak({ leaks }, 2)!;
    expect(e).toMatchObject({ instanceId: 'i9', zone: 'example.org.', stoppedBy: 1, intervalMs: 600 });
    expect(e.sentence).toBe(
      'zone example.org. of instance i9 (stopped by reload 1) is still reachable: its zone-reload Timeout (plugin/auto, every 600 ms, ' +
      'created at harness/dns/plugins/file/reload.ts:28:32 in startZoneReload()) holds it through Timeout._onTimeout → (closure).context → ' +
      'Context.callback → (closure).context → Context.zone, and Node\'s active timer list keeps that Timeout 7 edge(s) from a GC root.',
    );
  });

  it('does not claim a reload when not every instance leaked', () => {
    const e = explainOneLeak({ leaks: [zoneLeak('i4', 'example.org.')] }, 3)!;
    expect(e.stoppedBy).toBeNull();
    expect(e.sentence).toMatch(/^zone example\.org\. of stopped instance i4 is still reachable/);
  });

  it('prefers a zone the heap snapshot explains, and says so when none is', () => {
    const leaks = [zoneLeak('i1', 'example.org.', { retainerPath: [] }), zoneLeak('i2', 'example.org.')];
    expect(explainOneLeak({ leaks }, 1)!.instanceId).toBe('i2');
    const bare = explainOneLeak({ leaks: [zoneLeak('i1', 'example.org.', { retainerPath: [], createdAt: null })] }, 0)!;
    expect(bare.sentence).toContain('creation site unknown');
    expect(bare.sentence).toContain('the heap snapshot gave no retainer path');
  });

  it('has nothing to explain without a leaked zone', () => {
    const timer: LeakTrace = { ...zoneLeak('i1', 'example.org.'), what: 'timer' };
    expect(explainOneLeak({ leaks: [timer] }, 1)).toBeNull();
    expect(explainOneLeak({ leaks: [] }, 1)).toBeNull();
  });
});
