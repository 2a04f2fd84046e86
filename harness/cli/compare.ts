/**
 * `npm run compare -- A B [--format text|markdown]`: B against A.
 * Exit 0: no regression. 1: B regressed against A. 2: bad usage or an unreadable report.
 */
import { parseArgs } from 'node:util';
import { appendStepSummary } from '../report/markdown.ts';
import { compareReports, renderComparison } from '../report/compare.ts';
import { ReportError } from '../report/errors.ts';
import { readReport } from '../report/read.ts';

const USAGE = `usage: npm run compare -- A B [--format text|markdown]

  A, B       report.json files or run directories (reports/<run-id>/); B is compared against A
  --format   text (default) or markdown
  -h, --help this help

Verdict changes come first, then metric deltas: exact counts (zones alive, timers, fds, leaks)
regress on any increase; retained bytes, heap slope and timings only beyond the tolerances in
reports/README.md. When $GITHUB_STEP_SUMMARY is set, the markdown form is appended to it.

exit 0: no regression, 1: B regressed against A, 2: bad usage or unreadable report`;

function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { format: { type: 'string', default: 'text' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    process.stderr.write(`compare: ${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const format = parsed.values.format;
  if (format !== 'text' && format !== 'markdown') {
    process.stderr.write(`compare: --format must be text or markdown, got '${format}'\n`);
    return 2;
  }
  if (parsed.positionals.length !== 2) {
    process.stderr.write(`compare: expected two reports (A B), got ${parsed.positionals.length}\n\n${USAGE}\n`);
    return 2;
  }
  const [pathA, pathB] = parsed.positionals as [string, string];
  try {
    const comparison = compareReports(readReport(pathA), readReport(pathB), { a: pathA, b: pathB });
    process.stdout.write(renderComparison(comparison, format));
    appendStepSummary(renderComparison(comparison, 'markdown'));
    return comparison.regressions > 0 ? 1 : 0;
  } catch (err) {
    if (err instanceof ReportError) {
      process.stderr.write(`compare: ${err.message}\n`);
      return err.exitCode;
    }
    // An internal error must not exit 1, which CI reads as "regressed".
    process.stderr.write(`compare: internal error: ${(err as Error).stack ?? String(err)}\n`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
