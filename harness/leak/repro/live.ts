/**
 * The live line per probe: `reload  7/20  zones alive 8  zone timers 8  heap 12.3 MB`.
 *
 * The runner reports progress as text (`probe (line 47): zones alive 8, zone timers 8, walk 1,
 * watch 1, fds 0`); the line number says which probe of our generated scenario it was. Heap
 * is read here, right after the probe's GC, as the runner's own sample is (same process, same
 * moment): the runner's series in the result has the exact value for the report.
 */
import type { ProbeMoment } from './scenario.ts';

export interface ProgressReading {
  kind: 'probe' | 'stop';
  line: number;
  zonesAlive: number;
  zoneTimers: number;
  walkTimers: number;
  watchTimers: number;
  fds: number;
}

const PROGRESS = /^(probe|stop) \(line (\d+)\): zones alive (\d+), zone timers (\d+), walk (\d+), watch (\d+), fds (-?\d+)$/;

/** Reads a runner progress line; null when its format is not the one this was written against. */
export function parseProgress(line: string): ProgressReading | null {
  const m = PROGRESS.exec(line);
  if (!m) return null;
  return {
    kind: m[1] as 'probe' | 'stop',
    line: Number(m[2]),
    zonesAlive: Number(m[3]),
    zoneTimers: Number(m[4]),
    walkTimers: Number(m[5]),
    watchTimers: Number(m[6]),
    fds: Number(m[7]),
  };
}

export function formatMB(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

export interface LiveLayout {
  reloads: number;
  /** Widest count expected (the buggy profile's Z·(N+1)), so columns line up. */
  countWidth: number;
  /** Show walk and watcher timers too (a profile that leaks them). */
  tickers: boolean;
}

export function momentLabel(m: ProbeMoment, reloads: number): string {
  const width = `reload ${reloads}/${reloads}`.length;
  const text = m.kind === 'reload' ? `reload ${String(m.k).padStart(String(reloads).length)}/${reloads}` : m.kind === 'start' ? 'started' : 'stopped';
  return text.padEnd(width);
}

export function liveLine(m: ProbeMoment, r: ProgressReading, heapUsed: number, layout: LiveLayout): string {
  const n = (v: number): string => String(v).padStart(layout.countWidth);
  const parts = [momentLabel(m, layout.reloads), `zones alive ${n(r.zonesAlive)}`, `zone timers ${n(r.zoneTimers)}`];
  if (layout.tickers) parts.push(`walk ${n(r.walkTimers)}`, `watch ${n(r.watchTimers)}`);
  parts.push(`heap ${formatMB(heapUsed).padStart(8)}`);
  return parts.join('  ');
}
