import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settle } from '../leak/gc.ts';
import { makeBallast, measureSnapshotCost, snapshotResults, suiteWallResult, timeLeakCheck } from './leak-check-cost.ts';

describe('leak-check-cost bench', () => {
  it('times a leak-check child process and reads the scenario time from its report', async () => {
    const w = await timeLeakCheck(['issue-6703']);
    expect(w.exitCode).toBe(0);
    expect(w.runs).toBe(1);
    expect(w.inScenariosMs).toBeGreaterThan(0);
    // The process also starts Node, loads the harness and writes the report.
    expect(w.wallMs).toBeGreaterThan(w.inScenariosMs);
    const r = suiteWallResult(w, 'issue-6703');
    expect(r.ratio).toBeCloseTo(w.wallMs / w.inScenariosMs, 12);
  }, 60_000);

  it('ballast grows the heap by about the size asked for', async () => {
    await settle();
    const before = process.memoryUsage().heapUsed;
    const b = makeBallast(8);
    await settle();
    const grown = process.memoryUsage().heapUsed - before;
    expect(b.length).toBeGreaterThan(0);
    expect(grown).toBeGreaterThan(6 * 1024 * 1024);
    expect(grown).toBeLessThan(12 * 1024 * 1024);
  });

  it('writes and analyses a snapshot, and relates both times to the heap size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'snapshot-cost-test-'));
    try {
      const c = await measureSnapshotCost(0, dir);
      expect(c.writeMs).toBeGreaterThan(0);
      expect(c.analysisMs).toBeGreaterThan(0);
      expect(c.snapshotBytes).toBeGreaterThan(0);
      const [write, analysis] = snapshotResults(c);
      expect(write?.metric).toBe('snapshot write ms (+0 MB ballast)');
      expect(write?.ratio).toBeCloseTo(c.writeMs / (c.heapBytes / 1024 / 1024), 12);
      expect(analysis?.ratio).toBeCloseTo(c.analysisMs / (c.heapBytes / 1024 / 1024), 12);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
