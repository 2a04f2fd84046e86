/** `npm run bench`: thin entry point; the logic is in harness/bench/bench.ts. */
import path from 'node:path';
import { BENCH_USAGE, BenchUsageError, benchReport, benchTable, checkPeers, parseBenchArgs, runSuites, selectSuites } from '../bench/bench.ts';
import { MissingPeerError } from '../bench/peers.ts';
import { appendStepSummary, renderMarkdown } from '../report/markdown.ts';
import { prepareReportDir, writeReport } from '../report/write.ts';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  let args;
  try {
    args = parseBenchArgs(argv);
  } catch (err) {
    if (!(err instanceof BenchUsageError)) throw err;
    process.stderr.write(`bench: ${err.message}\n\n${BENCH_USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return 0;
  }
  const suites = selectSuites(args.only);
  try {
    checkPeers(suites);
  } catch (err) {
    if (!(err instanceof MissingPeerError)) throw err;
    process.stderr.write(`bench: ${err.message}\n`);
    return 2;
  }
  const started = new Date();
  let results;
  try {
    results = await runSuites(suites, { quick: args.quick, log: (l) => process.stderr.write(`${l}\n`) });
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\nno report written\n`);
    return 2;
  }
  const report = benchReport(results, argv, started, new Date());
  const dir = path.resolve(args.out, report.runId);
  await prepareReportDir(dir);
  const files = await writeReport(dir, report);
  appendStepSummary(renderMarkdown(report));
  process.stdout.write(`\n${benchTable(results)}\n\nreport: ${path.relative(process.cwd(), files.json)}\n`);
  return 0;
}

// Explicit exit: a leaking profile measured by the detection suite leaves its timers armed
// (that is the leak), and they would keep this process alive.
process.exit(await main());
