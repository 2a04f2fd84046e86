/** auto's ServeDNS on its own (vectors H), with zones put straight into its container. */
import { describe, expect, it } from 'vitest';
import { Clock } from '../../server/clock.ts';
import { silentLogger } from '../../server/log.ts';
import { PROFILES } from '../../profiles.ts';
import type { DnsMessage } from '../../wire/message.ts';
import { Zone } from '../../zone/zone.ts';
import { query, sorted, zoneOf } from '../../zone/test-fixtures.ts';
import type { Handler, HandlerResult, Request, ResponseWriter } from '../plugin.ts';
import { Auto } from './auto.ts';
import { compileZoneRegexp } from './regexp.ts';

// ZONE-T of the vectors, fully qualified.
const ZONE_T = `
example.org. 3600 IN SOA sns.dns.icann.org. noc.dns.icann.org. 2016082534 7200 3600 1209600 3600
example.org. 3600 IN NS a.iana-servers.net.
example.org. 3600 IN NS b.iana-servers.net.
www.example.org. 3600 IN A 127.0.0.1
`;

function auto(origins: string[], zones: Record<string, Zone>): Auto {
  const a = new Auto(
    { origins, directory: '/nonexistent', regexp: compileZoneRegexp('db\\.(.*)'), template: '${1}', reloadInterval: 0 },
    { clock: new Clock(), profile: PROFILES.fixed, instanceId: 'i-test', log: silentLogger },
  );
  for (const [name, zone] of Object.entries(zones)) a.zones.add(zone, name, () => {});
  return a;
}

function request(name: string, type: string): Request {
  return {
    message: query(name, type),
    qname: name.toLowerCase(),
    qtype: type,
    transport: 'udp',
    remoteAddress: '127.0.0.1',
    remotePort: 5353,
    zone: '.',
    upstream: () => Promise.reject(new Error('no server in the context')),
    depth: 0,
  };
}

async function serve(a: Auto, name: string, type: string, next: Handler | null = null): Promise<{ result: HandlerResult; reply: DnsMessage | null }> {
  let reply: DnsMessage | null = null;
  const w: ResponseWriter = {
    write(m) {
      reply = m;
    },
    get written() {
      return reply !== null;
    },
  };
  const result = await a.serveDNS(request(name, type), w, next);
  return { result, reply };
}

const empty = (): Zone => new Zone('example.org.', 'db.example.org', 'i-test');

describe('auto ServeDNS (vectors H)', () => {
  it('H1: a zone without SOA gives SERVFAIL, nothing written', async () => {
    const { result, reply } = await serve(auto(['example.org.'], { 'example.org.': empty() }), 'test.example.org.', 'A');
    expect(result).toEqual({ rcode: 'SERVFAIL' });
    expect(reply).toBeNull();
  });

  it.each(['AXFR', 'IXFR'])('H2/H3: %s is refused', async (type) => {
    const { result } = await serve(auto(['example.org.'], { 'example.org.': empty() }), 'test.example.org.', type);
    expect(result).toEqual({ rcode: 'REFUSED' });
  });

  it('H4: a name outside the origins with no next plugin: SERVFAIL with an error', async () => {
    const { result } = await serve(auto(['example.org.'], { 'example.org.': empty() }), 'test.notfound.org.', 'A');
    expect(result.rcode).toBe('SERVFAIL');
    expect(result.error?.message).toBe('plugin/auto: no next plugin found');
  });

  it('H5: a deeper name in the zone gets no error', async () => {
    const { result } = await serve(auto(['example.org.'], { 'example.org.': empty() }), 'sub.test.example.org.', 'A');
    expect(result.error).toBeUndefined();
  });

  it('H6: the origins pre-check fails before any zone is looked at', async () => {
    const { result } = await serve(auto(['other.org.'], { 'example.org.': empty() }), 'test.example.org.', 'A');
    expect(result.error).toBeInstanceOf(Error);
  });

  it('H7: in the origins but no loaded zone, no next plugin: REFUSED without error (v1.12.3+)', async () => {
    const { result } = await serve(auto(['example.org.'], { 'other.org.': empty() }), 'test.example.org.', 'A');
    expect(result).toEqual({ rcode: 'REFUSED' });
  });

  it('H7 with a next plugin: the query goes on down the chain', async () => {
    const next: Handler = { name: 'next', serveDNS: () => Promise.resolve({ rcode: 'NXDOMAIN' }) };
    const { result } = await serve(auto(['example.org.'], {}), 'test.example.org.', 'A', next);
    expect(result).toEqual({ rcode: 'NXDOMAIN' });
  });

  it('H10: a loaded zone answers authoritatively', async () => {
    const { result, reply } = await serve(auto(['example.org.'], { 'example.org.': zoneOf('example.org.', ZONE_T) }), 'www.example.org.', 'A');
    expect(result).toEqual({ rcode: 'NOERROR' });
    expect(reply?.authoritative).toBe(true);
    expect(sorted(reply?.answers ?? [])).toEqual(['www.example.org. 3600 IN A 127.0.0.1']);
    expect(reply?.authorities).toHaveLength(2);
  });

  it('answers from the longest loaded zone', async () => {
    const sub = zoneOf('sub.example.org.', ZONE_T.replaceAll('example.org.', 'sub.example.org.'));
    const a = auto(['example.org.'], { 'example.org.': zoneOf('example.org.', ZONE_T), 'sub.example.org.': sub });
    const { reply } = await serve(a, 'www.sub.example.org.', 'A');
    expect(reply?.authorities.map((r) => r.name)).toEqual(['sub.example.org.', 'sub.example.org.']);
  });

  it('H11: the container records names in insertion order', () => {
    const a = auto([], { 'example.org.': empty() });
    expect(a.zones.names()).toEqual(['example.org.']);
    a.zones.add(new Zone('test.org.', 'db.test.org', 'i-test'), 'test.org.', () => {});
    expect(a.zones.size).toBe(2);
  });
});
