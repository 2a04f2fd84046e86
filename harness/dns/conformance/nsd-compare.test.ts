/**
 * Our server answers like an authoritative reference: the `file` plugin and NSD serve the same
 * zone, and `dig` and `kdig`, over UDP and TCP, must read the same rcode, AA and answer section
 * from both; authority and additional follow the rules in rows.ts (where CoreDNS differs from
 * NSD, CoreDNS's behaviour is pinned). The bulk runs against an in-process server; the real CLI
 * (`npm run serve`) is checked on one row per query class, and on SIGUSR1 and SIGTERM.
 *
 * NSD, dig and kdig must be installed (Debian: nsd, bind9-dnsutils, knot-dnsutils); a missing
 * one fails the file, naming the package.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dig, requireTools, type DigQuery, type DigResult, type DigTool } from '../testing/dig.ts';
import { freePort, startNsd, type NsdServer } from '../testing/nsd.ts';
import { startServer, type StartedServer } from '../testing/start.ts';
import { compareReplies, replyDigest, type ConformanceRow, type QueryClass } from './compare.ts';
import { ORIGIN, ROWS } from './rows.ts';

const HERE = import.meta.dirname;
const ZONE_FILE = join(HERE, 'zones', 'db.example.org');
const SECOND_ZONE_FILE = join(HERE, 'zones', 'db.example.net');
const SERVE = join(HERE, '..', '..', 'cli', 'serve.ts');
const REPO = join(HERE, '..', '..', '..');

const VARIANTS: ReadonlyArray<{ tool: DigTool; tcp: boolean }> = [
  { tool: 'dig', tcp: false },
  { tool: 'dig', tcp: true },
  { tool: 'kdig', tcp: false },
  { tool: 'kdig', tcp: true },
];
const label = (v: { tool: DigTool; tcp: boolean }): string => `${v.tool} ${v.tcp ? 'tcp' : 'udp'}`;

let nsd: NsdServer;

beforeAll(async () => {
  requireTools(['nsd', 'dig', 'kdig']);
  nsd = await startNsd([{ origin: ORIGIN, content: await readFile(ZONE_FILE, 'utf8') }]);
});
afterAll(async () => {
  await nsd?.close();
});

/**
 * Asks both servers the row's question with every client and transport, and collects every
 * problem: a difference from NSD not allowed by the row, or a reply that changes with the
 * client or transport.
 */
async function checkRow(row: ConformanceRow, oursPort: number): Promise<string[]> {
  const ask = (port: number, v: { tool: DigTool; tcp: boolean }): Promise<DigResult> => {
    const q: DigQuery = { tool: v.tool, tcp: v.tcp, port, name: row.name, type: row.type };
    return dig(q);
  };
  const replies = await Promise.all(VARIANTS.map(async (v) => ({ v, ours: await ask(oursPort, v), ref: await ask(nsd.port, v) })));
  const problems: string[] = [];
  for (const { v, ours, ref } of replies) {
    for (const p of compareReplies(row, ours, ref)) problems.push(`[${label(v)}] ${p}`);
  }
  const first = replies[0];
  if (first === undefined) throw new Error('no variants');
  for (const { v, ours, ref } of replies.slice(1)) {
    if (replyDigest(ours) !== replyDigest(first.ours)) problems.push(`ours: ${label(v)} reads a different reply than ${label(first.v)}:\n${replyDigest(ours)}\nvs\n${replyDigest(first.ours)}`);
    if (replyDigest(ref) !== replyDigest(first.ref)) problems.push(`ref: ${label(v)} reads a different reply than ${label(first.v)}`);
  }
  return problems;
}

describe('file plugin vs NSD on zones/db.example.org (in-process server)', () => {
  let ours: StartedServer;
  beforeAll(async () => {
    ours = await startServer(`${ORIGIN.slice(0, -1)}:0 {\n    file db.example.org\n}\n`, {
      files: { 'db.example.org': await readFile(ZONE_FILE, 'utf8') },
    });
  });
  afterAll(async () => {
    await ours?.close();
  });

  it('the table covers every query class with at least 25 rows', () => {
    const classes: QueryClass[] = ['answer', 'cname', 'wildcard', 'nxdomain', 'nodata', 'referral', 'ent'];
    expect(ROWS.length).toBeGreaterThanOrEqual(25);
    for (const c of classes) expect(ROWS.filter((r) => r.class === c).length, c).toBeGreaterThanOrEqual(2);
    expect(new Set(ROWS.map((r) => r.id)).size).toBe(ROWS.length);
  });

  it.each(ROWS.map((r) => [`${r.id} ${r.name} ${r.type} (${r.class})`, r] as const))('%s', async (_title, row) => {
    expect(await checkRow(row, ours.port())).toEqual([]);
  });
});

interface Serve {
  child: ChildProcess;
  port: number;
  stdout(): string;
  waitFor(re: RegExp, from?: number): Promise<void>;
  exited: Promise<number | null>;
}

/** `node --import tsx harness/cli/serve.ts --conf <Corefile>`, the port taken from the Corefile. */
async function spawnServe(dir: string, corefileFor: (port: number) => string): Promise<Serve> {
  let last = '';
  // The port is picked before serve binds it; on the rare lost race, pick another.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const conf = join(dir, 'Corefile');
    await writeFile(conf, corefileFor(port));
    const child = spawn(process.execPath, ['--import', 'tsx', SERVE, '--conf', conf], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const waitFor = async (re: RegExp, from = 0): Promise<void> => {
      const end = Date.now() + 20_000;
      while (!re.test(out.slice(from))) {
        if (child.exitCode !== null || Date.now() > end) throw new Error(`serve: no ${re} in stdout:\n${out}\nstderr:\n${err}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    try {
      await waitFor(new RegExp(`^example\\.org\\.:${port}$`, 'm'));
      return { child, port, stdout: () => out, waitFor, exited };
    } catch (e) {
      if (child.exitCode === null) child.kill('SIGKILL');
      last = e instanceof Error ? e.message : String(e);
    }
  }
  throw new Error(`serve did not start: ${last}`);
}

describe('npm run serve with `file` on the zone (the real CLI)', () => {
  let dir: string;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reloadleak-conformance-'));
    await writeFile(join(dir, 'db.example.org'), await readFile(ZONE_FILE, 'utf8'));
    await writeFile(join(dir, 'db.example.net'), await readFile(SECOND_ZONE_FILE, 'utf8'));
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });
  const orgBlock = (port: number): string => `example.org:${port} {\n    file ${join(dir, 'db.example.org')}\n}\n`;

  it('dig and kdig over UDP and TCP read the same as from NSD, one row per query class', async () => {
    const serve = await spawnServe(dir, orgBlock);
    children.push(serve.child);
    const seen = new Set<QueryClass>();
    const sample = ROWS.filter((r) => !seen.has(r.class) && seen.add(r.class));
    expect(sample.length).toBe(7);
    const problems = (await Promise.all(sample.map(async (r) => (await checkRow(r, serve.port)).map((p) => `${r.id}: ${p}`)))).flat();
    expect(problems).toEqual([]);
    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
  });

  it('SIGUSR1 re-reads the Corefile (a new zone answers, the old one still does); SIGTERM exits 0', async () => {
    const serve = await spawnServe(dir, orgBlock);
    children.push(serve.child);
    const ask = (name: string, type: string, tcp = false): Promise<DigResult> => dig({ tool: 'dig', port: serve.port, name, type, tcp });
    const before = await ask('www.example.net.', 'A');
    expect(before.rcode, 'example.net is not served yet').toBe('REFUSED');

    const conf = join(dir, 'Corefile');
    const mark = serve.stdout().length;
    await writeFile(conf, `${orgBlock(serve.port)}example.net:${serve.port} {\n    file ${join(dir, 'db.example.net')}\n}\n`);
    serve.child.kill('SIGUSR1');
    await serve.waitFor(/\[INFO\] Reloading complete/, mark);
    expect(serve.stdout().slice(mark)).toContain('[INFO] SIGUSR1: Reloading');

    for (const tcp of [false, true]) {
      const added = await ask('www.example.net.', 'A', tcp);
      expect(added.rcode).toBe('NOERROR');
      expect(added.flags).toContain('aa');
      expect(added.answer.map((r) => `${r.name} ${r.type} ${r.data}`)).toEqual(['www.example.net. A 192.0.2.180']);
      const kept = await ask('host.example.org.', 'A', tcp);
      expect(kept.flags).toContain('aa');
      expect(kept.answer.map((r) => `${r.name} ${r.type} ${r.data}`)).toEqual(['host.example.org. A 192.0.2.80']);
    }

    serve.child.kill('SIGTERM');
    expect(await serve.exited).toBe(0);
  });
});
