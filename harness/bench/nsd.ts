/**
 * NSD (Debian package nsd) as the throughput peer: its own temp directory and config, on a
 * loopback port of its own, in the foreground (`nsd -c conf -d`), with response rate limiting
 * off (`rrl-ratelimit: 0`, which needs an NSD built with --enable-ratelimit, as Debian's is).
 * As root it must not drop privileges or chroot, so both are set empty.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { query } from '../dns/testing/client.ts';
import { toolPath, toolVersion } from './peers.ts';

export interface NsdServer {
  port: number;
  version: string;
  /** SIGTERM, wait for exit, remove the directory. Idempotent. */
  stop(): Promise<void>;
}

/** A loopback port free for both UDP and TCP right now (NSD binds both). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const tcp = net.createServer();
    await new Promise<void>((res, rej) => tcp.once('error', rej).listen(0, '127.0.0.1', res));
    const port = (tcp.address() as net.AddressInfo).port;
    const udp = dgram.createSocket('udp4');
    const ok = await new Promise<boolean>((res) => {
      udp.once('error', () => res(false));
      udp.bind(port, '127.0.0.1', () => res(true));
    });
    await new Promise<void>((res) => tcp.close(() => res()));
    if (ok) {
      await new Promise<void>((res) => udp.close(() => res()));
      return port;
    }
    udp.close();
  }
  throw new Error('no loopback port free for both UDP and TCP after 20 attempts');
}

export function nsdConfig(dir: string, port: number, origin: string, zoneFile: string): string {
  const q = (s: string): string => JSON.stringify(s);
  return [
    'server:',
    '    ip-address: 127.0.0.1',
    `    port: ${port}`,
    // One server process: the same single core our single-threaded server gets.
    '    server-count: 1',
    '    username: ""',
    '    chroot: ""',
    `    zonesdir: ${q(dir)}`,
    `    pidfile: ${q(join(dir, 'nsd.pid'))}`,
    '    database: ""',
    `    zonelistfile: ${q(join(dir, 'zone.list'))}`,
    `    xfrdfile: ${q(join(dir, 'xfrd.state'))}`,
    `    xfrdir: ${q(dir)}`,
    `    logfile: ${q(join(dir, 'nsd.log'))}`,
    '    verbosity: 1',
    '    rrl-ratelimit: 0',
    'remote-control:',
    '    control-enable: no',
    'zone:',
    `    name: ${q(origin)}`,
    `    zonefile: ${q(zoneFile)}`,
    '',
  ].join('\n');
}

/** Starts NSD serving `zoneText` as `origin`; resolves once it answers the apex SOA. */
export async function startNsd(origin: string, zoneText: string, opts: { readyTimeoutMs?: number } = {}): Promise<NsdServer> {
  const dir = mkdtempSync(join(tmpdir(), 'nsd-bench-'));
  const port = await freePort();
  writeFileSync(join(dir, 'db.zone'), zoneText);
  const conf = join(dir, 'nsd.conf');
  writeFileSync(conf, nsdConfig(dir, port, origin, 'db.zone'));
  const child: ChildProcess = spawn('nsd', ['-c', conf, '-d'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PATH: toolPath() } });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | string | null>((res) => {
    child.once('error', (e) => res(e.message));
    child.once('exit', (code, signal) => res(signal ?? code));
  });
  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopped;
  };
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 10_000);
  let early: number | string | null | undefined;
  void exited.then((v) => (early = v));
  for (;;) {
    if (early !== undefined) {
      const log = readLog(join(dir, 'nsd.log'));
      await stop();
      throw new Error(`nsd exited (${early}) before answering:\n${out}${log}`);
    }
    try {
      const reply = await query({ port, name: origin, type: 'SOA', timeoutMs: 200 });
      if (reply.rcode === 'NOERROR' && reply.answers.length > 0) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      const log = readLog(join(dir, 'nsd.log'));
      await stop();
      throw new Error(`nsd did not answer ${origin} SOA on 127.0.0.1:${port} within ${opts.readyTimeoutMs ?? 10_000} ms:\n${out}${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, version: toolVersion('nsd'), stop };
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
