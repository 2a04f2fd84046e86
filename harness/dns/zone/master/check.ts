import type { ResourceRecord } from '../record.ts';
import { ZoneParseError } from './errors.ts';
import { recordSources } from './sources.ts';
import { lowerName } from './text.ts';

/**
 * The zone-level rules a parsed file must meet before it may be served: exactly one SOA, at the
 * apex, and no record outside `origin`. Line numbers come from {@link parseMasterFile}'s result
 * when `records` is the array it returned (or from `where`); otherwise they are 0.
 */
export function checkZoneRecords(
  records: ResourceRecord[],
  origin: string,
  file: string,
  where?: { lines: number[]; files?: string[] },
): void {
  const src = where ?? recordSources(records);
  const apex = lowerName(origin.endsWith('.') ? origin : `${origin}.`);
  const at = (i: number): [string, number] => [src?.files?.[i] ?? file, src?.lines[i] ?? 0];
  let soaIndex = -1;
  for (let i = 0; i < records.length; i++) {
    const rr = records[i];
    if (rr === undefined) continue;
    const name = lowerName(rr.name);
    if (rr.type === 'SOA') {
      if (name !== apex) {
        const [f, l] = at(i);
        throw new ZoneParseError('semantic', f, l, `SOA record for ${name} is not at the zone apex: origin is ${apex}`,
          `check $ORIGIN and the zone name the server uses (the origin given for this file is ${apex})`);
      }
      if (soaIndex >= 0) {
        const [f, l] = at(i);
        throw new ZoneParseError('semantic', f, l, `a second SOA record for ${apex} (the first is at line ${at(soaIndex)[1]})`,
          'a zone has exactly one SOA; remove one of them');
      }
      soaIndex = i;
    }
    if (!isInZone(name, apex)) {
      const [f, l] = at(i);
      throw new ZoneParseError('semantic', f, l, `${rr.type} record for ${name} is outside the zone origin ${apex}`,
        'check $ORIGIN and for a missing or extra trailing dot in the owner name');
    }
  }
  if (soaIndex < 0) {
    throw new ZoneParseError('semantic', file, 1, `has no SOA record for origin ${apex}`, 'add an SOA record at the apex (@)');
  }
}

/** `name` equals `apex` or lies below it (a real label boundary, not an escaped dot). */
export function isInZone(name: string, apex: string): boolean {
  if (apex === '.' || name === apex) return true;
  if (name.length <= apex.length || !name.endsWith(apex)) return false;
  const dot = name.length - apex.length - 1;
  if (name.charCodeAt(dot) !== 46) return false;
  let slashes = 0;
  for (let j = dot - 1; j >= 0 && name.charCodeAt(j) === 92; j--) slashes++;
  return slashes % 2 === 0;
}
