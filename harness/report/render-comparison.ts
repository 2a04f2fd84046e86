/** A Comparison as terminal text or as markdown: verdict changes first, then metric deltas. */
import { escapeMarkdown, escapeTerminal } from './escape.ts';
import type { BenchDelta, Comparison, ComparisonEntry, DeltaStatus, MetricDelta } from './schema.ts';

export type ComparisonFormat = 'text' | 'markdown';

const STATUS_ORDER: readonly DeltaStatus[] = ['regression', 'improvement', 'changed', 'missing', 'noise', 'same'];
const STATUS_WORD: Record<DeltaStatus, string> = {
  regression: 'REGRESSION', improvement: 'improvement', changed: 'changed', missing: 'missing', noise: 'noise', same: 'same',
};

export function formatNumber(n: number | null): string {
  if (n === null) return '—';
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toPrecision(4)));
}

function formatDelta(a: number | null, b: number | null): string {
  if (a === null || b === null) return '';
  const d = b - a;
  const sign = d > 0 ? '+' : '';
  const rel = a !== 0 ? ` (${sign}${Math.round((d / Math.abs(a)) * 100)}%)` : '';
  return `${sign}${formatNumber(d)}${rel}`;
}

function entryLabel(e: ComparisonEntry): string {
  if (e.profileA === e.profileB || e.profileA === null || e.profileB === null) {
    return `${e.scenario} × ${e.profileA ?? e.profileB ?? '?'}`;
  }
  return `${e.scenario} (${e.profileA} vs ${e.profileB})`;
}

function byStatus<T extends { status: DeltaStatus }>(xs: readonly T[]): T[] {
  return [...xs].sort((x, y) => STATUS_ORDER.indexOf(x.status) - STATUS_ORDER.indexOf(y.status));
}

function sideLine(s: Comparison['a']): string {
  const commit = s.gitCommit ? `, commit ${s.gitCommit.slice(0, 12)}` : '';
  return `${s.label} (run ${s.runId}${commit})`;
}

function verdictLine(c: Comparison): string {
  if (c.mode === 'profiles') {
    return `${c.b.label} against ${c.a.label}: ${c.regressions} worse, ${c.improvements} better (a buggy profile's "worse" is its leak signature)`;
  }
  if (c.regressions > 0) return `B regressed against A: ${c.regressions} regression${c.regressions === 1 ? '' : 's'}, ${c.improvements} improvement${c.improvements === 1 ? '' : 's'}`;
  return `no regressions: ${c.improvements} improvement${c.improvements === 1 ? '' : 's'}`;
}

function renderText(c: Comparison): string {
  const t = (s: string): string => escapeTerminal(s);
  const lines: string[] = [`A: ${t(sideLine(c.a))}`, `B: ${t(sideLine(c.b))}`];
  for (const n of c.notes) lines.push(`note: ${t(n)}`);
  lines.push('', 'Verdict changes');
  const changed = byStatus(c.entries.filter((e) => e.status !== 'same'));
  if (changed.length === 0) lines.push(`  none (${c.entries.length} compared)`);
  for (const e of changed) lines.push(`  ${STATUS_WORD[e.status].padEnd(12)} ${t(entryLabel(e))}: ${t(e.summary)}`);
  lines.push('', 'Metric deltas');
  if (c.entries.length === 0) lines.push('  nothing to compare');
  for (const e of c.entries) {
    if (e.status === 'missing') continue;
    const moved = byStatus(e.deltas.filter((d) => d.status !== 'same'));
    lines.push(`  ${t(entryLabel(e))}${moved.length === 0 ? `: all ${e.deltas.length} metrics unchanged` : ''}`);
    const width = Math.max(0, ...moved.map((d) => d.metric.length));
    for (const d of moved) {
      lines.push(`    ${STATUS_WORD[d.status].padEnd(12)} ${t(d.metric).padEnd(width)}  ${formatNumber(d.a)} → ${formatNumber(d.b)}  ${formatDelta(d.a, d.b)}  [${t(d.rule)}]`);
    }
  }
  if (c.bench.length > 0) {
    lines.push('', 'Benchmarks');
    for (const d of byStatus(c.bench)) {
      lines.push(`  ${STATUS_WORD[d.status].padEnd(12)} ${t(d.name)}: ${t(d.metric)}  ${formatNumber(d.a)} → ${formatNumber(d.b)}  ${formatDelta(d.a, d.b)}  [${t(d.rule)}]`);
    }
  }
  lines.push('', verdictLine(c));
  return `${lines.join('\n')}\n`;
}

function deltaRow(label: string, d: MetricDelta | BenchDelta): string {
  const m = escapeMarkdown;
  return `| ${m(label)} | ${STATUS_WORD[d.status]} | ${formatNumber(d.a)} | ${formatNumber(d.b)} | ${m(formatDelta(d.a, d.b))} | ${m(d.rule)} |`;
}

function renderMarkdown(c: Comparison, heading: string): string {
  const m = escapeMarkdown;
  const lines: string[] = [`${heading} ${m(c.a.label)} → ${m(c.b.label)}`, '', `- A: ${m(sideLine(c.a))}`, `- B: ${m(sideLine(c.b))}`];
  for (const n of c.notes) lines.push(`- note: ${m(n)}`);
  lines.push('', `**${m(verdictLine(c))}**`, '');
  const changed = byStatus(c.entries.filter((e) => e.status !== 'same'));
  lines.push('| scenario × profile | verdict change | detail |', '|---|---|---|');
  if (changed.length === 0) lines.push(`| all ${c.entries.length} | none | |`);
  for (const e of changed) lines.push(`| ${m(entryLabel(e))} | ${STATUS_WORD[e.status]} | ${m(e.summary)} |`);
  const rows: string[] = [];
  for (const e of c.entries) {
    for (const d of byStatus(e.deltas.filter((x) => x.status !== 'same'))) rows.push(deltaRow(`${entryLabel(e)}: ${d.metric}`, d));
  }
  for (const d of byStatus(c.bench)) rows.push(deltaRow(`${d.name}: ${d.metric}`, d));
  lines.push('');
  if (rows.length === 0) lines.push('No metric moved.');
  else lines.push('| metric | status | A | B | Δ | rule |', '|---|---|---|---|---|---|', ...rows);
  return `${lines.join('\n')}\n`;
}

/** Terminal text (control characters in names shown as `\xNN`) or GitHub markdown (names escaped). */
export function renderComparison(c: Comparison, format: ComparisonFormat = 'text', heading = '##'): string {
  return format === 'text' ? renderText(c) : renderMarkdown(c, heading);
}
