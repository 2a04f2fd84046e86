/**
 * report.md: what a person reads first, in a terminal pager or a GitHub step summary.
 * Every name from a Corefile, a zone or a file is escaped; leak traces sit in fenced blocks
 * whose fence their text cannot close.
 */
import { appendFileSync } from 'node:fs';
import { renderComparison } from './render-comparison.ts';
import { escapeMarkdown as m, fenceFor } from './escape.ts';
import type { Report, RunResult } from './schema.ts';
import { axes, countRuns, leakMessage, verdictText } from './summary.ts';

/** GitHub rejects a step summary over 1 MiB; stay under it with room for other steps. */
export const STEP_SUMMARY_LIMIT_BYTES = 1000 * 1024;

const ICON = { pass: '✅', fail: '❌', error: '💥' } as const;

function verdictCell(r: RunResult | undefined): string {
  if (!r) return '—';
  return `${ICON[r.verdict]} ${m(verdictText(r))}`;
}

function header(report: Report): string[] {
  const c = countRuns(report.runs);
  const commit = report.tool.gitCommit ? ` (${report.tool.gitCommit.slice(0, 12)})` : '';
  const title = report.kind === 'bench'
    ? `# ${m(report.tool.name)} bench: ${report.bench?.length ?? 0} results`
    : `# ${m(report.tool.name)} leak-check: ${c.passed} passed, ${c.failed} failed${c.errored ? `, ${c.errored} errored` : ''}` +
      ` (${c.unexpected === 0 ? 'all as predicted' : `${c.unexpected} not as predicted`})`;
  return [
    title,
    '',
    `run ${m(report.runId)} · ${m(report.tool.name)} ${m(report.tool.version)}${m(commit)} · Node ${m(report.node)} · ${m(report.platform)} · ` +
      `${(report.durationMs / 1000).toFixed(1)} s · started ${m(report.startedAt)}`,
    '',
  ];
}

function verdictTable(report: Report): string[] {
  if (report.runs.length === 0) return [];
  const { scenarios, profiles } = axes(report);
  const find = (s: string, p: string): RunResult | undefined => report.runs.find((r) => r.scenario === s && r.profile === p);
  return [
    '## Verdicts',
    '',
    `| scenario | ${profiles.map(m).join(' | ')} |`,
    `|---|${profiles.map(() => '---').join('|')}|`,
    ...scenarios.map((s) => `| ${m(s)} | ${profiles.map((p) => verdictCell(find(s, p))).join(' | ')} |`),
    '',
  ];
}

function failedChecks(report: Report): string[] {
  const out: string[] = [];
  for (const r of report.runs) {
    const failed = r.checks.filter((c) => !c.ok);
    if (failed.length === 0 && !r.error) continue;
    out.push(`### ${m(r.scenario)} × ${m(r.profile)}: ${m(verdictText(r))}`, '');
    if (r.error) out.push(`error ${m(r.error.code)}: ${m(r.error.message)}`, '');
    if (failed.length) {
      out.push('| step | metric | expected | actual | kind |', '|---|---|---|---|---|');
      for (const c of failed) {
        out.push(`| ${m(c.step)} | ${m(c.metric)} | ${m(String(c.expected))} | ${m(String(c.actual))} | ${c.exact ? 'exact' : 'statistical'} |`);
      }
      out.push('');
    }
  }
  return out.length ? ['## Failed checks', '', ...out] : [];
}

function leaks(report: Report): string[] {
  const out: string[] = [];
  for (const r of report.runs) {
    if (r.leaks.length === 0) continue;
    const body = leakMessage(r);
    const fence = fenceFor(body);
    out.push(`### ${m(r.scenario)} × ${m(r.profile)}`, '', `${fence}text`, body, fence, '');
    if (r.heap?.snapshotFiles.length) out.push(`Heap snapshots (open in Chrome DevTools → Memory): ${r.heap.snapshotFiles.map(m).join(', ')}`, '');
  }
  return out.length ? ['## Leaks', '', ...out] : [];
}

function bench(report: Report): string[] {
  if (!report.bench?.length) return [];
  const rows = report.bench.map((b) => {
    const target = b.target ? `${b.target.met ? '✅' : '❌'} ${b.target.ratio}` : '';
    return `| ${m(b.name)} | ${m(b.metric)} | ${b.value} ${m(b.unit)} | ${m(b.peer ?? '—')} | ${b.peerValue ?? '—'} | ${b.ratio === null ? '—' : b.ratio.toFixed(3)} (${b.better} is better) | ${target} |`;
  });
  return ['## Benchmarks', '', '| suite | metric | value | peer | peer value | ratio | target |', '|---|---|---|---|---|---|---|', ...rows, ''];
}

function comparisons(report: Report): string[] {
  if (!report.comparisons?.length) return [];
  return ['## Profiles compared', '', ...report.comparisons.map((c) => renderComparison(c, 'markdown', '###'))];
}

/** The whole report as GitHub-flavoured markdown. */
export function renderMarkdown(report: Report): string {
  return `${[...header(report), ...verdictTable(report), ...failedChecks(report), ...leaks(report), ...bench(report), ...comparisons(report)].join('\n').trimEnd()}\n`;
}

/** Closes a fenced block left open by a cut, so the note after it is not read as code. */
function closeOpenFence(md: string): string {
  let open: string | null = null;
  for (const line of md.split('\n')) {
    const fence = /^(`{3,})/.exec(line)?.[1];
    if (open === null && fence !== undefined) open = fence;
    else if (open !== null && line === open) open = null;
  }
  return open === null ? md : `${md}${open}\n`;
}

/**
 * Appends `md` to the file named by `$GITHUB_STEP_SUMMARY` (GitHub Actions shows it on the run
 * page). Does nothing when the variable is unset; cuts an oversize summary with a pointer to
 * the full report.md. Returns whether it wrote.
 */
export function appendStepSummary(md: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const target = env['GITHUB_STEP_SUMMARY'];
  if (!target) return false;
  let text = md.endsWith('\n') ? md : `${md}\n`;
  if (Buffer.byteLength(text) > STEP_SUMMARY_LIMIT_BYTES) {
    const note = '\n\n_Summary cut at the step-summary size limit: the full report.md is in the run directory._\n';
    // Room for the separator newline below and a closing fence.
    const budget = STEP_SUMMARY_LIMIT_BYTES - Buffer.byteLength(note) - 1 - 64;
    // Cut on a line boundary so no table row or fence is left half-open mid-line.
    const cut = Buffer.from(text).subarray(0, budget).toString('utf8');
    text = closeOpenFence(cut.slice(0, cut.lastIndexOf('\n') + 1)) + note;
  }
  appendFileSync(target, `${text}\n`);
  return true;
}
