/**
 * `npm run leak-check`: scenarios × profiles, a verdict table, a report, and an exit code
 * CI can trust (0 clean, 1 a check failed or a leak was found, 2 bad usage or input).
 */
import fs from 'node:fs';
import { ensureDir } from '../report/ensure-dir.ts';
import os from 'node:os';
import path from 'node:path';
import { PROFILE_NAMES, isProfileName, type ProfileName } from '../dns/profiles.ts';
import type { Report, RunResult, SnapshotMode } from '../report/schema.ts';
import { reportHeader, runId } from '../report/tool-info.ts';
import { loadScenario, scenarioFileIn } from './scenario/load.ts';
import { ScenarioError } from './scenario/errors.ts';
import type { Scenario } from './scenario/types.ts';
import { runScenarioIsolated } from './runner/isolated.ts';
import { formatLeaks } from './runner/leaks.ts';

export class UsageError extends Error {
  readonly code = 'ERR_USAGE';
}

export interface LeakCheckArgs {
  profiles: ProfileName[];
  scenarios: string[];
  out: string;
  snapshots: SnapshotMode;
  /** Runs at once, each in its own process. @default min(2, available cores) */
  jobs: number;
  help: boolean;
}

export const USAGE = `usage: npm run leak-check -- [--profile P]... [--scenario S]... [--out DIR] [--snapshots never|on-failure|always] [--jobs N]

Runs reload-storm scenarios against version profiles of the in-process server and fails
unless every zone, instance and timer is released.

  --profile P     ${PROFILE_NAMES.join(', ')} (repeatable; default: fixed)
  --scenario S    a scenario name under scenarios/, or a path to a scenario file or directory
                  (repeatable; default: every scenario under scenarios/)
  --out DIR       where the report directory is created (default: reports/)
  --snapshots M   heap snapshots: never, on-failure (default), always
  --jobs N        runs at once, each in its own process (default: 2, or 1 on a 1-core machine)

Exit: 0 clean, 1 a check failed or a leak was found, 2 bad usage, bad scenario or internal error.
A buggy profile is expected to exit 1: that is the harness working.`;

export function parseArgs(argv: readonly string[]): LeakCheckArgs {
  const args: LeakCheckArgs = { profiles: [], scenarios: [], out: 'reports', snapshots: 'on-failure', jobs: Math.min(2, os.availableParallelism()), help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '' || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--profile': {
        const p = value();
        if (!isProfileName(p)) throw new UsageError(`unknown profile '${p}': expected one of ${PROFILE_NAMES.join(', ')}`);
        if (!args.profiles.includes(p)) args.profiles.push(p);
        break;
      }
      case '--scenario':
        args.scenarios.push(value());
        break;
      case '--out':
        args.out = value();
        break;
      case '--snapshots': {
        const m = value();
        if (m !== 'never' && m !== 'on-failure' && m !== 'always') throw new UsageError(`--snapshots must be never, on-failure or always, not '${m}'`);
        args.snapshots = m;
        break;
      }
      case '--jobs': {
        const v = value();
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--jobs must be a whole number from 1 to 64, not '${v}'`);
        args.jobs = n;
        break;
      }
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        throw new UsageError(`unknown argument '${a}'`);
    }
  }
  if (args.profiles.length === 0) args.profiles.push('fixed');
  return args;
}

export const SCENARIOS_DIR = path.resolve(import.meta.dirname, '../../scenarios');

/** Every scenario directory under scenarios/, sorted by name. */
export function defaultScenarioDirs(root = SCENARIOS_DIR): string[] {
  return fs.readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && scenarioFileIn(path.join(root, d.name)) !== null)
    .map((d) => path.join(root, d.name))
    .sort();
}

export function resolveScenario(spec: string, root = SCENARIOS_DIR): string {
  if (fs.existsSync(spec)) return spec;
  const named = path.join(root, spec);
  if (fs.existsSync(named)) return named;
  const known = fs.existsSync(root) ? defaultScenarioDirs(root).map((d) => path.basename(d)) : [];
  throw new UsageError(`no scenario '${spec}': not a path, and not one of ${known.join(', ')}`);
}

/** Loads every scenario first, so a bad file stops the run before anything runs. */
export function loadAll(specs: readonly string[]): Scenario[] {
  const dirs = specs.length > 0 ? specs.map((s) => resolveScenario(s)) : defaultScenarioDirs();
  if (dirs.length === 0) throw new UsageError(`no scenarios found under ${SCENARIOS_DIR}`);
  return dirs.map((d) => loadScenario(d));
}

export interface LeakCheckIo {
  out: (line: string) => void;
  err: (line: string) => void;
  tty: boolean;
}

export interface LeakCheckOutcome {
  report: Report;
  dir: string;
  passed: number;
  failed: number;
  exitCode: 0 | 1 | 2;
}

/** Runs everything and builds the report; writing it is the caller's job (so Ctrl-C can skip it). */
export async function leakCheck(args: LeakCheckArgs, argv: readonly string[], io: LeakCheckIo, signal?: AbortSignal): Promise<{ report: Report; id: string; runs: RunResult[] }> {
  const scenarios = loadAll(args.scenarios);
  // A report directory that cannot be made is bad usage, found before any run, not after all.
  try {
    ensureDir(args.out);
  } catch (err) {
    throw new UsageError(`--out: ${(err as Error).message}`);
  }
  const started = new Date();
  const id = runId(started, 'leak-check');
  const outDir = path.resolve(args.out, id);
  const runs: RunResult[] = [];
  const jobs = scenarios.flatMap((scenario) => args.profiles.filter((p) => scenario.profiles.includes(p)).map((profile) => ({ scenario, profile })));
  const results: Array<RunResult | undefined> = new Array(jobs.length);
  let printed = 0;
  // Verdicts are printed in job order, whichever run finishes first.
  const flush = (): void => {
    while (printed < jobs.length && results[printed] !== undefined) {
      const r = results[printed]!;
      io.out(verdictLine(r));
      if (r.verdict !== 'pass') {
        for (const c of r.checks.filter((c) => !c.ok).slice(0, 8)) io.out(`    ${c.step}: ${c.metric} expected ${c.expected}, got ${c.actual}`);
        if (r.error) io.out(`    error: ${r.error.message}`);
        if (r.leaks.length > 0) io.out(formatLeaks(r.leaks).split('\n').map((l) => `    ${l}`).join('\n'));
      }
      printed++;
    }
  };
  let next = 0;
  // Each run is a process of its own, so runs can overlap: counts are exact either way, only
  // timings get noisier (--jobs 1 for timing-sensitive comparisons).
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      if (signal?.aborted) throw Object.assign(new Error('interrupted'), { code: 'ERR_INTERRUPTED' });
      const i = next++;
      const { scenario, profile } = jobs[i]!;
      if (io.tty) io.err(`running ${scenario.name} × ${profile} ...`);
      results[i] = await runScenarioIsolated(scenario, profile, {
        outDir,
        snapshots: args.snapshots,
        ...(io.tty ? { onProgress: (l: string) => io.err(`  ${scenario.name} × ${profile}: ${l}`) } : {}),
      });
      flush();
    }
  };
  await Promise.all(Array.from({ length: Math.min(args.jobs, jobs.length) }, worker));
  runs.push(...(results as RunResult[]));
  const finished = new Date();
  const report: Report = {
    ...reportHeader('leak-check', id, started, finished),
    options: {
      argv: [...argv],
      profiles: [...args.profiles],
      scenarios: scenarios.map((s) => s.name),
      snapshots: args.snapshots,
      timeScale: scenarios[0]?.timeScale ?? null,
    },
    runs,
    complete: true,
  };
  return { report, id, runs };
}

export function verdictLine(r: RunResult): string {
  const mark = r.verdict === 'pass' ? 'PASS' : r.verdict === 'fail' ? 'FAIL' : 'ERROR';
  const note = r.expectedToFail ? (r.signatureMatched ? ' (leak signature matched)' : ' (leak signature NOT matched)') : '';
  return `${mark.padEnd(5)} ${r.scenario} × ${r.profile}  ${r.timings.totalMs} ms${note}`;
}

export function verdictTable(runs: readonly RunResult[]): string {
  const rows = runs.map((r) => [r.scenario, r.profile, r.verdict, r.expectedToFail ? (r.signatureMatched ? 'matched' : 'NOT matched') : '-', String(r.checks.filter((c) => !c.ok).length), `${r.timings.totalMs}`]);
  const head = ['scenario', 'profile', 'verdict', 'leak signature', 'failed checks', 'ms'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n');
}

export function exitCodeFor(e: unknown): 2 {
  void (e instanceof ScenarioError || e instanceof UsageError);
  return 2;
}
