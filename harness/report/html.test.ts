import { describe, expect, it } from 'vitest';
import { renderHtml } from './html.ts';
import { compareProfiles } from './compare.ts';
import { makeReport, makeRun } from './testing/fixtures.ts';

const XSS = '<script>alert(1)</script>';

/** A report whose every data string is hostile. */
function hostileReport(): ReturnType<typeof makeReport> {
  const leaky = makeRun({ profile: 'coredns-1.11.3', scenario: `storm ${XSS}` });
  leaky.leaks[0]!.owner.zone = XSS;
  leaky.leaks[0]!.createdAt = `at load ("/etc/coredns/Corefile \\"quoted\\"":3) ${XSS}`;
  leaky.leaks[0]!.retainerPath = ['(GC roots)', `Map[${XSS}]`];
  leaky.checks[0]!.step = `probe after writing "/tmp/Core'file" ${XSS}`;
  leaky.series[1]!.label = `after ${XSS}`;
  leaky.heap!.snapshotFiles = [`a"b${XSS}.heapsnapshot`, 'javascript:alert(1)'];
  const clean = makeRun({ profile: `fixed${XSS}`, scenario: `storm ${XSS}` });
  const r = makeReport({ runId: `run ${XSS}`, runs: [clean, leaky], node: XSS });
  r.tool.version = '"><script>alert(2)</script>';
  r.comparisons = compareProfiles(r);
  return r;
}

describe('renderHtml', () => {
  const html = renderHtml(makeReport());

  it('is one self-contained document: no script, no external URL, a CSP that forbids both', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain("content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"");
  });

  it('draws zones alive, zone timers and heap used for the scenario, one line per profile with a legend', () => {
    for (const title of ['zones alive', 'zone reload timers', 'heap used after GC (MiB)']) {
      expect(html).toContain(`<title>auto-reload-storm: ${title}</title>`);
    }
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html.match(/<path d="M/g)).toHaveLength(6);
    expect(html.match(/<g class="legend">/g)).toHaveLength(6);
    // 21 samples per profile, each a point with its label on hover.
    expect(html).toContain('<title>coredns-1.11.3 · probe after reload #20: 21</title>');
    expect(html).toContain('<title>fixed · probe after reload #20: 1</title>');
  });

  it('has the verdict table and the leak trace', () => {
    expect(html).toContain('<tr><th>auto-reload-storm</th><td class="pass">pass</td><td class="expected">fail (expected, signature matched)</td></tr>');
    expect(html).toContain('20 × Zone owned by plugin/auto, zone example.org., instance inst-1');
    expect(html).toContain('retained by: (GC roots) → Timeout._onTimeout → closure → Zone');
  });

  it('escapes every name from Corefiles, zones and files', () => {
    const out = renderHtml(hostileReport());
    expect(out).not.toMatch(/<script/i);
    expect(out).toContain('reloadleak &quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('Corefile \\&quot;quoted\\&quot;');
    expect(out).toContain('Core&#39;file');
    // A file name is a relative link, never a URL scheme.
    expect(out).toContain('href="./javascript:alert(1)"');
    expect(out).not.toContain('href="javascript:');
  });
});
