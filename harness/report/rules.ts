/**
 * The thresholds that separate noise from regression when two reports are compared.
 * The justification for every number is in reports/README.md ("Compare thresholds").
 */
import type { BenchResult, DeltaStatus, Growth } from './schema.ts';

export const THRESHOLDS = {
  /** Wall times: a regression only if B > A × ratio AND B − A > minMs. */
  timing: { ratio: 3, minMs: 1000 },
  /** Median per-reload wall time: same ratio, smaller floor (one reload is one scaled tick). */
  perReload: { ratio: 3, minMs: 50 },
  /** Heap slope: a regression only if B − A > max(sigmas × noise, minBytesPerReload). */
  slope: { sigmas: 2, minBytesPerReload: 4096 },
  /** Retained bytes of leaked Zones: a regression only if B > A × ratio AND B − A > minBytes. */
  retained: { ratio: 1.1, minBytes: 16 * 1024 },
  /** Bench ratios (or values without a peer): a regression if worse by a factor above 1 + relative. */
  bench: { relative: 1.5 },
} as const;

export interface RuleResult {
  status: DeltaStatus;
  rule: string;
}

/** Counts (zones alive, timers, fds, leaks): any increase is a regression, any decrease an improvement. */
export function exactRule(a: number, b: number): RuleResult {
  return { status: b > a ? 'regression' : b < a ? 'improvement' : 'same', rule: 'exact' };
}

/** Larger-is-worse with a relative AND an absolute margin; the same margin decides improvements. */
function marginRule(a: number, b: number, ratio: number, floor: number, rule: string): RuleResult {
  if (a === b) return { status: 'same', rule };
  if (b > a * ratio && b - a > floor) return { status: 'regression', rule };
  if (a > b * ratio && a - b > floor) return { status: 'improvement', rule };
  return { status: 'noise', rule };
}

export function timingRule(a: number, b: number, limits: { ratio: number; minMs: number } = THRESHOLDS.timing): RuleResult {
  return marginRule(a, b, limits.ratio, limits.minMs, `> ${limits.ratio}× and > ${limits.minMs} ms`);
}

export function retainedRule(a: number, b: number): RuleResult {
  const { ratio, minBytes } = THRESHOLDS.retained;
  return marginRule(a, b, ratio, minBytes, `> ${ratio}× and > ${minBytes / 1024} KiB`);
}

/**
 * Standard error of a least-squares slope from its own fit: for simple regression
 * t = r·√(n−2)/√(1−r²), so SE = |b|·√((1−r²)/(r²·(n−2))). `null` when the fit cannot say
 * (fewer than 3 points, or r² = 0 where the slope is all noise and SE is unbounded).
 */
export function slopeStandardError(g: Growth): number | null {
  if (g.n < 3) return null;
  if (g.r2 >= 1) return 0;
  if (g.r2 <= 0) return null;
  return Math.abs(g.bytesPerReload) * Math.sqrt((1 - g.r2) / (g.r2 * (g.n - 2)));
}

export function slopeRule(a: Growth, b: Growth): RuleResult {
  const { sigmas, minBytesPerReload } = THRESHOLDS.slope;
  const seA = slopeStandardError(a);
  const seB = slopeStandardError(b);
  // An unknown SE (n < 3, or r² = 0 which a perfectly flat line also gives) adds no noise
  // estimate; the floor still applies, so a flat baseline against a leaking run is caught.
  const noise = Math.hypot(seA ?? 0, seB ?? 0);
  const unknown = seA === null || seB === null ? ', σ partly unknown (n < 3 or r² = 0)' : '';
  const rule = `> max(${sigmas}σ, ${minBytesPerReload} B/reload); σ = ${Math.round(noise)} B/reload${unknown}`;
  const diff = b.bytesPerReload - a.bytesPerReload;
  if (diff === 0) return { status: 'same', rule };
  const margin = Math.max(sigmas * noise, minBytesPerReload);
  if (diff > margin) return { status: 'regression', rule };
  if (-diff > margin) return { status: 'improvement', rule };
  return { status: 'noise', rule };
}

/** Bench results: exact ones by value, others by ratio (or value without a peer) with a relative tolerance. */
export function benchRule(a: BenchResult, b: BenchResult): RuleResult & { a: number; b: number } {
  const useRatio = a.ratio !== null && b.ratio !== null;
  const va = useRatio ? (a.ratio as number) : a.value;
  const vb = useRatio ? (b.ratio as number) : b.value;
  const what = useRatio ? 'ratio' : 'value';
  const worse = b.better === 'higher' ? vb < va : vb > va;
  const lostTarget = a.target?.met === true && b.target?.met === false;
  if (b.exact) {
    const status: DeltaStatus = va === vb ? 'same' : worse ? 'regression' : 'improvement';
    return { status, rule: `exact ${what}, ${b.better} is better`, a: va, b: vb };
  }
  const tol = THRESHOLDS.bench.relative;
  // A factor, not a difference: "2.5× worse" reads the same for qps (higher is better) and
  // for latency (lower is better), and a higher-is-better value can fall by more than 100%.
  const lo = Math.min(Math.abs(va), Math.abs(vb));
  const factor = lo === 0 ? (va === vb ? 1 : Infinity) : Math.max(Math.abs(va), Math.abs(vb)) / lo;
  let rule = `${what} ${b.better} is better, tolerance ${1 + tol}×`;
  if (lostTarget) rule += `; target ${b.target?.ratio} no longer met`;
  if (va === vb) return { status: 'same', rule, a: va, b: vb };
  if (factor <= 1 + tol) return { status: 'noise', rule, a: va, b: vb };
  return { status: worse ? 'regression' : 'improvement', rule, a: va, b: vb };
}
