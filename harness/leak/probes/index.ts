/**
 * All probes together: one settle, one sample, one comparison against what a scenario
 * expects, and one goleak-style report that lists every offender with its owner and the
 * site that created its timer.
 */
import v8 from 'node:v8';
import { LeakError } from '../errors.ts';
import { settle } from '../gc.ts';
import { GrowthProbe } from './growth.ts';
import { HandleProbe, type HandleSample } from './handles.ts';
import { LivenessProbe, type LivenessSample } from './liveness.ts';
import { retryUntil, type RetryOptions } from './retry.ts';
import { TimerProbe, describeOwner, type LiveTimer, type TimerCounts, type TimerProbeOptions, type TimerSample } from './timers.ts';

export { GrowthProbe, HandleProbe, LivenessProbe, TimerProbe };
export type { HandleSample, LiveTimer, LivenessSample, TimerCounts, TimerSample };
export { analyzeSnapshot, writeSnapshot, type HeapAnalysis, type HeapZone } from './heap.ts';

export interface ProbeSample {
  zonesAlive: number;
  instancesAlive: number;
  timers: TimerCounts;
  /** Open fds minus the baseline at start(). */
  fds: number;
  /** Heap used after GC, bytes. */
  heapUsed: number;
  zones: LivenessSample['zones'];
  instances: string[];
  liveTimers: LiveTimer[];
  timerGroundTruth: TimerSample['groundTruth'];
  /** Cleared/fired Timeouts still reachable (case 31). */
  clearedTimersReachable: TimerSample['clearedReachable'];
  /** Where the subject's timer ledger and async_hooks disagree. */
  timerDisagreements: string[];
  newFds: HandleSample['newFds'];
  resources: Record<string, number>;
  zoneFiles: HandleSample['zoneFiles'];
}

/** What a scenario step expects; absent fields are not checked. Counts are exact. */
export interface ProbeExpectation {
  zonesAlive?: number;
  instancesAlive?: number;
  timers?: Partial<TimerCounts>;
  fds?: number;
  clearedTimersReachable?: number;
}

export interface Check {
  name: string;
  expected: number;
  actual: number;
  ok: boolean;
}

export type OffenderKind = 'zone' | 'instance' | 'timer' | 'cleared-timer' | 'fd' | 'zone-file';

export interface Offender {
  kind: OffenderKind;
  /** One line, self-contained. */
  text: string;
  owner?: { plugin?: string; zone?: string; instance?: string };
  createdAt?: string;
}

export interface LeakReport {
  ok: boolean;
  checks: Check[];
  offenders: Offender[];
  /** Empty when ok; otherwise the whole report, one offender a line. */
  message: string;
  attempts: number;
  sample: ProbeSample;
}

export interface ProbesOptions {
  timers?: TimerProbeOptions;
  /** settle() rounds before a sample. @default 3 */
  rounds?: number;
}

export class Probes {
  readonly liveness = new LivenessProbe();
  readonly timers: TimerProbe;
  readonly handles = new HandleProbe();
  readonly growth: GrowthProbe;
  private readonly rounds: number;

  constructor(opts: ProbesOptions = {}) {
    this.timers = new TimerProbe(opts.timers);
    this.rounds = opts.rounds ?? 3;
    this.growth = new GrowthProbe({ rounds: this.rounds });
  }

  /** Subscribes everything and takes the baselines (fds, resources, ref'd timers). */
  start(): this {
    this.liveness.start();
    this.timers.start();
    this.handles.start();
    return this;
  }

  stop(): void {
    this.liveness.stop();
    this.timers.stop();
    this.handles.stop();
  }

  async sample(): Promise<ProbeSample> {
    await settle(this.rounds);
    // Rounds 0: one settle above serves all three.
    const live = await this.liveness.sample(0);
    const t = await this.timers.sample(0);
    const h = await this.handles.sample(0);
    return {
      zonesAlive: live.zonesAlive,
      instancesAlive: live.instancesAlive,
      timers: t.byKind,
      fds: h.fds,
      heapUsed: v8.getHeapStatistics().used_heap_size,
      zones: live.zones,
      instances: live.instances,
      liveTimers: t.live,
      timerGroundTruth: t.groundTruth,
      clearedTimersReachable: t.clearedReachable,
      timerDisagreements: t.disagreements,
      newFds: h.newFds,
      resources: h.resources,
      zoneFiles: h.zoneFiles,
    };
  }

  /** Samples until every expectation holds, with goleak-style backoff, then reports. */
  async check(expected: ProbeExpectation, opts: RetryOptions = {}): Promise<LeakReport> {
    const r = await retryUntil(() => this.sample(), (s) => compare(s, expected).every((c) => c.ok), opts);
    return buildReport(r.value, expected, r.attempts);
  }

  /** `check`, throwing a LeakError with the full report when something is off. */
  async verify(expected: ProbeExpectation, opts: RetryOptions = {}): Promise<ProbeSample> {
    const report = await this.check(expected, opts);
    if (!report.ok) throw new LeakError(report.message, report.offenders.length);
    return report.sample;
  }
}

const TIMER_KIND_OF: Record<Exclude<keyof TimerCounts, 'total'>, LiveTimer['owner']['kind']> = {
  zoneReload: 'zone-reload',
  autoWalk: 'auto-walk',
  corefileWatch: 'corefile-watch',
  other: 'other',
};

/** Exact comparison of a sample against an expectation, one Check per expected field. */
export function compare(s: ProbeSample, e: ProbeExpectation): Check[] {
  const checks: Check[] = [];
  const add = (name: string, expected: number | undefined, actual: number): void => {
    if (expected !== undefined) checks.push({ name, expected, actual, ok: expected === actual });
  };
  add('zonesAlive', e.zonesAlive, s.zonesAlive);
  add('instancesAlive', e.instancesAlive, s.instancesAlive);
  for (const key of ['zoneReload', 'autoWalk', 'corefileWatch', 'other', 'total'] as const) {
    add(`timers.${key}`, e.timers?.[key], s.timers[key]);
  }
  add('fds', e.fds, s.fds);
  add('clearedTimersReachable', e.clearedTimersReachable, s.clearedTimersReachable.length);
  return checks;
}

/** Every object behind a failed check, with its owner and creation site where known. */
export function offendersOf(s: ProbeSample, failed: readonly Check[]): Offender[] {
  const names = new Set(failed.map((c) => c.name));
  const out: Offender[] = [];
  if (names.has('zonesAlive')) {
    for (const z of s.zones) {
      const timer = s.liveTimers.find((t) => t.owner.instanceId === z.instanceId && t.owner.subject === z.origin);
      out.push({
        kind: 'zone',
        text: `Zone ${z.origin} of instance ${z.instanceId} (file ${z.file}) is still reachable` +
          (timer ? `, its timer #${timer.timerId} (${timer.owner.kind}) still armed, created at ${timer.createdAt}` : ''),
        owner: { zone: z.origin, instance: z.instanceId, ...(timer ? { plugin: timer.owner.plugin } : {}) },
        ...(timer ? { createdAt: timer.createdAt } : {}),
      });
    }
  }
  if (names.has('instancesAlive')) {
    for (const id of s.instances) out.push({ kind: 'instance', text: `Instance ${id} is still reachable`, owner: { instance: id } });
  }
  const timerKinds = new Set<string>();
  for (const [key, kind] of Object.entries(TIMER_KIND_OF)) if (names.has(`timers.${key}`) || names.has('timers.total')) timerKinds.add(kind);
  for (const t of s.liveTimers) {
    if (!timerKinds.has(t.owner.kind)) continue;
    out.push({
      kind: 'timer',
      text: `timer #${t.timerId} (${describeOwner(t.owner)}, every ${t.intervalMs} ms) is still armed, created at ${t.createdAt}`,
      owner: { plugin: t.owner.plugin, zone: t.owner.subject, instance: t.owner.instanceId },
      createdAt: t.createdAt,
    });
  }
  if (names.has('clearedTimersReachable')) {
    for (const c of s.clearedTimersReachable) {
      out.push({
        kind: 'cleared-timer',
        text: `cleared Timeout${c.timerId === null ? '' : ` #${c.timerId}`} (async id ${c.asyncId}) is still reachable, created at ${c.createdAt}`,
        createdAt: c.createdAt,
      });
    }
  }
  if (names.has('fds')) {
    for (const f of s.newFds) out.push({ kind: 'fd', text: `fd ${f.fd} → ${f.target} is open` });
    for (const z of s.zoneFiles) {
      out.push({ kind: 'zone-file', text: `zone file ${z.path} (fd ${z.fd}, ${z.owner}) was opened and never closed`, owner: { plugin: z.owner } });
    }
  }
  return out;
}

export function buildReport(sample: ProbeSample, expected: ProbeExpectation, attempts = 1): LeakReport {
  const checks = compare(sample, expected);
  const failed = checks.filter((c) => !c.ok);
  const offenders = offendersOf(sample, failed);
  const report = { ok: failed.length === 0, checks, offenders, attempts, sample, message: '' };
  report.message = formatLeakReport(report);
  return report;
}

/** goleak-style: one message, every failed count, then every offender on its own line. */
export function formatLeakReport(r: Pick<LeakReport, 'checks' | 'offenders' | 'attempts' | 'sample'>): string {
  const failed = r.checks.filter((c) => !c.ok);
  if (failed.length === 0) return '';
  const lines = [
    `found unexpected leaks: ${failed.length} of ${r.checks.length} checks failed after ${r.attempts} attempt${r.attempts === 1 ? '' : 's'}`,
    ...failed.map((c) => `  ${c.name}: ${c.actual}, expected ${c.expected}`),
  ];
  if (r.offenders.length > 0) lines.push(`offenders (${r.offenders.length}):`, ...r.offenders.map((o) => `  ${o.text}`));
  if (r.sample.timerDisagreements.length > 0) {
    lines.push('timer ledger vs async_hooks:', ...r.sample.timerDisagreements.map((d) => `  ${d}`));
  }
  return lines.join('\n');
}
