import { describe, expect, it } from 'vitest';
import { compileZoneRegexp, expandTemplate, originFor } from './regexp.ts';

describe('originFor maps a file name to an origin with an unanchored RE2 search (vectors E10-E14)', () => {
  it.each([
    { id: 'E10', file: 'db.example.org', re: 'db\\.(.*)', template: '${1}', origin: 'example.org.' },
    { id: 'E11', file: 'aa.example.org', re: 'db\\.(.*)', template: '${1}', origin: null },
    { id: 'E12', file: 'www.db.example.org', re: 'www\\.db\\.(.*)', template: '${1}', origin: 'example.org.' },
    { id: 'E13', file: 'example.org.zone.bak', re: '(.*)\\.zone', template: '${1}', origin: 'example.org.' },
    { id: 'E13 anchored', file: 'example.org.zone.bak', re: '^(.*)\\.zone$', template: '${1}', origin: null },
    { id: 'E14', file: 'db.x', re: 'db\\.(.*)', template: '${2}', origin: null },
    { id: 'E9 unanchored prefix', file: 'xdb.foo', re: 'db\\.(.*)', template: '${1}', origin: 'foo.' },
    { id: 'case kept', file: 'db.Example.ORG', re: 'db\\.(.*)', template: '${1}', origin: 'Example.ORG.' },
    { id: 'literal template', file: 'db.anything', re: 'db\\.(.*)', template: 'fixed.example', origin: 'fixed.example.' },
    { id: 'named group', file: 'zone-example.net', re: 'zone-(?P<name>.*)', template: 'x.${name}', origin: 'x.example.net.' },
  ])('$id: $file', (c) => {
    expect(originFor(compileZoneRegexp(c.re), c.template, c.file)).toBe(c.origin);
  });
});

describe("expandTemplate follows Go's Regexp.Expand", () => {
  const re = compileZoneRegexp('(a)(b)?');
  const src = 'a';
  const match = re.find(src) ?? [];
  it.each([
    ['$1', 'a'],
    ['${1}x', 'ax'],
    ['$1x', ''], // `$1x` names group "1x", which does not exist
    ['$$1', '$1'],
    ['${2}', ''], // unmatched optional group
    ['${9}', ''], // out of range
    ['${1', '${1'], // malformed: `$` stays literal
    ['$', '$'],
    ['$01', ''], // leading zero: a name, not a number
  ])('%j -> %j', (template, out) => {
    expect(expandTemplate(re, template, src, match)).toBe(out);
  });
});

describe('compileZoneRegexp', () => {
  it('reports RE2 syntax errors with the Go text', () => {
    expect(() => compileZoneRegexp('*')).toThrow('error parsing regexp: missing argument to repetition operator: `*`');
  });

  it('refuses a pattern longer than 10000 characters before compiling it', () => {
    expect(() => compileZoneRegexp('(a)'.padEnd(10_001, 'a'))).toThrow('regexp too large');
    expect(compileZoneRegexp('(a)'.padEnd(10_000, 'a')).groups).toBe(1);
  });

  it('counts capture groups like NumSubexp', () => {
    expect(compileZoneRegexp('db\\.(.*)\\.(zone)').groups).toBe(2);
    expect(compileZoneRegexp('db\\.(?:.*)').groups).toBe(0);
  });

  it('matches in linear time where a backtracking engine would not finish', () => {
    const re = compileZoneRegexp('(a+)+$');
    const started = performance.now();
    expect(re.find(`${'a'.repeat(5_000)}!`)).toBeNull();
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
