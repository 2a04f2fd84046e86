import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeReport, makeRun } from '../report/testing/fixtures.ts';
import { writeReport } from '../report/write.ts';

const root = path.resolve(import.meta.dirname, '../..');
let dir = '';

function compare(args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const { GITHUB_STEP_SUMMARY: _omit, ...base } = process.env;
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'harness/cli/compare.ts'), ...args], {
    cwd: root, encoding: 'utf8', env: { ...base, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'reloadleak-compare-cli-'));
  await writeReport(path.join(dir, 'base'), makeReport());
  await writeReport(path.join(dir, 'same'), makeReport({ runId: 'same-run' }));
  await writeReport(path.join(dir, 'worse'), makeReport({ runId: 'worse-run', runs: [makeRun({ verdict: 'fail' }), makeRun({ profile: 'coredns-1.11.3' })] }));
  mkdirSync(path.join(dir, 'interrupted'));
  writeFileSync(path.join(dir, 'truncated.json'), readFileSync(path.join(dir, 'base/report.json'), 'utf8').slice(0, 500));
  writeFileSync(path.join(dir, 'future.json'), JSON.stringify({ ...makeReport(), schemaVersion: 99 }));
}, 60_000);

describe('npm run compare', () => {
  it('exits 0 when B did not regress (run directories)', () => {
    const r = compare([path.join(dir, 'base'), path.join(dir, 'same')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no regressions: 0 improvements');
  });

  it('exits 1 when B regressed, verdict change first (report.json paths)', () => {
    const r = compare([path.join(dir, 'base/report.json'), path.join(dir, 'worse/report.json')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('REGRESSION   auto-reload-storm × fixed: pass → fail');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('B regressed against A: 1 regression, 0 improvements');
  });

  it.each([
    ['a truncated report', 'truncated.json', 'truncated after 500 bytes'],
    ['an unknown schema version', 'future.json', 'schemaVersion number 99 is not supported'],
    ['a run directory without report.json', 'interrupted', 'no report.json in this directory'],
    ['a path that does not exist', 'nope', 'no such file or directory'],
  ])('exits 2 for %s', (_name, file, message) => {
    const r = compare([path.join(dir, 'base'), path.join(dir, file)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });

  it.each([
    [[] as string[], 'expected two reports (A B), got 0'],
    [['a', 'b', 'c'], 'expected two reports (A B), got 3'],
    [['--frobnicate', 'a', 'b'], "Unknown option '--frobnicate'"],
    [['--format', 'html', 'a', 'b'], "--format must be text or markdown, got 'html'"],
  ])('exits 2 on bad usage %j', (args, message) => {
    const r = compare(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('prints usage for --help and exits 0', () => {
    const r = compare(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('usage: npm run compare -- A B');
  });

  it('appends the markdown comparison to $GITHUB_STEP_SUMMARY when set', () => {
    const summary = path.join(dir, 'summary.md');
    const r = compare([path.join(dir, 'base'), path.join(dir, 'worse')], { GITHUB_STEP_SUMMARY: summary });
    expect(r.code).toBe(1);
    expect(readFileSync(summary, 'utf8')).toContain('| auto-reload-storm × fixed | REGRESSION | pass → fail |');
  });
});
