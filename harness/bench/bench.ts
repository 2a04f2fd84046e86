/**
 * `npm run bench`: the suites, their order, argument parsing, the result table and the
 * report draft. The CLI (harness/cli/bench.ts) only wires these to the process.
 */
import { reportHeader, runId } from '../report/tool-info.ts';
import type { BenchResult, Report } from '../report/schema.ts';
import { detectionSuite } from './detection.ts';
import { leakCheckCostSuite } from './leak-check-cost.ts';
import { hasTool, MissingPeerError, type PeerToolName } from './peers.ts';
import { restartLatencySuite } from './restart-latency.ts';
import type { Suite, SuiteOptions } from './suite.ts';
import { udpThroughputSuite } from './udp-throughput.ts';
import { zoneParseSuite } from './zone-parse.ts';

/** Every suite, in run order. */
export const SUITES: readonly Suite[] = [
  { name: 'zone-parse', needs: ['named-checkzone'], run: zoneParseSuite },
  { name: 'restart-latency', needs: [], run: restartLatencySuite },
  { name: 'udp-throughput', needs: ['nsd', 'dnsperf'], run: udpThroughputSuite },
  { name: 'leak-check-cost', needs: [], run: leakCheckCostSuite },
  { name: 'detection', needs: [], run: detectionSuite },
];

export class BenchUsageError extends Error {
  readonly code = 'BENCH_USAGE';
}

export interface BenchArgs {
  quick: boolean;
  only: string[];
  out: string;
  help: boolean;
}

export const BENCH_USAGE = `usage: npm run bench -- [--quick] [--only SUITE[,SUITE...]] [--out DIR]

Runs the benchmarks, each figure a ratio against a peer measured in the same run, and writes a
kind "bench" report to DIR/<run-id>-bench/ (default DIR: reports/) that npm run compare reads.

  --quick        smaller sizes and shorter runs (CI; about a minute)
  --only S,...   run only these suites: ${SUITES.map((s) => s.name).join(', ')}
  --out DIR      where the report directory is created (default: reports/)

Peers: named-checkzone (Debian bind9-utils), nsd (nsd), dnsperf (dnsperf).
Exit: 0 measured (targets met or not), 2 bad usage, a missing peer tool, or a suite that broke.`;

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { quick: false, only: [], out: 'reports', help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const inline = eq > 0 ? a.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '' || (inline === undefined && v.startsWith('--'))) throw new BenchUsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--quick':
        if (inline !== undefined) throw new BenchUsageError('--quick takes no value');
        args.quick = true;
        break;
      case '--only':
        for (const name of value().split(',').map((s) => s.trim()).filter(Boolean)) {
          if (!SUITES.some((s) => s.name === name)) throw new BenchUsageError(`unknown suite '${name}': expected one of ${SUITES.map((s) => s.name).join(', ')}`);
          if (!args.only.includes(name)) args.only.push(name);
        }
        break;
      case '--out':
        args.out = value();
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        throw new BenchUsageError(`unknown argument '${a}'`);
    }
  }
  return args;
}

export function selectSuites(only: readonly string[]): Suite[] {
  return only.length === 0 ? [...SUITES] : SUITES.filter((s) => only.includes(s.name));
}

/** Throws MissingPeerError (exit 2) before anything runs if a selected suite's peer is missing. */
export function checkPeers(suites: readonly Suite[], has: (t: PeerToolName) => boolean = hasTool): void {
  const missing = [...new Set(suites.flatMap((s) => s.needs))].filter((t) => !has(t));
  if (missing.length > 0) throw new MissingPeerError(missing);
}

export async function runSuites(suites: readonly Suite[], opts: SuiteOptions): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const s of suites) {
    opts.log?.(`bench: ${s.name}${opts.quick ? ' (quick)' : ''} ...`);
    try {
      out.push(...(await s.run(opts)));
    } catch (err) {
      throw new Error(`suite ${s.name} failed: ${(err as Error).message}`, { cause: err });
    }
  }
  return out;
}

function num(x: number): string {
  const a = Math.abs(x);
  if (Number.isInteger(x)) return String(x);
  if (a >= 1000) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 0.01) return x.toFixed(3);
  return x.toPrecision(3);
}

/** One row per figure: the ratio, and whether its target is met. */
export function benchTable(results: readonly BenchResult[]): string {
  const head = ['suite', 'figure', 'value', 'peer value', 'ratio', 'target', 'met'];
  const rows = results.map((r) => [
    r.name,
    r.metric,
    `${num(r.value)} ${r.unit}`,
    r.peerValue === null ? '-' : num(r.peerValue),
    r.ratio === null ? '-' : `${num(r.ratio)} (${r.better} better)`,
    r.target === undefined ? '-' : `${r.better === 'higher' ? '>=' : '<='} ${r.target.ratio}${r.ratio === null ? ' (value)' : ''}`,
    r.target === undefined ? '-' : r.target.met ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (row: string[]): string => row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n');
}

export function benchRunId(now: Date): string {
  return runId(now, 'bench');
}

export function benchReport(results: BenchResult[], argv: readonly string[], started: Date, finished: Date): Report {
  return {
    ...reportHeader('bench', benchRunId(started), started, finished),
    options: { argv: [...argv], profiles: [], scenarios: [], snapshots: null, timeScale: null },
    runs: [],
    bench: results,
    complete: true,
  };
}
