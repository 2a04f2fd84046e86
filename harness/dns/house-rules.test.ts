/**
 * The boundary of the subject: harness/dns imports node:*, itself, dns-packet (only in wire/)
 * and re2js (auto's RE2 regexps), never the instruments. Publishing with no subscriber builds
 * no payload.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { publish, EVENT_NAMES, isObserved } from './server/events.ts';

const ROOT = dirname(fileURLToPath(import.meta.url));
const HARNESS = resolve(ROOT, '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Every module specifier of `import ... from '...'`, `export ... from '...'` and `import('...')`. */
function specifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)) if (m[1]) out.push(m[1]);
  for (const m of text.matchAll(/(?:^|\s)import\s+['"]([^'"]+)['"]/g)) if (m[1]) out.push(m[1]);
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)) if (m[1]) out.push(m[1]);
  return out;
}

const FILES = sources(ROOT);

describe('house rules', () => {
  it('finds the subject\'s files (the rule below is not vacuous)', () => {
    expect(FILES.length).toBeGreaterThan(30);
    // Built by joining, so this file's own scan does not see these sample imports.
    const sample = ['import { x } from', "'./a.ts';\nexport { y } from", '"../b.ts";\nawait import(', "'c');"].join(' ');
    expect(specifiers(sample)).toEqual(['./a.ts', '../b.ts', 'c']);
  });

  it('no file under harness/dns imports harness/leak, report, bench or cli', () => {
    const offenders: string[] = [];
    for (const file of FILES) {
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = relative(HARNESS, resolve(dirname(file), spec));
        if (/^(leak|report|bench|cli)(\/|$)/.test(target)) offenders.push(`${relative(HARNESS, file)} -> ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('only harness/dns/wire imports dns-packet; packages are limited to node:*, dns-packet, re2js', () => {
    const offenders: string[] = [];
    for (const file of FILES) {
      const rel = relative(ROOT, file);
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        if (spec.startsWith('.') || spec.startsWith('node:')) continue;
        if (spec === 'dns-packet' && rel.startsWith('wire/')) continue;
        if (spec === 're2js' && rel.startsWith('plugins/auto/')) continue;
        if (spec === 'vitest' && rel.endsWith('.test.ts')) continue;
        offenders.push(`${rel} -> ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe('events', () => {
  it('with no subscriber, publish never calls make()', () => {
    for (const event of EVENT_NAMES) {
      expect(isObserved(event)).toBe(false);
      let built = 0;
      publish(event, () => {
        built++;
        throw new Error('payload built without a subscriber');
      });
      expect(built).toBe(0);
    }
  });
});
