import { describe, expect, it } from 'vitest';
import { benchResult, median, meets } from './result.ts';

describe('benchResult', () => {
  it.each([
    // value, peer, better, target, ratio, met
    [200, 100, 'higher', 1, 2, true],
    [50, 100, 'higher', 1, 0.5, false],
    [30, 100, 'higher', 0.4, 0.3, false],
    [150, 100, 'lower', 2, 1.5, true],
    [250, 100, 'lower', 2, 2.5, false],
  ] as const)('value %d against peer %d (%s better, target %d): ratio %d, met %s', (value, peer, better, target, ratio, met) => {
    const r = benchResult({ name: 's', metric: 'm', value, unit: 'u', better, peer: { label: 'p', value: peer }, target });
    expect(r.ratio).toBeCloseTo(ratio, 12);
    expect(r.peerValue).toBe(peer);
    expect(r.target).toEqual({ ratio: target, met });
  });

  it('a bare count has no peer or ratio, and its target is judged on the value', () => {
    expect(benchResult({ name: 'd', metric: 'fp', value: 0, unit: 'runs', better: 'lower', exact: true, target: 0 }))
      .toEqual({ name: 'd', metric: 'fp', value: 0, unit: 'runs', peer: null, peerValue: null, ratio: null, better: 'lower', exact: true, target: { ratio: 0, met: true } });
    expect(benchResult({ name: 'd', metric: 'fp', value: 2, unit: 'runs', better: 'lower', exact: true, target: 0 }).target?.met).toBe(false);
  });

  it('refuses to write a figure it could not measure', () => {
    expect(() => benchResult({ name: 's', metric: 'm', value: NaN, unit: 'u', better: 'higher' })).toThrow(/measured value is NaN/);
    expect(() => benchResult({ name: 's', metric: 'm', value: 1, unit: 'u', better: 'higher', peer: { label: 'p', value: 0 } })).toThrow(/cannot form a ratio/);
  });

  it('meets and median', () => {
    expect(meets(1, 1, 'higher')).toBe(true);
    expect(meets(1.01, 1, 'lower')).toBe(false);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(() => median([])).toThrow();
  });
});
