import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ZONE_CORPUS } from '../../testing/zones/index.ts';
import { BIND_MISSING, dumpLines, hasNamedCheckzone, namedCheckzone, normaliseZoneLine } from './bind-checkzone.ts';
import { formatRecord } from './format.ts';
import { ZoneParseError, checkZoneRecords, parseMasterFile } from './parse.ts';

const ZONES = fileURLToPath(new URL('../../testing/zones/', import.meta.url));
const bindPresent = hasNamedCheckzone();

function ours(file: string, origin: string): { lines: string[] } | { error: unknown } {
  const path = join(ZONES, file);
  try {
    const records = parseMasterFile(readFileSync(path, 'utf8'), { origin, file: path });
    checkZoneRecords(records, origin, path);
    return { lines: records.map((rr) => normaliseZoneLine(formatRecord(rr))).sort() };
  } catch (error) {
    return { error };
  }
}

describe('master-file parser against BIND named-checkzone', () => {
  it('named-checkzone is installed (the comparison needs it)', () => {
    if (!bindPresent) throw new Error(BIND_MISSING);
  });

  for (const e of ZONE_CORPUS) {
    it(`${e.file} with origin ${e.origin}: ${e.note}`, () => {
      if (!bindPresent) throw new Error(BIND_MISSING);
      const bind = namedCheckzone(e.origin, e.file, ZONES);
      const got = ours(e.file, e.origin);
      if (e.weRefuse !== undefined) {
        expect(bind.ok, `BIND should load ${e.file} (we refuse it because: ${e.weRefuse})`).toBe(true);
        expect('error' in got && got.error).toBeInstanceOf(ZoneParseError);
        return;
      }
      if (bind.ok) {
        if ('error' in got) throw got.error;
        const want = dumpLines(bind.stdout).map(normaliseZoneLine).sort();
        expect(got.lines).toEqual(want);
      } else {
        expect('error' in got, `BIND refuses ${e.file}: ${bind.stderr}${bind.stdout}`).toBe(true);
        if (!('error' in got)) return;
        expect(got.error).toBeInstanceOf(ZoneParseError);
        const err = got.error as ZoneParseError;
        expect(err.line).toBeGreaterThan(0);
        expect(err.message).toMatch(new RegExp(`:${err.line}: `));
        // Where BIND names a line, ours is the same or the next (we point at the end of a short record).
        if (bind.line !== undefined) expect(Math.abs(err.line - bind.line)).toBeLessThanOrEqual(1);
      }
    });
  }
});
