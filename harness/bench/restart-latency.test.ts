import { describe, expect, it } from 'vitest';
import { measureRestartLatency, RESTART_TARGET_RATIO, restartLatencyResult, restartLatencySuite } from './restart-latency.ts';

describe('restart-latency bench', () => {
  it('times restarts that load every zone, and the same zones loaded alone', async () => {
    const m = await measureRestartLatency({ zones: 3, recordsPerZone: 6, quick: true });
    expect(m.zonesLoadedPerRestart).toBe(3);
    expect(m.restartMeanMs).toBeGreaterThan(0);
    expect(m.loadMeanMs).toBeGreaterThan(0);
    expect(m.restartSamples).toBeGreaterThanOrEqual(3);
    const r = restartLatencyResult(m, 6);
    expect(r).toMatchObject({ name: 'restart latency', metric: 'restart ms (3 zones)', unit: 'ms', better: 'lower', exact: false });
    expect(r.value).toBe(m.restartMeanMs);
    expect(r.peerValue).toBe(m.loadMeanMs);
    expect(r.ratio).toBeCloseTo(m.restartMeanMs / m.loadMeanMs, 12);
    expect(r.target).toBeUndefined();
  });

  it('the suite gives one figure per zone count, each from its own measurement', async () => {
    const results = await restartLatencySuite({ quick: true, zoneCounts: [1, 2] });
    expect(results.map((r) => r.metric)).toEqual(['restart ms (1 zones)', 'restart ms (2 zones)']);
    for (const r of results) expect(r.ratio).toBeCloseTo(r.value / r.peerValue!, 12);
  });

  it.each([
    [150, 100, true],
    [250, 100, false],
  ])('only the 1,000-zone figure carries the target (restart %d ms vs load %d ms: met %s)', (restart, load, met) => {
    const m = { zones: 1000, restartMeanMs: restart, restartSamples: 3, loadMeanMs: load, loadSamples: 3, zonesLoadedPerRestart: 1000 };
    expect(restartLatencyResult(m).target).toEqual({ ratio: RESTART_TARGET_RATIO, met });
  });
});
