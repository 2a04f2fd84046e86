import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readReport } from '../../report/read.ts';
import { makeRun } from '../../report/testing/fixtures.ts';
import { parseReproArgs } from './args.ts';
import { isReproduced, runRepro, type ReproOutcome } from './repro.ts';

const REPO = path.resolve(import.meta.dirname, '../../..');
let out = '';

async function repro(argv: string[]): Promise<{ outcome: ReproOutcome; lines: string[]; errors: string[] }> {
  const lines: string[] = [];
  const errors: string[] = [];
  const outcome = await runRepro(parseReproArgs([...argv, '--out', out]), argv, { out: (l) => lines.push(l), err: (l) => errors.push(l) });
  return { outcome, lines, errors };
}

/** The live lines of one profile's block. */
function liveBlock(lines: string[], header: string): string[] {
  const start = lines.indexOf(header);
  const block: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (!l.startsWith('  ')) break;
    block.push(l);
  }
  return block;
}

beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'reloadleak-repro-'));
});
afterAll(() => {
  fs.rmSync(out, { recursive: true, force: true });
});

describe('npm run repro --reloads 3 --zones 2 (coredns-1.11.3 beside fixed)', () => {
  let r: Awaited<ReturnType<typeof repro>>;
  beforeAll(async () => {
    r = await repro(['--reloads', '3', '--zones', '2']);
  }, 60_000);

  it('reproduces: exit 0, no errors', () => {
    expect(r.errors).toEqual([]);
    expect(r.outcome.reproduced).toBe(true);
    expect(r.outcome.exitCode).toBe(0);
    expect(r.lines.at(-1)).toMatch(/^reproduced: coredns-1\.11\.3 left 8 zone\(s\) alive after 3 reloads and stop \(predicted 8\), fixed 0 \[\d+\.\d s\]$/);
  });

  it('counts exactly Z·(N+1) = 8 zones for coredns-1.11.3 and Z = 2 for fixed after the last reload', () => {
    const { buggy, fixed } = r.outcome;
    const lastReload = (run: typeof buggy) => run.series.at(-2)!;
    expect(lastReload(buggy)).toMatchObject({ zonesAlive: 8, instancesAlive: 1, timers: { zoneReload: 8, autoWalk: 1, corefileWatch: 1, total: 10 } });
    expect(lastReload(fixed)).toMatchObject({ zonesAlive: 2, instancesAlive: 1, timers: { zoneReload: 2, autoWalk: 1, corefileWatch: 1, total: 4 } });
    expect(buggy.series.at(-1)).toMatchObject({ zonesAlive: 8, timers: { zoneReload: 8, total: 8 } });
    expect(fixed.series.at(-1)).toMatchObject({ zonesAlive: 0, timers: { total: 0 } });
    expect(buggy).toMatchObject({ verdict: 'fail', expectedToFail: true, signatureMatched: true });
    expect(fixed).toMatchObject({ verdict: 'pass', expectedToFail: false, signatureMatched: true });
  });

  it('prints one live line per reload for each profile, growing by Z for coredns-1.11.3', () => {
    const fixed = liveBlock(r.lines, 'fixed (the baseline):');
    const buggy = liveBlock(r.lines, 'coredns-1.11.3:');
    expect(fixed).toHaveLength(5);
    expect(buggy).toHaveLength(5);
    const zones = (l: string) => Number(/zones alive +(\d+)/.exec(l)?.[1]);
    expect(buggy.map(zones)).toEqual([2, 4, 6, 8, 8]);
    expect(fixed.map(zones)).toEqual([2, 2, 2, 2, 0]);
    expect(buggy[3]).toMatch(/^ {2}reload 3\/3 {2}zones alive 8 {2}zone timers 8 {2}heap +\d+\.\d MB$/);
    expect(buggy[0]).toMatch(/^ {2}started/);
    expect(buggy[4]).toMatch(/^ {2}stopped/);
  });

  it('explains one leaked zone: a real stopped instance, its timer and a creation site in harness/dns', () => {
    const e = r.outcome.explanation!;
    expect(e).not.toBeNull();
    const leakedInstances = Object.keys(r.outcome.buggy.heap!.zonesByInstance);
    expect(leakedInstances).toContain(e.instanceId);
    expect(r.outcome.buggy.leaks.some((l) => l.what === 'Zone' && l.owner.instanceId === e.instanceId && l.owner.zone === e.zone)).toBe(true);
    // The oldest instance: the first reload stopped it.
    const ids = leakedInstances.map((id) => Number(id.slice(1)));
    expect(Number(e.instanceId.slice(1))).toBe(Math.min(...ids));
    expect(e.stoppedBy).toBe(1);
    expect(e.zone).toBe('example.org.');
    const site = /^(harness\/dns\/[\w/.-]+\.ts):(\d+):\d+/.exec(e.createdAt ?? '');
    expect(site).not.toBeNull();
    const source = fs.readFileSync(path.join(REPO, site![1]!), 'utf8').split('\n')[Number(site![2]) - 1];
    expect(source).toMatch(/every\(/);
    expect(e.intervalMs).toBe(600);
    expect(e.timerToZone[0]).toMatch(/^Timeout\./);
    expect(e.timerToZone.at(-1)).toMatch(/\.zone$/);
    expect(e.sentence).toContain(`zone example.org. of instance ${e.instanceId} (stopped by reload 1) is still reachable: its zone-reload Timeout (plugin/auto, every 600 ms, created at ${site![1]}:`);
    expect(r.lines).toContain(`Why: ${e.sentence}`);
  });

  it('prints the table with the buggy counts marked against the prediction', () => {
    const row = r.lines.flatMap((l) => l.split('\n')).find((l) => l.startsWith('zones alive (after reload 3)'));
    expect(row?.split(/\s{2,}/)).toEqual(['zones alive (after reload 3)', '8 ✓', '8', '2']);
  });

  it('writes a report that reads back: both runs, the comparison against fixed, the scenario and the snapshot', () => {
    const { files, dir } = r.outcome;
    expect(path.basename(dir)).toMatch(/^\d{4}-\d\d-\d\dT[\d-]+Z-repro$/);
    for (const f of [files.json, files.md, files.html, files.scenario, ...files.snapshots]) expect(fs.existsSync(f), f).toBe(true);
    expect(files.snapshots.map((f) => path.basename(f))).toEqual(['issue-6703-repro.coredns-1.11.3.heapsnapshot']);
    const report = readReport(dir);
    expect(report.kind).toBe('leak-check');
    expect(report.runs.map((x) => [x.profile, x.verdict])).toEqual([['fixed', 'pass'], ['coredns-1.11.3', 'fail']]);
    expect(report.comparisons?.map((c) => [c.a.label, c.b.label])).toEqual([['profile fixed', 'profile coredns-1.11.3']]);
    expect(report.options.argv).toEqual(['--reloads', '3', '--zones', '2']);
    for (const f of [files.json, files.md, files.html, files.scenario]) expect(r.lines.join('\n')).toContain(path.relative(process.cwd(), f));
  });
});

describe('npm run repro with other profiles', () => {
  it('coredns-1.10.0 also leaks one walk and one watcher timer per instance, and the live line shows them', async () => {
    const { outcome, lines } = await repro(['--profile', 'coredns-1.10.0', '--reloads', '2']);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.buggy.series.at(-2)).toMatchObject({ zonesAlive: 3, timers: { zoneReload: 3, autoWalk: 3, corefileWatch: 3 } });
    expect(liveBlock(lines, 'coredns-1.10.0:')[2]).toMatch(/^ {2}reload 2\/2 {2}zones alive 3 {2}zone timers 3 {2}walk 3 {2}watch 3 {2}heap/);
  }, 60_000);

  it('coredns-1.11.4 carries the fix: predicted clean, clean, nothing to explain, exit 0', async () => {
    const { outcome, lines } = await repro(['--profile', 'coredns-1.11.4', '--reloads', '2', '--zones', '3']);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.explanation).toBeNull();
    expect(outcome.buggy).toMatchObject({ verdict: 'pass', signatureMatched: true });
    expect(outcome.buggy.series.at(-2)).toMatchObject({ zonesAlive: 3 });
    expect(lines).toContain('Why: no zone of coredns-1.11.4 outlived its instance: it carries the fix (PR 6705).');
  }, 60_000);
});

describe('whether the repro reproduced', () => {
  it.each([
    ['the signature held and fixed passed', { verdict: 'fail', signatureMatched: true }, { verdict: 'pass', signatureMatched: true }, true],
    ['a clean profile predicted clean', { verdict: 'pass', signatureMatched: true }, { verdict: 'pass', signatureMatched: true }, true],
    ['the counts differed from the signature', { verdict: 'fail', signatureMatched: false }, { verdict: 'pass', signatureMatched: true }, false],
    ['the profile run broke', { verdict: 'error', signatureMatched: false }, { verdict: 'pass', signatureMatched: true }, false],
    ['fixed leaked', { verdict: 'fail', signatureMatched: true }, { verdict: 'fail', signatureMatched: false }, false],
    ['fixed broke', { verdict: 'fail', signatureMatched: true }, { verdict: 'error', signatureMatched: false }, false],
  ] as const)('%s → %s', (_name, buggy, fixed, want) => {
    expect(isReproduced(makeRun({ profile: 'coredns-1.11.3', ...buggy }), makeRun({ ...fixed }))).toBe(want);
  });
});
