/**
 * Restart latency with N zones against loading those N zones alone.
 *
 * The server is the subject in this process, profile `fixed`, one `.:0` block whose `auto`
 * serves a directory of N generated zone files. A restart (Instance.Restart via the API, as a
 * Corefile reload does) builds the new instance, whose OnStartup walks the directory and loads
 * every zone, then stops the old one: so the peer is exactly that loading work on its own,
 * `loadZone` (read, parse, build the tree: CoreDNS's file.Parse) of the same files. The ratio
 * is the cost of everything a restart adds on top of reading the zones.
 */
import diagnostics from 'node:diagnostics_channel';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import { channelName, createProcess } from '../dns/index.ts';
import { loadZone } from '../dns/zone/load.ts';
import type { BenchResult } from '../report/schema.ts';
import { benchResult } from './result.ts';
import type { SuiteOptions } from './suite.ts';
import { generateZone } from './zone-parse.ts';

/** Records in each generated zone: a small real-world zone (SOA, NS, MX, hosts). */
export const RECORDS_PER_ZONE = 20;
export const ZONE_COUNTS = [1, 100, 1000] as const;
/** A restart with 1,000 zones should take at most this many times loading them alone. */
export const RESTART_TARGET_RATIO = 2;

export interface RestartLatencyMeasurement {
  zones: number;
  restartMeanMs: number;
  restartSamples: number;
  loadMeanMs: number;
  loadSamples: number;
  /** Zones the restart's walk loaded (checked equal to `zones` before timing). */
  zonesLoadedPerRestart: number;
}

export interface RestartLatencyOptions {
  zones: number;
  recordsPerZone?: number;
  quick: boolean;
}

function corefile(reload: string): string {
  // The two texts differ in one token so every restart really builds a new instance.
  return `.:0 {\n    auto {\n        directory zones\n        reload ${reload}\n    }\n}\n`;
}

/** Counts `zone:loaded` events while `fn` runs. */
async function countZonesLoaded(fn: () => Promise<unknown>): Promise<number> {
  let n = 0;
  const on = (): void => void n++;
  diagnostics.subscribe(channelName('zone:loaded'), on);
  try {
    await fn();
  } finally {
    diagnostics.unsubscribe(channelName('zone:loaded'), on);
  }
  return n;
}

export async function measureRestartLatency(opts: RestartLatencyOptions): Promise<RestartLatencyMeasurement> {
  const perZone = opts.recordsPerZone ?? RECORDS_PER_ZONE;
  const dir = mkdtempSync(join(tmpdir(), 'restart-bench-'));
  const zonesDir = join(dir, 'zones');
  mkdirSync(zonesDir);
  const proc = createProcess({ profile: 'fixed', cwd: dir, corefilePath: join(dir, 'Corefile'), host: '127.0.0.1' });
  try {
    for (let i = 0; i < opts.zones; i++) writeFileSync(join(zonesDir, `db.z${i}.bench`), generateZone(perZone, `z${i}.bench.`));
    const texts = [corefile('60s'), corefile('61s')] as const;
    writeFileSync(join(dir, 'Corefile'), texts[0]);
    await proc.start(texts[0]);
    let turn = 0;
    // An AsyncFunction, so tinybench awaits it instead of probing it with an unawaited call
    // (two overlapping restarts would restart a stale instance).
    const restart = async (): Promise<void> => {
      await proc.restart(++turn % 2 === 1 ? texts[1] : texts[0]);
    };
    const loaded = await countZonesLoaded(restart);
    if (loaded !== opts.zones) throw new Error(`a restart loaded ${loaded} zones, expected ${opts.zones}`);

    const files = readdirSync(zonesDir).sort();
    const loadAll = (): void => {
      for (const f of files) loadZone({ path: join(zonesDir, f), origin: f.slice(3), instanceId: 'bench', serial: -1 });
    };
    const bench = new Bench({
      name: `restart-latency-${opts.zones}`,
      time: opts.quick ? 300 : 2000,
      iterations: opts.quick ? 3 : 10,
      warmupIterations: opts.quick ? 1 : 3,
      warmupTime: opts.quick ? 50 : 300,
      throws: true,
    });
    bench.add('restart', restart);
    bench.add('load zones alone', loadAll);
    await bench.run();
    const [r, l] = bench.tasks.map((t) => t.result);
    if (r === undefined || l === undefined || !('latency' in r) || !('latency' in l)) throw new Error('tinybench gave no statistics');
    return {
      zones: opts.zones,
      restartMeanMs: r.latency.mean,
      restartSamples: r.latency.samplesCount,
      loadMeanMs: l.latency.mean,
      loadSamples: l.latency.samplesCount,
      zonesLoadedPerRestart: loaded,
    };
  } finally {
    await proc.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

export function restartLatencyResult(m: RestartLatencyMeasurement, recordsPerZone = RECORDS_PER_ZONE): BenchResult {
  return benchResult({
    name: 'restart latency',
    metric: `restart ms (${m.zones} zones)`,
    value: m.restartMeanMs,
    unit: 'ms',
    better: 'lower',
    peer: { label: `loadZone of the same ${m.zones} zones (${recordsPerZone} records each)`, value: m.loadMeanMs },
    ...(m.zones === 1000 ? { target: RESTART_TARGET_RATIO } : {}),
  });
}

export async function restartLatencySuite(opts: SuiteOptions & { zoneCounts?: readonly number[] }): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const zones of opts.zoneCounts ?? ZONE_COUNTS) {
    const m = await measureRestartLatency({ zones, quick: opts.quick });
    opts.log?.(`restart latency, ${zones} zones: restart ${m.restartMeanMs.toFixed(2)} ms (${m.restartSamples} samples), load alone ${m.loadMeanMs.toFixed(2)} ms (${m.loadSamples} samples)`);
    out.push(restartLatencyResult(m));
  }
  return out;
}
