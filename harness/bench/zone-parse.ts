import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import { BIND_MISSING, CHECKZONE_ARGS, hasNamedCheckzone } from '../dns/zone/master/bind-checkzone.ts';
import { parseMasterFile } from '../dns/zone/master/parse.ts';
import type { BenchResult } from '../report/schema.ts';
import { benchResult } from './result.ts';
import type { SuiteOptions } from './suite.ts';

/**
 * A realistic zone of exactly `records` records (at least 4): SOA, apex NS and MX, then hosts
 * with A/AAAA, mail exchangers, TXT (SPF/DKIM-like, some with `;` inside quotes), CNAMEs, SRV
 * and delegations with glue. Deterministic, so BIND and we read the same text.
 */
export function generateZone(records: number, origin: string): string {
  const o = origin.endsWith('.') ? origin : `${origin}.`;
  const lines: string[] = [
    `$ORIGIN ${o}`,
    '$TTL 3600',
    `@\tIN\tSOA\tns1.${o} hostmaster.${o} (\n\t\t2024010101 ; serial\n\t\t7200 3600 1209600 300 )`,
    '\tIN\tNS\tns1',
    '\tIN\tMX\t10 mail',
    `ns1\tIN\tA\t192.0.2.53`,
  ];
  let n = 4;
  for (let i = 0; n < records; i++) {
    const host = `host${i}`;
    const a = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const emit = (line: string): void => {
      if (n < records) {
        lines.push(line);
        n++;
      }
    };
    emit(`${host}\t300\tIN\tA\t${a}`);
    switch (i % 8) {
      case 0: emit(`\tIN\tAAAA\t2001:db8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::1`); break;
      case 1: emit(`\tIN\tMX\t${10 + (i % 5) * 10} mx${i % 3}.${o}`); break;
      case 2: emit(`\tIN\tTXT\t"v=spf1 ip4:${a} -all"`); break;
      case 3: emit(`www${i}\tIN\tCNAME\t${host}`); break;
      case 4: emit(`_sip._tcp.${host}\t600\tIN\tSRV\t10 60 5060 ${host}.${o}`); break;
      case 5: emit(`sel${i}._domainkey\tIN\tTXT\t"v=DKIM1; k=rsa; " "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC${i}"`); break;
      case 6:
        emit(`sub${i}\tIN\tNS\tns.sub${i}`);
        emit(`ns.sub${i}\tIN\tA\t192.0.2.${i % 250}`);
        break;
      default: emit(`\tIN\tAAAA\t2001:db8::${(i & 0xffff).toString(16)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export interface ZoneParseBenchDetails {
  records: number;
  bytes: number;
  ourMeanMs: number;
  ourP50Ms: number;
  ourSamples: number;
  /** Wall time of each `named-checkzone` run on the same file (process start included). */
  bindRunsMs: number[];
  bindMedianMs: number;
  /** Wall time of `named-checkzone` on a 4-record zone: its fixed start-up cost, for reading the figure (not subtracted). */
  bindStartupMs: number;
  bindVersion: string;
  node: string;
}

export interface ZoneParseBenchResult {
  ourRecordsPerSec: number;
  bindRecordsPerSec: number;
  /** ourRecordsPerSec / bindRecordsPerSec: above 1 means we parse faster than BIND loads. */
  ratio: number;
  details: ZoneParseBenchDetails;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

function timeCheckzone(origin: string, file: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('named-checkzone', [...CHECKZONE_ARGS, origin, file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`named-checkzone refused the generated zone: ${r.stdout}${r.stderr}`);
  return ms;
}

/**
 * Our parser (tinybench) against BIND's `named-checkzone` (spawned, wall time, a few runs) on
 * the same generated zone file. Nothing is subtracted from BIND's time; its start-up cost is
 * reported separately in `details.bindStartupMs`.
 */
export async function benchZoneParse(opts: { records: number; quick: boolean }): Promise<ZoneParseBenchResult> {
  if (!hasNamedCheckzone()) throw new Error(BIND_MISSING);
  const origin = 'bench.example.';
  const dir = mkdtempSync(join(tmpdir(), 'zone-parse-bench-'));
  try {
    const file = join(dir, 'db.bench');
    const text = generateZone(opts.records, origin);
    writeFileSync(file, text);
    const tiny = join(dir, 'db.tiny');
    writeFileSync(tiny, generateZone(4, origin));

    const parsed = parseMasterFile(text, { origin, file });
    if (parsed.length !== opts.records) throw new Error(`generated ${parsed.length} records, wanted ${opts.records}`);

    const bench = new Bench({
      name: 'zone-parse',
      time: opts.quick ? 500 : 3000,
      iterations: opts.quick ? 5 : 10,
      // The parser is JIT-compiled on the first passes; warm it up like BIND's compiled code.
      warmupIterations: opts.quick ? 3 : 5,
      warmupTime: opts.quick ? 200 : 1000,
      throws: true,
    });
    bench.add(`parseMasterFile ${opts.records} records`, () => {
      parseMasterFile(text, { origin, file });
    });
    await bench.run();
    const result = bench.tasks[0]?.result;
    if (result === undefined || !('latency' in result)) throw new Error('tinybench gave no statistics');

    const runs = opts.quick ? 2 : 5;
    timeCheckzone(origin, file); // first run warms the page cache for a fair comparison
    const bindRunsMs: number[] = [];
    for (let i = 0; i < runs; i++) bindRunsMs.push(timeCheckzone(origin, file));
    const startup: number[] = [];
    for (let i = 0; i < runs; i++) startup.push(timeCheckzone(origin, tiny));

    const ourMeanMs = result.latency.mean;
    const bindMedianMs = median(bindRunsMs);
    const ourRecordsPerSec = opts.records / (ourMeanMs / 1000);
    const bindRecordsPerSec = opts.records / (bindMedianMs / 1000);
    const version = spawnSync('named-checkzone', ['-v'], { encoding: 'utf8' }).stdout.trim();
    return {
      ourRecordsPerSec,
      bindRecordsPerSec,
      ratio: ourRecordsPerSec / bindRecordsPerSec,
      details: {
        records: opts.records,
        bytes: Buffer.byteLength(text),
        ourMeanMs,
        ourP50Ms: result.latency.p50,
        ourSamples: result.latency.samplesCount,
        bindRunsMs,
        bindMedianMs,
        bindStartupMs: median(startup),
        bindVersion: version,
        node: process.version,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Records in the benchmark zone: big enough that BIND's start-up is a small part of its time. */
export const ZONE_PARSE_RECORDS = { quick: 20_000, full: 200_000 } as const;

/** The zone-parse figure as a report entry: our records/s over BIND's, target at least 1. */
export async function zoneParseSuite(opts: SuiteOptions): Promise<BenchResult[]> {
  const records = opts.quick ? ZONE_PARSE_RECORDS.quick : ZONE_PARSE_RECORDS.full;
  const r = await benchZoneParse({ records, quick: opts.quick });
  opts.log?.(`zone parse: ours ${r.details.ourMeanMs.toFixed(1)} ms, named-checkzone median ${r.details.bindMedianMs.toFixed(1)} ms (start-up alone ${r.details.bindStartupMs.toFixed(1)} ms) for ${records} records`);
  return [benchResult({
    name: 'zone parsing',
    metric: `records/s (${records} records)`,
    value: r.ourRecordsPerSec,
    unit: 'records/s',
    better: 'higher',
    peer: { label: `named-checkzone (${r.details.bindVersion})`, value: r.bindRecordsPerSec },
    target: 1,
  })];
}
