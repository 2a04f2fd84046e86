/**
 * The zone's record store, keyed by owner name (CoreDNS's plugin/file/tree, a red-black tree).
 *
 * Exact lookups go through a Map. The canonical order, needed only for empty non-terminals
 * and NSEC neighbours, is a sorted array built once (O(n log n)) the first time it is asked
 * for after an insert, so loading a 100k-name zone never pays for ordered inserts.
 */
import type { ResourceRecord } from './record.ts';
import { canonicalKey } from './names.ts';

/** All records of one owner name, by type. */
export class TreeNode {
  /** Owner name exactly as stored (lower-case unless the record kept its case, e.g. SRV). */
  readonly name: string;
  // One array per type, in first-insert order. A name holds few types, so a scan beats a Map
  // and a 100k-name zone allocates 100k fewer Maps.
  private readonly groups: ResourceRecord[][] = [];
  private cachedKey: string | null = null;

  constructor(name: string) {
    this.name = name;
  }

  /** `canonicalKey(name)`, computed once when the order is first needed. */
  get key(): string {
    if (this.cachedKey === null) this.cachedKey = canonicalKey(this.name);
    return this.cachedKey;
  }

  /** Records of `type`; an empty array when there are none. The array is the node's own: do not mutate. */
  type(type: string): readonly ResourceRecord[] {
    for (const g of this.groups) if ((g[0] as ResourceRecord).type === type) return g;
    return EMPTY;
  }

  has(type: string): boolean {
    return this.type(type).length > 0;
  }

  /** Every record of this name, grouped by type in insertion order. */
  all(): ResourceRecord[] {
    return this.groups.flat();
  }

  /** Types present at this name. */
  types(): string[] {
    return this.groups.map((g) => (g[0] as ResourceRecord).type);
  }

  get size(): number {
    let n = 0;
    for (const g of this.groups) n += g.length;
    return n;
  }

  /** @internal used by Tree.insert */
  add(rr: ResourceRecord): void {
    for (const g of this.groups) {
      if ((g[0] as ResourceRecord).type === rr.type) {
        g.push(rr);
        return;
      }
    }
    this.groups.push([rr]);
  }
}

const EMPTY: readonly ResourceRecord[] = Object.freeze([]);

export class Tree {
  private readonly nodes = new Map<string, TreeNode>();
  private sorted: TreeNode[] | null = null;
  private records = 0;

  /** Adds `rr` under `rr.name` (exact string; callers lower-case first). No dedupe, as CoreDNS. */
  insert(rr: ResourceRecord): void {
    let node = this.nodes.get(rr.name);
    if (!node) {
      node = new TreeNode(rr.name);
      this.nodes.set(rr.name, node);
      this.sorted = null;
    }
    node.add(rr);
    this.records++;
  }

  /** Exact (byte-equal) lookup, as CoreDNS's Tree.Search. */
  get(name: string): TreeNode | undefined {
    return this.nodes.get(name);
  }

  has(name: string): boolean {
    return this.nodes.has(name);
  }

  /** Number of owner names. */
  get size(): number {
    return this.nodes.size;
  }

  /** Number of records. */
  get recordCount(): number {
    return this.records;
  }

  /** True when some stored name lies strictly below `name` (so `name` is at least an empty non-terminal). */
  hasBelow(name: string): boolean {
    const order = this.order();
    const key = canonicalKey(name);
    // Descendants follow their ancestor directly in canonical order and share its key as a prefix.
    let i = lowerBound(order, key);
    if (i < order.length && (order[i] as TreeNode).key === key) i++;
    const after = order[i];
    return after !== undefined && after.key.startsWith(key);
  }

  /** The greatest stored name canonically less than or equal to `name` (CoreDNS's Tree.Prev). */
  prev(name: string): TreeNode | undefined {
    const order = this.order();
    const key = canonicalKey(name);
    const i = lowerBound(order, key);
    const at = order[i];
    if (at !== undefined && at.key === key) return at;
    return order[i - 1];
  }

  /** The smallest stored name canonically greater than or equal to `name` (CoreDNS's Tree.Next). */
  next(name: string): TreeNode | undefined {
    const order = this.order();
    return order[lowerBound(order, canonicalKey(name))];
  }

  /** Nodes in canonical order. */
  inOrder(): readonly TreeNode[] {
    return this.order();
  }

  /** Builds the canonical order now instead of on the first ordered query (a reload may prefer to pay up front). */
  index(): void {
    this.order();
  }

  private order(): TreeNode[] {
    if (this.sorted === null) {
      this.sorted = [...this.nodes.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    }
    return this.sorted;
  }
}

/** First index whose key is >= `key`. */
function lowerBound(order: readonly TreeNode[], key: string): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((order[mid] as TreeNode).key < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
