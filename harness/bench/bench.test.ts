import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReport } from '../report/read.ts';
import { writeReport } from '../report/write.ts';
import { benchReport, benchTable, BenchUsageError, checkPeers, parseBenchArgs, selectSuites, SUITES } from './bench.ts';
import { MissingPeerError } from './peers.ts';
import { benchResult } from './result.ts';

const ROOT = resolve(import.meta.dirname, '../..');

describe('bench arguments', () => {
  it.each([
    [[], { quick: false, only: [], out: 'reports', help: false }],
    [['--quick'], { quick: true, only: [], out: 'reports', help: false }],
    [['--only', 'detection,zone-parse', '--out', 'x'], { quick: false, only: ['detection', 'zone-parse'], out: 'x', help: false }],
    [['--only=udp-throughput', '--only', 'udp-throughput'], { quick: false, only: ['udp-throughput'], out: 'reports', help: false }],
    [['-h'], { quick: false, only: [], out: 'reports', help: true }],
  ])('%j parses', (argv, want) => {
    expect(parseBenchArgs(argv)).toEqual(want);
  });

  it.each([
    [['--only', 'nope'], /unknown suite 'nope'/],
    [['--only'], /--only needs a value/],
    [['--out', '--quick'], /--out needs a value/],
    [['--quick=yes'], /takes no value/],
    [['--fast'], /unknown argument '--fast'/],
  ])('%j is a usage error', (argv, msg) => {
    expect(() => parseBenchArgs(argv)).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(argv)).toThrow(msg);
  });

  it('--only keeps the suite order, not the order given', () => {
    expect(selectSuites(['detection', 'zone-parse']).map((s) => s.name)).toEqual(['zone-parse', 'detection']);
    expect(selectSuites([])).toHaveLength(SUITES.length);
  });
});

describe('peer tools', () => {
  it('a missing peer names the Debian package that installs it', () => {
    const suites = selectSuites(['zone-parse', 'udp-throughput']);
    let err: unknown;
    try {
      checkPeers(suites, (t) => t === 'named-checkzone');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MissingPeerError);
    expect((err as MissingPeerError).tools).toEqual(['nsd', 'dnsperf']);
    expect((err as Error).message).toContain('apt-get install -y nsd dnsperf');
    expect(() => checkPeers(suites, () => true)).not.toThrow();
  });

  it('npm run bench exits 2 naming the package when a peer is not on PATH, and on bad usage', () => {
    const cli = ['--expose-gc', '--import', 'tsx', join(ROOT, 'harness/cli/bench.ts')];
    // /usr/sbin is searched anyway (nsd lives there); dnsperf in /usr/bin is not found.
    const missing = spawnSync(process.execPath, [...cli, '--only', 'udp-throughput'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, PATH: '/nonexistent' } });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/dnsperf not found: install dnsperf \(apt-get update && apt-get install -y dnsperf\)/);
    const bad = spawnSync(process.execPath, [...cli, '--bogus'], { cwd: ROOT, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("unknown argument '--bogus'");
  });
});

describe('bench report', () => {
  const results = [
    benchResult({ name: 'zone parsing', metric: 'records/s', value: 300, unit: 'records/s', better: 'higher', peer: { label: 'named-checkzone', value: 200 }, target: 1 }),
    benchResult({ name: 'detection', metric: 'false positives', value: 0, unit: 'runs', better: 'lower', exact: true, target: 0 }),
  ];

  it('is a kind "bench" report that the reader accepts (write, read back)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
    try {
      const started = new Date('2024-05-01T10:00:00.000Z');
      const report = benchReport(results, ['--quick'], started, new Date(started.getTime() + 1234));
      expect(report.runId).toBe('2024-05-01T10-00-00-000Z-bench');
      await writeReport(dir, report);
      expect(readdirSync(dir).sort()).toEqual(['report.html', 'report.json', 'report.md']);
      const back = readReport(dir);
      expect(back.kind).toBe('bench');
      expect(back.durationMs).toBe(1234);
      expect(back.bench).toEqual(results);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the table shows each ratio and whether its target is met', () => {
    const lines = benchTable(results).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/zone parsing\s+records\/s\s+300 records\/s\s+200\s+1\.500 \(higher better\)\s+>= 1\s+yes/);
    expect(lines[3]).toMatch(/detection\s+false positives\s+0 runs\s+-\s+-\s+<= 0 \(value\)\s+yes/);
  });
});
