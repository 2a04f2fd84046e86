/** `npm run leak-check`: thin entry point; the logic is in harness/leak/leak-check.ts. */
import path from 'node:path';
import { leakCheck, parseArgs, USAGE, UsageError, verdictTable } from '../leak/leak-check.ts';
import { ScenarioError } from '../leak/scenario/errors.ts';
import { writeReport } from '../report/write.ts';
import { appendStepSummary, renderMarkdown } from '../report/markdown.ts';
import { compareProfiles } from '../report/compare.ts';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  let args;
  try {
    args = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`leak-check: ${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // Ctrl-C: stop between runs and write no report, so nothing half-done reads as valid.
  const abort = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\nleak-check: interrupted; finishing the current run, then exiting without a report\n');
    abort.abort();
  });
  const io = { out: (l: string) => process.stdout.write(`${l}\n`), err: (l: string) => process.stderr.write(`${l}\n`), tty: Boolean(process.stderr.isTTY) };
  try {
    const { report, id, runs } = await leakCheck(args, argv, io, abort.signal);
    if (abort.signal.aborted) return 2;
    if (args.profiles.length > 1) report.comparisons = compareProfiles(report);
    const dir = path.resolve(args.out, id);
    const files = await writeReport(dir, report);
    appendStepSummary(renderMarkdown(report));
    const passed = runs.filter((r) => r.verdict === 'pass').length;
    const failed = runs.length - passed;
    io.out('');
    io.out(verdictTable(runs));
    io.out('');
    io.out(`report: ${path.relative(process.cwd(), files.json)}`);
    io.out(`        ${path.relative(process.cwd(), files.md)}`);
    io.out(`        ${path.relative(process.cwd(), files.html)}`);
    io.out(`${passed} passed, ${failed} failed`);
    return failed > 0 ? 1 : 0;
  } catch (err) {
    if (err instanceof ScenarioError || err instanceof UsageError) {
      io.err(`leak-check: ${err.message}`);
      return 2;
    }
    if ((err as { code?: string }).code === 'ERR_INTERRUPTED') return 2;
    io.err(`leak-check: internal error: ${(err as Error).stack ?? String(err)}`);
    return 2;
  }
}

process.exitCode = await main();
