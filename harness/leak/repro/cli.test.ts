import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readReport } from '../../report/read.ts';

const REPO = path.resolve(import.meta.dirname, '../../..');
const CLI = ['--expose-gc', '--disable-warning=ExperimentalWarning', '--import', 'tsx', 'harness/cli/repro.ts'];
let out = '';

beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'reloadleak-repro-cli-'));
});
afterAll(() => {
  fs.rmSync(out, { recursive: true, force: true });
});

/** Async spawn: the child must exit on its own although the buggy run left its timers armed. */
function run(args: string[], timeoutMs = 50_000): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...CLI, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`repro did not exit within ${timeoutMs} ms; stdout so far:\n${stdout}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

describe('node harness/cli/repro.ts', () => {
  it('--reloads 2: reproduces, prints the report paths, and exits 0 on its own', async () => {
    const r = await run(['--reloads', '2', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(/^reproduced: coredns-1\.11\.3 left 3 zone\(s\) alive after 2 reloads and stop \(predicted 3\), fixed 0 \[\d+\.\d s\]$/);
    const reportLine = lines.find((l) => l.startsWith('report    '))!;
    const json = path.resolve(REPO, reportLine.slice('report    '.length));
    expect(path.basename(json)).toBe('report.json');
    expect(readReport(json).runs.map((x) => x.profile)).toEqual(['fixed', 'coredns-1.11.3']);
    expect(lines.slice(-6, -1).map((l) => path.basename(l.trim()))).toEqual(['report.json', 'report.md', 'report.html', 'scenario.yaml', 'issue-6703-repro.coredns-1.11.3.heapsnapshot']);
    expect(r.stdout).toContain('  reload 2/2  zones alive 3  zone timers 3  heap');
    expect(r.stdout).toMatch(/Why: zone example\.org\. of instance i\d+ \(stopped by reload 1\) is still reachable/);
  }, 60_000);

  it.each([
    [['--reloads', '0'], "repro: --reloads must be a whole number from 1 to 500, not '0'"],
    [['--zones', '1001'], "repro: --zones must be a whole number from 1 to 1000, not '1001'"],
    [['--frobnicate'], "repro: unknown argument '--frobnicate'"],
    [['--profile', 'fixed'], 'repro: --profile fixed: fixed is the baseline'],
  ])('exits 2 with the usage for %j', (args, message) => {
    const r = spawnSync(process.execPath, [...CLI, ...args], { cwd: REPO, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('usage: npm run repro --');
  });

  it('--help prints the usage and exits 0', () => {
    const r = spawnSync(process.execPath, [...CLI, '--help'], { cwd: REPO, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run repro -- \[--profile P\] \[--reloads N\] \[--zones Z\]/);
    expect(r.stderr).toBe('');
  });
});
