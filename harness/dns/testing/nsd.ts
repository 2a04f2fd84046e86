/**
 * Test helper: NSD (NLnet Labs' authoritative-only server) as a reference, serving given zone
 * files from a temp dir on 127.0.0.1, as a foreground child process. Nothing is written outside
 * the temp dir: no database, no chroot, no privilege drop, no remote control.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTools } from './dig.ts';
import { query } from './client.ts';

export interface NsdZone {
  /** Absolute origin, e.g. `example.org.`. */
  origin: string;
  /** Master-file text. */
  content: string;
}

export interface NsdServer {
  readonly host: string;
  readonly port: number;
  readonly dir: string;
  /** NSD's log file so far (for failure messages). */
  log(): Promise<string>;
  /** SIGTERM, wait for the exit, remove the temp dir. Idempotent. */
  close(): Promise<void>;
}

export interface NsdOptions {
  /** How long NSD may take to answer its first query. @default 10000 */
  startTimeoutMs?: number;
}

const HOST = '127.0.0.1';

/**
 * A port free for both UDP and TCP on 127.0.0.1 right now. Someone may take it before it is
 * used; callers that bind it retry with another.
 */
export async function freePort(host = HOST): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const tcp = net.createServer();
    const port = await new Promise<number>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(0, host, () => resolve((tcp.address() as net.AddressInfo).port));
    });
    const udp = dgram.createSocket('udp4');
    const udpFree = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, host, () => resolve(true));
    });
    await new Promise<void>((resolve) => udp.close(() => resolve()));
    await new Promise<void>((resolve) => tcp.close(() => resolve()));
    if (udpFree) return port;
  }
  throw new Error(`no port free for both UDP and TCP on ${host} after 20 tries`);
}

function nsdConf(dir: string, port: number, zones: readonly NsdZone[]): string {
  const q = (s: string): string => JSON.stringify(s);
  const lines = [
    'server:',
    `  ip-address: ${HOST}@${port}`,
    `  port: ${port}`,
    '  do-ip6: no',
    '  username: ""',
    '  chroot: ""',
    `  zonesdir: ${q(dir)}`,
    '  database: ""',
    `  zonelistfile: ${q(join(dir, 'zone.list'))}`,
    `  xfrdfile: ${q(join(dir, 'xfrd.state'))}`,
    `  xfrdir: ${q(dir)}`,
    `  pidfile: ${q(join(dir, 'nsd.pid'))}`,
    `  logfile: ${q(join(dir, 'nsd.log'))}`,
    '  server-count: 1',
    '  verbosity: 1',
    'remote-control:',
    '  control-enable: no',
  ];
  for (const z of zones) lines.push('zone:', `  name: ${q(z.origin)}`, `  zonefile: ${q(zoneFileName(z.origin))}`);
  return `${lines.join('\n')}\n`;
}

function zoneFileName(origin: string): string {
  return `db.${origin.replace(/\.$/, '') || 'root'}`;
}

/** Starts NSD and resolves once it answers the first zone's SOA with AA set. */
export async function startNsd(zones: readonly NsdZone[], opts: NsdOptions = {}): Promise<NsdServer> {
  requireTools(['nsd']);
  const first = zones[0];
  if (first === undefined) throw new Error('startNsd: give at least one zone');
  const dir = await mkdtemp(join(tmpdir(), 'reloadleak-nsd-'));
  try {
    for (const z of zones) await writeFile(join(dir, zoneFileName(z.origin)), z.content);
    let lastError: Error | null = null;
    // A port picked by freePort can be lost to a race; NSD then exits at once and we try again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      try {
        return await launch(dir, port, zones, first.origin, opts.startTimeoutMs ?? 10_000);
      } catch (err) {
        lastError = err instanceof Error ? err : new Error(String(err));
      }
    }
    throw lastError ?? new Error('nsd did not start');
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function launch(dir: string, port: number, zones: readonly NsdZone[], probe: string, timeoutMs: number): Promise<NsdServer> {
  const confPath = join(dir, 'nsd.conf');
  await writeFile(confPath, nsdConf(dir, port, zones));
  await rm(join(dir, 'nsd.log'), { force: true });
  const readLog = async (): Promise<string> => readFile(join(dir, 'nsd.log'), 'utf8').catch(() => '');
  // nsd is in /usr/sbin, which a non-root PATH may lack.
  const env = { ...process.env, PATH: `${process.env['PATH'] ?? ''}:/usr/sbin:/sbin` };
  const child: ChildProcess = spawn('nsd', ['-d', '-c', confPath], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (err) => {
      output += String(err);
      resolve(-1);
    });
  });
  let exitCode: number | null | undefined;
  // If the test process dies first, NSD must not outlive it.
  const orphanGuard = (): void => { child.kill('SIGKILL'); };
  process.once('exit', orphanGuard);
  void exited.then((c) => {
    exitCode = c;
    process.off('exit', orphanGuard);
  });

  const stop = async (): Promise<void> => {
    if (exitCode === undefined) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exitCode !== undefined) throw new Error(`nsd exited with ${exitCode} on port ${port}:\n${output}${await readLog()}`);
    try {
      const reply = await query({ host: HOST, port, name: probe, type: 'SOA', timeoutMs: 200 });
      if (reply.authoritative) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`nsd did not answer ${probe} SOA on ${HOST}:${port} within ${timeoutMs}ms:\n${output}${await readLog()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  let closed: Promise<void> | null = null;
  return {
    host: HOST,
    port,
    dir,
    log: readLog,
    close: () => {
      closed ??= (async () => {
        await stop();
        await rm(dir, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}
