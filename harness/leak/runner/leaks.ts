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
  // One group per (kind, plugin, creation site): 20 leaked watcher tickers are one line, not 20.
  const timerGroups = new Map<string, { trace: LeakTrace; instances: string[]; subjects: Set<string>; intervals: Set<number>; kind: string }>();
  for (const x of t.live) {
    if (x.owner.kind === 'zone-reload' && counted.has(`${x.owner.instanceId} ${x.owner.subject}`)) continue;
    const key = `${x.owner.kind} ${x.owner.plugin} ${x.createdAt}`;
    let g = timerGroups.get(key);
    if (!g) {
      g = {
        trace: { what: 'timer', count: 0, owner: { plugin: x.owner.plugin, zone: x.owner.kind === 'zone-reload' ? x.owner.subject : null, instanceId: x.owner.instanceId }, createdAt: x.createdAt, retainerPath: [], explanation: '' },
        instances: [],
        subjects: new Set(),
        intervals: new Set(),
        kind: x.owner.kind,
      };
      timerGroups.set(key, g);
    }
    g.trace.count++;
    g.instances.push(x.owner.instanceId);
    g.subjects.add(x.owner.subject);
    g.intervals.add(x.intervalMs);
  }
  for (const g of timerGroups.values()) {
    const inst = g.instances.length > 4 ? `${g.instances.slice(0, 3).join(', ')} … ${g.instances[g.instances.length - 1]}` : g.instances.join(', ');
    const every = [...g.intervals].sort((a, b) => a - b);
    const period = every.length === 1 ? `${every[0]} ms` : `${every[0]}–${every[every.length - 1]} ms`;
    g.trace.explanation = `${g.trace.count === 1 ? 'a' : g.trace.count} ${g.kind} timer${g.trace.count === 1 ? '' : 's'} of plugin/${g.trace.owner.plugin} for ${[...g.subjects].join(', ')} (instance${g.instances.length === 1 ? '' : 's'} ${inst}; every ${period}) still armed`;
    if (g.subjects.size > 1) g.trace.owner.zone = null;
    if (new Set(g.instances).size > 1) g.trace.owner.instanceId = null;
    out.push(g.trace);
  }
  return out;
}

/**
 * One message that lists every offender, for matchers and the terminal. Zone traces (one per
 * instance and origin in the report) are folded here by origin and creation site, so 20
 * stranded copies of one zone read as one line naming their instances.
 */
export function formatLeaks(leaks: readonly LeakTrace[]): string {
  if (leaks.length === 0) return 'no leaks';
  const folded: Array<{ count: number; what: string; text: string; createdAt: string | null }> = [];
  const zoneLines = new Map<string, { count: number; instances: string[]; origin: string; createdAt: string | null; kept: boolean }>();
  for (const l of leaks) {
    if (l.what === 'Zone' && l.owner.zone !== null) {
      const key = `${l.owner.zone} ${l.createdAt ?? ''}`;
      const g = zoneLines.get(key) ?? { count: 0, instances: [], origin: l.owner.zone, createdAt: l.createdAt, kept: l.createdAt !== null };
      g.count += l.count;
      if (l.owner.instanceId) g.instances.push(l.owner.instanceId);
      zoneLines.set(key, g);
      continue;
    }
    folded.push({ count: l.count, what: l.what, text: l.explanation, createdAt: l.createdAt });
  }
  const zoneFolded = [...zoneLines.values()].map((g) => {
    const inst = g.instances.length > 4 ? `${g.instances.slice(0, 3).join(', ')} … ${g.instances[g.instances.length - 1]}` : g.instances.join(', ');
    const why = g.kept ? 'each kept alive by its zone reload timer, which was never stopped' : 'still reachable with no live zone timer; see the heap snapshot for the retainers';
    return { count: g.count, what: 'Zone', text: `zone ${g.origin} of instance${g.instances.length === 1 ? '' : 's'} ${inst}: ${why}`, createdAt: g.createdAt };
  });
  const all = [...zoneFolded, ...folded];
  const lines = all.map((l) => `  - ${l.count}× ${l.what}: ${l.text}${l.createdAt ? `\n      created at ${l.createdAt.split('\n')[0]}` : ''}`);
  const total = all.reduce((n, l) => n + l.count, 0);
  return `found ${total} leaked object(s) in ${all.length} group(s):\n${lines.join('\n')}`;
}
