import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './leak-check.ts';
import { readReport } from '../report/read.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reloadleak-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('parseArgs', () => {
  it('defaults to fixed, every scenario, on-failure snapshots', () => {
    expect(parseArgs([])).toMatchObject({ profiles: ['fixed'], scenarios: [], out: 'reports', snapshots: 'on-failure', help: false });
  });
  it('takes repeated profiles and scenarios, and --flag=value', () => {
    expect(parseArgs(['--profile', 'coredns-1.11.3', '--profile=fixed', '--scenario', 'a', '--scenario=b', '--jobs', '1', '--snapshots=never']))
      .toMatchObject({ profiles: ['coredns-1.11.3', 'fixed'], scenarios: ['a', 'b'], jobs: 1, snapshots: 'never' });
  });
  const bad: Array<[string[], string]> = [
    [['--profile', 'nope'], "unknown profile 'nope'"],
    [['--profile'], '--profile needs a value'],
    [['--snapshots', 'sometimes'], '--snapshots must be never, on-failure or always'],
    [['--jobs', '0'], '--jobs must be a whole number from 1 to 64'],
    [['--frobnicate'], "unknown argument '--frobnicate'"],
  ];
  it.each(bad)('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

function scenarioDir(name: string, yaml: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'Corefile'), '.:0 {\n    whoami\n}\n');
  fs.writeFileSync(path.join(dir, 'scenario.yaml'), yaml);
  return dir;
}

function leakCheck(...argv: string[]) {
  const r = spawnSync(process.execPath, ['--expose-gc', '--disable-warning=ExperimentalWarning', '--import', 'tsx', path.join(ROOT, 'harness/cli/leak-check.ts'), '--out', tmp, ...argv], { encoding: 'utf8', cwd: ROOT, timeout: 120_000 });
  const lines = r.stdout.trim().split('\n');
  return { code: r.status, last: lines[lines.length - 1], stdout: r.stdout, stderr: r.stderr };
}

const GOOD = `name: whoami-clean
files: { Corefile: Corefile }
steps:
  - { op: start, corefile: Corefile }
  - { op: query, name: a.example., type: A, expect: { rcode: NOERROR, additionalCount: 2 } }
  - { op: probe, expect: { zonesAlive: 0, instancesAlive: 1, timers: { total: 0 } } }
  - { op: stop }
`;

describe('npm run leak-check (the CLI contract)', () => {
  it('exits 0 on a clean run, writes a report that reads back, last line "1 passed, 0 failed"', () => {
    const r = leakCheck('--scenario', scenarioDir('good', GOOD));
    expect(r.code).toBe(0);
    expect(r.last).toBe('1 passed, 0 failed');
    const json = /report: (\S+report\.json)/.exec(r.stdout)?.[1];
    expect(json).toBeDefined();
    const report = readReport(path.resolve(ROOT, json!));
    expect(report.runs.map((x) => [x.scenario, x.profile, x.verdict])).toEqual([['whoami-clean', 'fixed', 'pass']]);
  }, 120_000);

  it('exits 1 when a check fails, and says what differed', () => {
    const r = leakCheck('--scenario', scenarioDir('wrong', GOOD.replace('instancesAlive: 1', 'instancesAlive: 2')));
    expect(r.code).toBe(1);
    expect(r.last).toBe('0 passed, 1 failed');
    expect(r.stdout).toContain('instancesAlive expected 2, got 1');
  }, 120_000);

  it('exits 2 on a bad scenario, naming file:line, before running anything', () => {
    const r = leakCheck('--scenario', scenarioDir('typo', GOOD.replace('op: query', 'op: qurey')));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("scenario.yaml:5: 'op': 'qurey' is not valid (did you mean 'query'?)");
    expect(r.stdout).not.toContain('passed');
  }, 120_000);

  it('exits 2 on bad usage and on a scenario that does not exist', () => {
    expect(leakCheck('--profile', 'nope').code).toBe(2);
    const r = leakCheck('--scenario', path.join(tmp, 'missing'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no scenario '");
  }, 120_000);

  it('a step that waits for what never comes ends in a clear timeout, exit 1, not a hang', () => {
    // 30 s: the runner's ceiling for one wait
    const yaml = GOOD.replace('  - { op: stop }', '  - { op: wait, event: zone:loaded }\n  - { op: stop }');
    const r = leakCheck('--scenario', scenarioDir('never', yaml));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/timed out after \d+ ms waiting for 1× zone:loaded/);
  }, 120_000);
});
