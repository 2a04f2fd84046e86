import { describe, expect, it } from 'vitest';
import { GrowthProbe, leastSquares } from './growth.ts';

/** Kept on purpose at module level: the planted growth (notes pitfall 2). */
export const ballast: number[][] = [];

const DOUBLES = 32_768; // 256 KiB of unboxed doubles per step

function grow(): void {
  ballast.push(new Array<number>(DOUBLES).fill(1.5));
}

function churn(): void {
  // Same allocation, dropped at once: garbage, not growth.
  void new Array<number>(DOUBLES).fill(1.5).length;
}

describe('leastSquares', () => {
  it.each([
    { xs: [0, 1, 2, 3], ys: [10, 12, 14, 16], slope: 2, r2: 1 },
    { xs: [0, 1, 2, 3], ys: [5, 5, 5, 5], slope: 0, r2: 1 },
    { xs: [0, 1, 2, 3], ys: [1, 3, 2, 4], slope: 0.8, r2: 0.64 },
  ])('fits $ys → slope $slope, r² $r2', ({ xs, ys, slope, r2 }) => {
    const s = leastSquares(xs, ys);
    expect(s.bytesPerStep).toBeCloseTo(slope, 10);
    expect(s.r2).toBeCloseTo(r2, 10);
    expect(s.n).toBe(xs.length);
  });

  it('refuses fewer than two points', () => {
    expect(() => leastSquares([1], [1])).toThrow(/at least 2 points/);
  });
});

describe('GrowthProbe', () => {
  it('measures a planted 256 KiB/step growth and calls it growing; flat after the plant is removed', async () => {
    const leaky = new GrowthProbe();
    for (let i = 0; i < 8; i++) {
      grow();
      await leaky.record(`reload ${i}`);
    }
    const v = leaky.verdict(64 * 1024);
    expect(v.bytesPerStep).toBeGreaterThan(DOUBLES * 8 * 0.95);
    expect(v.bytesPerStep).toBeLessThan(DOUBLES * 8 * 1.15);
    expect(v.r2).toBeGreaterThan(0.98);
    expect(v.growing).toBe(true);
    expect(v.statistical).toBe(true);
    expect(v.explanation).toMatch(/^statistical: .* → growing$/);

    ballast.length = 0;
    const clean = new GrowthProbe();
    for (let i = 0; i < 8; i++) {
      churn();
      await clean.record(`reload ${i}`);
    }
    const c = clean.verdict(64 * 1024);
    expect(Math.abs(c.bytesPerStep)).toBeLessThan(16 * 1024);
    expect(c.growing).toBe(false);
    expect(clean.points().map((p) => p.label)).toEqual(Array.from({ length: 8 }, (_, i) => `reload ${i}`));
  });
});
