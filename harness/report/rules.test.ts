import { describe, expect, it } from 'vitest';
import { benchRule, exactRule, retainedRule, slopeRule, slopeStandardError, timingRule } from './rules.ts';
import { makeBench } from './testing/fixtures.ts';

describe('compare thresholds', () => {
  it.each([
    [1, 1, 'same'], [1, 2, 'regression'], [21, 1, 'improvement'], [0, 1, 'regression'],
  ] as const)('exact counts: %i → %i is %s', (a, b, status) => expect(exactRule(a, b).status).toBe(status));

  it.each([
    [1000, 1000, 'same'],
    [4335, 8122, 'noise'], // +87%: two runs of the same code measured here
    [1000, 3100, 'regression'], // over 3× and over 1 s
    [200, 800, 'noise'], // 4× but only 600 ms
    [500, 1600, 'regression'], // 3.2× and 1.1 s
    [3100, 1000, 'improvement'],
  ] as const)('timings: %i ms → %i ms is %s', (a, b, status) => expect(timingRule(a, b).status).toBe(status));

  it.each([
    [0, 16 * 1024, 'noise'],
    [0, 16 * 1024 + 1, 'regression'],
    [1_000_000, 1_090_000, 'noise'], // +9%
    [1_000_000, 1_200_000, 'regression'],
    [120_000, 0, 'improvement'],
  ] as const)('retained bytes: %i → %i is %s', (a, b, status) => expect(retainedRule(a, b).status).toBe(status));

  it('derives the slope standard error from r² and n', () => {
    // b = 254, r² = 0.1388, n = 40: the clean loop measured on this machine (README).
    expect(slopeStandardError({ bytesPerReload: 254.12, r2: 0.13885, n: 40 })).toBeCloseTo(102.66, 0);
    expect(slopeStandardError({ bytesPerReload: 6000, r2: 1, n: 21 })).toBe(0);
    expect(slopeStandardError({ bytesPerReload: 0, r2: 0, n: 21 })).toBeNull();
    expect(slopeStandardError({ bytesPerReload: 10, r2: 0.5, n: 2 })).toBeNull();
  });

  it.each([
    ['a clean run against a one-zone leak', { bytesPerReload: 40, r2: 0.05, n: 21 }, { bytesPerReload: 6000, r2: 0.99, n: 21 }, 'regression'],
    ['a flat line (r² = 0) against a leak', { bytesPerReload: 0, r2: 0, n: 21 }, { bytesPerReload: 5000, r2: 0.98, n: 21 }, 'regression'],
    ['jitter under the 4 KiB floor', { bytesPerReload: 200, r2: 0.1, n: 21 }, { bytesPerReload: 3000, r2: 0.9, n: 21 }, 'noise'],
    ['a difference inside 2σ of noisy fits', { bytesPerReload: 5000, r2: 0.2, n: 10 }, { bytesPerReload: 12000, r2: 0.2, n: 10 }, 'noise'],
    ['a leak that went away', { bytesPerReload: 6000, r2: 0.99, n: 21 }, { bytesPerReload: 40, r2: 0.05, n: 21 }, 'improvement'],
  ] as const)('heap slope: %s is %s', (_name, a, b, status) => expect(slopeRule(a, b).status).toBe(status));

  it.each([
    ['a ratio 3× lower (higher is better)', makeBench(), makeBench({ ratio: 0.5 / 3 }), 'regression'],
    ['a ratio 2× lower: inside the spread measured here', makeBench(), makeBench({ ratio: 0.25 }), 'noise'],
    ['a ratio 3× higher', makeBench(), makeBench({ ratio: 1.5 }), 'improvement'],
    ['latency ratio 1.32 → 3.27 (the same code, measured here)', makeBench({ better: 'lower', ratio: 1.32 }), makeBench({ better: 'lower', ratio: 3.27 }), 'noise'],
    ['latency ratio up 3× (lower is better)', makeBench({ better: 'lower', ratio: 2 }), makeBench({ better: 'lower', ratio: 6 }), 'regression'],
    ['an exact count up by one', makeBench({ exact: true, ratio: null, peer: null, peerValue: null, value: 1, better: 'lower' }), makeBench({ exact: true, ratio: null, peer: null, peerValue: null, value: 2, better: 'lower' }), 'regression'],
  ] as const)('bench: %s is %s', (_name, a, b, status) => expect(benchRule(a, b).status).toBe(status));
});
