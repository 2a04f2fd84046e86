/**
 * What heap-worker.ts prints and heap.ts reads. Kept apart from the worker so that the
 * measured process never loads memlab (it would add ~30 MB to the heap being measured).
 */

export const RESULT_MARKER = '@@heap-analysis@@';

export interface WorkerTimer {
  nodeId: number;
  /** From the Timeout's `Symbol(asyncId)` (needs exposeNumericValues). */
  asyncId: number | null;
  /** The Clock's timer id, read from its closure context (`id`), when armed through the Clock. */
  timerId: number | null;
  /** The Clock's owner object from the same context, when present. */
  owner: { kind: string; plugin: string; instanceId: string; subject: string } | null;
  /** `_idleTimeout === -1`: cleared or fired, yet still reachable. */
  cleared: boolean;
}

export interface WorkerZone {
  nodeId: number;
  origin: string;
  instanceId: string;
  selfSize: number;
  retainedSize: number;
  timer: WorkerTimer | null;
  /** `Owner.edge` steps from the zone up to the nearest Timeout, then that Timeout's path to a GC root. */
  path: string[];
}

export interface WorkerResult {
  className: string;
  zones: WorkerZone[];
  totalNodes: number;
  parseMs: number;
}
