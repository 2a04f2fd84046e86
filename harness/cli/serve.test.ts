/**
 * `npm run serve` as a user runs it: a real child process, real signals.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { query } from '../dns/testing/client.ts';

const SERVE = join(import.meta.dirname, 'serve.ts');

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  waitFor: (re: RegExp) => Promise<RegExpMatchArray>;
}

function run(args: string[]): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (re: RegExp): Promise<RegExpMatchArray> => {
    const end = Date.now() + 20_000;
    for (;;) {
      const m = out.match(re);
      if (m) return m;
      if (Date.now() > end || child.exitCode !== null) throw new Error(`no ${re} in stdout:\n${out}\nstderr:\n${err}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { child, stdout: () => out, stderr: () => err, exited, waitFor };
}

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function corefile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'reloadleak-serve-'));
  dirs.push(dir);
  const path = join(dir, 'Corefile');
  writeFileSync(path, text);
  return path;
}

describe('npm run serve', () => {
  it('serves, restarts on SIGUSR1 from the file on disk, exits 0 on SIGTERM', async () => {
    const conf = corefile('.:0 {\n    whoami\n}\n');
    const r = run(['--conf', conf, '--status']);
    children.push(r.child);
    const port = Number((await r.waitFor(/^\.:(\d+)$/m))[1]);
    await r.waitFor(/\[status\] started: instance i\d+ generation 0/);
    expect((await query({ port, name: 'a.example.org.', type: 'A' })).additionals).toHaveLength(2);
    writeFileSync(conf, '.:0 {\n    whoami\n    log\n}\n');
    r.child.kill('SIGUSR1');
    await r.waitFor(/\[INFO\] Reloading complete/);
    await r.waitFor(/\[status\] restart applied: instance i\d+ generation 1, zones loaded 0 \(alive 0\), zone timers live 0/);
    expect(r.stdout()).toContain('[INFO] SIGUSR1: Reloading');
    await query({ port, name: 'b.example.org.', type: 'A' });
    await r.waitFor(/"A IN b\.example\.org\. udp/);
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
    expect(r.stdout()).toContain('[INFO] SIGTERM: Shutting down servers then terminating');
  });

  it('a bad Corefile: file:line message on stderr, exit 2', async () => {
    const conf = corefile('.:0 {\n    whoami\n    bogus\n}\n');
    const r = run(['--conf', conf]);
    children.push(r.child);
    expect(await r.exited).toBe(2);
    expect(r.stderr()).toContain(`${conf}:3 - Error during parsing: Unknown directive 'bogus'`);
  });

  it('an unknown flag: usage on stderr, exit 2', async () => {
    const r = run(['--bogus']);
    children.push(r.child);
    expect(await r.exited).toBe(2);
    expect(r.stderr()).toMatch(/Unknown option '--bogus'[\s\S]*usage: npm run serve/);
  });
});
