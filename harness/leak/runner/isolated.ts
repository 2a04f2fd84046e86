/**
 * Runs one scenario × profile in a child process (child.ts) and returns its result. Every
 * run gets a fresh heap, fresh timers and a fresh set of diagnostics subscribers, so what one
 * run strands (by design, under a buggy profile) can neither slow nor distort the next.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ProfileName } from '../../dns/profiles.ts';
import type { Scenario } from '../scenario/types.ts';
import type { RunOptions, ScenarioRun } from './run-scenario.ts';

const CHILD = path.join(import.meta.dirname, 'child.ts');

/** Ceiling for one run, far above any scenario's real time, so a hung child cannot hang CI. */
const RUN_TIMEOUT_MS = 10 * 60_000;

export async function runScenarioIsolated(scenario: Scenario, profile: ProfileName, opts: RunOptions): Promise<ScenarioRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reloadleak-run-'));
  const resultFile = path.join(dir, 'result.json');
  const childOpts = {
    outDir: opts.outDir,
    snapshots: opts.snapshots,
    ...(opts.stepTimeoutMs !== undefined ? { stepTimeoutMs: opts.stepTimeoutMs } : {}),
    progress: opts.onProgress !== undefined,
  };
  try {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--disable-warning=ExperimentalWarning', '--import', 'tsx', CHILD, scenario.file, profile, resultFile, JSON.stringify(childOpts)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let buffered = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        try {
          const msg = JSON.parse(line) as { progress?: string };
          if (msg.progress !== undefined) opts.onProgress?.(msg.progress);
        } catch {
          // not a progress line: the subject or a library printed something; ignore it
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-8000);
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
    clearTimeout(killer);
    if (code === 0 && fs.existsSync(resultFile)) return JSON.parse(fs.readFileSync(resultFile, 'utf8')) as ScenarioRun;
    return {
      scenario: scenario.name,
      profile,
      verdict: 'error',
      expectedToFail: false,
      signatureMatched: false,
      checks: [],
      series: [],
      leaks: [],
      timings: { totalMs: 0 },
      error: { message: `the run's process ended with ${signal ?? `exit code ${code}`}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`, code: 'CHILD_FAILED' },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
