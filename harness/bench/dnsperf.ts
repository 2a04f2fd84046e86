/**
 * dnsperf (Debian package dnsperf) as a child process: a fixed-duration UDP run against one
 * server on loopback, and a parser for its statistics block.
 */
import { spawn } from 'node:child_process';
import { toolPath } from './peers.ts';

export interface DnsperfStats {
  sent: number;
  completed: number;
  lost: number;
  /** Response code -> count, e.g. `{ NOERROR: 502456 }`. */
  rcodes: Record<string, number>;
  runTimeS: number;
  qps: number;
  avgLatencyS: number;
}

export class DnsperfOutputError extends Error {
  readonly code = 'BENCH_DNSPERF_OUTPUT';
}

function field(text: string, label: string): string {
  const m = new RegExp(`^\\s*${label}:\\s*(.+)$`, 'm').exec(text);
  if (!m?.[1]) throw new DnsperfOutputError(`dnsperf output has no '${label}' line:\n${text.slice(-2000)}`);
  return m[1].trim();
}

function leadingNumber(s: string, label: string): number {
  const n = Number(/^[0-9.]+/.exec(s)?.[0]);
  if (!Number.isFinite(n)) throw new DnsperfOutputError(`dnsperf '${label}' is not a number: ${s}`);
  return n;
}

/** Parses the `Statistics:` block dnsperf 2.x prints at the end of a run. */
export function parseDnsperfOutput(text: string): DnsperfStats {
  const rcodes: Record<string, number> = {};
  const rc = field(text, 'Response codes');
  for (const m of rc.matchAll(/([A-Z]+) (\d+) \(/g)) rcodes[m[1]!] = Number(m[2]);
  return {
    sent: leadingNumber(field(text, 'Queries sent'), 'Queries sent'),
    completed: leadingNumber(field(text, 'Queries completed'), 'Queries completed'),
    lost: leadingNumber(field(text, 'Queries lost'), 'Queries lost'),
    rcodes,
    runTimeS: leadingNumber(field(text, 'Run time \\(s\\)'), 'Run time (s)'),
    qps: leadingNumber(field(text, 'Queries per second'), 'Queries per second'),
    avgLatencyS: leadingNumber(field(text, 'Average Latency \\(s\\)'), 'Average Latency (s)'),
  };
}

export interface DnsperfRun {
  port: number;
  /** Query file: `name type` per line. */
  queryFile: string;
  durationS: number;
  /** Simulated clients (sockets). @default 4 */
  clients?: number;
  /** Outstanding queries. @default 100 */
  outstanding?: number;
}

/** Runs dnsperf without blocking the event loop (the server under test may live in this process). */
export function runDnsperf(run: DnsperfRun): Promise<DnsperfStats> {
  const args = [
    '-s', '127.0.0.1', '-p', String(run.port), '-d', run.queryFile, '-l', String(run.durationS),
    '-c', String(run.clients ?? 4), '-q', String(run.outstanding ?? 100), '-T', '1', '-t', '2',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('dnsperf', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PATH: toolPath() } });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    // dnsperf stops itself after -l seconds plus its query timeout; this is only a backstop.
    const kill = setTimeout(() => child.kill('SIGKILL'), (run.durationS + 30) * 1000);
    child.on('error', (e) => {
      clearTimeout(kill);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(kill);
      if (code !== 0) {
        reject(new DnsperfOutputError(`dnsperf ${args.join(' ')} exited with ${signal ?? code}:\n${out.slice(-2000)}`));
        return;
      }
      try {
        resolve(parseDnsperfOutput(out));
      } catch (e) {
        reject(e);
      }
    });
  });
}
