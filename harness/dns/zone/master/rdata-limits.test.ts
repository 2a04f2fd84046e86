import { describe, expect, it } from 'vitest';
import { parseMasterFile, ZoneParseError } from './parse.ts';

const zone = (txt: string): string => `$TTL 60\n@ IN SOA ns h 1 2 3 4 5\n@ IN NS ns\nbig IN TXT ${txt}\n`;
const strings = (n: number): string => Array.from({ length: n }, () => `"${'a'.repeat(255)}"`).join(' ');

describe('record data limits (RDLENGTH is 16 bits)', () => {
  it('accepts TXT data up to 65535 bytes', () => {
    // 255 strings of 255 bytes + their 255 length bytes = 65280
    const rrs = parseMasterFile(zone(strings(255)), { origin: 'example.org.', file: 'db.big' });
    expect(rrs.find((r) => r.type === 'TXT')).toBeDefined();
  });

  it('refuses TXT data over 65535 bytes with file:line, as named-checkzone does ("ran out of space")', () => {
    expect(() => parseMasterFile(zone(strings(300)), { origin: 'example.org.', file: 'db.big' })).toThrow(ZoneParseError);
    expect(() => parseMasterFile(zone(strings(300)), { origin: 'example.org.', file: 'db.big' })).toThrow(/db\.big:4: TXT data is 76800 bytes, more than the 65535 a record can hold/);
  });
});
