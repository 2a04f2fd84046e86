/**
 * The buggy profile beside `fixed`: the counts after the last reload and after the final stop,
 * what the heap snapshots hold, and timings. Each of the buggy profile's counts is marked
 * against the prediction it was held to.
 */
import type { ProfileName } from '../../dns/profiles.ts';
import type { RunResult, StepSample } from '../../report/schema.ts';
import { formatMB } from './live.ts';
import type { ProbeMoment } from './scenario.ts';
import { predictCounts, type Counts } from './signature.ts';

export interface SideBySideInput {
  profile: ProfileName;
  reloads: number;
  zones: number;
  buggy: RunResult;
  fixed: RunResult;
  /** Probe line → moment, to find the samples after the last reload and after stop. */
  probes: ReadonlyMap<number, ProbeMoment>;
}

interface Row {
  metric: string;
  buggy: string;
  predicted: string;
  fixed: string;
  /** Whether the buggy value equals the prediction; null where nothing was predicted. */
  match: boolean | null;
}

/** The sample a run took at a moment; null when the run never got there (an error). */
export function sampleAt(run: RunResult, probes: ReadonlyMap<number, ProbeMoment>, want: ProbeMoment): StepSample | null {
  for (const s of run.series) {
    const line = Number(/\(line (\d+)\)/.exec(s.label)?.[1]);
    const m = probes.get(line);
    if (!m || m.kind !== want.kind) continue;
    if (m.kind === 'reload' && want.kind === 'reload' && m.k !== want.k) continue;
    return s;
  }
  return null;
}

function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function countRows(when: string, b: StepSample | null, f: StepSample | null, p: Counts): Row[] {
  const v = (s: StepSample | null, get: (s: StepSample) => number): string => (s ? String(get(s)) : '-');
  const row = (metric: string, get: (s: StepSample) => number, predicted: number): Row => ({
    metric: `${metric} (${when})`,
    buggy: v(b, get),
    predicted: String(predicted),
    fixed: v(f, get),
    match: b ? get(b) === predicted : false,
  });
  return [
    row('zones alive', (s) => s.zonesAlive, p.zonesAlive),
    row('instances alive', (s) => s.instancesAlive, p.instancesAlive),
    row('zone reload timers', (s) => s.timers.zoneReload, p.timers.zoneReload),
    row('auto walk timers', (s) => s.timers.autoWalk, p.timers.autoWalk),
    row('reload watcher timers', (s) => s.timers.corefileWatch, p.timers.corefileWatch),
  ];
}

function heapRows(buggy: RunResult, fixed: RunResult): Row[] {
  const zonesIn = (r: RunResult): string => (r.heap ? String(Object.values(r.heap.zonesByInstance).reduce((n, e) => n + e.count, 0)) : 'no snapshot');
  const instancesIn = (r: RunResult): string => (r.heap ? String(Object.keys(r.heap.zonesByInstance).length) : '-');
  const retained = (r: RunResult): string => (r.heap ? `${r.heap.retainedBytes} B` : '-');
  return [
    { metric: 'Zone objects in the heap snapshot', buggy: zonesIn(buggy), predicted: '', fixed: zonesIn(fixed), match: null },
    { metric: 'instances those Zones belong to', buggy: instancesIn(buggy), predicted: '', fixed: instancesIn(fixed), match: null },
    { metric: 'bytes retained by leaked Zones', buggy: retained(buggy), predicted: '', fixed: retained(fixed), match: null },
  ];
}

export function sideBySideRows(input: SideBySideInput): Row[] {
  const { profile, reloads, zones, buggy, fixed, probes } = input;
  const last: ProbeMoment = { kind: 'reload', k: reloads };
  const stop: ProbeMoment = { kind: 'stop' };
  const bLast = sampleAt(buggy, probes, last);
  const fLast = sampleAt(fixed, probes, last);
  const heap = (s: StepSample | null): string => (s ? formatMB(s.heapUsed) : '-');
  const ms = (n: number | null): string => (n === null ? '-' : `${Math.round(n)} ms`);
  return [
    ...countRows(`after reload ${reloads}`, bLast, fLast, predictCounts(profile, zones, { after: 'reload', reloads })),
    { metric: `heap used after GC (after reload ${reloads})`, buggy: heap(bLast), predicted: '', fixed: heap(fLast), match: null },
    ...countRows('after stop', sampleAt(buggy, probes, stop), sampleAt(fixed, probes, stop), predictCounts(profile, zones, { after: 'stop', reloads })),
    ...heapRows(buggy, fixed),
    { metric: 'failed checks (of a correct server)', buggy: String(buggy.checks.filter((c) => !c.ok).length), predicted: '', fixed: String(fixed.checks.filter((c) => !c.ok).length), match: null },
    { metric: 'median reload (edit → restart applied)', buggy: ms(median(buggy.timings.perReloadMs ?? [])), predicted: '', fixed: ms(median(fixed.timings.perReloadMs ?? [])), match: null },
    { metric: 'run time', buggy: ms(buggy.timings.totalMs), predicted: '', fixed: ms(fixed.timings.totalMs), match: null },
  ];
}

/** Plain-text table; the buggy column carries ✓/✗ against its prediction. */
export function renderSideBySide(input: SideBySideInput): string {
  const rows = sideBySideRows(input);
  const head = ['', input.profile, 'predicted', 'fixed'];
  const cells = rows.map((r) => [r.metric, r.match === null ? r.buggy : `${r.buggy} ${r.match ? '✓' : '✗'}`, r.predicted, r.fixed]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const fmt = (c: string[]): string => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('   ').trimEnd();
  return [fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...cells.map(fmt)].join('\n');
}
