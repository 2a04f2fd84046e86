import { describe, expect, it } from 'vitest';
import { blockAddresses, inspectKey, isDomainName, normalizeKey } from './keys.ts';
import { parseCorefile } from './parse.ts';
import { CorefileError } from './types.ts';

const keysOf = (key: string, port = 53): string[] => normalizeKey(key, port).map((z) => z.key);

function keyError(key: string): CorefileError {
  try {
    normalizeKey(key, 53);
  } catch (err) {
    expect(err).toBeInstanceOf(CorefileError);
    return err as CorefileError;
  }
  throw new Error(`expected key ${key} to fail`);
}

describe('normalizeKey (vectors B1-B10, B14)', () => {
  it.each([
    ['B1', 'example.org', ['dns://example.org.:53']],
    ['B2', 'EXAMPLE.ORG', ['dns://example.org.:53']],
    ['B3', 'example.org:1053', ['dns://example.org.:1053']],
    ['B6', 'example.org,example.com:1053', ['dns://example.org,example.com.:1053']],
    ['B8', '.:1053', ['dns://.:1053']],
    ['B9', 'dns://.:1053', ['dns://.:1053']],
    ['B10', '10.0.0.0/8', ['dns://10.in-addr.arpa.:53']],
    ['B14', 'EXAMPLE.ORG.:0', ['dns://example.org.:0']],
    ['1.5 example', 'dns://example.org:1053', ['dns://example.org.:1053']],
    ['C2 origin', '10.0.0.0/24', ['dns://0.0.10.in-addr.arpa.:53']],
  ])('%s: %s -> %j', (_id, key, expected) => {
    expect(keysOf(key)).toEqual(expected);
  });

  it('B1: fills zone, port and transport', () => {
    expect(normalizeKey('example.org', 53)).toEqual([
      { transport: 'dns', zone: 'example.org.', port: 53, key: 'dns://example.org.:53' },
    ]);
  });

  it('uses the -dns.port default when the key has no port', () => {
    expect(keysOf('example.org', 1053)).toEqual(['dns://example.org.:1053']);
  });

  it('reads the port the way Go Atoi does (leading zeros, plus sign)', () => {
    expect(keysOf('example.org:053')).toEqual(['dns://example.org.:53']);
    expect(keysOf('example.org:+54')).toEqual(['dns://example.org.:54']);
  });

  it('keeps a non-numeric suffix after the last colon as part of the zone', () => {
    expect(keysOf('a:b')).toEqual(['dns://a:b.:53']);
  });

  it('splits a CIDR off the octet boundary into several reverse zones', () => {
    expect(keysOf('10.0.0.0/15')).toEqual(['dns://0.10.in-addr.arpa.:53', 'dns://1.10.in-addr.arpa.:53']);
    expect(keysOf('192.168.1.0/23:1053')).toEqual([
      'dns://0.168.192.in-addr.arpa.:1053',
      'dns://1.168.192.in-addr.arpa.:1053',
    ]);
    expect(keysOf('10.0.0.0/7')).toHaveLength(2);
    expect(keysOf('10.0.0.0/7')[1]).toBe('dns://11.in-addr.arpa.:53');
  });

  it('masks host bits of a CIDR and handles /0 and /32', () => {
    expect(keysOf('10.1.2.3/8')).toEqual(['dns://10.in-addr.arpa.:53']);
    expect(keysOf('0.0.0.0/0')).toEqual(['dns://in-addr.arpa.:53']);
    expect(keysOf('1.2.3.4/32')).toEqual(['dns://4.3.2.1.in-addr.arpa.:53']);
  });

  it('gives IPv6 reverse zones on nibble boundaries', () => {
    expect(keysOf('2001:db8::/32')).toEqual(['dns://8.b.d.0.1.0.0.2.ip6.arpa.:53']);
    expect(keysOf('2001:db8::/31')).toEqual(['dns://8.b.d.0.1.0.0.2.ip6.arpa.:53', 'dns://9.b.d.0.1.0.0.2.ip6.arpa.:53']);
    expect(keysOf('2001:DB8:0:1::/64')).toEqual(['dns://1.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.:53']);
  });

  it('treats something that only looks like a CIDR as a name', () => {
    expect(keysOf('10.0.0.0/33')).toEqual(['dns://10.0.0.0/33.:53']);
  });
});

describe('inspectKey: default ports per transport (B4)', () => {
  it.each([
    ['tls://example.org', 'tls', 853],
    ['quic://example.org', 'quic', 853],
    ['grpc://example.org', 'grpc', 443],
    ['https://example.org.', 'https', 443],
    ['https3://example.org', 'https3', 443],
    ['dns://example.org', 'dns', 53],
  ])('%s -> %s port %i', (key, transport, port) => {
    expect(inspectKey(key, 53)).toMatchObject({ transport, port });
  });
});

describe('key errors', () => {
  it.each([
    [':', 'expecting data after last colon: ":"'],
    ['example.org:', 'expecting data after last colon: "example.org:"'],
    ['dns://a:', 'expecting data after last colon: "a:"'],
    [':53', 'zone is not a valid domain name: '],
    ['a..b', 'zone is not a valid domain name: a..b'],
    [`${'a'.repeat(64)}.org`, `zone is not a valid domain name: ${'a'.repeat(64)}.org`],
    ['a'.repeat(256), 'specified zone is too long: 256 > 255'],
    ['::/0', 'invalid CIDR ::/0'],
    ['example.org:70000', 'port 70000 is out of range 0-65535: example.org:70000'],
    ['tls://example.org', "transport 'tls://' of key 'tls://example.org' is not supported by this miniature: only dns:// is served"],
  ])('%j: %s', (key, message) => {
    const err = keyError(key);
    expect(err.message).toBe(message);
    expect(err.code).toBe('key');
  });

  it('A36: the key ":" left by an unset {$PORT$} fails normalisation', () => {
    const [b] = parseCorefile(':{$PORT$}', { path: 'Corefile', validDirectives: null, env: {} });
    expect(b?.keys).toEqual([':']);
    expect(() => blockAddresses(b!, 53, 'Corefile')).toThrow(
      'error inspecting server blocks: Corefile:1 - expecting data after last colon: ":"',
    );
  });

  it('re-checks the fully qualified form: 255 characters pass alone but not with the dot', () => {
    const err = keyError('a'.repeat(63) + '.' + 'b'.repeat(63) + '.' + 'c'.repeat(63) + '.' + 'd'.repeat(63));
    expect(err.message).toBe('specified zone is too long: 256 > 255');
  });
});

describe('isDomainName (miekg/dns, liberal)', () => {
  it.each([
    ['.', true],
    ['example.org', true],
    ['example.org.', true],
    ['a\\.b', true],
    ['', false],
    ['a..b', false],
    ['x'.repeat(63), true],
    ['x'.repeat(64), false],
  ])('%j -> %s', (name, ok) => {
    expect(isDomainName(name)).toBe(ok);
  });
});

describe('blockAddresses', () => {
  const parse = (text: string) => parseCorefile(text, { path: 'Corefile', validDirectives: null });

  it('B5: one block with two keys gives both addresses in key order', () => {
    const [b] = parse('example.org example.com:1053 {\n whoami\n}');
    expect(blockAddresses(b!, 53, 'Corefile').map((z) => z.key)).toEqual(['dns://example.org.:53', 'dns://example.com.:1053']);
  });

  it('B7: two blocks give one address each', () => {
    const blocks = parse('example.org {\n}\nsub.example.org:1054 {\n}');
    expect(blocks.flatMap((b) => blockAddresses(b, 53, 'Corefile')).map((z) => z.key)).toEqual([
      'dns://example.org.:53',
      'dns://sub.example.org.:1054',
    ]);
  });

  it('wraps errors with the block place: file:line of its first key', () => {
    const blocks = parse('example.org {\n}\n\ntls://example.net {\n}');
    try {
      blockAddresses(blocks[1]!, 53, '/etc/coredns/Corefile');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CorefileError);
      const e = err as CorefileError;
      expect([e.code, e.file, e.line]).toEqual(['key', '/etc/coredns/Corefile', 4]);
      expect(e.message).toBe(
        "error inspecting server blocks: /etc/coredns/Corefile:4 - transport 'tls://' of key 'tls://example.net' is not supported by this miniature: only dns:// is served",
      );
    }
  });
});
