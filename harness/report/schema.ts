/**
 * The report schema: what `leak-check` and `bench` write to `reports/<run-id>/report.json`.
 *
 * This file is the contract. `reports/README.md` documents every field; `validate.ts` checks a
 * parsed file against these types field by field. Any change to a field's name, type or meaning
 * bumps REPORT_SCHEMA_VERSION, and the reader refuses versions it does not know rather than
 * guessing (a CI gate that misreads a baseline is worse than one that stops).
 */

export const REPORT_SCHEMA_VERSION = 1;

/** Every schema version this build can read. */
export const SUPPORTED_SCHEMA_VERSIONS: readonly number[] = [REPORT_SCHEMA_VERSION];

export type ReportKind = 'leak-check' | 'bench';
export type Verdict = 'pass' | 'fail' | 'error';
export type SnapshotMode = 'never' | 'on-failure' | 'always';

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  kind: ReportKind;
  /** The run directory's name, e.g. `2024-05-01T10-00-00Z-leak-check`. */
  runId: string;
  tool: ToolInfo;
  /** `process.version`, e.g. `v20.11.1`. */
  node: string;
  /** `${process.platform}-${process.arch}`, e.g. `linux-x64`. */
  platform: string;
  /** ISO 8601 UTC timestamps. */
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  options: ReportOptions;
  /** One entry per scenario × profile that was run (empty for a bench report). */
  runs: RunResult[];
  bench?: BenchResult[];
  /**
   * Profile-against-profile comparisons of this run (leak-check with several `--profile`):
   * the same structure `npm run compare` prints, with the baseline profile as side A.
   */
  comparisons?: Comparison[];
  /**
   * Always `true` in a report on disk. `writeReport` stamps it; the reader refuses a report
   * without it, so a file assembled by anything else (a partial copy, a hand-made stub)
   * never passes for a finished run.
   */
  complete: true;
}

export interface ToolInfo {
  /** package.json `name`. */
  name: string;
  /** package.json `version`. */
  version: string;
  /** `git rev-parse HEAD` of the harness, or `null` outside a git checkout. */
  gitCommit: string | null;
}

export interface ReportOptions {
  /** The command line as given, after the script name. */
  argv: string[];
  /** Profiles that were run, in run order. */
  profiles: string[];
  /** Scenarios that were run, in run order. */
  scenarios: string[];
  /** `--snapshots`; `null` for a bench report. */
  snapshots: SnapshotMode | null;
  /** Server timeScale the scenarios ran with; `null` when not applicable. */
  timeScale: number | null;
}

export interface RunResult {
  scenario: string;
  profile: string;
  /** What a correct server gets: `fail` when a check failed or a leak was found; `error` when the run broke. */
  verdict: Verdict;
  /** The scenario's signature says this profile leaks (a `fail` is what it predicted). */
  expectedToFail: boolean;
  /** The outcome matched the scenario's prediction for this profile (for `fixed`: it passed). */
  signatureMatched: boolean;
  checks: Check[];
  /** One sample per probe, in order. */
  series: StepSample[];
  heap?: HeapSummary;
  growth?: Growth;
  /** goleak-style: every offender, each with its owner and where it was created. */
  leaks: LeakTrace[];
  timings: Timings;
  error?: RunError;
}

export interface Check {
  /** Stable within a scenario, e.g. `probe-3.zonesAlive`. */
  id: string;
  /** Where in the scenario, e.g. `probe after repeat #20`. */
  step: string;
  /** e.g. `zonesAlive`, `timers.zoneReload`, `fds`, `query www.example.org. A rcode`. */
  metric: string;
  expected: number | string;
  actual: number | string;
  ok: boolean;
  /** The signal is an exact count (true) or statistical (false, e.g. a slope). */
  exact: boolean;
  /**
   * What the scenario predicts for this profile: its leak signature where it names this
   * metric, else `expected`. A buggy profile "matches its signature" when actual == predicted.
   */
  predicted?: number | string;
}

export interface StepSample {
  /** Index of the step in the flattened scenario. */
  step: number;
  /** Human label, e.g. `probe after reload #3`. */
  label: string;
  zonesAlive: number;
  instancesAlive: number;
  timers: TimerCounts;
  /** `process.memoryUsage().heapUsed` after GC, bytes. */
  heapUsed: number;
  /** Open file descriptors minus the baseline taken before `start`. */
  fds: number;
}

export interface TimerCounts {
  zoneReload: number;
  autoWalk: number;
  corefileWatch: number;
  other: number;
  total: number;
}

export interface HeapSummary {
  /** Paths relative to the run directory; they open in Chrome DevTools. */
  snapshotFiles: string[];
  /** Zone objects found in the last snapshot, by owning instance id. */
  zonesByInstance: Record<string, { count: number; retainedBytes: number }>;
  /** Retained bytes of every Zone that should have been released. */
  retainedBytes: number;
  analysisMs: number;
  writeMs: number;
  /** Size of the heap the snapshot was taken of (heapUsed), bytes. */
  heapBytes: number;
}

export interface Growth {
  /** Least-squares slope of heapUsed after GC over reload index, bytes per reload. */
  bytesPerReload: number;
  /** Coefficient of determination of that fit, 0..1. */
  r2: number;
  /** Number of samples in the fit. */
  n: number;
}

export type LeakKind = 'Zone' | 'Instance' | 'timer' | 'fd' | 'socket' | 'other';

export interface LeakTrace {
  what: LeakKind;
  count: number;
  owner: LeakOwner;
  /** Creation site (stack frames joined by newlines), or `null` when unknown. */
  createdAt: string | null;
  /** Shortest retainer path from a GC root to the leaked object, one edge per entry. */
  retainerPath: string[];
  /** One sentence: why it is still alive. */
  explanation: string;
}

export interface LeakOwner {
  plugin: string | null;
  zone: string | null;
  instanceId: string | null;
}

export interface Timings {
  totalMs: number;
  /** Wall time of each reload (edit to outcome event), in order. */
  perReloadMs?: number[];
}

export interface RunError {
  message: string;
  /** Stable error code (e.g. `SCENARIO_INVALID`, `TIMEOUT`). */
  code: string;
}

export interface BenchResult {
  /** Suite/task, e.g. `zone parsing`. */
  name: string;
  /** e.g. `records/s`, `restart latency (1000 zones)`. */
  metric: string;
  value: number;
  unit: string;
  /** What it was measured against in the same run (`named-checkzone`), or `null` for a bare count. */
  peer: string | null;
  peerValue: number | null;
  /** value / peerValue, or `null` without a peer. */
  ratio: number | null;
  /** Which direction of `ratio` (or `value` without a peer) is better. */
  better: 'higher' | 'lower';
  /** The value is an exact count (false positives, reloads needed): compared without tolerance. */
  exact: boolean;
  target?: { ratio: number; met: boolean };
}

// ---- comparisons: written by compare.ts, embedded in leak-check reports ----

/** regression/improvement decide the exit code; `noise` means a difference inside the tolerance. */
export type DeltaStatus = 'same' | 'noise' | 'regression' | 'improvement' | 'changed' | 'missing';

export interface Comparison {
  /** `reports`: two runs (npm run compare); `profiles`: two profiles of one leak-check run. */
  mode: 'reports' | 'profiles';
  a: ComparisonSide;
  b: ComparisonSide;
  /** Differences in the environment that make deltas less meaningful (Node, platform, tool). */
  notes: string[];
  entries: ComparisonEntry[];
  bench: BenchDelta[];
  regressions: number;
  improvements: number;
}

export interface ComparisonSide {
  /** What this side is: a file path, or `profile fixed` for a within-run comparison. */
  label: string;
  runId: string;
  gitCommit: string | null;
}

export interface ComparisonEntry {
  scenario: string;
  profileA: string | null;
  profileB: string | null;
  verdictA: Verdict | null;
  verdictB: Verdict | null;
  /** The verdict-level change; `missing` when one side did not run this key. */
  status: DeltaStatus;
  /** One line explaining `status`, e.g. `pass → fail`. */
  summary: string;
  deltas: MetricDelta[];
}

export interface MetricDelta {
  metric: string;
  a: number | null;
  b: number | null;
  status: DeltaStatus;
  /** The rule applied, e.g. `exact` or `> 1.5× and > 50 ms`. */
  rule: string;
}

export interface BenchDelta {
  name: string;
  metric: string;
  a: number | null;
  b: number | null;
  status: DeltaStatus;
  rule: string;
}
