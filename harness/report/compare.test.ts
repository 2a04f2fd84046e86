import { describe, expect, it } from 'vitest';
import { compareProfiles, compareReports, renderComparison } from './compare.ts';
import type { RunResult } from './schema.ts';
import { makeBench, makeReport, makeRun, makeSeries } from './testing/fixtures.ts';

const fixed = (o: Partial<RunResult> = {}): RunResult => makeRun({ profile: 'fixed', ...o });
const buggy = (o: Partial<RunResult> = {}): RunResult => makeRun({ profile: 'coredns-1.11.3', ...o });

describe('compareReports: verdicts', () => {
  it.each([
    ['pass → fail', fixed(), fixed({ verdict: 'fail' }), 'regression', 'pass → fail'],
    ['pass → error', fixed(), fixed({ verdict: 'error', error: { code: 'TIMEOUT', message: 'x' } }), 'regression', 'pass → error (TIMEOUT)'],
    ['fail → pass', fixed({ verdict: 'fail' }), fixed(), 'improvement', 'fail → pass'],
    ['fail → error', fixed({ verdict: 'fail' }), fixed({ verdict: 'error' }), 'changed', 'fail → error'],
    ['expected leak no longer detected', buggy(), buggy({ verdict: 'pass', signatureMatched: false }), 'regression',
      'fail (expected to fail, signature matched) → pass (expected to fail, signature NOT matched)'],
    ['expected leak detected again', buggy({ signatureMatched: false }), buggy(), 'improvement',
      'fail (expected to fail, signature NOT matched) → fail (expected to fail, signature matched)'],
    ['unchanged', fixed(), fixed(), 'same', 'pass'],
  ] as const)('%s', (_name, a, b, status, summary) => {
    const c = compareReports(makeReport({ runs: [a] }), makeReport({ runs: [b] }));
    expect(c.entries[0]).toMatchObject({ status, summary });
    expect(c.regressions > 0).toBe(status === 'regression' || c.entries[0]!.deltas.some((d) => d.status === 'regression'));
  });

  it('reports a key present on one side only as missing, without failing', () => {
    const a = makeReport({ runs: [fixed(), fixed({ scenario: 'gone' })] });
    const b = makeReport({ runs: [fixed(), fixed({ scenario: 'new' })] });
    const c = compareReports(a, b);
    expect(c.entries.map((e) => [e.scenario, e.status, e.summary])).toEqual([
      ['auto-reload-storm', 'same', 'pass'],
      ['gone', 'missing', 'only in A (not run in B)'],
      ['new', 'missing', 'only in B (not run in A)'],
    ]);
    expect(c.regressions).toBe(0);
  });
});

describe('compareReports: metric deltas', () => {
  it('flags one more zone alive at the final probe as an exact regression', () => {
    const series = makeSeries(20, 1, false);
    series[series.length - 1] = { ...series[series.length - 1]!, zonesAlive: 2, timers: { zoneReload: 2, autoWalk: 1, corefileWatch: 1, other: 0, total: 4 } };
    const c = compareReports(makeReport({ runs: [fixed()] }), makeReport({ runs: [fixed({ series })] }));
    const moved = c.entries[0]!.deltas.filter((d) => d.status !== 'same').map((d) => [d.metric, d.a, d.b, d.status, d.rule]);
    expect(moved).toEqual([
      ['zonesAlive (final probe)', 1, 2, 'regression', 'exact'],
      ['zonesAlive (peak)', 1, 2, 'regression', 'exact'],
      ['timers.zoneReload (final probe)', 1, 2, 'regression', 'exact'],
      ['timers.total (final probe)', 3, 4, 'regression', 'exact'],
    ]);
    expect(c.regressions).toBe(4);
  });

  it('lets timing noise through and catches a real slowdown', () => {
    const slower = (totalMs: number): RunResult => fixed({ timings: { totalMs, perReloadMs: Array.from({ length: 20 }, () => 30) } });
    const noisy = compareReports(makeReport({ runs: [fixed()] }), makeReport({ runs: [slower(3_000)] }));
    expect(noisy.entries[0]!.deltas.find((d) => d.metric === 'total ms')).toMatchObject({ status: 'noise', rule: '> 3× and > 1000 ms' });
    expect(noisy.regressions).toBe(0);
    const slow = compareReports(makeReport({ runs: [fixed()] }), makeReport({ runs: [slower(4_000)] }));
    expect(slow.entries[0]!.deltas.find((d) => d.metric === 'total ms')?.status).toBe('regression');
  });

  it('marks a metric measured on one side only as missing', () => {
    const { heap: _h, ...noHeap } = fixed();
    const c = compareReports(makeReport({ runs: [fixed()] }), makeReport({ runs: [noHeap] }));
    expect(c.entries[0]!.deltas.find((d) => d.metric === 'retained bytes')).toMatchObject({ status: 'missing', a: 0, b: null });
  });

  it('compares bench results by ratio and reports one-sided ones', () => {
    const a = makeReport({ kind: 'bench', runs: [], bench: [makeBench(), makeBench({ metric: 'old' })] });
    const b = makeReport({ kind: 'bench', runs: [], bench: [makeBench({ ratio: 0.15 }), makeBench({ metric: 'new' })] });
    const c = compareReports(a, b);
    expect(c.bench.map((d) => [d.metric, d.a, d.b, d.status])).toEqual([
      ['records/s', 0.5, 0.15, 'regression'],
      ['old', 0.5, null, 'missing'],
      ['new', null, 0.5, 'missing'],
    ]);
    expect(c.regressions).toBe(1);
  });

  it('notes environment differences that make deltas less meaningful', () => {
    const c = compareReports(makeReport(), makeReport({ node: 'v22.1.0' }));
    expect(c.notes).toEqual(['Node differs: v20.11.1 vs v22.1.0 (timings and retained bytes move with V8)']);
  });
});

describe('compareProfiles', () => {
  it('compares each profile against fixed, keyed by scenario', () => {
    const r = makeReport({ runs: [fixed(), buggy(), makeRun({ profile: 'coredns-1.10.0' })] });
    const cs = compareProfiles(r);
    expect(cs.map((c) => [c.mode, c.a.label, c.b.label])).toEqual([
      ['profiles', 'profile fixed', 'profile coredns-1.11.3'],
      ['profiles', 'profile fixed', 'profile coredns-1.10.0'],
    ]);
    expect(cs[0]!.entries[0]).toMatchObject({ scenario: 'auto-reload-storm', profileA: 'fixed', profileB: 'coredns-1.11.3', status: 'changed' });
    expect(cs[0]!.entries[0]!.deltas.find((d) => d.metric === 'zonesAlive (final probe)')).toMatchObject({ a: 1, b: 21, status: 'regression' });
  });
});

describe('renderComparison', () => {
  const a = makeReport({ runs: [fixed(), buggy()] });
  const b = makeReport({ runs: [fixed({ verdict: 'fail' }), buggy()] });
  const c = compareReports(a, b, { a: 'base', b: 'head' });

  it('puts verdict changes before metric deltas and ends with the outcome', () => {
    const text = renderComparison(c);
    expect(text.indexOf('Verdict changes')).toBeLessThan(text.indexOf('Metric deltas'));
    expect(text).toContain('  REGRESSION   auto-reload-storm × fixed: pass → fail');
    expect(text).toContain('  auto-reload-storm × coredns-1.11.3: all 17 metrics unchanged');
    expect(text.trimEnd().split('\n').at(-1)).toBe('B regressed against A: 1 regression, 0 improvements');
  });

  it('renders markdown tables with names escaped', () => {
    const evil = compareReports(makeReport({ runs: [fixed({ scenario: '<b>|x' })] }), makeReport({ runs: [fixed({ scenario: '<b>|x', verdict: 'fail' })] }));
    const md = renderComparison(evil, 'markdown');
    expect(md).toContain('| &lt;b&gt;\\|x × fixed | REGRESSION | pass → fail |');
    expect(md).not.toContain('<b>');
  });

  it('shows control characters in names instead of sending them to the terminal', () => {
    const evil = compareReports(makeReport({ runs: [fixed({ scenario: 'a\u001b[2Jb' })] }), makeReport({ runs: [fixed({ scenario: 'a\u001b[2Jb', verdict: 'fail' })] }));
    expect(renderComparison(evil)).toContain('a\\x1b[2Jb × fixed');
    expect(renderComparison(evil)).not.toContain('\u001b');
  });
});
