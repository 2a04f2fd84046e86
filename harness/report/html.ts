/**
 * report.html: one self-contained file that opens from disk with no network. Charts are
 * inline SVG, styles inline, no script at all; a Content-Security-Policy forbids scripts and
 * fetches even if a name slipped through unescaped (none should: every string from data goes
 * through escapeHtml).
 */
import { lineChart, type ChartSeries } from './chart.ts';
import { escapeHtml as h } from './escape.ts';
import { renderComparison } from './render-comparison.ts';
import type { Report, RunResult, StepSample } from './schema.ts';
import { axes, countRuns, leakMessage, verdictText } from './summary.ts';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #1b1f24; max-width: 1400px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 15px; margin: 20px 0 8px; } .meta { color: #57606a; }
table { border-collapse: collapse; margin: 8px 0; } th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.pass { background: #dafbe1; } .fail { background: #ffebe9; } .error { background: #fff8c5; } .expected { background: #f1f0fb; }
pre { background: #f6f8fa; padding: 8px 12px; overflow-x: auto; font-size: 12.5px; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
.chart { border: 1px solid #d0d7de; background: #fff; }
.chart-title { font-weight: 600; font-size: 13px; } .tick, .legend text { font-size: 11px; fill: #57606a; }
.grid { stroke: #eaeef2; } .axis { stroke: #8c959f; }
`;

function verdictClass(r: RunResult): string {
  if (r.verdict === 'error') return 'error';
  if (r.expectedToFail && r.signatureMatched) return 'expected';
  return r.verdict === 'pass' && !r.expectedToFail ? 'pass' : 'fail';
}

function verdictTable(report: Report): string {
  const { scenarios, profiles } = axes(report);
  const rows = scenarios.map((s) => {
    const cells = profiles.map((p) => {
      const r = report.runs.find((x) => x.scenario === s && x.profile === p);
      return r ? `<td class="${verdictClass(r)}">${h(verdictText(r))}</td>` : '<td>—</td>';
    });
    return `<tr><th>${h(s)}</th>${cells.join('')}</tr>`;
  });
  return `<table><thead><tr><th>scenario</th>${profiles.map((p) => `<th>${h(p)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const MiB = 1024 * 1024;
const CHARTS: readonly { title: string; pick: (s: StepSample) => number; formatY?: (y: number) => string; yFromZero?: boolean; integerY?: boolean }[] = [
  { title: 'zones alive', pick: (s) => s.zonesAlive, integerY: true },
  { title: 'zone reload timers', pick: (s) => s.timers.zoneReload, integerY: true },
  { title: 'heap used after GC (MiB)', pick: (s) => s.heapUsed / MiB, formatY: (y) => y.toFixed(2), yFromZero: false },
];

function scenarioCharts(report: Report, scenario: string): string {
  const runs = report.runs.filter((r) => r.scenario === scenario && r.series.length > 0);
  if (runs.length === 0) return '<p class="meta">no probe samples</p>';
  const charts = CHARTS.map((c) => {
    const series: ChartSeries[] = runs.map((r) => ({
      name: r.profile,
      points: r.series.map((s, i) => ({ x: i, y: c.pick(s), label: s.label })),
    }));
    return lineChart({ title: `${scenario}: ${c.title}`, xLabel: 'probe, in scenario order', series, ...(c.integerY ? { integerY: true } : {}), ...(c.formatY ? { formatY: c.formatY } : {}), ...(c.yFromZero === false ? { yFromZero: false } : {}) });
  });
  return `<div class="charts">${charts.join('\n')}</div>`;
}

function failedChecks(r: RunResult): string {
  const failed = r.checks.filter((c) => !c.ok);
  const error = r.error ? `<p><strong>error ${h(r.error.code)}</strong>: ${h(r.error.message)}</p>` : '';
  if (failed.length === 0) return error;
  const rows = failed.map((c) =>
    `<tr><td>${h(c.step)}</td><td>${h(c.metric)}</td><td class="num">${h(String(c.expected))}</td><td class="num">${h(String(c.actual))}</td><td>${c.exact ? 'exact' : 'statistical'}</td></tr>`);
  return `${error}<table><thead><tr><th>step</th><th>metric</th><th>expected</th><th>actual</th><th>kind</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function runDetails(r: RunResult): string {
  const parts: string[] = [];
  const checks = failedChecks(r);
  if (checks) parts.push(checks);
  if (r.leaks.length) parts.push(`<pre>${h(leakMessage(r))}</pre>`);
  if (r.growth) parts.push(`<p class="meta">heap growth ${h(r.growth.bytesPerReload.toFixed(0))} B/reload (r² ${h(r.growth.r2.toFixed(2))}, n ${r.growth.n})</p>`);
  if (r.heap?.snapshotFiles.length) {
    // `./` keeps a file name like `javascript:…` a relative path, never a URL scheme.
    parts.push(`<p class="meta">heap snapshots (Chrome DevTools → Memory → Load): ${r.heap.snapshotFiles.map((f) => `<a href="./${h(encodeURI(f))}">${h(f)}</a>`).join(', ')}</p>`);
  }
  if (parts.length === 0) return '';
  return `<h3>${h(r.scenario)} × ${h(r.profile)}: ${h(verdictText(r))}</h3>\n${parts.join('\n')}`;
}

function benchTable(report: Report): string {
  if (!report.bench?.length) return '';
  const rows = report.bench.map((b) =>
    `<tr><td>${h(b.name)}</td><td>${h(b.metric)}</td><td class="num">${h(String(b.value))} ${h(b.unit)}</td><td>${h(b.peer ?? '—')}</td>` +
    `<td class="num">${b.peerValue ?? '—'}</td><td class="num">${b.ratio === null ? '—' : b.ratio.toFixed(3)}</td><td>${b.better}</td>` +
    `<td>${b.target ? `${b.target.met ? 'met' : 'NOT met'} (${b.target.ratio})` : ''}</td></tr>`);
  return `<h2>Benchmarks</h2><table><thead><tr><th>suite</th><th>metric</th><th>value</th><th>peer</th><th>peer value</th><th>ratio</th><th>better</th><th>target</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The whole report as one HTML document. */
export function renderHtml(report: Report): string {
  const c = countRuns(report.runs);
  const { scenarios } = axes(report);
  const commit = report.tool.gitCommit ? ` (${report.tool.gitCommit.slice(0, 12)})` : '';
  const title = report.kind === 'bench'
    ? `${report.tool.name} bench`
    : `${report.tool.name} leak-check: ${c.passed} passed, ${c.failed} failed${c.errored ? `, ${c.errored} errored` : ''}`;
  const body: string[] = [
    `<h1>${h(title)}</h1>`,
    `<p class="meta">run ${h(report.runId)} · ${h(report.tool.name)} ${h(report.tool.version)}${h(commit)} · Node ${h(report.node)} · ${h(report.platform)} · ${(report.durationMs / 1000).toFixed(1)} s · started ${h(report.startedAt)}</p>`,
  ];
  if (report.runs.length) {
    body.push('<h2>Verdicts</h2>', verdictTable(report),
      `<p class="meta">${c.unexpected === 0 ? 'every run did what its scenario predicted' : `${c.unexpected} run(s) not as predicted`}; shaded lilac: a buggy profile failing exactly as its signature says.</p>`);
  }
  for (const s of scenarios) {
    body.push(`<h2>${h(s)}</h2>`, scenarioCharts(report, s));
    for (const r of report.runs.filter((x) => x.scenario === s)) {
      const d = runDetails(r);
      if (d) body.push(d);
    }
  }
  body.push(benchTable(report));
  if (report.comparisons?.length) {
    body.push('<h2>Profiles compared</h2>', ...report.comparisons.map((x) => `<pre>${h(renderComparison(x, 'text'))}</pre>`));
  }
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${h(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head><body>',
    ...body.filter((x) => x !== ''),
    '</body></html>',
    '',
  ].join('\n');
}
