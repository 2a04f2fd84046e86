/**
 * Heap evidence for a failed run: one snapshot written in this process, analysed with
 * memlab in a child process; each leaked Zone group gets the retainer path the snapshot
 * shows and its retained bytes.
 */
import { ensureDir } from '../../report/ensure-dir.ts';
import path from 'node:path';
import type { HeapSummary, LeakTrace } from '../../report/schema.ts';
import { analyzeSnapshot, writeSnapshot } from '../probes/heap.ts';

export type SnapshotMode = 'never' | 'on-failure' | 'always';

export async function captureHeap(outDir: string, name: string, leaks: LeakTrace[]): Promise<{ summary: HeapSummary; leaks: LeakTrace[] }> {
  ensureDir(outDir);
  const file = path.join(outDir, `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.heapsnapshot`);
  const heapBytes = process.memoryUsage().heapUsed;
  const written = await writeSnapshot(file);
  const analysis = await analyzeSnapshot(file);
  let retainedBytes = 0;
  const enriched = leaks.map((l) => {
    if (l.what !== 'Zone') return l;
    const nodes = analysis.zones.filter((z) => z.instanceId === l.owner.instanceId && z.origin === l.owner.zone);
    const first = nodes[0];
    const bytes = nodes.reduce((n, z) => n + z.retainedSize, 0);
    retainedBytes += bytes;
    if (!first) return l;
    return {
      ...l,
      retainerPath: foldRepeats(first.retainer.path),
      createdAt: l.createdAt ?? first.retainer.timerCreatedAt ?? null,
      explanation: `${l.explanation}; the heap snapshot shows ${nodes.length} such Zone object(s) retaining ${bytes} bytes`,
    };
  });
  return {
    summary: {
      snapshotFiles: [path.basename(file)],
      zonesByInstance: analysis.byInstance,
      retainedBytes,
      analysisMs: Math.round(analysis.ms),
      writeMs: Math.round(written.ms),
      heapBytes,
    },
    leaks: enriched,
  };
}

/**
 * Timers of one duration share a linked list, so a retainer path often walks it edge by edge
 * (`Timeout._idlePrev` twenty times). Consecutive repeats read better as one edge with a count.
 */
export function foldRepeats(path: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < path.length; ) {
    let j = i;
    while (j < path.length && path[j] === path[i]) j++;
    out.push(j - i > 1 ? `${path[i]} (×${j - i})` : path[i]!);
    i = j;
  }
  return out;
}
