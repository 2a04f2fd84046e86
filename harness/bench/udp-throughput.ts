/**
 * UDP queries per second under dnsperf: our server (the subject in this process, `file`
 * plugin, 127.0.0.1, ephemeral port) against NSD serving the same zone file, both measured in
 * the same run with the same query file of names that exist. Rounds alternate between the
 * two servers so a slow phase of the machine hits both.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProcess } from '../dns/index.ts';
import { parseMasterFile } from '../dns/zone/master/parse.ts';
import type { BenchResult } from '../report/schema.ts';
import { runDnsperf, type DnsperfStats } from './dnsperf.ts';
import { startNsd } from './nsd.ts';
import { benchResult, median } from './result.ts';
import type { SuiteOptions } from './suite.ts';
import { generateZone } from './zone-parse.ts';

export const UDP_TARGET_RATIO = 0.4;
export const ORIGIN = 'bench.example.';

export interface UdpThroughputOptions {
  records: number;
  durationS: number;
  rounds: number;
  log?: (line: string) => void;
}

export interface UdpThroughputMeasurement {
  ours: DnsperfStats[];
  nsd: DnsperfStats[];
  ourQps: number;
  nsdQps: number;
  nsdVersion: string;
  queryNames: number;
}

/**
 * `name type` lines for every A, AAAA, MX and TXT record at an authoritative name (names at
 * or below a delegation are glue or referrals, not answers).
 */
export function queryLines(zoneText: string, origin: string): string[] {
  const records = parseMasterFile(zoneText, { origin, file: 'bench' });
  const cuts = records.filter((r) => r.type === 'NS' && r.name !== origin).map((r) => r.name);
  const delegated = (name: string): boolean => cuts.some((c) => name === c || name.endsWith(`.${c}`));
  const lines = new Set<string>();
  for (const r of records) {
    if ((r.type === 'A' || r.type === 'AAAA' || r.type === 'MX' || r.type === 'TXT') && !delegated(r.name)) lines.add(`${r.name} ${r.type}`);
  }
  return [...lines];
}

function noErrorShare(s: DnsperfStats): number {
  const total = Object.values(s.rcodes).reduce((a, b) => a + b, 0);
  return total === 0 ? 0 : (s.rcodes['NOERROR'] ?? 0) / total;
}

function checkRun(who: string, s: DnsperfStats): void {
  // A server answering errors fast would measure the wrong thing.
  if (s.completed === 0 || noErrorShare(s) < 0.99) {
    throw new Error(`${who}: dnsperf got ${s.completed} answers with rcodes ${JSON.stringify(s.rcodes)}; expected NOERROR for names that exist`);
  }
}

export async function measureUdpThroughput(opts: UdpThroughputOptions): Promise<UdpThroughputMeasurement> {
  const dir = mkdtempSync(join(tmpdir(), 'udp-bench-'));
  const zoneText = generateZone(opts.records, ORIGIN);
  writeFileSync(join(dir, 'db.bench'), zoneText);
  const lines = queryLines(zoneText, ORIGIN);
  const queryFile = join(dir, 'queries.txt');
  writeFileSync(queryFile, `${lines.join('\n')}\n`);
  const corefile = `${ORIGIN}:0 {\n    file db.bench {\n        reload 0\n    }\n}\n`;
  writeFileSync(join(dir, 'Corefile'), corefile);
  const proc = createProcess({ profile: 'fixed', cwd: dir, corefilePath: join(dir, 'Corefile'), host: '127.0.0.1' });
  let nsd: Awaited<ReturnType<typeof startNsd>> | null = null;
  try {
    const inst = await proc.start(corefile);
    nsd = await startNsd(ORIGIN, zoneText);
    const ours: DnsperfStats[] = [];
    const theirs: DnsperfStats[] = [];
    for (let round = 0; round < opts.rounds; round++) {
      const a = await runDnsperf({ port: inst.port, queryFile, durationS: opts.durationS });
      checkRun('our server', a);
      ours.push(a);
      const b = await runDnsperf({ port: nsd.port, queryFile, durationS: opts.durationS });
      checkRun('nsd', b);
      theirs.push(b);
      opts.log?.(`udp round ${round + 1}/${opts.rounds}: ours ${a.qps.toFixed(0)} q/s (lost ${a.lost}), nsd ${b.qps.toFixed(0)} q/s (lost ${b.lost})`);
    }
    return {
      ours,
      nsd: theirs,
      ourQps: median(ours.map((s) => s.qps)),
      nsdQps: median(theirs.map((s) => s.qps)),
      nsdVersion: nsd.version,
      queryNames: lines.length,
    };
  } finally {
    await nsd?.stop();
    await proc.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

export function udpThroughputResult(m: UdpThroughputMeasurement, records: number): BenchResult {
  return benchResult({
    name: 'udp throughput',
    metric: `queries/s under dnsperf (${records}-record zone)`,
    value: m.ourQps,
    unit: 'queries/s',
    better: 'higher',
    peer: { label: `${m.nsdVersion}, server-count 1, rrl-ratelimit 0`, value: m.nsdQps },
    target: UDP_TARGET_RATIO,
  });
}

export async function udpThroughputSuite(opts: SuiteOptions & { records?: number; durationS?: number; rounds?: number }): Promise<BenchResult[]> {
  const records = opts.records ?? (opts.quick ? 2000 : 20_000);
  const m = await measureUdpThroughput({
    records,
    durationS: opts.durationS ?? (opts.quick ? 3 : 5),
    rounds: opts.rounds ?? (opts.quick ? 1 : 3),
    ...(opts.log ? { log: opts.log } : {}),
  });
  return [udpThroughputResult(m, records)];
}
