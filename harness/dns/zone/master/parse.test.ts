import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ResourceRecord } from '../record.ts';
import { formatRecord } from './format.ts';
import { MAX_INCLUDE_DEPTH, ZoneParseError, checkZoneRecords, parseMasterFile, parseMasterFileWithLines } from './parse.ts';

const ZONES = fileURLToPath(new URL('../../testing/zones/', import.meta.url));

const parse = (text: string, origin = 'example.org.', extra: { readInclude?: (p: string) => string; defaultTtl?: number } = {}): ResourceRecord[] =>
  parseMasterFile(text, { origin, file: '/zones/db.test', ...extra });

function parseError(fn: () => unknown): ZoneParseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ZoneParseError) return e;
    throw e;
  }
  throw new Error('expected a ZoneParseError, but parsing succeeded');
}

const SOA = '@ IN SOA ns1.example.org. hostmaster.example.org. 2005011437 7200 3600 1209600 3600\n';
const txt = (rr: ResourceRecord | undefined): string[] => (rr?.type === 'TXT' ? rr.data.map((b) => b.toString('utf8')) : []);

describe('vectors F (file Parse)', () => {
  it('F1: a zone without SOA parses, and the zone check refuses it with "no SOA record"', () => {
    const text = '$TTL 1M\n$ORIGIN example.org.\nwww IN A 192.168.0.14\nmail IN A 192.168.0.15\nimap IN CNAME mail\n';
    const records = parse(text);
    expect(records.map((r) => r.name)).toEqual(['www.example.org.', 'mail.example.org.', 'imap.example.org.']);
    const err = parseError(() => checkZoneRecords(records, 'example.org.', '/zones/db.test'));
    expect(err.code).toBe('semantic');
    expect(err.message).toContain('no SOA record');
  });

  it('F2: a "#" comment line fails the whole parse (never a truncated zone)', () => {
    const err = parseError(() => parse(`$TTL 3600\n${SOA}@ IN NS ns1\n# invalid comment\nwww IN A 192.0.2.1\n`));
    expect(err.code).toBe('syntax');
    expect(err.line).toBe(4);
    expect(err.message).toContain('"invalid"');
  });

  it.each([
    ['F3', 'abc'],
    ['F4', '202512200817'],
  ])('%s: SOA serial %s gives "bad SOA zone parameter"', (_id, serial) => {
    const err = parseError(() => parse(`$TTL 3600\n@ IN SOA ns1 hostmaster ${serial} 7200 3600 1209600 3600\n`));
    expect(err.message).toContain('bad SOA zone parameter');
    expect(err.message).toContain(serial);
    expect(err.message).toMatch(/^\/zones\/db\.test:2: /);
  });

  it('F5: $INCLUDE adds the included records, relative to the including file', () => {
    const seen: string[] = [];
    const records = parse(`$ORIGIN example.org.\n@ IN SOA sns.dns.icann.org. noc.dns.icann.org. 2017042766 7200 3600 1209600 3600\n$INCLUDE inc/foo.db\n`,
      'example.org.', { readInclude: (p) => (seen.push(p), 'foo\tIN\tA\t127.0.0.1\n') });
    expect(seen).toEqual(['/zones/inc/foo.db']);
    expect(records[1]).toEqual({ name: 'foo.example.org.', ttl: 3600, class: 'IN', type: 'A', data: '127.0.0.1' });
  });

  it('F8: an NSEC3 record fails the whole parse as CoreDNS does', () => {
    const err = parseError(() => parse(`$TTL 60\n${SOA}x IN NSEC3 1 0 10 AABB 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR A\n`));
    expect(err.message).toContain('NSEC3 zone is not supported, dropping RR');
    expect(err.code).toBe('semantic');
    expect(err.line).toBe(3);
  });
});

describe('cases', () => {
  it('17: one bad address fails the whole zone and names the line and the value', () => {
    const file = `${ZONES}case17.db.example.org.bad`;
    const err = parseError(() => parseMasterFile(readFileSync(file, 'utf8'), { origin: 'example.org.', file }));
    expect(err.line).toBe(6);
    expect(err.file).toBe(file);
    expect(err.message).toContain('192.0.2.300');
    expect(err.message).toContain(`${file}:6:`);
  });

  it('18: an SOA missing a field inside parentheses is an SOA error between lines 3 and 9, never a shifted SOA', () => {
    const file = `${ZONES}case18.db.example.org`;
    const err = parseError(() => parseMasterFile(readFileSync(file, 'utf8'), { origin: 'example.org.', file }));
    expect(err.message).toContain('SOA');
    expect(err.line).toBeGreaterThanOrEqual(3);
    expect(err.line).toBeLessThanOrEqual(9);
    const fixed = parseMasterFile(readFileSync(`${file}.fixed`, 'utf8'), { origin: 'example.org.', file });
    expect(fixed[0]).toEqual({
      name: 'example.org.', ttl: 3600, class: 'IN', type: 'SOA',
      data: { mname: 'ns1.example.org.', rname: 'hostmaster.example.org.', serial: 2024010101, refresh: 7200, retry: 3600, expire: 1209600, minimum: 3600 },
    });
    expect(fixed.find((r) => r.name === 'www.example.org.')?.ttl).toBe(60);
  });

  it('20: lower-case class, TTL units, blank owner, relative SOA names; origin "." is refused by the zone check', () => {
    const file = `${ZONES}case20.db.example.org`;
    const text = readFileSync(file, 'utf8');
    const records = parse(text);
    expect(records.map(formatRecord)).toEqual([
      'example.org.\t1800\tIN\tSOA\tns.example.org. hostmaster.example.org. 2024061101 14400 3600 604800 14400',
      'example.org.\t1800\tIN\tNS\tns.example.org.',
      'ns.example.org.\t1800\tIN\tA\t192.0.2.53',
      'ns.example.org.\t1800\tIN\tA\t192.0.2.54',
      'www.example.org.\t1800\tIN\tA\t192.0.2.12',
    ]);
    expect(() => checkZoneRecords(records, 'example.org.', file)).not.toThrow();
    const atRoot = parseMasterFile(text, { origin: '.', file });
    const err = parseError(() => checkZoneRecords(atRoot, '.', file));
    expect(err.message).toContain('example.org.');
    expect(err.message).toMatch(/SOA/);
    expect(err.message).toMatch(/origin/);
    expect(err.line).toBe(4);
  });

  it('22: ";" inside quotes is data, string boundaries and escapes are kept, the trailing comment is dropped', () => {
    const records = parse(readFileSync(`${ZONES}case22.db.example.org`, 'utf8'));
    const byName = (n: string): ResourceRecord | undefined => records.find((r) => r.name === n);
    expect(txt(byName('_dmarc.example.org.'))).toEqual(['v=DMARC1; p=quarantine; rua=mailto:postmaster@example.org; pct=100']);
    expect(txt(byName('sel._domainkey.example.org.'))).toEqual(['v=DKIM1; k=rsa; ', 'p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC']);
    expect(txt(byName('esc.example.org.'))).toEqual(['a "quoted" word; and a backslash \\ here']);
    expect(txt(byName('semi.example.org.'))).toEqual(['trailing;']);
  });

  it('23: several $ORIGIN, @ after a change, and a blank owner continuing the previous absolute owner', () => {
    const records = parse(readFileSync(`${ZONES}case23.db.example.org`, 'utf8'));
    expect(records.map((r) => `${r.name} ${r.ttl} ${r.type}`)).toEqual([
      'example.org. 7200 SOA', 'example.org. 3600 NS', 'ns1.example.org. 3600 A',
      'sub.example.org. 3600 A', 'sub.example.org. 3600 MX', 'www.sub.example.org. 3600 A', 'mail.example.org. 3600 A',
    ]);
    expect(records[4]?.data).toEqual({ preference: 10, exchange: 'mail.example.org.' });
  });
});

describe('TTLs', () => {
  it.each([
    ['300', 300], ['1h', 3600], ['1H2M3S', 3723], ['1w2d3h4m5s', 788645], ['0h30', 30], ['2147483647', 2147483647],
    ['2147483648', 0], ['4294967295', 0],
  ])('TTL %s is %i seconds (RFC 2181: above 2^31-1 counts as 0, as BIND)', (ttl, want) => {
    expect(parse(`a ${ttl} IN A 192.0.2.1\n`)[0]?.ttl).toBe(want);
    expect(parse(`$TTL ${ttl}\na IN A 192.0.2.1\n`)[0]?.ttl).toBe(want);
  });

  it.each(['1h30', '4294967296', '1x', '1hh', 'h'])('TTL %s is refused with the line', (ttl) => {
    const err = parseError(() => parse(`\n$TTL ${ttl}\n`));
    expect(err.line).toBe(2);
    expect(err.message).toContain(ttl);
  });

  it('TTL and class come in either order', () => {
    const r = parse('a IN 60 A 192.0.2.1\nb 60 IN A 192.0.2.2\nc 60 A 192.0.2.3\nd in A 192.0.2.4\n', 'example.org.', { defaultTtl: 5 });
    expect(r.map((x) => x.ttl)).toEqual([60, 60, 60, 60]);
  });

  it('without $TTL the default applies until an explicit TTL, which then carries over; $TTL wins over both', () => {
    const r = parse('a A 192.0.2.1\nb 60 A 192.0.2.2\nc A 192.0.2.3\n$TTL 10\nd A 192.0.2.4\ne 99 A 192.0.2.5\nf A 192.0.2.6\n');
    expect(r.map((x) => x.ttl)).toEqual([3600, 60, 60, 10, 99, 10]);
    expect(parse('a A 192.0.2.1\n', 'example.org.', { defaultTtl: 42 })[0]?.ttl).toBe(42);
  });
});

describe('names', () => {
  it.each([
    ['@', 'example.org.'],
    ['www', 'www.example.org.'],
    ['www.example.net.', 'www.example.net.'],
    ['WWW.Example.ORG.', 'www.example.org.'],
    ['a\\.b', 'a\\.b.example.org.'],
    ['a\\032b', 'a\\032b.example.org.'],
    ['\\065\\066', 'ab.example.org.'],
    ['x\\@y\\$', 'x\\@y\\$.example.org.'],
    ['\\255', '\\255.example.org.'],
    ['*', '*.example.org.'],
    ['.', '.'],
  ])('owner %s becomes %s', (owner, want) => {
    expect(parse(`${owner} 1 IN A 192.0.2.1\n`)[0]?.name).toBe(want);
  });

  it('keeps the case of SRV owners and of PTR/SRV targets, lower-cases CNAME/MX/NS/DNAME targets and SOA names', () => {
    const r = parse([
      '_Sip._TCP.Host 1 IN SRV 0 0 5060 Target.Example.ORG.',
      'Ptr 1 IN PTR Some.Host.',
      'C 1 IN CNAME Target.Example.ORG.',
      'M 1 IN MX 1 MX.Example.ORG.',
      'N 1 IN NS NS.Example.ORG.',
      'D 1 IN DNAME Other.ORG.',
      '@ 1 IN SOA NS1.Example.ORG. Host.Master.ORG. 1 2 3 4 5',
    ].join('\n'));
    expect(r.map((x) => [x.name, formatRecord(x).split('\t')[4]])).toEqual([
      ['_Sip._TCP.Host.example.org.', '0 0 5060 Target.Example.ORG.'],
      ['ptr.example.org.', 'Some.Host.'],
      ['c.example.org.', 'target.example.org.'],
      ['m.example.org.', '1 mx.example.org.'],
      ['n.example.org.', 'ns.example.org.'],
      ['d.example.org.', 'other.org.'],
      ['example.org.', 'ns1.example.org. host.master.org. 1 2 3 4 5'],
    ]);
  });

  it.each([
    ['a..b', 'empty label'],
    [`${'a'.repeat(64)}`, 'longer than 63'],
    [`${'a.'.repeat(128)}`, 'more than 255'],
    ['a\\256', 'above 255'],
    ['a\\1', 'three digits'],
  ])('bad owner %s is refused (%s)', (owner, what) => {
    const err = parseError(() => parse(`x A 192.0.2.9\n${owner} 1 IN A 192.0.2.1\n`));
    expect(err.message).toContain(what);
    expect(err.line).toBe(2);
  });

  it('a blank owner before any owner is an error', () => {
    expect(parseError(() => parse('  IN A 192.0.2.1\n')).message).toContain('no owner name');
  });
});

describe('syntax', () => {
  it('parentheses join lines, comments inside them are ignored, CRLF works', () => {
    const r = parse('@ IN SOA ns1 host (\r\n  1 ; serial\r\n  2 3 ; two\r\n  4 5 )\r\nwww IN A 192.0.2.1\r\n');
    expect(r[0]?.data).toEqual({ mname: 'ns1.example.org.', rname: 'host.example.org.', serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5 });
    expect(r[1]?.name).toBe('www.example.org.');
    expect(parseMasterFileWithLines('a 1 A 192.0.2.1\nb 1 A (\n\n192.0.2.2 )\nc 1 A 192.0.2.3\n', { origin: 'example.org.', file: 'f' }).lines).toEqual([1, 2, 5]);
  });

  it.each([
    ['www IN A ( 192.0.2.1\n', 'unbalanced parentheses', 1],
    ['www IN A 192.0.2.1 )\n', 'unbalanced parentheses', 1],
    ['x 1 A 192.0.2.1\nwww IN TXT "open\n', 'unbalanced quotes', 2],
    ['www IN A 192.0.2.1 192.0.2.2\n', 'extra text', 1],
    ['www IN\n', 'missing record type', 1],
    ['www IN FOO 1\n', 'unknown record type "FOO"', 1],
    ['www IN HINFO "a" "b"\n', 'TYPE13 \\# <length> <hex>', 1],
    ['www CH A 192.0.2.1\n', 'class CH', 1],
    ['www IN ANY \\# 0\n', 'meta or query type', 1],
    ['$GENERATE 1-2 a$ A 192.0.2.$\n', '$GENERATE is not supported', 1],
    ['www IN A 192.0.2.01\n', 'bad IPv4', 1],
    ['www IN AAAA 1::2::3\n', 'bad IPv6', 1],
    ['www IN MX 65536 mail\n', 'MX preference', 1],
    ['www IN TXT\n', 'missing TXT string', 1],
    [`www IN TXT "${'x'.repeat(256)}"\n`, 'longer than 255', 1],
    ['www IN CAA 0 is-sue "x"\n', 'CAA tag', 1],
    ['www IN DNSKEY 257 2 8 AAAA\n', 'DNSKEY protocol', 1],
    ['www IN DS 1 8 1 ABCD\n', 'digest type 1 is 20 bytes', 1],
    ['www IN SSHFP 1 2 ABCD\n', 'digest type 2 is 32 bytes', 1],
    ['www IN DNSKEY 257 3 8 A===\n', 'base64', 1],
    ['www IN RRSIG A 8 2 60 20241301000000 20240101000000 1 example.org. AAAA\n', 'not a valid date', 1],
    ['www IN NSEC next A BOGUS\n', 'bad NSEC type', 1],
    ['www IN TYPE65534 \\# 2 0a\n', 'length says 2', 1],
    ['www IN A \\# 3 0a0000\n', 'too short', 1],
    ['www IN A \\# 5 0a00000001\n', 'left over', 1],
  ])('%j is refused: %s', (text, what, line) => {
    const err = parseError(() => parse(text));
    expect(err.message).toContain(what);
    expect(err.line).toBe(line);
    expect(err.message.startsWith(`/zones/db.test:${line}: `)).toBe(true);
  });
});

describe('RFC 3597', () => {
  it('keeps unknown types raw and converts known ones written as \\#', () => {
    const r = parse([
      'u 1 TYPE65534 \\# 4 0A000001',
      'e 1 TYPE65533 \\# 0',
      'a 1 A \\# 4 c0000201',
      't 1 TYPE1 192.0.2.2',
      'x 1 TXT \\# 6 03616263 0100',
      'h 1 HINFO \\# 4 01610162',
    ].join('\n'));
    expect(r.map((x) => [x.type, x.data])).toEqual([
      ['TYPE65534', Buffer.from([10, 0, 0, 1])],
      ['TYPE65533', Buffer.alloc(0)],
      ['A', '192.0.2.1'],
      ['A', '192.0.2.2'],
      ['TXT', [Buffer.from('abc'), Buffer.from([0])]],
      ['TYPE13', Buffer.from([1, 0x61, 1, 0x62])],
    ]);
  });
});

describe('$INCLUDE', () => {
  const files: Record<string, string> = {
    '/zones/a.inc': 'a 1 A 192.0.2.1\n$ORIGIN inner.example.org.\nb 1 A 192.0.2.2\n$TTL 77\n',
    '/zones/sub/b.inc': 'c 1 A 192.0.2.3\n$INCLUDE ../a.inc\n',
    '/zones/loop1.inc': '$INCLUDE loop2.inc\n',
    '/zones/loop2.inc': 'x 1 A 192.0.2.9\n$INCLUDE loop1.inc\n',
  };
  const readInclude = (p: string): string => {
    const t = files[p];
    if (t === undefined) throw new Error(`ENOENT: no such file ${p}`);
    return t;
  };

  it('restores the origin after the include, keeps $TTL changes, and reports included lines in the included file', () => {
    const z = parseMasterFileWithLines('$INCLUDE a.inc\nd A 192.0.2.4\n$INCLUDE sub/b.inc other.example.org.\n', {
      origin: 'example.org.', file: '/zones/db.test', readInclude,
    });
    expect(z.records.map((r) => `${r.name} ${r.ttl}`)).toEqual([
      'a.example.org. 1', 'b.inner.example.org. 1', 'd.example.org. 77', 'c.other.example.org. 1', 'a.other.example.org. 1',
      'b.inner.example.org. 1',
    ]);
    expect(z.files).toEqual(['/zones/a.inc', '/zones/a.inc', '/zones/db.test', '/zones/sub/b.inc', '/zones/a.inc', '/zones/a.inc']);
    expect(z.lines).toEqual([1, 3, 2, 1, 1, 3]);
  });

  it('refuses an include cycle', () => {
    const err = parseError(() => parse('$INCLUDE loop1.inc\n', 'example.org.', { readInclude }));
    expect(err.message).toContain('$INCLUDE cycle');
    expect(err.file).toBe('/zones/loop2.inc');
  });

  it(`refuses nesting deeper than ${MAX_INCLUDE_DEPTH}`, () => {
    const err = parseError(() => parse('$INCLUDE d1\n', 'example.org.', { readInclude: (p) => `$INCLUDE d${Number(p.slice(-1)) + 1}\n` }));
    expect(err.message).toContain('too deeply nested');
  });

  it('a missing file is an io error at the $INCLUDE line', () => {
    const err = parseError(() => parse('\n$INCLUDE nope.inc\n', 'example.org.', { readInclude }));
    expect(err.code).toBe('io');
    expect(err.line).toBe(2);
    expect(err.message).toContain('/zones/nope.inc');
  });
});

describe('checkZoneRecords', () => {
  const check = (text: string, origin = 'example.org.'): void => checkZoneRecords(parse(text, origin), origin, '/zones/db.test');

  it('accepts one SOA at the apex with everything inside the origin', () => {
    expect(() => check(`$TTL 60\n${SOA}www A 192.0.2.1\nexample.org. NS ns1\n`)).not.toThrow();
    expect(() => check(`$TTL 60\n${SOA}`, 'EXAMPLE.org')).not.toThrow();
  });

  it.each([
    [`$TTL 60\n${SOA}${SOA}`, 'second SOA', 3],
    [`$TTL 60\nwww IN SOA ns1 h 1 2 3 4 5\n`, 'not at the zone apex', 2],
    [`$TTL 60\n${SOA}www.example.net. A 192.0.2.1\n`, 'outside the zone origin', 3],
    [`$TTL 60\n${SOA}a\\.example.org. A 192.0.2.1\n`, 'outside the zone origin', 3],
    [`$TTL 60\n${SOA}badexample.org. A 192.0.2.1\n`, 'outside the zone origin', 3],
  ])('%j is refused: %s at line %i', (text, what, line) => {
    const err = parseError(() => check(text));
    expect(err.code).toBe('semantic');
    expect(err.message).toContain(what);
    expect(err.line).toBe(line);
  });
});
