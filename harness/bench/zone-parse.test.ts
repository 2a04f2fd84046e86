import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIND_MISSING, dumpLines, hasNamedCheckzone, namedCheckzone, normaliseZoneLine } from '../dns/zone/master/bind-checkzone.ts';
import { formatRecord } from '../dns/zone/master/format.ts';
import { checkZoneRecords, parseMasterFile } from '../dns/zone/master/parse.ts';
import { benchZoneParse, generateZone, ZONE_PARSE_RECORDS, zoneParseSuite } from './zone-parse.ts';

describe('zone-parse bench', () => {
  it.each([4, 5, 17, 2000])('generateZone(%i) yields exactly that many records of a valid zone', (n) => {
    const records = parseMasterFile(generateZone(n, 'gen.example.'), { origin: 'gen.example.', file: 'gen' });
    expect(records).toHaveLength(n);
    checkZoneRecords(records, 'gen.example.', 'gen');
    if (n === 2000) expect(new Set(records.map((r) => r.type))).toEqual(new Set(['SOA', 'NS', 'MX', 'A', 'AAAA', 'TXT', 'CNAME', 'SRV']));
  });

  it('the generated zone reads the same in BIND and in our parser', () => {
    if (!hasNamedCheckzone()) throw new Error(BIND_MISSING);
    const dir = mkdtempSync(join(tmpdir(), 'zone-gen-'));
    try {
      const text = generateZone(3000, 'gen.example.');
      writeFileSync(join(dir, 'db.gen'), text);
      const bind = namedCheckzone('gen.example.', 'db.gen', dir);
      expect(bind.ok, bind.stderr).toBe(true);
      const ours = parseMasterFile(text, { origin: 'gen.example.', file: 'db.gen' }).map((r) => normaliseZoneLine(formatRecord(r))).sort();
      expect(ours).toEqual(dumpLines(bind.stdout).map(normaliseZoneLine).sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('benchZoneParse reports measured rates for both parsers', async () => {
    const r = await benchZoneParse({ records: 2000, quick: true });
    expect(r.ourRecordsPerSec).toBeGreaterThan(0);
    expect(r.bindRecordsPerSec).toBeGreaterThan(0);
    expect(Number.isFinite(r.ratio)).toBe(true);
    expect(r.ratio).toBeCloseTo(r.ourRecordsPerSec / r.bindRecordsPerSec, 6);
    expect(r.details.records).toBe(2000);
    expect(r.details.bindRunsMs.length).toBeGreaterThanOrEqual(2);
  });
});

describe('zone-parse suite', () => {
  it('reports our records/s against named-checkzone, the ratio computed from both', async () => {
    const [r, ...rest] = await zoneParseSuite({ quick: true });
    expect(rest).toHaveLength(0);
    expect(r).toMatchObject({ name: 'zone parsing', metric: `records/s (${ZONE_PARSE_RECORDS.quick} records)`, better: 'higher', exact: false });
    expect(r!.peer).toMatch(/^named-checkzone/);
    expect(r!.ratio).toBeCloseTo(r!.value / r!.peerValue!, 12);
    expect(r!.target).toEqual({ ratio: 1, met: r!.ratio! >= 1 });
  }, 60_000);
});
