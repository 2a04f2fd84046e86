import { describe, expect, it } from 'vitest';
import { detectionResults, falsePositives, reloadsToFlag } from './detection.ts';

describe('detection bench', () => {
  it('flags the issue-6703 leak of coredns-1.11.3 after the first reload', async () => {
    expect(await reloadsToFlag({ profile: 'coredns-1.11.3', maxReloads: 3 })).toBe(1);
  }, 30_000);

  it('never flags the fixed profile (the detector itself holds nothing)', async () => {
    expect(await reloadsToFlag({ profile: 'fixed', maxReloads: 3 })).toBeNull();
  }, 30_000);

  it('counts clean scenario runs that did not pass', async () => {
    const fp = await falsePositives(1);
    expect(fp).toEqual({ runs: 1, failures: 0, why: [] });
  }, 30_000);

  it.each([
    [1, 0, true, true],
    [null, 0, false, true],
    [2, 1, false, false],
  ])('reloads %s, false positives %i: targets met %s / %s', (reloads, failures, reloadsMet, fpMet) => {
    const [r, f] = detectionResults(reloads, 5, { runs: 4, failures, why: [] });
    expect(r?.value).toBe(reloads ?? 6);
    expect(r?.exact).toBe(true);
    expect(r?.target?.met).toBe(reloadsMet);
    expect(f?.value).toBe(failures);
    expect(f?.metric).toBe('false positives in 4 clean runs (issue-6703 × fixed)');
    expect(f?.target?.met).toBe(fpMet);
  });
});
