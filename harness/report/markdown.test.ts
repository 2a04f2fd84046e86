import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendStepSummary, renderMarkdown, STEP_SUMMARY_LIMIT_BYTES } from './markdown.ts';
import { makeBench, makeReport, makeRun } from './testing/fixtures.ts';

describe('renderMarkdown', () => {
  const md = renderMarkdown(makeReport());

  it('heads with the counts and whether every run did what its scenario predicted', () => {
    expect(md.split('\n')[0]).toBe('# reloadleak leak-check: 1 passed, 1 failed (all as predicted)');
  });

  it('has a verdict table of scenario × profile', () => {
    expect(md).toContain('| scenario | fixed | coredns-1.11.3 |');
    expect(md).toContain('| auto-reload-storm | ✅ pass | ❌ fail (expected, signature matched) |');
  });

  it('lists failed checks with expected and actual', () => {
    expect(md).toContain('| probe after repeat #20 | zonesAlive | 1 | 21 | exact |');
  });

  it('lists every leak goleak-style in a fenced block: count, what, owner, why, retainer path, creation site', () => {
    expect(md).toContain([
      '```text',
      'found 20 leaked objects in auto-reload-storm × coredns-1.11.3:',
      '  20 × Zone owned by plugin/auto, zone example.org., instance inst-1',
      '    why: the zone reload timer of an old instance was never stopped, and its closure holds the Zone',
      '    retained by: (GC roots) → Timeout._onTimeout → closure → Zone',
      '    created at: at loadZone (harness/dns/plugins/auto/zones.ts:41:9)',
      '                at walk (harness/dns/plugins/auto/walk.ts:22:5)',
      '```',
    ].join('\n'));
  });

  it('says when a run did not do what was predicted', () => {
    const r = makeReport({ runs: [makeRun({ profile: 'coredns-1.11.3', signatureMatched: false })] });
    expect(renderMarkdown(r).split('\n')[0]).toBe('# reloadleak leak-check: 0 passed, 1 failed (1 not as predicted)');
  });

  it('renders an errored run with its code and message', () => {
    const r = makeReport({ runs: [makeRun({ verdict: 'error', error: { code: 'TIMEOUT', message: 'no reload outcome within 5 s' } })] });
    expect(renderMarkdown(r)).toContain('error TIMEOUT: no reload outcome within 5 s');
  });

  it('escapes names from Corefiles and zones: no HTML, no table breaks, no fence escape', () => {
    const evil = '<img src=x onerror=alert(1)>|`x`';
    const run = makeRun({ profile: 'coredns-1.11.3', scenario: evil });
    run.leaks[0]!.owner.zone = '```\n<script>alert(1)</script>';
    const out = renderMarkdown(makeReport({ runs: [run] }));
    // Inside a fenced block text is literal (GitHub escapes it); everywhere else it must be escaped.
    const outsideFences = out.replace(/^(`{3,})text\n[\s\S]*?^\1$/gm, '');
    expect(outsideFences).not.toContain('<img');
    expect(outsideFences).not.toContain('<script');
    expect(outsideFences).toContain('&lt;img src=x onerror=alert(1)&gt;\\|\\`x\\`');
    // The leak block's fence is longer than the ``` inside the zone name, so it cannot be closed
    // early, and the newline in the name cannot start a line of its own.
    expect(out).toContain('````text\n');
    expect(out).toContain('zone ```\\x0a<script>alert(1)</script>, instance inst-1');
  });

  it('renders a bench report as a results table', () => {
    const out = renderMarkdown(makeReport({ kind: 'bench', runs: [], bench: [makeBench({ target: { ratio: 0.4, met: true } })] }));
    expect(out.split('\n')[0]).toBe('# reloadleak bench: 1 results');
    expect(out).toContain('| zone parsing | records/s | 400000 records/s | named-checkzone | 800000 | 0.500 (higher is better) | ✅ 0.4 |');
  });
});

describe('appendStepSummary', () => {
  const file = (): string => path.join(mkdtempSync(path.join(tmpdir(), 'reloadleak-summary-')), 'summary.md');

  it('does nothing without GITHUB_STEP_SUMMARY', () => {
    expect(appendStepSummary('# hi\n', {})).toBe(false);
  });

  it('appends (never overwrites) to the file GitHub names', () => {
    const f = file();
    writeFileSync(f, 'earlier step\n');
    expect(appendStepSummary('# report\n', { GITHUB_STEP_SUMMARY: f })).toBe(true);
    expect(readFileSync(f, 'utf8')).toBe('earlier step\n# report\n\n');
  });

  it('cuts an oversize summary under the limit and closes an open fence', () => {
    const f = file();
    const big = `# big\n\n\`\`\`text\n${'leak line\n'.repeat(200_000)}\`\`\`\n`;
    appendStepSummary(big, { GITHUB_STEP_SUMMARY: f });
    const written = readFileSync(f, 'utf8');
    expect(Buffer.byteLength(written)).toBeLessThanOrEqual(STEP_SUMMARY_LIMIT_BYTES);
    expect(written).toContain('leak line\n```\n\n\n_Summary cut at the step-summary size limit');
  });
});
