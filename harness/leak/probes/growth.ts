/**
 * Growth probe: heap used after GC, one point per step (reload), and a least-squares slope.
 * Unlike the counts of the other probes this verdict is STATISTICAL: heap used moves with
 * allocator state, code caches and the runner, so it is a trend with a fit quality (r²),
 * never an exact count. Use it for storms of many steps, and the liveness probe for proof.
 */
import v8 from 'node:v8';
import { LeakHarnessError } from '../errors.ts';
import { settle } from '../gc.ts';

export interface GrowthPoint {
  label: string;
  step: number;
  heapUsed: number;
}

export interface Slope {
  /** Least-squares slope of heap used (bytes) over step index. */
  bytesPerStep: number;
  /** Coefficient of determination of the fit, 0..1 (1 when every point is equal). */
  r2: number;
  n: number;
}

export interface GrowthVerdict extends Slope {
  growing: boolean;
  statistical: true;
  explanation: string;
}

/** Ordinary least squares y = a + b·x; returns b and r². */
export function leastSquares(xs: readonly number[], ys: readonly number[]): Slope {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) throw new LeakHarnessError('NOT_ENOUGH_SAMPLES', `a slope needs at least 2 points, got ${n}: record() more steps`);
  let sx = 0, sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i] ?? 0;
    sy += ys[i] ?? 0;
  }
  const mx = sx / n, my = sy / n;
  let sxx = 0, sxy = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] ?? 0) - mx, dy = (ys[i] ?? 0) - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) throw new LeakHarnessError('NOT_ENOUGH_SAMPLES', 'all points have the same step: no slope');
  const b = sxy / sxx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { bytesPerStep: b, r2, n };
}

export interface GrowthProbeOptions {
  /** settle() rounds before each reading. @default 3 */
  rounds?: number;
}

export class GrowthProbe {
  private readonly rounds: number;
  private readonly series: GrowthPoint[] = [];

  constructor(opts: GrowthProbeOptions = {}) {
    this.rounds = opts.rounds ?? 3;
  }

  /** Settles the heap and records heap used after GC under `label`. */
  async record(label: string): Promise<GrowthPoint> {
    await settle(this.rounds);
    const point = { label, step: this.series.length, heapUsed: v8.getHeapStatistics().used_heap_size };
    this.series.push(point);
    return point;
  }

  points(): readonly GrowthPoint[] {
    return this.series;
  }

  slope(): Slope {
    return leastSquares(this.series.map((p) => p.step), this.series.map((p) => p.heapUsed));
  }

  /**
   * Growing when the slope exceeds `maxBytesPerStep` AND the fit explains the data (r² ≥ minR2):
   * a steep but noisy series is reported as not proven, not as a leak.
   * @param minR2 @default 0.8
   */
  verdict(maxBytesPerStep: number, minR2 = 0.8): GrowthVerdict {
    const s = this.slope();
    const growing = s.bytesPerStep > maxBytesPerStep && s.r2 >= minR2;
    const kb = (s.bytesPerStep / 1024).toFixed(1);
    const explanation = `statistical: heap after GC grows ${kb} KiB/step (r²=${s.r2.toFixed(3)}, n=${s.n}); ` +
      `limit ${(maxBytesPerStep / 1024).toFixed(1)} KiB/step with r² ≥ ${minR2} → ${growing ? 'growing' : 'not proven to grow'}`;
    return { ...s, growing, statistical: true, explanation };
  }
}
