/**
 * How well the leak check detects: the reloads it takes to flag a one-zone leak (issue 6703's
 * setup on a leaking profile; target 1), and the false positives over repeated clean runs
 * (scenario issue-6703 against `fixed`, K times, through the scenario runner; target 0).
 */
import diagnostics from 'node:diagnostics_channel';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { channelName, createProcess, type EventPayloads, type ProfileName } from '../dns/index.ts';
import { LivenessProbe } from '../leak/probes/liveness.ts';
import { runScenario } from '../leak/runner/run-scenario.ts';
import { loadScenario } from '../leak/scenario/load.ts';
import type { BenchResult } from '../report/schema.ts';
import { benchResult } from './result.ts';
import type { SuiteOptions } from './suite.ts';

const SCENARIO_DIR = resolve(import.meta.dirname, '../../scenarios/issue-6703');
/** The leaking profile the detection figure is measured on (auto zones never shut down). */
export const LEAKING_PROFILE: ProfileName = 'coredns-1.11.3';

/** Resolves on the next `restart:applied` of `proc`'s current instance, rejects on its failure or a timeout. */
function nextRestart(oldInstanceId: string, timeoutMs: number): Promise<string> {
  return new Promise((res, rej) => {
    const applied = channelName('restart:applied');
    const failed = channelName('restart:failed');
    const done = (): void => {
      clearTimeout(timer);
      diagnostics.unsubscribe(applied, onApplied);
      diagnostics.unsubscribe(failed, onFailed);
    };
    const onApplied = (m: unknown): void => {
      const p = m as EventPayloads['restart:applied'];
      if (p.oldInstanceId !== oldInstanceId) return;
      done();
      res(p.newInstanceId);
    };
    const onFailed = (m: unknown): void => {
      const p = m as EventPayloads['restart:failed'];
      if (p.oldInstanceId !== oldInstanceId) return;
      done();
      rej(new Error(`reload of ${oldInstanceId} failed at ${p.stage}: ${String(p.error)}`));
    };
    const timer = setTimeout(() => {
      done();
      rej(new Error(`no reload of ${oldInstanceId} within ${timeoutMs} ms`));
    }, timeoutMs);
    diagnostics.subscribe(applied, onApplied);
    diagnostics.subscribe(failed, onFailed);
  });
}

export interface DetectionOptions {
  profile: ProfileName;
  /** Give up (return null) after this many reloads. */
  maxReloads: number;
  /** @default 0.01 (the scenario's) */
  timeScale?: number;
}

/**
 * Issue 6703's setup (auto + reload, one zone), reloaded by editing the Corefile as an operator
 * would; after each reload the liveness probe counts Zones with goleak-style patience. Returns
 * the number of reloads after which more zones were alive than the one served, or null if none
 * within `maxReloads`.
 */
export async function reloadsToFlag(opts: DetectionOptions): Promise<number | null> {
  const dir = mkdtempSync(join(tmpdir(), 'detection-bench-'));
  mkdirSync(join(dir, 'zones'));
  copyFileSync(join(SCENARIO_DIR, 'db.example.org'), join(dir, 'zones', 'db.example.org'));
  const texts = [readFileSync(join(SCENARIO_DIR, 'Corefile'), 'utf8'), readFileSync(join(SCENARIO_DIR, 'Corefile.v2'), 'utf8')] as const;
  const corefilePath = join(dir, 'Corefile');
  writeFileSync(corefilePath, texts[0]);
  const liveness = new LivenessProbe().start();
  const proc = createProcess({ profile: opts.profile, timeScale: opts.timeScale ?? 0.01, corefilePath, cwd: dir, host: '127.0.0.1' });
  try {
    await proc.start(texts[0]);
    const base = await liveness.sample();
    if (base.zonesAlive !== 1) throw new Error(`after start ${base.zonesAlive} zones are alive, expected 1`);
    for (let reload = 1; reload <= opts.maxReloads; reload++) {
      // Only the id: a local holding the old Instance would itself keep its zone alive.
      const currentId = proc.current()?.id;
      if (currentId === undefined) throw new Error('server stopped during the detection run');
      const restarted = nextRestart(currentId, 15_000);
      // Atomically (temp file + rename): a truncate-then-write can be read half-way by the
      // watcher, which then restarts into an empty Corefile.
      writeFileSync(`${corefilePath}.tmp`, reload % 2 === 1 ? texts[1] : texts[0]);
      renameSync(`${corefilePath}.tmp`, corefilePath);
      await restarted;
      // The runner's patience (about 2 s of backoff) before a count above 1 is believed.
      const verdict = await liveness.expectAtMost({ zones: 1 }, { attempts: 12, maxDelayMs: 200 });
      if (!verdict.ok) return reload;
    }
    return null;
  } finally {
    await proc.stop().catch(() => undefined);
    liveness.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface FalsePositives {
  runs: number;
  failures: number;
  /** `verdict` of each failed run, with its first failed check or error. */
  why: string[];
}

/** Runs scenario issue-6703 against `fixed` `runs` times; every run that is not `pass` is a false positive. */
export async function falsePositives(runs: number): Promise<FalsePositives> {
  const scenario = loadScenario(SCENARIO_DIR);
  const why: string[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await runScenario(scenario, 'fixed', { outDir: null, snapshots: 'never' });
    if (r.verdict !== 'pass') {
      const check = r.checks.find((c) => !c.ok);
      why.push(`run ${i + 1}: ${r.verdict}${r.error ? ` (${r.error.message})` : check ? ` (${check.step}: ${check.metric} expected ${check.expected}, got ${check.actual})` : ''}`);
    }
  }
  return { runs, failures: why.length, why };
}

export function detectionResults(reloads: number | null, maxReloads: number, fp: FalsePositives): BenchResult[] {
  return [
    benchResult({
      name: 'detection',
      // Not flagged within the limit is written as limit + 1, so a lost detection reads as worse.
      metric: `reloads to flag a one-zone leak (${LEAKING_PROFILE})`,
      value: reloads ?? maxReloads + 1,
      unit: 'reloads',
      better: 'lower',
      exact: true,
      target: 1,
    }),
    benchResult({
      name: 'detection',
      metric: `false positives in ${fp.runs} clean runs (issue-6703 × fixed)`,
      value: fp.failures,
      unit: 'runs',
      better: 'lower',
      exact: true,
      target: 0,
    }),
  ];
}

export async function detectionSuite(opts: SuiteOptions & { cleanRuns?: number; maxReloads?: number }): Promise<BenchResult[]> {
  const maxReloads = opts.maxReloads ?? (opts.quick ? 3 : 10);
  const reloads = await reloadsToFlag({ profile: LEAKING_PROFILE, maxReloads });
  opts.log?.(`detection: ${LEAKING_PROFILE} flagged ${reloads === null ? `not within ${maxReloads} reloads` : `after ${reloads} reload(s)`}`);
  const fp = await falsePositives(opts.cleanRuns ?? (opts.quick ? 3 : 10));
  opts.log?.(`detection: ${fp.failures} false positive(s) in ${fp.runs} clean runs${fp.why.length ? `: ${fp.why.join('; ')}` : ''}`);
  return detectionResults(reloads, maxReloads, fp);
}
