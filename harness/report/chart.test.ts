import { describe, expect, it } from 'vitest';
import { lineChart, niceTicks } from './chart.ts';

describe('lineChart', () => {
  it.each([
    [0, 21, [0, 5, 10, 15, 20, 25]],
    [0, 0, [0, 1]],
    [7.6, 10.2, [7, 8, 9, 10, 11]],
  ])('ticks for %d..%d are round and cover the data', (min, max, ticks) => expect(niceTicks(min, max)).toEqual(ticks));

  it('draws one line per series, dashed after the first, with a legend entry each', () => {
    const svg = lineChart({
      title: 'zones alive', xLabel: 'probe',
      series: [
        { name: 'fixed', points: [{ x: 0, y: 1, label: 'start' }, { x: 1, y: 1, label: 'reload #1' }] },
        { name: 'coredns-1.11.3', points: [{ x: 0, y: 1, label: 'start' }, { x: 1, y: 2, label: 'reload #1' }] },
      ],
    });
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg.match(/<path [^>]*stroke-dasharray/g)).toHaveLength(1);
    expect(svg).toContain('>fixed</text>');
    expect(svg).toContain('<title>coredns-1.11.3 · reload #1: 2</title>');
  });

  it('puts the highest point at the top of the plot and 0 on the axis', () => {
    const svg = lineChart({ title: 't', xLabel: 'x', series: [{ name: 's', points: [{ x: 0, y: 0, label: 'a' }, { x: 1, y: 20, label: 'b' }] }] });
    // Default height 260, top padding 44, bottom 40: y=20 is the top tick (20), y=0 the axis at 220.
    expect(svg).toContain('d="M64.0,220.0 L624.0,44.0"');
  });
});

describe('niceTicks for counts', () => {
  it('never puts a fraction on a count axis', () => {
    expect(niceTicks(0, 1, true)).toEqual([0, 1]);
    expect(niceTicks(0, 3, true).every(Number.isInteger)).toBe(true);
    expect(niceTicks(0, 21, true).every(Number.isInteger)).toBe(true);
    expect(niceTicks(0, 1).some((t) => !Number.isInteger(t))).toBe(true);
  });
});
