/**
 * What the leak check costs: the wall time of the default suite (`npm run leak-check --
 * --snapshots never`, a child process, timed from spawn to exit), and heap-snapshot write and
 * analysis time at a few heap sizes (harness/leak/probes/heap.ts, the same calls the runner
 * makes on a failure).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { settle } from '../leak/gc.ts';
import { analyzeSnapshot, writeSnapshot } from '../leak/probes/heap.ts';
import { readReport } from '../report/read.ts';
import type { BenchResult } from '../report/schema.ts';
import { benchResult } from './result.ts';
import type { SuiteOptions } from './suite.ts';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const MB = 1024 * 1024;

export interface SuiteWallTime {
  wallMs: number;
  /** Sum of the runs' `timings.totalMs` in the report the child wrote: time inside the scenarios. */
  inScenariosMs: number;
  runs: number;
  exitCode: number;
}

/**
 * Runs the leak check as `npm run leak-check` would (same node flags), with snapshots off.
 * Exit 1 (a leak found) still counts as a finished run; exit 2 (bad usage, internal error) throws.
 */
export async function timeLeakCheck(scenarios: readonly string[] = []): Promise<SuiteWallTime> {
  const out = mkdtempSync(join(tmpdir(), 'leak-check-cost-'));
  try {
    const args = [
      '--expose-gc', '--disable-warning=ExperimentalWarning', '--import', 'tsx', join(REPO_ROOT, 'harness/cli/leak-check.ts'),
      '--snapshots', 'never', '--out', out, ...scenarios.flatMap((s) => ['--scenario', s]),
    ];
    const t0 = performance.now();
    const { code, output } = await new Promise<{ code: number | null; output: string }>((res, rej) => {
      const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
      child.once('error', rej);
      child.once('close', (c) => res({ code: c, output }));
    });
    const wallMs = performance.now() - t0;
    if (code !== 0 && code !== 1) throw new Error(`leak-check exited ${code}:\n${output.slice(-3000)}`);
    const [runDir] = readdirSync(out);
    if (runDir === undefined) throw new Error(`leak-check wrote no report under ${out}`);
    const report = readReport(join(out, runDir));
    return { wallMs, inScenariosMs: report.runs.reduce((a, r) => a + r.timings.totalMs, 0), runs: report.runs.length, exitCode: code };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export interface SnapshotCost {
  ballastMb: number;
  heapBytes: number;
  snapshotBytes: number;
  writeMs: number;
  analysisMs: number;
}

/**
 * Objects holding distinct ~500-byte strings: many nodes for the snapshot to write and parse,
 * as in a server holding zone data, but not the pathological millions of tiny objects (which
 * made a 192 MB heap an 800 MB snapshot taking 90 s to write and analyse).
 */
export function makeBallast(mb: number): object[] {
  const out: object[] = [];
  // padEnd builds a flat string; `pad + i` would be a small cons string sharing `pad`.
  const n = Math.round((mb * MB) / 530);
  for (let i = 0; i < n; i++) out.push({ i, s: String(i).padEnd(480, 'x') });
  return out;
}

export async function measureSnapshotCost(ballastMb: number, dir: string): Promise<SnapshotCost> {
  let ballast: object[] | null = makeBallast(ballastMb);
  await settle();
  const heapBytes = process.memoryUsage().heapUsed;
  const written = await writeSnapshot(join(dir, `ballast-${ballastMb}.heapsnapshot`));
  // Drop the ballast before the analysis child runs, so both processes do not hold it at once.
  if (ballast.length < 0) throw new Error('unreachable');
  ballast = null;
  const analysis = await analyzeSnapshot(written.file);
  rmSync(written.file, { force: true });
  return { ballastMb, heapBytes, snapshotBytes: written.bytes, writeMs: written.ms, analysisMs: analysis.ms };
}

export const BALLAST_MB = { quick: [0], full: [0, 32, 128] } as const;

export function snapshotResults(c: SnapshotCost): BenchResult[] {
  const heap = { label: 'heap used (MB)', value: c.heapBytes / MB };
  return [
    benchResult({ name: 'leak-check cost', metric: `snapshot write ms (+${c.ballastMb} MB ballast)`, value: c.writeMs, unit: 'ms', better: 'lower', peer: heap }),
    benchResult({ name: 'leak-check cost', metric: `snapshot analysis ms (+${c.ballastMb} MB ballast)`, value: c.analysisMs, unit: 'ms', better: 'lower', peer: heap }),
  ];
}

export function suiteWallResult(w: SuiteWallTime, label: string): BenchResult {
  return benchResult({
    name: 'leak-check cost',
    metric: `wall time, ${label}`,
    value: w.wallMs,
    unit: 'ms',
    better: 'lower',
    peer: { label: `time inside its ${w.runs} scenario runs`, value: w.inScenariosMs },
  });
}

export async function leakCheckCostSuite(opts: SuiteOptions & { scenarios?: readonly string[]; ballastMb?: readonly number[] }): Promise<BenchResult[]> {
  const scenarios = opts.scenarios ?? (opts.quick ? ['issue-6703'] : []);
  const wall = await timeLeakCheck(scenarios);
  const label = scenarios.length === 0 ? 'default suite, --snapshots never' : `${scenarios.join(', ')}, --snapshots never`;
  opts.log?.(`leak-check (${label}): ${wall.wallMs.toFixed(0)} ms wall, ${wall.inScenariosMs} ms inside ${wall.runs} runs, exit ${wall.exitCode}`);
  const out = [suiteWallResult(wall, label)];
  const dir = mkdtempSync(join(tmpdir(), 'snapshot-cost-'));
  try {
    for (const mb of opts.ballastMb ?? (opts.quick ? BALLAST_MB.quick : BALLAST_MB.full)) {
      const c = await measureSnapshotCost(mb, dir);
      opts.log?.(`snapshot +${mb} MB: heap ${(c.heapBytes / MB).toFixed(1)} MB, file ${(c.snapshotBytes / MB).toFixed(1)} MB, write ${c.writeMs.toFixed(0)} ms, analysis ${c.analysisMs.toFixed(0)} ms`);
      out.push(...snapshotResults(c));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
