/**
 * Report against report (`npm run compare -- A B`), or profile against profile inside one
 * leak-check run. Heap node ids do not survive across processes, so everything compared here
 * is a count, a size, a slope or a time (leak-detection notes, pitfall 12).
 */
import { benchRule, exactRule, retainedRule, slopeRule, THRESHOLDS, timingRule, type RuleResult } from './rules.ts';
import type {
  BenchDelta, Comparison, ComparisonEntry, ComparisonSide, DeltaStatus, MetricDelta, Report, RunResult, StepSample,
} from './schema.ts';

export { renderComparison, type ComparisonFormat } from './render-comparison.ts';

/** A run is "as predicted" when it did not break and did what its scenario said it would. */
export function outcomeOk(r: RunResult): boolean {
  if (r.verdict === 'error') return false;
  return r.expectedToFail ? r.signatureMatched : r.verdict === 'pass';
}

function describeOutcome(r: RunResult): string {
  if (r.verdict === 'error') return `error${r.error ? ` (${r.error.code})` : ''}`;
  if (!r.expectedToFail) return r.verdict;
  return `${r.verdict} (expected to fail, signature ${r.signatureMatched ? 'matched' : 'NOT matched'})`;
}

function verdictChange(a: RunResult, b: RunResult, sameProfile: boolean): { status: DeltaStatus; summary: string } {
  const okA = outcomeOk(a);
  const okB = outcomeOk(b);
  const from = describeOutcome(a);
  const to = describeOutcome(b);
  if (okA && !okB) return { status: 'regression', summary: `${from} → ${to}` };
  if (!okA && okB) return { status: 'improvement', summary: `${from} → ${to}` };
  if (from !== to || a.expectedToFail !== b.expectedToFail) {
    const note = sameProfile && a.expectedToFail !== b.expectedToFail ? ` (scenario now says this profile ${b.expectedToFail ? 'leaks' : 'is clean'})` : '';
    return { status: 'changed', summary: `${from} → ${to}${note}` };
  }
  return { status: 'same', summary: from };
}

function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

type Extract = (r: RunResult) => number | null;
interface MetricSpec {
  metric: string;
  get: Extract;
  rule: (a: number, b: number) => RuleResult;
}

const last = (r: RunResult): StepSample | undefined => r.series[r.series.length - 1];
const fromLast = (f: (s: StepSample) => number): Extract => (r) => {
  const s = last(r);
  return s === undefined ? null : f(s);
};

/** Compared in this order; exact counts first, because they are the verdict-grade signals. */
const METRICS: readonly MetricSpec[] = [
  { metric: 'zonesAlive (final probe)', get: fromLast((s) => s.zonesAlive), rule: exactRule },
  { metric: 'zonesAlive (peak)', get: (r) => (r.series.length ? Math.max(...r.series.map((s) => s.zonesAlive)) : null), rule: exactRule },
  { metric: 'instancesAlive (final probe)', get: fromLast((s) => s.instancesAlive), rule: exactRule },
  { metric: 'timers.zoneReload (final probe)', get: fromLast((s) => s.timers.zoneReload), rule: exactRule },
  { metric: 'timers.autoWalk (final probe)', get: fromLast((s) => s.timers.autoWalk), rule: exactRule },
  { metric: 'timers.corefileWatch (final probe)', get: fromLast((s) => s.timers.corefileWatch), rule: exactRule },
  { metric: 'timers.other (final probe)', get: fromLast((s) => s.timers.other), rule: exactRule },
  { metric: 'timers.total (final probe)', get: fromLast((s) => s.timers.total), rule: exactRule },
  { metric: 'fds (final probe)', get: fromLast((s) => s.fds), rule: exactRule },
  { metric: 'leaked objects', get: (r) => r.leaks.reduce((n, l) => n + l.count, 0), rule: exactRule },
  { metric: 'failed checks', get: (r) => r.checks.filter((c) => !c.ok).length, rule: exactRule },
  { metric: 'retained bytes', get: (r) => r.heap?.retainedBytes ?? null, rule: retainedRule },
  { metric: 'total ms', get: (r) => r.timings.totalMs, rule: (a, b) => timingRule(a, b) },
  { metric: 'median reload ms', get: (r) => median(r.timings.perReloadMs ?? []), rule: (a, b) => timingRule(a, b, THRESHOLDS.perReload) },
  { metric: 'snapshot write ms', get: (r) => r.heap?.writeMs ?? null, rule: (a, b) => timingRule(a, b) },
  { metric: 'snapshot analysis ms', get: (r) => r.heap?.analysisMs ?? null, rule: (a, b) => timingRule(a, b) },
];

function slopeDelta(a: RunResult, b: RunResult): MetricDelta[] {
  const metric = 'heap slope (B/reload)';
  if (a.growth && b.growth) return [{ metric, a: a.growth.bytesPerReload, b: b.growth.bytesPerReload, ...slopeRule(a.growth, b.growth) }];
  if (!a.growth && !b.growth) return [];
  return [{ metric, a: a.growth?.bytesPerReload ?? null, b: b.growth?.bytesPerReload ?? null, status: 'missing', rule: `not measured in ${a.growth ? 'B' : 'A'}` }];
}

function metricDeltas(a: RunResult, b: RunResult): MetricDelta[] {
  const out: MetricDelta[] = [];
  for (const m of METRICS) {
    // The slope goes after the exact counts: it is statistical, and its rule says so.
    if (m.metric === 'retained bytes') out.push(...slopeDelta(a, b));
    const va = m.get(a);
    const vb = m.get(b);
    if (va === null && vb === null) continue;
    if (va === null || vb === null) {
      out.push({ metric: m.metric, a: va, b: vb, status: 'missing', rule: `not measured in ${va === null ? 'A' : 'B'}` });
      continue;
    }
    out.push({ metric: m.metric, a: va, b: vb, ...m.rule(va, vb) });
  }
  return out;
}

function entryFor(scenario: string, a: RunResult | undefined, b: RunResult | undefined): ComparisonEntry {
  const base = {
    scenario,
    profileA: a?.profile ?? null,
    profileB: b?.profile ?? null,
    verdictA: a?.verdict ?? null,
    verdictB: b?.verdict ?? null,
  };
  if (!a || !b) {
    return { ...base, status: 'missing', summary: a ? 'only in A (not run in B)' : 'only in B (not run in A)', deltas: [] };
  }
  return { ...base, ...verdictChange(a, b, a.profile === b.profile), deltas: metricDeltas(a, b) };
}

function benchDeltas(a: Report, b: Report): BenchDelta[] {
  const key = (x: { name: string; metric: string }): string => `${x.name}\u0000${x.metric}`;
  const inB = new Map((b.bench ?? []).map((r) => [key(r), r]));
  const seen = new Set<string>();
  const out: BenchDelta[] = [];
  for (const ra of a.bench ?? []) {
    const k = key(ra);
    seen.add(k);
    const rb = inB.get(k);
    if (!rb) {
      out.push({ name: ra.name, metric: ra.metric, a: ra.ratio ?? ra.value, b: null, status: 'missing', rule: 'only in A' });
      continue;
    }
    const r = benchRule(ra, rb);
    out.push({ name: ra.name, metric: ra.metric, a: r.a, b: r.b, status: r.status, rule: r.rule });
  }
  for (const rb of b.bench ?? []) {
    if (!seen.has(key(rb))) out.push({ name: rb.name, metric: rb.metric, a: null, b: rb.ratio ?? rb.value, status: 'missing', rule: 'only in B' });
  }
  return out;
}

function environmentNotes(a: Report, b: Report): string[] {
  const notes: string[] = [];
  if (a.kind !== b.kind) notes.push(`kinds differ: A is ${a.kind}, B is ${b.kind}`);
  if (a.node !== b.node) notes.push(`Node differs: ${a.node} vs ${b.node} (timings and retained bytes move with V8)`);
  if (a.platform !== b.platform) notes.push(`platform differs: ${a.platform} vs ${b.platform}`);
  if (a.options.timeScale !== b.options.timeScale) notes.push(`timeScale differs: ${a.options.timeScale} vs ${b.options.timeScale} (timings not comparable)`);
  return notes;
}

function tally(entries: ComparisonEntry[], bench: BenchDelta[]): { regressions: number; improvements: number } {
  const statuses = [...entries.flatMap((e) => [e.status, ...e.deltas.map((d) => d.status)]), ...bench.map((d) => d.status)];
  return {
    regressions: statuses.filter((s) => s === 'regression').length,
    improvements: statuses.filter((s) => s === 'improvement').length,
  };
}

function side(label: string, r: Report): ComparisonSide {
  return { label, runId: r.runId, gitCommit: r.tool.gitCommit };
}

/**
 * B against A, per (scenario, profile). A key on one side only is reported as `missing`,
 * never a crash and never a regression by itself. `labels` default to the run ids.
 */
export function compareReports(a: Report, b: Report, labels: { a?: string; b?: string } = {}): Comparison {
  const key = (r: RunResult): string => `${r.scenario}\u0000${r.profile}`;
  const runsB = new Map(b.runs.map((r) => [key(r), r]));
  const entries: ComparisonEntry[] = [];
  const seen = new Set<string>();
  for (const ra of a.runs) {
    seen.add(key(ra));
    entries.push(entryFor(ra.scenario, ra, runsB.get(key(ra))));
  }
  for (const rb of b.runs) if (!seen.has(key(rb))) entries.push(entryFor(rb.scenario, undefined, rb));
  const bench = benchDeltas(a, b);
  return {
    mode: 'reports',
    a: side(labels.a ?? a.runId, a),
    b: side(labels.b ?? b.runId, b),
    notes: environmentNotes(a, b),
    entries,
    bench,
    ...tally(entries, bench),
  };
}

/**
 * Inside one leak-check run: every other profile against `baseline` (default `fixed` when it
 * ran, else the first profile), one Comparison per other profile, keyed by scenario. For a
 * buggy profile the metric regressions ARE its leak signature; the verdict line says whether
 * that was predicted.
 */
export function compareProfiles(report: Report, baseline?: string): Comparison[] {
  const profiles = [...new Set(report.runs.map((r) => r.profile))];
  const base = baseline ?? (profiles.includes('fixed') ? 'fixed' : profiles[0]);
  if (base === undefined) return [];
  const byScenario = (p: string): Map<string, RunResult> => new Map(report.runs.filter((r) => r.profile === p).map((r) => [r.scenario, r]));
  const baseRuns = byScenario(base);
  return profiles.filter((p) => p !== base).map((p) => {
    const other = byScenario(p);
    const scenarios = [...new Set([...baseRuns.keys(), ...other.keys()])];
    const entries = scenarios.map((s) => entryFor(s, baseRuns.get(s), other.get(s)));
    return {
      mode: 'profiles' as const,
      a: side(`profile ${base}`, report),
      b: side(`profile ${p}`, report),
      notes: [],
      entries,
      bench: [],
      ...tally(entries, []),
    };
  });
}
