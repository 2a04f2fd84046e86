/**
 * Runs one scenario against one profile: a fresh working directory, a fresh in-process
 * server, the probes subscribed before `start`, every step executed in order with scaled
 * time, and a RunResult for the report. Waits on the subject's events, never on sleeps.
 */
import { performance } from 'node:perf_hooks';
import { createProcess, type DnsProcess } from '../../dns/index.ts';
import type { ProfileName } from '../../dns/profiles.ts';
import type { LeakTrace, RunResult, StepSample } from '../../report/schema.ts';
import { LivenessProbe } from '../probes/liveness.ts';
import { TimerProbe } from '../probes/timers.ts';
import { settle } from '../gc.ts';
import { leastSquares } from '../probes/growth.ts';
import type { Scenario, Step } from '../scenario/types.ts';
import { EventLog, type LoggedEvent } from './event-log.ts';
import { WorkDir } from './workdir.ts';
import { buildChecks, matchesPrediction, predictedFor, type PredictedCheck, type ProbeReading } from './expectations.ts';
import { runQuery, startLoad, type LoadHandle } from './queries.ts';
import { openFdCount } from './fds.ts';
import { describeLeaks } from './leaks.ts';
import { captureHeap, type SnapshotMode } from './heap.ts';
import { occupyPort, type BusyPort } from './busy-port.ts';

export interface RunOptions {
  /** Where heap snapshots go (the report's run directory). */
  outDir: string | null;
  snapshots: SnapshotMode;
  /** Real-time ceiling for any single wait. @default 30000 */
  stepTimeoutMs?: number;
  /** Called after each probe and reload, for live progress lines. */
  onProgress?: (line: string) => void;
}

/** Real milliseconds a probe keeps re-sampling before it believes a mismatch (goleak's retry). */
const PROBE_PATIENCE_MS = 2000;

interface RunState {
  scenario: Scenario;
  profile: ProfileName;
  opts: RunOptions;
  wd: WorkDir;
  events: EventLog;
  liveness: LivenessProbe;
  timers: TimerProbe;
  fdBaseline: number;
  proc: DnsProcess | null;
  /** Event position after the latest file change: a reload step waits for an outcome after it. */
  lastChange: number;
  checks: PredictedCheck[];
  series: StepSample[];
  perReloadMs: number[];
  reloadCount: number;
  /** Reloads done when each series sample was taken (the x axis of the growth fit). */
  reloadsAtProbe: number[];
  probeIndex: number;
  loads: LoadHandle[];
  /** Set once stop ran. */
  stopped: boolean;
}

export async function runScenario(scenario: Scenario, profile: ProfileName, opts: RunOptions): Promise<ScenarioRun> {
  const t0 = performance.now();
  const wd = WorkDir.create(scenario.dir, scenario.files);
  const st: RunState = {
    scenario, profile, opts, wd,
    events: new EventLog().start(),
    liveness: new LivenessProbe().start(),
    timers: new TimerProbe().start(),
    fdBaseline: 0,
    proc: null,
    lastChange: 0,
    checks: [],
    series: [],
    perReloadMs: [],
    reloadCount: 0,
    reloadsAtProbe: [],
    probeIndex: 0,
    loads: [],
    stopped: false,
  };
  let error: RunResult['error'];
  let leaks: LeakTrace[] = [];
  let heap: RunResult['heap'];
  let busy: BusyPort | null = null;
  try {
    busy = await occupyPort();
    await settle();
    st.fdBaseline = openFdCount();
    await runSteps(st, scenario.steps, '');
    if (!st.stopped) await stopStep(st, { op: 'stop', line: 0, expect: { zonesAlive: 0, instancesAlive: 0, timers: { total: 0 }, fds: 0 }, leaks: {} }, 'implicit stop');
    const failed = st.checks.some((c) => !c.ok);
    leaks = await describeLeaks(st.liveness, st.timers);
    if (opts.outDir && (opts.snapshots === 'always' || (opts.snapshots === 'on-failure' && failed))) {
      const captured = await captureHeap(opts.outDir, `${scenario.name}.${profile}`, leaks);
      heap = captured.summary;
      leaks = captured.leaks;
    }
  } catch (err) {
    error = { message: (err as Error).message, code: (err as { code?: string }).code ?? 'RUN_FAILED' };
  } finally {
    for (const l of st.loads) l.abort();
    if (st.proc && !st.stopped) await st.proc.stop().catch(() => undefined);
    st.proc = null;
    st.events.stop();
    st.liveness.stop();
    st.timers.stop();
    await busy?.release();
    wd.remove();
  }
  const predictedFail = st.checks.some((c) => c.predicted !== c.expected);
  const failed = st.checks.some((c) => !c.ok);
  const matched = !error && st.checks.every((c) => c.actual === c.predicted);
  const result: ScenarioRun = {
    scenario: scenario.name,
    profile,
    verdict: error ? 'error' : failed ? 'fail' : 'pass',
    expectedToFail: predictedFail,
    signatureMatched: matched,
    checks: st.checks,
    series: st.series,
    leaks,
    timings: { totalMs: Math.round(performance.now() - t0), perReloadMs: st.perReloadMs },
  };
  if (heap) result.heap = heap;
  const growth = growthOf(st);
  if (growth) result.growth = growth;
  if (error) result.error = error;
  return result;
}

async function runSteps(st: RunState, steps: readonly Step[], where: string): Promise<void> {
  for (const step of steps) await runStep(st, step, where);
}

function label(step: Step, where: string): string {
  return `${step.op} (line ${step.line}${where})`;
}

async function runStep(st: RunState, step: Step, where: string): Promise<void> {
  const timeoutMs = st.opts.stepTimeoutMs ?? 30_000;
  switch (step.op) {
    case 'start': {
      const text = st.wd.read(step.corefile);
      st.proc = createProcess({ profile: st.profile, timeScale: st.scenario.timeScale, corefilePath: st.wd.resolve(step.corefile), cwd: st.wd.root, host: '127.0.0.1' });
      let ok = true;
      let message = '';
      try {
        await st.proc.start(text);
      } catch (err) {
        ok = false;
        message = (err as Error).message;
      }
      const want = step.expect;
      const got = ok ? 'started' : 'failed';
      if (want !== got) throw stepError(step, where, `start: expected the server to have ${want}, but it ${got}${message ? `: ${message}` : ''}`);
      return;
    }
    case 'write':
    case 'delete':
    case 'rename':
    case 'symlink':
    case 'mkdir':
    case 'touch':
      st.wd.apply(step);
      // A reload or wait after this step counts what happened since the change (mkdir changes nothing a server reads).
      if (step.op !== 'mkdir') st.lastChange = st.events.position;
      return;
    case 'reload':
      return reloadStep(st, step, where, timeoutMs);
    case 'wait':
      if ('ms' in step) {
        await new Promise((r) => setTimeout(r, Math.max(0, step.ms * st.scenario.timeScale)));
      } else {
        // Events of stranded old instances do not count unless asked: "the server reloaded the
        // zone" means the instance that is serving.
        const current = st.proc?.current()?.id ?? null;
        // Counted from the last change to the working dir (or reload), so an event that came
        // before this step but after the change it waits on is not missed.
        await st.events.waitFor([step.event as never], {
          after: st.lastChange,
          count: step.count,
          timeoutMs,
          what: `${step.count}× ${step.event}${step.anyInstance ? '' : ` of instance ${current}`} (${label(step, where)})`,
          ...(step.anyInstance ? {} : { filter: (e: LoggedEvent) => !('instanceId' in e.data) || (e.data as { instanceId: string }).instanceId === current }),
        });
      }
      return;
    case 'query': {
      const checks = await runQuery(requirePort(st, step, where), step, `query-${step.line}${where}`, label(step, where));
      st.checks.push(...checks);
      return;
    }
    case 'load': {
      const load = startLoad(() => requirePort(st, step, where), step);
      st.loads.push(load);
      await runSteps(st, step.steps, where);
      const checks = await load.finish(`load-${step.line}${where}`, label(step, where));
      st.loads.splice(st.loads.indexOf(load), 1);
      st.checks.push(...checks);
      return;
    }
    case 'probe':
      return probeStep(st, step.expect, step.leaks, `${step.id}${where}`, label(step, where));
    case 'expect-log': {
      const lines = st.events.since(0, ['log:line']).filter((e) => {
        const d = e.data as { level: string; plugin: string | null; message: string };
        const text = `[${d.level}] ${d.plugin ? `plugin/${d.plugin}: ` : ''}${d.message}`;
        return text.includes(step.contains) && (!step.level || d.level === step.level);
      });
      const expected = step.count ?? `>= ${step.min ?? 1}`;
      const ok = step.count !== undefined ? lines.length === step.count : lines.length >= (step.min ?? 1);
      st.checks.push({ id: `log-${step.line}${where}`, step: label(step, where), metric: `log lines containing "${step.contains}"`, expected, actual: lines.length, ok, exact: true, predicted: ok ? lines.length : -1 });
      return;
    }
    case 'repeat':
      for (let i = 1; i <= step.times; i++) await runSteps(st, step.steps, `${where} #${i}`);
      return;
    case 'stop':
      return stopStep(st, step, label(step, where));
  }
}

function stepError(step: Step, where: string, message: string): Error {
  return Object.assign(new Error(`scenario line ${step.line}${where}: ${message}`), { code: 'STEP_FAILED' });
}

function requirePort(st: RunState, step: Step, where: string): number {
  const listening = st.events.since(0, ['server:listening']);
  const last = listening[listening.length - 1];
  if (!st.proc || !last) throw stepError(step, where, 'no server is listening (missing `start`?)');
  return (last.data as { port: number }).port;
}

async function reloadStep(st: RunState, step: Extract<Step, { op: 'reload' }>, where: string, timeoutMs: number): Promise<void> {
  if (!st.proc) throw stepError(step, where, 'reload before start');
  const t0 = performance.now();
  const after = step.via === 'signal' ? st.events.position : st.lastChange;
  if (step.via === 'signal') {
    await st.proc.signal('SIGUSR1');
  }
  const first = await waitForOutcome(st, after, timeoutMs, `the reload outcome '${step.expect}' (${label(step, where)})`);
  const got = first.name === 'restart:applied' ? 'applied' : first.name === 'restart:failed' ? 'failed' : 'unchanged';
  st.lastChange = first.seq;
  st.reloadCount++;
  st.perReloadMs.push(Math.round(performance.now() - t0));
  const ok = got === step.expect;
  const detail = first.name === 'restart:failed' ? ` (${(first.data as { error: string }).error})` : '';
  st.checks.push({ id: `reload-${step.line}${where}`, step: label(step, where), metric: 'reload outcome', expected: step.expect, actual: ok ? got : got + detail, ok, exact: true, predicted: step.expect });
  if (!ok) throw stepError(step, where, `reload: expected '${step.expect}', got '${got}'${detail}`);
}

/**
 * The watcher's verdict on the latest change: the first restart applied or failed after it, or
 * "unchanged" once two unchanged ticks were seen. One is not enough: a tick that read the file
 * just before the change can report after it, but ticks never overlap, so the second one read
 * the changed file.
 */
async function waitForOutcome(st: RunState, after: number, timeoutMs: number, what: string): Promise<LoggedEvent> {
  const decided = (): LoggedEvent | null => {
    const seen = st.events.since(after, ['restart:applied', 'restart:failed', 'restart:unchanged']);
    const hard = seen.find((e) => e.name !== 'restart:unchanged');
    const unchanged = seen.filter((e) => e.name === 'restart:unchanged');
    if (hard && (unchanged.length < 2 || hard.seq < unchanged[1]!.seq)) return hard;
    return unchanged.length >= 2 ? unchanged[1]! : null;
  };
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const d = decided();
    if (d) return d;
    const left = deadline - performance.now();
    if (left <= 0) throw Object.assign(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`), { code: 'TIMEOUT' });
    await st.events.waitFor(['restart:applied', 'restart:failed', 'restart:unchanged'], { after: st.events.position, timeoutMs: left, what }).catch(() => undefined);
  }
}

async function read(st: RunState): Promise<ProbeReading> {
  const live = await st.liveness.sample();
  const t = await st.timers.sample();
  return { zonesAlive: live.zonesAlive, instancesAlive: live.instancesAlive, timers: t.byKind, fds: openFdCount() - st.fdBaseline };
}

async function probeStep(st: RunState, correct: Extract<Step, { op: 'probe' }>['expect'], leaks: Extract<Step, { op: 'probe' }>['leaks'], id: string, where: string): Promise<void> {
  const predicted = predictedFor(correct, leaks, st.profile);
  const deadline = performance.now() + PROBE_PATIENCE_MS;
  let reading = await read(st);
  // Retry with backoff before believing a mismatch: teardown can finish a tick later.
  for (let wait = 5; !matchesPrediction(predicted, reading) && performance.now() < deadline; wait = Math.min(wait * 2, 200)) {
    await new Promise((r) => setTimeout(r, wait));
    reading = await read(st);
  }
  st.probeIndex++;
  st.reloadsAtProbe.push(st.reloadCount);
  st.series.push({ step: st.probeIndex, label: where, zonesAlive: reading.zonesAlive, instancesAlive: reading.instancesAlive, timers: reading.timers, heapUsed: process.memoryUsage().heapUsed, fds: reading.fds });
  st.checks.push(...buildChecks(id, where, correct, predicted, reading));
  st.opts.onProgress?.(`${where}: zones alive ${reading.zonesAlive}, zone timers ${reading.timers.zoneReload}, walk ${reading.timers.autoWalk}, watch ${reading.timers.corefileWatch}, fds ${reading.fds}`);
}

async function stopStep(st: RunState, step: Extract<Step, { op: 'stop' }>, where: string): Promise<void> {
  const proc = st.proc;
  // The runner must not be what keeps the last instance alive.
  st.proc = null;
  if (proc) await proc.stop();
  st.stopped = true;
  await probeStep(st, step.expect, step.leaks, 'after-stop', where);
}


/**
 * Heap used after GC against the number of reloads, over the probes taken while the server
 * ran after its first reload (the after-stop sample is left out). A statistical signal: the
 * report marks it so, and compare gives it a tolerance.
 */
function growthOf(st: RunState): RunResult['growth'] | null {
  const xs: number[] = [];
  const ys: number[] = [];
  st.series.forEach((sample, i) => {
    if (sample.label.startsWith('stop') || sample.label === 'implicit stop') return;
    // The first reload compiles the restart path and grows the heap once (~0.7 MB here),
    // leak or not: the fit starts after it.
    if (st.reloadsAtProbe[i]! < 1) return;
    xs.push(st.reloadsAtProbe[i]!);
    ys.push(sample.heapUsed);
  });
  if (xs.length < 3 || new Set(xs).size < 2) return null;
  const fit = leastSquares(xs, ys);
  return { bytesPerReload: Math.round(fit.bytesPerStep), r2: Number(fit.r2.toFixed(4)), n: fit.n };
}

/** A RunResult whose checks also carry the scenario's prediction for the profile. */
export type ScenarioRun = Omit<RunResult, 'checks'> & { checks: PredictedCheck[] };
