import { readFileSync, readdirSync } from 'node:fs';
import { prng } from '../../testing/prng.ts';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatRecord } from './format.ts';
import { ZoneParseError, parseMasterFile } from './parse.ts';

const ZONES = fileURLToPath(new URL('../../testing/zones/', import.meta.url));


// Characters that matter to the grammar, plus some that do not.
const ALPHABET = ['(', ')', '"', ';', '\\', '\n', '\r\n', ' ', '\t', '.', '@', '$', '#', '0', '9', '255', '\\#', 'a', 'Z',
  'IN', 'A', 'TXT', 'SOA', 'TYPE65534', '$TTL', '$ORIGIN', '$INCLUDE', '1h', '\\000', '\\256', '::', 'é', '\u0000', '-'];

function mutate(text: string, rnd: () => number): string {
  let s = text;
  const steps = 1 + Math.floor(rnd() * 4);
  for (let k = 0; k < steps; k++) {
    const at = Math.floor(rnd() * (s.length + 1));
    const pick = ALPHABET[Math.floor(rnd() * ALPHABET.length)] ?? '';
    switch (Math.floor(rnd() * 5)) {
      case 0: s = s.slice(0, at) + pick + s.slice(at); break;
      case 1: s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 8)); break;
      case 2: s = s.slice(0, at) + pick + s.slice(at + 1); break;
      case 3: {
        const len = Math.floor(rnd() * 40);
        s = s.slice(0, at) + s.slice(at, at + len) + s.slice(at);
        break;
      }
      default: s = s.slice(0, at);
    }
  }
  return s;
}

describe('fuzz', () => {
  const seeds = readdirSync(ZONES).filter((f) => !f.endsWith('.ts')).map((f) => readFileSync(join(ZONES, f), 'utf8'));

  it('10,000 mutated zone texts only ever throw ZoneParseError, and what parses re-parses from its formatted form', () => {
    const rnd = prng(0x5eed1035);
    let parsed = 0;
    for (let i = 0; i < 10_000; i++) {
      const text = mutate(seeds[i % seeds.length] ?? '', rnd);
      const opts = { origin: 'example.org.', file: '/fuzz/db', readInclude: () => 'inc 1 A 192.0.2.1\n' };
      let records;
      try {
        records = parseMasterFile(text, opts);
      } catch (e) {
        if (!(e instanceof ZoneParseError)) throw new Error(`case ${i} threw ${String(e)} for:\n${text}`);
        expect(e.message.startsWith(`${e.file}:${e.line}: `)).toBe(true);
        continue;
      }
      parsed++;
      // Round trip: our presentation form must read back to the same records.
      const lines = records.map(formatRecord);
      const again = parseMasterFile(`${lines.join('\n')}\n`, { origin: '.', file: '/fuzz/roundtrip' }).map(formatRecord);
      expect(again, `case ${i}`).toEqual(lines);
    }
    // The mutations must leave a fair share parseable, or the round trip tests nothing.
    expect(parsed).toBeGreaterThan(1000);
  });
});
