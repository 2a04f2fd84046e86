/** Counts every renderer and CLI agrees on. */
import { escapeTerminal } from './escape.ts';
import type { LeakTrace, Report, RunResult } from './schema.ts';

export interface RunCounts {
  passed: number;
  failed: number;
  errored: number;
  /** Runs whose outcome is not what their scenario predicted (an unexpected pass or fail, or an error). */
  unexpected: number;
}

export function countRuns(runs: readonly RunResult[]): RunCounts {
  const c: RunCounts = { passed: 0, failed: 0, errored: 0, unexpected: 0 };
  for (const r of runs) {
    if (r.verdict === 'pass') c.passed++;
    else if (r.verdict === 'fail') c.failed++;
    else c.errored++;
    const asPredicted = r.verdict !== 'error' && (r.expectedToFail ? r.signatureMatched : r.verdict === 'pass');
    if (!asPredicted) c.unexpected++;
  }
  return c;
}

/** `pass`, `fail (expected, signature matched)`, `error (TIMEOUT)`. */
export function verdictText(r: RunResult): string {
  if (r.verdict === 'error') return `error${r.error ? ` (${r.error.code})` : ''}`;
  if (!r.expectedToFail) return r.verdict;
  return `${r.verdict} (expected, signature ${r.signatureMatched ? 'matched' : 'NOT matched'})`;
}

/** Scenarios and profiles in first-seen order, for verdict tables. */
export function axes(report: Report): { scenarios: string[]; profiles: string[] } {
  return {
    scenarios: [...new Set(report.runs.map((r) => r.scenario))],
    profiles: [...new Set(report.runs.map((r) => r.profile))],
  };
}

/** A name on one line: a newline in a zone name must not fake another line of the trace. */
const oneLine = (s: string): string => escapeTerminal(s);

/** The owner of a leak in words: `plugin/auto, zone example.org., instance inst-1`. */
export function ownerText(l: LeakTrace): string {
  const parts: string[] = [];
  if (l.owner.plugin !== null) parts.push(`plugin/${oneLine(l.owner.plugin)}`);
  if (l.owner.zone !== null) parts.push(`zone ${oneLine(l.owner.zone)}`);
  if (l.owner.instanceId !== null) parts.push(`instance ${oneLine(l.owner.instanceId)}`);
  return parts.length ? parts.join(', ') : 'unknown owner';
}

/**
 * goleak-style: one message listing every offender with its owner, creation site and retainer
 * path. Plain text; the caller escapes it for where it goes.
 */
export function leakMessage(r: RunResult): string {
  const total = r.leaks.reduce((n, l) => n + l.count, 0);
  const lines = [`found ${total} leaked object${total === 1 ? '' : 's'} in ${oneLine(r.scenario)} × ${oneLine(r.profile)}:`];
  for (const l of r.leaks) {
    lines.push(`  ${l.count} × ${l.what} owned by ${ownerText(l)}`);
    if (l.explanation) lines.push(`    why: ${oneLine(l.explanation)}`);
    if (l.retainerPath.length) lines.push(`    retained by: ${l.retainerPath.map(oneLine).join(' → ')}`);
    if (l.createdAt !== null) {
      const [first, ...rest] = escapeTerminal(l.createdAt, true).split('\n');
      lines.push(`    created at: ${first ?? ''}`, ...rest.map((f) => `                ${f.trim()}`));
    }
  }
  return lines.join('\n');
}
