/**
 * Report builders for the report layer's tests: realistic shapes (a 1-zone auto + reload storm
 * on `fixed` and on `coredns-1.11.3`), every value overridable. Test-only.
 */
import type { BenchResult, Report, RunResult, StepSample } from '../schema.ts';

const ZONE_BYTES = 6_000;

/** Per-reload samples of a storm of `reloads` reloads over `zones` zones; `leaks` keeps every old instance. */
export function makeSeries(reloads: number, zones: number, leaks: boolean): StepSample[] {
  const out: StepSample[] = [];
  for (let i = 0; i <= reloads; i++) {
    const alive = leaks ? zones * (i + 1) : zones;
    out.push({
      step: i * 2 + 1,
      label: i === 0 ? 'probe after start' : `probe after reload #${i}`,
      zonesAlive: alive,
      instancesAlive: 1,
      timers: { zoneReload: alive, autoWalk: 1, corefileWatch: 1, other: 0, total: alive + 2 },
      heapUsed: 8_000_000 + (leaks ? i * zones * ZONE_BYTES : (i % 3) * 1_000),
      fds: 0,
    });
  }
  return out;
}

export function makeRun(overrides: Partial<RunResult> = {}): RunResult {
  const profile = overrides.profile ?? 'fixed';
  const leaky = profile !== 'fixed';
  const reloads = 20;
  const base: RunResult = {
    scenario: 'auto-reload-storm',
    profile,
    verdict: leaky ? 'fail' : 'pass',
    expectedToFail: leaky,
    signatureMatched: true,
    checks: [
      { id: 'probe-21.zonesAlive', step: 'probe after repeat #20', metric: 'zonesAlive', expected: 1, actual: leaky ? 21 : 1, ok: !leaky, exact: true },
      { id: 'probe-21.timers.zoneReload', step: 'probe after repeat #20', metric: 'timers.zoneReload', expected: 1, actual: leaky ? 21 : 1, ok: !leaky, exact: true },
    ],
    series: makeSeries(reloads, 1, leaky),
    heap: {
      snapshotFiles: leaky ? ['auto-reload-storm.coredns-1.11.3.heapsnapshot'] : [],
      zonesByInstance: leaky ? { 'inst-1': { count: 1, retainedBytes: ZONE_BYTES }, 'inst-2': { count: 1, retainedBytes: ZONE_BYTES } } : {},
      retainedBytes: leaky ? 20 * ZONE_BYTES : 0,
      analysisMs: 700,
      writeMs: 450,
      heapBytes: 9_000_000,
    },
    growth: leaky ? { bytesPerReload: ZONE_BYTES, r2: 0.99, n: 21 } : { bytesPerReload: 40, r2: 0.05, n: 21 },
    leaks: leaky
      ? [{
          what: 'Zone',
          count: 20,
          owner: { plugin: 'auto', zone: 'example.org.', instanceId: 'inst-1' },
          createdAt: 'at loadZone (harness/dns/plugins/auto/zones.ts:41:9)\nat walk (harness/dns/plugins/auto/walk.ts:22:5)',
          retainerPath: ['(GC roots)', 'Timeout._onTimeout', 'closure', 'Zone'],
          explanation: 'the zone reload timer of an old instance was never stopped, and its closure holds the Zone',
        }]
      : [],
    timings: { totalMs: 1_200, perReloadMs: Array.from({ length: reloads }, () => 30) },
  };
  return { ...base, ...overrides };
}

export function makeBench(overrides: Partial<BenchResult> = {}): BenchResult {
  return {
    name: 'zone parsing',
    metric: 'records/s',
    value: 400_000,
    unit: 'records/s',
    peer: 'named-checkzone',
    peerValue: 800_000,
    ratio: 0.5,
    better: 'higher',
    exact: false,
    ...overrides,
  };
}

export function makeReport(overrides: Partial<Report> = {}): Report {
  return {
    schemaVersion: 1,
    kind: 'leak-check',
    runId: '2024-05-01T10-00-00Z-leak-check',
    tool: { name: 'reloadleak', version: '0.1.0', gitCommit: '0123456789abcdef0123456789abcdef01234567' },
    node: 'v20.11.1',
    platform: 'linux-x64',
    startedAt: '2024-05-01T10:00:00.000Z',
    finishedAt: '2024-05-01T10:00:03.000Z',
    durationMs: 3_000,
    options: { argv: ['--profile', 'fixed', '--profile', 'coredns-1.11.3'], profiles: ['fixed', 'coredns-1.11.3'], scenarios: ['auto-reload-storm'], snapshots: 'on-failure', timeScale: 0.01 },
    runs: [makeRun({ profile: 'fixed' }), makeRun({ profile: 'coredns-1.11.3' })],
    ...overrides,
    complete: true,
  };
}
