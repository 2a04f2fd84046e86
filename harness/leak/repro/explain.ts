/**
 * One leaked zone, explained in one sentence: which timer holds it, where that timer was
 * created, which zone of which dead instance it holds, and through which heap edges.
 *
 * The facts come from the run's leak traces: the owner and creation site from the timers
 * probe, the retainer path from memlab's reading of the heap snapshot (zone first, then up to
 * the Timeout, then on to a GC root).
 */
import type { LeakTrace, RunResult } from '../../report/schema.ts';

export interface LeakExplanation {
  sentence: string;
  zone: string;
  instanceId: string;
  /** The reload that stopped this instance (1-based), when every instance of the run leaked. */
  stoppedBy: number | null;
  plugin: string | null;
  /** First frame of the timer's creation site, e.g. `harness/dns/plugins/file/reload.ts:28:32 (startZoneReload)`. */
  createdAt: string | null;
  /** The timer's period in (scaled) ms, when the trace says. */
  intervalMs: number | null;
  /** Edges from the Timeout down to the zone, Timeout first. Empty without heap evidence. */
  timerToZone: string[];
  /** Edges from the Timeout up to a GC root. */
  timeoutToRoot: number;
}

function instanceNumber(id: string | null): number {
  const n = Number(id?.replace(/^i/, ''));
  return Number.isFinite(n) ? n : Number.MAX_SAFE_INTEGER;
}

/** `system / Context.zone` reads better as `Context.zone`. */
function edge(e: string): string {
  return e.replace(/^system \/ /, '');
}

/** Splits memlab's path (zone first) at the nearest Timeout. */
export function splitAtTimeout(retainerPath: readonly string[]): { timerToZone: string[]; timeoutToRoot: number } {
  const at = retainerPath.findIndex((e) => e.startsWith('Timeout.'));
  if (at === -1) return { timerToZone: [], timeoutToRoot: 0 };
  return { timerToZone: retainerPath.slice(0, at + 1).reverse().map(edge), timeoutToRoot: retainerPath.length - at - 1 };
}

/** `every 600 ms` from the trace's text, else Node's timer list key `Object.[600]` on the path. */
export function intervalOf(l: LeakTrace): number | null {
  const said = /every (\d+) ms/.exec(l.explanation);
  if (said) return Number(said[1]);
  const list = l.retainerPath.map((e) => /^Object\.\[(\d+)\]$/.exec(e)).find((m) => m !== null);
  return list ? Number(list[1]) : null;
}

/**
 * Explains the leaked zone of the oldest instance (the one the first reload stopped), or null
 * when no zone leaked. `reloads` is the run's reload count, to say which reload stopped it.
 */
export function explainOneLeak(run: Pick<RunResult, 'leaks'>, reloads: number): LeakExplanation | null {
  const zones = run.leaks.filter((l) => l.what === 'Zone' && l.owner.instanceId !== null && l.owner.zone !== null);
  if (zones.length === 0) return null;
  const byAge = [...zones].sort((a, b) => instanceNumber(a.owner.instanceId) - instanceNumber(b.owner.instanceId) || a.owner.zone!.localeCompare(b.owner.zone!));
  const withHeap = byAge.find((l) => splitAtTimeout(l.retainerPath).timerToZone.length > 0);
  const pick = withHeap ?? byAge[0]!;
  const instanceId = pick.owner.instanceId!;
  const zone = pick.owner.zone!;
  const instances = [...new Set(byAge.map((l) => l.owner.instanceId!))];
  // Instance ids grow in start order; when all N+1 instances leaked, the j-th was stopped by reload j+1.
  const ordinal = instances.length === reloads + 1 ? instances.indexOf(instanceId) + 1 : 0;
  const stoppedBy = ordinal >= 1 && ordinal <= reloads ? ordinal : null;
  const createdAt = pick.createdAt?.split('\n')[0] ?? null;
  // `file.ts:28:32 (startZoneReload)` reads as `file.ts:28:32 in startZoneReload()` inside parentheses.
  const site = createdAt?.replace(/^(\S+) \(([^()\s]+)\)$/, '$1 in $2()') ?? null;
  const intervalMs = intervalOf(pick);
  const { timerToZone, timeoutToRoot } = splitAtTimeout(pick.retainerPath);

  const who = stoppedBy !== null ? `of instance ${instanceId} (stopped by reload ${stoppedBy})` : `of stopped instance ${instanceId}`;
  const timerFacts = [pick.owner.plugin ? `plugin/${pick.owner.plugin}` : null, intervalMs !== null ? `every ${intervalMs} ms` : null, site ? `created at ${site}` : 'creation site unknown']
    .filter((s) => s !== null)
    .join(', ');
  const through = timerToZone.length > 0
    ? `holds it through ${timerToZone.join(' → ')}, and Node's active timer list keeps that Timeout ${timeoutToRoot} edge(s) from a GC root`
    : 'holds it (the heap snapshot gave no retainer path; see the report)';
  const sentence = `zone ${zone} ${who} is still reachable: its zone-reload Timeout (${timerFacts}) ${through}.`;
  return { sentence, zone, instanceId, stoppedBy, plugin: pick.owner.plugin, createdAt, intervalMs, timerToZone, timeoutToRoot };
}
