import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../server/log.ts';
import type { Zone } from '../../zone/zone.ts';
import { compileZoneRegexp } from './regexp.ts';
import { walk, type WalkTarget } from './walk.ts';
import { Zones } from './zones.ts';

// ZONE-T of the vectors (section E).
const ZONE_T = `; testzone
@	IN	SOA	sns.dns.icann.org. noc.dns.icann.org. 2016082534 7200 3600 1209600 3600
		NS	a.iana-servers.net.
		NS	b.iana-servers.net.

www IN A 127.0.0.1
`;

let root: string;
let lines: string[];

beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'auto-walk-')));
  lines = [];
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** createFiles(dir) of upstream walk_test.go. */
function createFiles(dir: string): void {
  writeFileSync(join(dir, 'db.example.org'), ZONE_T);
  writeFileSync(join(dir, 'aa.example.org'), ZONE_T);
  symlinkSync(join(dir, 'db.example.org'), join(dir, 'db.example.com'));
  symlinkSync(join(dir, 'db.example.org'), join(dir, 'aa.example.com'));
}

function target(directory: string, re = 'db\\.(.*)', template = '${1}'): WalkTarget & { started: Zone[] } {
  const started: Zone[] = [];
  return {
    directory,
    regexp: compileZoneRegexp(re),
    template,
    reloadInterval: 0,
    instanceId: 'i-test',
    zones: new Zones(['.']),
    log: createLogger((l) => lines.push(l), 'auto'),
    startReload: (z) => started.push(z),
    started,
  };
}

describe('walk loads, re-points and removes zones like upstream Walk (vectors E)', () => {
  it('E1: loads db.* files (symlinked ones through the link) and ignores the rest', async () => {
    createFiles(root);
    const t = target(root);
    await walk(t);
    expect([...t.zones.names()].sort()).toEqual(['example.com.', 'example.org.']);
    for (const name of t.zones.names()) {
      const zone = t.zones.get(name);
      expect(zone?.tree.recordCount).toBe(1); // www A
    }
    expect(lines).toContain(`[INFO] plugin/auto: Inserting zone \`example.org.' from: ${join(root, 'db.example.org')}`);
    expect(t.started).toHaveLength(0); // reload 0: no zone task
  });

  it('E2: follows a symlinked directory (v1.14.3 behaviour in every profile)', async () => {
    const real = join(root, 'real');
    mkdirSync(real);
    createFiles(real);
    symlinkSync(real, join(root, 'zones'));
    const t = target(join(root, 'zones'));
    await walk(t);
    expect([...t.zones.names()].sort()).toEqual(['example.com.', 'example.org.']);
  });

  it('E3: a missing directory gives a warning and no zones', async () => {
    const missing = join(root, 'highly_unlikely_to_exist_dir');
    const t = target(missing);
    await walk(t);
    expect(t.zones.size).toBe(0);
    expect(lines).toEqual([`[WARNING] plugin/auto: error reading ${missing}: lstat ${missing}: no such file or directory`]);
  });

  it('E4: a removed file removes its zone and shuts it down; the others stay', async () => {
    createFiles(root);
    const t = target(root);
    await walk(t);
    const com = t.zones.get('example.com.');
    const org = t.zones.get('example.org.');
    unlinkSync(join(root, 'db.example.com'));
    await walk(t);
    expect(t.zones.names()).toEqual(['example.org.']);
    expect(com?.isShutdown).toBe(true);
    expect(t.zones.get('example.org.')).toBe(org);
    expect(lines).toContain("[INFO] plugin/auto: Deleting zone `example.com.'");
  });

  it('E5: a zone whose file moved keeps its Zone object and gets the new path (SetFile)', async () => {
    createFiles(root);
    const t = target(root);
    await walk(t);
    const com = t.zones.get('example.com.');
    unlinkSync(join(root, 'db.example.com'));
    mkdirSync(join(root, '..data'));
    symlinkSync(join(root, 'db.example.org'), join(root, '..data', 'db.example.com'));
    await walk(t);
    expect(t.zones.get('example.com.')).toBe(com);
    expect(com?.file).toBe(join(root, '..data', 'db.example.com'));
  });

  it('E6: two files for one origin: the first in lexical order wins, one warning per walk', async () => {
    writeFileSync(join(root, 'example.org.zone'), ZONE_T);
    writeFileSync(join(root, 'example.org.zone.bak-20260528'), ZONE_T);
    const t = target(root, '(.*)\\.zone');
    const warning = `[WARNING] plugin/auto: Multiple zone files match origin "example.org.": using "${join(root, 'example.org.zone')}" instead of "${join(root, 'example.org.zone.bak-20260528')}"`;
    await walk(t);
    await walk(t);
    expect(lines.filter((l) => l === warning)).toHaveLength(2);
    expect(t.zones.get('example.org.')?.file).toBe(join(root, 'example.org.zone'));
  });

  it('E7: a file without SOA is skipped with a warning and retried on the next walk', async () => {
    writeFileSync(join(root, 'db.example.org'), 'www.example.org. 3600 IN A 127.0.0.1\n');
    const t = target(root);
    await walk(t);
    expect(t.zones.size).toBe(0);
    expect(lines.filter((l) => l.startsWith("[WARNING] plugin/auto: Parse zone `example.org.': ") && l.includes('has no SOA record'))).toHaveLength(1);
    writeFileSync(join(root, 'db.example.org'), ZONE_T);
    await walk(t);
    expect(t.zones.names()).toEqual(['example.org.']);
  });

  it('E8: zones outside the origins are loaded anyway', async () => {
    writeFileSync(join(root, 'db.example.com'), ZONE_T.replace('@', 'example.com.'));
    writeFileSync(join(root, 'db.example.org'), ZONE_T);
    const t = { ...target(root), zones: new Zones(['example.org.']) };
    await walk(t);
    expect([...t.zones.names()].sort()).toEqual(['example.com.', 'example.org.']);
    expect(Zones.longestMatch(t.zones.origins, 'www.example.com.')).toBeNull();
  });

  it('E9: the default regexp is unanchored: xdb.foo loads zone foo.', async () => {
    writeFileSync(join(root, 'xdb.foo'), ZONE_T);
    const t = target(root);
    await walk(t);
    expect(t.zones.names()).toEqual(['foo.']);
  });

  it('does not descend into a symlinked sub-directory (filepath.Walk lstat)', async () => {
    const other = join(root, 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'db.example.net'), ZONE_T);
    const dir = join(root, 'dir');
    mkdirSync(dir);
    symlinkSync(other, join(dir, 'linked'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'db.example.org'), ZONE_T);
    const t = target(dir);
    await walk(t);
    expect(t.zones.names()).toEqual(['example.org.']);
  });

  it('starts the reload task of each new zone when the interval is not 0', async () => {
    writeFileSync(join(root, 'db.example.org'), ZONE_T);
    const t = { ...target(root), reloadInterval: 60_000 };
    const started: Zone[] = [];
    await walk({ ...t, startReload: (z) => started.push(z) });
    expect(started.map((z) => z.origin)).toEqual(['example.org.']);
    expect(started[0]?.reloadInterval).toBe(60_000);
    await walk({ ...t, startReload: (z) => started.push(z) });
    expect(started).toHaveLength(1); // an existing zone is not started again
  });
});

describe('Zones container (vectors H11-H13)', () => {
  it('H12: removing from an empty container does nothing', () => {
    const z = new Zones([]);
    expect(() => z.remove('any.zone.')).not.toThrow();
    expect(z.get('notfound.org.')).toBeUndefined(); // H13
  });

  it('longestMatch picks the longest ancestor, case-insensitively', () => {
    expect(Zones.longestMatch(['org.', 'example.org.', 'b.example.org.'], 'A.B.Example.ORG.')).toBe('b.example.org.');
    expect(Zones.longestMatch(['example.org.'], 'example.org.')).toBe('example.org.');
    expect(Zones.longestMatch(['example.org.'], 'badexample.org.')).toBeNull();
    expect(Zones.longestMatch(['.'], 'anything.')).toBe('.');
  });
});
