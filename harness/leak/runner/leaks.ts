/**
 * goleak-style offenders for a run: every live Zone grouped by instance and origin, with
 * the zone timer that keeps it and where that timer was created; every other live timer.
 */
import type { LeakTrace } from '../../report/schema.ts';
import type { LivenessProbe } from '../probes/liveness.ts';
import type { TimerProbe } from '../probes/timers.ts';

export async function describeLeaks(liveness: LivenessProbe, timers: TimerProbe): Promise<LeakTrace[]> {
  const live = await liveness.sample();
  const t = await timers.sample();
  const out: LeakTrace[] = [];
  const zoneGroups = new Map<string, { origin: string; instanceId: string; count: number }>();
  for (const z of live.zones) {
    const key = `${z.instanceId} ${z.origin}`;
    const g = zoneGroups.get(key) ?? { origin: z.origin, instanceId: z.instanceId, count: 0 };
    g.count++;
    zoneGroups.set(key, g);
  }
  const timerFor = (kind: string, instanceId: string, subject: string | null) =>
    t.live.find((x) => x.owner.kind === kind && x.owner.instanceId === instanceId && (subject === null || x.owner.subject === subject));
  for (const g of zoneGroups.values()) {
    const timer = timerFor('zone-reload', g.instanceId, g.origin);
    out.push({
      what: 'Zone',
      count: g.count,
      owner: { plugin: timer?.owner.plugin ?? null, zone: g.origin, instanceId: g.instanceId },
      createdAt: timer?.createdAt ?? null,
      retainerPath: timer ? ['(timer list)', `Timeout #${timer.timerId}`, '_onTimeout closure', 'Zone'] : [],
      explanation: timer
        ? `zone ${g.origin} of instance ${g.instanceId} is kept alive by its ${timer.owner.plugin} reload timer (every ${timer.intervalMs} ms), which was never stopped`
        : `zone ${g.origin} of instance ${g.instanceId} is still reachable, but no live zone timer owns it; see the heap snapshot for its retainers`,
    });
  }
  for (const inst of live.instances) {
    out.push({ what: 'Instance', count: 1, owner: { plugin: null, zone: null, instanceId: inst }, createdAt: null, retainerPath: [], explanation: `instance ${inst} is still reachable after it stopped` });
  }
  const counted = new Set(out.filter((l) => l.what === 'Zone').map((l) => `${l.owner.instanceId} ${l.owner.zone}`));
  const timerGroups = new Map<string, LeakTrace>();
  for (const x of t.live) {
    if (x.owner.kind === 'zone-reload' && counted.has(`${x.owner.instanceId} ${x.owner.subject}`)) continue;
    const key = `${x.owner.kind} ${x.owner.plugin} ${x.owner.instanceId} ${x.owner.subject} ${x.createdAt}`;
    const g = timerGroups.get(key);
    if (g) {
      g.count++;
      continue;
    }
    timerGroups.set(key, {
      what: 'timer',
      count: 1,
      owner: { plugin: x.owner.plugin, zone: x.owner.kind === 'zone-reload' ? x.owner.subject : null, instanceId: x.owner.instanceId },
      createdAt: x.createdAt,
      retainerPath: [],
      explanation: `${x.owner.kind} timer of plugin/${x.owner.plugin} for ${x.owner.subject} (instance ${x.owner.instanceId}, every ${x.intervalMs} ms) is still armed`,
    });
  }
  out.push(...timerGroups.values());
  return out;
}

/** One message that lists every offender, for matchers and the terminal. */
export function formatLeaks(leaks: readonly LeakTrace[]): string {
  if (leaks.length === 0) return 'no leaks';
  const lines = leaks.map((l) => {
    const where = l.createdAt ? `\n      created at ${l.createdAt.split('\n')[0]}` : '';
    return `  - ${l.count}× ${l.what}: ${l.explanation}${where}`;
  });
  const total = leaks.reduce((n, l) => n + l.count, 0);
  return `found ${total} leaked object(s) in ${leaks.length} group(s):\n${lines.join('\n')}`;
}
