/**
 * Building BenchResult entries: the ratio is always computed here from the two measured
 * numbers, and a target verdict follows from the ratio (or, for a bare count, the value) in
 * the direction that is better.
 */
import type { BenchResult } from '../report/schema.ts';

export interface Measured {
  name: string;
  metric: string;
  value: number;
  unit: string;
  better: 'higher' | 'lower';
  /** What `value` was measured against in the same run; absent for a bare count. */
  peer?: { label: string; value: number };
  /** An exact count (false positives, reloads needed). @default false */
  exact?: boolean;
  /**
   * The ratio (or, without a peer, the value) the figure should reach: at least it when higher
   * is better, at most it when lower is better.
   */
  target?: number;
}

/** One BenchResult from a measured value and its peer; throws on a non-finite number rather than writing it. */
export function benchResult(m: Measured): BenchResult {
  if (!Number.isFinite(m.value)) throw new RangeError(`${m.name} / ${m.metric}: measured value is ${m.value}`);
  let ratio: number | null = null;
  if (m.peer) {
    if (!Number.isFinite(m.peer.value) || m.peer.value <= 0) {
      throw new RangeError(`${m.name} / ${m.metric}: peer ${m.peer.label} measured ${m.peer.value}, cannot form a ratio`);
    }
    ratio = m.value / m.peer.value;
  }
  const out: BenchResult = {
    name: m.name,
    metric: m.metric,
    value: m.value,
    unit: m.unit,
    peer: m.peer?.label ?? null,
    peerValue: m.peer?.value ?? null,
    ratio,
    better: m.better,
    exact: m.exact ?? false,
  };
  if (m.target !== undefined) out.target = { ratio: m.target, met: meets(ratio ?? m.value, m.target, m.better) };
  return out;
}

export function meets(x: number, target: number, better: 'higher' | 'lower'): boolean {
  return better === 'higher' ? x >= target : x <= target;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('median of no samples');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
