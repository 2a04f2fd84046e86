import diagnostics from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { Clock } from '../server/clock.ts';
import { channelName, type EventPayloads } from '../server/events.ts';
import type { ResourceRecord } from './record.ts';
import { Zone, ZoneLoadError } from './zone.ts';
import { records, rr, sorted, zoneOf } from './test-fixtures.ts';

const SOA = 'example.com. 1800 IN SOA ns1.example.net. hostmaster.example.com. 1282630057 14400 3600 604800 14400';

function loadError(fn: () => unknown): ZoneLoadError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ZoneLoadError) return err;
    throw err;
  }
  throw new Error('expected a ZoneLoadError');
}

describe('Zone.fromRecords', () => {
  it('refuses a zone without SOA with CoreDNS wording', () => {
    const err = loadError(() => Zone.fromRecords('example.com.', 'db.example', 'i1', records('www.example.com. 300 IN A 192.0.2.1')));
    expect(err.code).toBe('no-soa');
    expect(err.message).toBe('file "db.example" has no SOA record for origin example.com.');
    expect(err.line).toBeNull();
  });

  it.each([
    ['outside-origin', [SOA, 'www.example.net. 300 IN A 192.0.2.1'], 2, 'db.example:2: out-of-zone record www.example.net. A: not under origin example.com.'],
    ['multiple-soa', [SOA, SOA], 7, 'db.example:7: second SOA record for origin example.com. (first SOA at line 1)'],
    ['soa-not-at-apex', [SOA.replace(/^example/, 'sub.example')], 1, 'db.example:1: SOA record owned by sub.example.com., not by the origin example.com.'],
  ] as const)('rejects %s with file:line', (code, lines, line, message) => {
    const lineNumbers = lines.length === 2 ? [1, line] : [line];
    const err = loadError(() => Zone.fromRecords('example.com.', 'db.example', 'i1', lines.map(rr), lineNumbers));
    expect(err.code).toBe(code);
    expect(err.line).toBe(line);
    expect(err.file).toBe('db.example');
    expect(err.message).toBe(message);
  });

  it('rejects NSEC3 records, naming the record and the line', () => {
    const nsec3: ResourceRecord = { name: 'abc.example.com.', ttl: 300, class: 'IN', type: 'TYPE50', data: Buffer.alloc(4) };
    const err = loadError(() => Zone.fromRecords('example.com.', 'db.example', 'i1', [rr(SOA), nsec3], [1, 9]));
    expect(err.code).toBe('nsec3');
    expect(err.message).toBe('db.example:9: NSEC3 zone is not supported, dropping RR: abc.example.com. for zone: example.com.');
  });

  it('treats an out-of-zone name case-insensitively and without line numbers when none are given', () => {
    const err = loadError(() => Zone.fromRecords('Example.COM', 'f', 'i1', [rr(SOA), rr('x.example.org. 1 IN A 192.0.2.1')]));
    expect(err.message).toBe('out-of-zone record x.example.org. A: not under origin example.com.');
    const ok = Zone.fromRecords('Example.COM', 'f', 'i1', [rr(SOA), rr('WWW.EXAMPLE.com. 1 IN A 192.0.2.1')]);
    expect(ok.origin).toBe('example.com.');
    expect(ok.tree.get('www.example.com.')).toBeDefined();
  });
});

describe('Zone.insert', () => {
  const zone = zoneOf('example.com.', `
    ${SOA}
    example.com. 1800 IN NS NS1.Example.NET.
    example.com. 1800 IN NS ns2.example.net.
    example.com. 1800 IN MX 10 MX1.Example.NET.
    Sub.Example.com. 1800 IN NS NS.Sub.Example.com.
    WWW.example.com. 1800 IN CNAME A.Example.com.
    www2.example.com. 1800 IN A 192.0.2.1
    www2.example.com. 1800 IN A 192.0.2.1
    _Sip._TCP.example.com. 1800 IN SRV 10 10 5060 Sip.Example.com.
    example.com. 1800 IN RRSIG SOA 8 2 1800 20300101000000 20200101000000 1234 example.com. AAAA
    example.com. 1800 IN RRSIG NS 8 2 1800 20300101000000 20200101000000 1234 example.com. AAAA
    sub.example.com. 1800 IN RRSIG NS 8 3 1800 20300101000000 20200101000000 1234 example.com. AAAA
  `);

  it('keeps SOA and apex NS in the apex, not the tree', () => {
    expect(zone.apex.soa?.data.serial).toBe(1282630057);
    expect(sorted(zone.apex.ns)).toEqual(['example.com. 1800 IN NS ns1.example.net.', 'example.com. 1800 IN NS ns2.example.net.']);
    expect(zone.tree.get('example.com.')?.types()).toEqual(['MX']);
    expect(zone.tree.get('sub.example.com.')?.type('NS')).toHaveLength(1);
  });

  it('lower-cases owners and NS/CNAME/MX targets but not SRV owners or SRV targets', () => {
    expect(zone.tree.get('sub.example.com.')?.type('NS')[0]?.data).toBe('ns.sub.example.com.');
    expect(zone.tree.get('www.example.com.')?.type('CNAME')[0]?.data).toBe('a.example.com.');
    expect(zone.tree.get('example.com.')?.type('MX')[0]).toMatchObject({ data: { exchange: 'mx1.example.net.' } });
    expect(zone.tree.get('_Sip._TCP.example.com.')?.type('SRV')[0]).toMatchObject({ data: { target: 'Sip.Example.com.' } });
    expect(zone.tree.get('_sip._tcp.example.com.')).toBeUndefined();
  });

  it('files RRSIGs over SOA and apex NS with the apex, others in the tree', () => {
    expect(zone.apex.sigSoa).toHaveLength(1);
    expect(zone.apex.sigNs).toHaveLength(1);
    expect(zone.tree.get('sub.example.com.')?.type('RRSIG')).toHaveLength(1);
  });

  it('keeps duplicate records and counts every record', () => {
    expect(zone.tree.get('www2.example.com.')?.type('A')).toHaveLength(2);
    expect(zone.recordCount).toBe(12);
  });

  it('lets a later SOA replace an earlier one, as CoreDNS Insert does', () => {
    const z = new Zone('example.com.', 'f', 'i');
    z.insert(rr(SOA));
    z.insert(rr(SOA.replace('1282630057', '7')));
    expect(z.soaSerial()).toBe(7);
    expect(z.recordCount).toBe(1);
  });

  it('does not change the records it was given', () => {
    const input = rr('WWW.example.com. 1 IN CNAME A.example.com.');
    const z = new Zone('example.com.', 'f', 'i');
    z.insert(input);
    expect(input.name).toBe('WWW.example.com.');
    expect(input.data).toBe('A.example.com.');
  });
});

describe('Zone state', () => {
  it('reports -1 as the serial of a zone with no SOA', () => {
    expect(new Zone('example.com.', 'f', 'i').soaSerial()).toBe(-1);
  });

  it('keeps instanceId as an own string property (memlab reads it from heap snapshots)', () => {
    const z = new Zone('example.com', 'db', 'instance-7');
    expect(Object.getOwnPropertyDescriptor(z, 'instanceId')?.value).toBe('instance-7');
    expect(z.origin).toBe('example.com.');
  });

  it('swap takes the other zone\'s apex and tree in one step', () => {
    const z = zoneOf('example.com.', `${SOA}\na.example.com. 1 IN A 192.0.2.1`);
    const next = zoneOf('example.com.', `${SOA.replace('1282630057', '1282630058')}\nb.example.com. 1 IN A 192.0.2.2\nexample.com. 1 IN NS ns.example.net.`);
    const oldTree = z.tree;
    z.swap(next);
    expect(z.soaSerial()).toBe(1282630058);
    expect(z.tree).toBe(next.tree);
    expect(z.tree).not.toBe(oldTree);
    expect(z.tree.get('a.example.com.')).toBeUndefined();
    expect(z.apex.ns).toHaveLength(1);
    expect(z.recordCount).toBe(3);
  });

  it('swap refuses a zone for another origin', () => {
    const z = zoneOf('example.com.', SOA);
    const other = Zone.fromRecords('example.org.', 'f', 'i', [rr(SOA.replace(/^example\.com/, 'example.org'))]);
    expect(() => z.swap(other)).toThrow('cannot swap zone example.org. into zone example.com.');
  });
});

describe('Zone.onShutdown', () => {
  const seen: EventPayloads['zone:shutdown'][] = [];
  const listener = (msg: unknown): void => {
    seen.push(msg as EventPayloads['zone:shutdown']);
  };
  diagnostics.subscribe(channelName('zone:shutdown'), listener);
  afterEach(() => {
    seen.length = 0;
  });

  it('cancels the reload timer and publishes zone:shutdown once, however often it is called', async () => {
    const clock = new Clock(1);
    const z = zoneOf('example.com.', SOA, 'inst-1');
    let ticks = 0;
    const timer = clock.every(5, { kind: 'zone-reload', plugin: 'file', instanceId: 'inst-1', subject: z.origin }, () => {
      ticks++;
    });
    z.reloadTimer = timer;
    z.onShutdown();
    z.onShutdown();
    expect(timer.active).toBe(false);
    expect(z.reloadTimer).toBeNull();
    expect(z.isShutdown).toBe(true);
    expect(seen).toEqual([{ instanceId: 'inst-1', origin: 'example.com.' }]);
    await new Promise((r) => setTimeout(r, 25));
    expect(ticks).toBe(0);
  });

  it('cancels a timer armed after an earlier shutdown without publishing again', () => {
    const clock = new Clock(1);
    const z = zoneOf('example.com.', SOA, 'inst-2');
    z.onShutdown();
    const late = clock.every(1000, { kind: 'zone-reload', plugin: 'auto', instanceId: 'inst-2', subject: z.origin }, () => {});
    z.reloadTimer = late;
    z.onShutdown();
    expect(late.active).toBe(false);
    expect(seen).toHaveLength(1);
  });

  it('works on a zone that never had a timer', () => {
    const z = zoneOf('example.com.', SOA, 'inst-3');
    expect(() => z.onShutdown()).not.toThrow();
    expect(seen).toEqual([{ instanceId: 'inst-3', origin: 'example.com.' }]);
  });
});
