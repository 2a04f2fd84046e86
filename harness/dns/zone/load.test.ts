/** coredns-vectors.md section F (file Parse) through loadZone, plus its file-descriptor events. */
import diagnostics from 'node:diagnostics_channel';
import { fstatSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { channelName, type EventPayloads } from '../server/events.ts';
import { loadZone, ZoneLoadError } from './load.ts';
import { sorted, zoneOf } from './test-fixtures.ts';
import { ZONE_A, ZONE_A_MASTER } from './test-zones.ts';

const dir = mkdtempSync(join(tmpdir(), 'zone-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function zoneFile(text: string): string {
  const p = join(dir, `db.${n++}`);
  writeFileSync(p, text);
  return p;
}

function loadError(fn: () => unknown): ZoneLoadError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ZoneLoadError) return err;
    throw err;
  }
  throw new Error('expected a ZoneLoadError');
}

const ORG_SOA = '@ IN SOA sns.dns.icann.org. noc.dns.icann.org. 2017042766 7200 3600 1209600 3600';

const ZONE_R1 = `example.com.		1627	IN	SOA	ns1.example.net. hostmaster.example.com. 1460175181 14400 3600 604800 14400
example.com.		1627	IN	NS	ns4.example.net.
example.com.		1627	IN	NS	ns3.example.net.
example.com.		1627	IN	NS	ns1.example.net.
example.com.		1627	IN	NS	ns2.example.net.
`;

describe('loadZone (section F)', () => {
  it('F1: refuses a file without SOA', () => {
    const path = zoneFile('$TTL 1M\n$ORIGIN example.org.\nwww IN A 192.168.0.14\nmail IN A 192.168.0.15\nimap IN CNAME mail\n');
    const err = loadError(() => loadZone({ path, origin: 'example.org.', instanceId: 'i', serial: 0 }));
    expect(err.code).toBe('no-soa');
    expect(err.message).toBe(`file "${path}" has no SOA record for origin example.org.`);
  });

  it('F2: fails the whole load at a "#" comment (v1.11.4+, never a truncated zone)', () => {
    const path = zoneFile(`$ORIGIN example.org.\n${ORG_SOA}\n@ IN NS a.iana-servers.net.\n# invalid comment\nwww IN A 192.0.2.1\n`);
    const err = loadError(() => loadZone({ path, origin: 'example.org.', instanceId: 'i', serial: 0 }));
    expect(err.code).toBe('parse');
    expect(err.message).toMatch(new RegExp(`^failed to parse file "${path}" for origin example\\.org\\. with error ${path}:4: .*"invalid"`));
    expect(err.line).toBe(4);
  });

  it.each([
    ['F3', 'abc'],
    ['F4', '202512200817'],
  ])('%s: a bad SOA serial %s is a parse error', (_id, serial) => {
    const path = zoneFile(`$ORIGIN example.org.\n@ IN SOA sns.dns.icann.org. noc.dns.icann.org. ${serial} 7200 3600 1209600 3600\n`);
    const err = loadError(() => loadZone({ path, origin: 'example.org.', instanceId: 'i', serial: 0 }));
    expect(err.code).toBe('parse');
    expect(err.message).toContain('bad SOA zone parameter');
  });

  it('F5: follows $INCLUDE and puts the included names in the tree', () => {
    const inc = zoneFile('foo\tIN\tA\t127.0.0.1\n');
    const path = zoneFile(`$ORIGIN example.org.\n${ORG_SOA}\n$INCLUDE ${inc}\n`);
    const zone = loadZone({ path, origin: 'example.org.', instanceId: 'i', serial: 0 });
    expect(zone.tree.get('foo.example.org.')?.type('A')[0]?.data).toBe('127.0.0.1');
  });

  it('F6: the same first SOA serial is "no change", not a reload', () => {
    const path = zoneFile(ZONE_R1);
    const err = loadError(() => loadZone({ path, origin: 'example.com.', instanceId: 'i', serial: 1460175181 }));
    expect(err.code).toBe('serial-unchanged');
    expect(err.message).toBe(`no change in SOA serial for origin example.com. in file ${path}, with 1460175181 SOA serial`);
    expect(err.line).toBe(1);
  });

  it.each([
    ['F7 lower serial', 1460175180],
    ['higher serial', 1460175182],
    ['-1 (always load)', -1],
  ])('%s loads', (_what, serial) => {
    const zone = loadZone({ path: zoneFile(ZONE_R1), origin: 'example.com.', instanceId: 'i', serial });
    expect(zone.soaSerial()).toBe(1460175181);
    expect(zone.apex.ns).toHaveLength(4);
    expect(zone.recordCount).toBe(5);
  });

  it('F8: refuses an NSEC3 zone', () => {
    const path = zoneFile(`$ORIGIN example.org.\n${ORG_SOA}\nx IN TYPE50 \\# 0\n`);
    const err = loadError(() => loadZone({ path, origin: 'example.org.', instanceId: 'i', serial: 0 }));
    expect(err.code).toBe('nsec3');
    expect(err.message).toContain('NSEC3 zone is not supported');
    expect(err.line).toBe(3);
  });

  it('reports a missing file the way Go does', () => {
    const path = join(dir, 'absent');
    const err = loadError(() => loadZone({ path, origin: 'example.org.', instanceId: 'i', serial: 0 }));
    expect(err.code).toBe('io');
    expect(err.message).toBe(`open ${path}: no such file or directory`);
  });

  it('reports a directory as a read error', () => {
    const err = loadError(() => loadZone({ path: dir, origin: 'example.org.', instanceId: 'i', serial: 0 }));
    expect(err.code).toBe('io');
    expect(err.message).toBe(`read ${dir}: is a directory`);
  });

  it('refuses out-of-zone data with file:line', () => {
    const path = zoneFile(`$ORIGIN example.org.\n${ORG_SOA}\nwww.example.net. IN A 192.0.2.1\n`);
    const err = loadError(() => loadZone({ path, origin: 'example.org.', instanceId: 'i', serial: 0 }));
    expect(err.code).toBe('outside-origin');
    expect(err.message.startsWith(`${path}:3: `)).toBe(true);
  });

  it('reads ZONE-A as the vectors write it into the same records as the one-line fixture', () => {
    const zone = loadZone({ path: zoneFile(ZONE_A_MASTER), origin: 'example.com', instanceId: 'inst-a', serial: -1 });
    const fixture = zoneOf('example.com.', ZONE_A);
    const all = (z: typeof zone) => sorted([...(z.apex.soa ? [z.apex.soa] : []), ...z.apex.ns, ...z.tree.inOrder().flatMap((node) => node.all())]);
    expect(all(zone)).toEqual(all(fixture));
    expect(zone.instanceId).toBe('inst-a');
    expect(zone.origin).toBe('example.com.');
  });

  it('uses readFile instead of the file system when given', () => {
    const zone = loadZone({
      path: '/virtual/db.example.org',
      origin: 'example.org.',
      instanceId: 'i',
      serial: 0,
      readFile: (p) => (p === '/virtual/db.example.org' ? `$ORIGIN example.org.\n${ORG_SOA}\n` : ''),
    });
    expect(zone.file).toBe('/virtual/db.example.org');
    expect(zone.soaSerial()).toBe(2017042766);
  });
});

describe('loadZone file events', () => {
  function capture(): { events: Array<['opened' | 'closed', EventPayloads['file:opened']]>; stop: () => void } {
    const events: Array<['opened' | 'closed', EventPayloads['file:opened']]> = [];
    const onOpen = (m: unknown): void => {
      const e = m as EventPayloads['file:opened'];
      // The descriptor must be real and open while the event is delivered.
      expect(fstatSync(e.fd).isFile()).toBe(true);
      events.push(['opened', e]);
    };
    const onClose = (m: unknown): void => {
      events.push(['closed', m as EventPayloads['file:closed']]);
    };
    diagnostics.subscribe(channelName('file:opened'), onOpen);
    diagnostics.subscribe(channelName('file:closed'), onClose);
    return {
      events,
      stop: () => {
        diagnostics.unsubscribe(channelName('file:opened'), onOpen);
        diagnostics.unsubscribe(channelName('file:closed'), onClose);
      },
    };
  }

  it('publishes file:opened and file:closed with the same real fd, owner file, and closes it', () => {
    const path = zoneFile(ZONE_R1);
    const cap = capture();
    try {
      loadZone({ path, origin: 'example.com.', instanceId: 'i', serial: -1 });
    } finally {
      cap.stop();
    }
    expect(cap.events.map(([k, e]) => [k, e.path, e.owner])).toEqual([['opened', path, 'file'], ['closed', path, 'file']]);
    const fd = cap.events[0]?.[1].fd;
    expect(cap.events[1]?.[1].fd).toBe(fd);
    expect(() => fstatSync(fd as number)).toThrow();
  });

  it('closes the file when the parse fails, and opens included files too', () => {
    const inc = zoneFile('foo IN A 127.0.0.1\n');
    const path = zoneFile(`$ORIGIN example.org.\n${ORG_SOA}\n$INCLUDE ${inc}\nbad IN A not-an-address\n`);
    const cap = capture();
    try {
      expect(() => loadZone({ path, origin: 'example.org.', instanceId: 'i', serial: 0 })).toThrow(ZoneLoadError);
    } finally {
      cap.stop();
    }
    expect(cap.events.map(([k, e]) => [k, e.path])).toEqual([['opened', path], ['closed', path], ['opened', inc], ['closed', inc]]);
  });

  it('publishes nothing when readFile is given', () => {
    const cap = capture();
    try {
      loadZone({ path: 'x', origin: 'example.org.', instanceId: 'i', serial: 0, readFile: () => `$ORIGIN example.org.\n${ORG_SOA}\n` });
    } finally {
      cap.stop();
    }
    expect(cap.events).toEqual([]);
  });
});
