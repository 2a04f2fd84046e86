/**
 * Out-of-process heap analysis (notes 3.5 #6: parsing in-process pollutes the heap being
 * measured). Usage: node --import tsx heap-worker.ts <file.heapsnapshot> [className]
 * Prints one line `@@heap-analysis@@<json>` (a WorkerResult) on stdout; memlab's own output
 * is muted, and anything else on stdout is ignored by the parent.
 */
import core from '@memlab/core';
import type { IHeapEdge, IHeapNode, IHeapSnapshot } from '@memlab/core';
import { getFullHeapFromFile } from '@memlab/heap-analysis';
import { RESULT_MARKER, type WorkerResult, type WorkerTimer, type WorkerZone } from './heap-protocol.ts';

/** Referrer search budget per zone: the nearest Timeout is a handful of hops away. */
const MAX_VISIT = 20_000;
const MAX_PATH = 60;

function label(n: IHeapNode): string {
  return n.name === '' ? `(${n.type})` : n.name;
}

function step(e: IHeapEdge): string {
  const name = e.type === 'element' || e.type === 'hidden' ? `[${e.name_or_index}]` : String(e.name_or_index);
  return `${label(e.fromNode)}.${name}`;
}

function str(node: IHeapNode | null | undefined, prop: string): string | null {
  const ref = node?.getReferenceNode(prop, 'property');
  return ref ? core.utils.getStringNodeValue(ref) : null;
}

function num(node: IHeapNode | null | undefined, edgeName: string, edgeType?: string): number | null {
  const ref = node?.getReferenceNode(edgeName, edgeType);
  return ref ? core.utils.getNumberNodeValue(ref) : null;
}

function isTimeout(n: IHeapNode): boolean {
  return n.type === 'object' && n.name === 'Timeout';
}

/** Breadth-first over referrers (weak edges excluded): the nearest retaining Timeout and the edges to it. */
function nearestTimeout(zone: IHeapNode): { timeout: IHeapNode; edges: IHeapEdge[] } | null {
  const via = new Map<number, IHeapEdge>();
  const seen = new Set<number>([zone.id]);
  let frontier: IHeapNode[] = [zone];
  while (frontier.length > 0 && seen.size < MAX_VISIT) {
    const next: IHeapNode[] = [];
    for (const node of frontier) {
      for (const e of node.referrers) {
        if (e.type === 'weak' || e.type === 'shortcut') continue;
        const from = e.fromNode;
        if (seen.has(from.id)) continue;
        seen.add(from.id);
        via.set(from.id, e);
        if (isTimeout(from)) {
          const edges: IHeapEdge[] = [];
          for (let cur: IHeapNode = from; cur.id !== zone.id; ) {
            const edge = via.get(cur.id);
            if (!edge) break;
            edges.push(edge);
            cur = edge.toNode;
          }
          return { timeout: from, edges: edges.reverse() };
        }
        next.push(from);
      }
    }
    frontier = next;
  }
  return null;
}

function pathToRoot(node: IHeapNode): string[] {
  const out: string[] = [];
  for (let cur: IHeapNode | null = node; cur?.pathEdge && out.length < MAX_PATH; cur = cur.pathEdge.fromNode) {
    out.push(step(cur.pathEdge));
  }
  return out;
}

function readTimer(t: IHeapNode): WorkerTimer {
  let asyncId: number | null = null;
  for (const e of t.references) {
    if (String(e.name_or_index) === '<symbol asyncId>') asyncId = core.utils.getNumberNodeValue(e.toNode);
  }
  const ctx = t.getReferenceNode('_onTimeout', 'property')?.getReferenceNode('context', 'internal');
  const ownerNode = ctx?.getReferenceNode('owner', 'context');
  const kind = str(ownerNode, 'kind');
  const owner = ownerNode && kind !== null
    ? { kind, plugin: str(ownerNode, 'plugin') ?? '?', instanceId: str(ownerNode, 'instanceId') ?? '?', subject: str(ownerNode, 'subject') ?? '?' }
    : null;
  return {
    nodeId: t.id,
    asyncId,
    timerId: owner ? num(ctx, 'id', 'context') : null,
    owner,
    cleared: num(t, '_idleTimeout', 'property') === -1,
  };
}

export function analyzeHeap(heap: IHeapSnapshot, className: string): WorkerZone[] {
  const zones: WorkerZone[] = [];
  heap.nodes.forEach((n) => {
    if (n.type !== 'object' || n.name !== className) return;
    const found = nearestTimeout(n);
    zones.push({
      nodeId: n.id,
      origin: str(n, 'origin') ?? '?',
      instanceId: str(n, 'instanceId') ?? '?',
      selfSize: n.self_size,
      retainedSize: n.retainedSize,
      timer: found ? readTimer(found.timeout) : null,
      path: found ? [...found.edges.map(step), ...pathToRoot(found.timeout)] : pathToRoot(n),
    });
  });
  return zones;
}

async function main(): Promise<void> {
  const [file, className = 'Zone'] = process.argv.slice(2);
  if (!file) throw new Error('usage: heap-worker.ts <file.heapsnapshot> [className]');
  core.config.muteConsole = true;
  const t0 = performance.now();
  const heap = await getFullHeapFromFile(file);
  const parseMs = performance.now() - t0;
  const result: WorkerResult = { className, zones: analyzeHeap(heap, className), totalNodes: heap.nodes.length, parseMs };
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '\0')) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
