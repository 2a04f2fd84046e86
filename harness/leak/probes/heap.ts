/**
 * Heap probe: write a snapshot in this process, analyse it with memlab in a child process
 * (heap-worker.ts), and attribute every leaked Zone to the nearest retaining Timeout and, via
 * the timers probe, to the site that created that timer (a snapshot cannot say where).
 */
import { spawn } from 'node:child_process';
import { ensureDir } from '../../report/ensure-dir.ts';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { HeapAnalysisError } from '../errors.ts';
import { yieldMacrotask } from '../gc.ts';
import { REPO_ROOT } from './stack.ts';
import { RESULT_MARKER, type WorkerResult, type WorkerTimer } from './heap-protocol.ts';

export type HeapTimer = WorkerTimer;

export interface HeapZone {
  nodeId: number;
  origin: string;
  instanceId: string;
  selfSize: number;
  retainedSize: number;
  retainer: {
    /** The retaining timer's creation site, joined from the timers probe when one was given. */
    timerCreatedAt?: string;
    /** The nearest Timeout retaining this zone, or absent when none does. */
    timer?: HeapTimer;
    /** `Owner.edge` steps from the zone up to that Timeout, then on to a GC root. */
    path: string[];
  };
}

export interface HeapAnalysis {
  file: string;
  className: string;
  zones: HeapZone[];
  byInstance: Record<string, { count: number; retainedBytes: number }>;
  totalNodes: number;
  /** Wall time of the whole analysis (child process start to result). */
  ms: number;
  /** memlab parse time inside the child. */
  parseMs: number;
}

/** Anything that can say where a timer was created; `TimerProbe` is one. */
export interface TimerSites {
  creationSite(ref: { timerId?: number | null; asyncId?: number | null }): string | undefined;
}

export interface AnalyzeOptions {
  /** Class whose instances are counted. @default 'Zone' */
  className?: string;
  /** Joins Timeouts found in the heap to their creation stacks. */
  timers?: TimerSites;
  /** Kill the analysis after this long. @default 120000 */
  timeoutMs?: number;
}

const WORKER = fileURLToPath(new URL('./heap-worker.ts', import.meta.url));

/**
 * Writes a snapshot with numeric values exposed (the Clock's timer ids and Timeout async ids
 * are Smis, invisible otherwise). Blocks the event loop for the write.
 */
export async function writeSnapshot(file: string): Promise<{ file: string; bytes: number; ms: number }> {
  ensureDir(path.dirname(path.resolve(file)));
  // A WeakRef deref'd in this job would keep its target in the snapshot (case 30).
  await yieldMacrotask();
  const t0 = performance.now();
  const written = v8.writeHeapSnapshot(file, { exposeNumericValues: true });
  const ms = performance.now() - t0;
  const { size } = await stat(written);
  return { file: written, bytes: size, ms };
}

function runWorker(file: string, className: string, timeoutMs: number): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, file, className], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', (e) => reject(new HeapAnalysisError(file, e.message)));
    child.on('close', (code, signal) => {
      const line = out.split('\n').reverse().find((l) => l.startsWith(RESULT_MARKER));
      if (code !== 0 || !line) {
        const why = signal ? `killed by ${signal}` : `exit code ${code}`;
        reject(new HeapAnalysisError(file, `${why}; stderr: ${err.trim().slice(-2000) || '(empty)'}`));
        return;
      }
      try {
        resolve(JSON.parse(line.slice(RESULT_MARKER.length)) as WorkerResult);
      } catch (e) {
        reject(new HeapAnalysisError(file, `unreadable worker output: ${String(e)}`));
      }
    });
  });
}

/** Counts `className` objects in a snapshot, per instance, with retained bytes and why each is retained. */
export async function analyzeSnapshot(file: string, opts: AnalyzeOptions = {}): Promise<HeapAnalysis> {
  const className = opts.className ?? 'Zone';
  const t0 = performance.now();
  const result = await runWorker(path.resolve(file), className, opts.timeoutMs ?? 120_000);
  const zones: HeapZone[] = result.zones.map((z) => {
    const retainer: HeapZone['retainer'] = { path: z.path };
    if (z.timer) {
      retainer.timer = z.timer;
      const site = opts.timers?.creationSite({ timerId: z.timer.timerId, asyncId: z.timer.asyncId });
      if (site !== undefined) retainer.timerCreatedAt = site;
    }
    return { nodeId: z.nodeId, origin: z.origin, instanceId: z.instanceId, selfSize: z.selfSize, retainedSize: z.retainedSize, retainer };
  });
  const byInstance: HeapAnalysis['byInstance'] = {};
  for (const z of zones) {
    const entry = (byInstance[z.instanceId] ??= { count: 0, retainedBytes: 0 });
    entry.count++;
    entry.retainedBytes += z.retainedSize;
  }
  return {
    file: path.resolve(file),
    className,
    zones,
    byInstance,
    totalNodes: result.totalNodes,
    ms: performance.now() - t0,
    parseMs: result.parseMs,
  };
}
