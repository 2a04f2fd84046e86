import { describe, expect, it } from 'vitest';
import { canonicalCompare, canonicalKey, countLabels, fqdn, isFqdn, isStrictSubdomain, isSubdomain, labels, lower, parentOf } from './names.ts';

describe('fqdn', () => {
  it.each([
    ['example.org', 'example.org.'],
    ['example.org.', 'example.org.'],
    ['', '.'],
    ['.', '.'],
    ['www\\.', 'www\\..'],
    ['www\\\\.', 'www\\\\.'],
  ])('%j becomes %j', (input, want) => {
    expect(fqdn(input)).toBe(want);
  });

  it('treats an escaped final dot as part of the label', () => {
    expect(isFqdn('a\\.')).toBe(false);
    expect(isFqdn('a\\\\.')).toBe(true);
  });
});

describe('lower', () => {
  it('lower-cases ASCII letters only and leaves escapes and other letters alone', () => {
    expect(lower('WwW.ExAmPlE.ORG.')).toBe('www.example.org.');
    expect(lower('\\065B.Org.')).toBe('\\065b.org.');
    expect(lower('ÉCOLE.fr.')).toBe('École.fr.');
  });

  it('returns the same string when nothing changes', () => {
    const s = 'already.lower.';
    expect(lower(s)).toBe(s);
  });
});

describe('labels', () => {
  it.each([
    ['.', []],
    ['org.', ['org']],
    ['www.example.org.', ['www', 'example', 'org']],
    ['www.example.org', ['www', 'example', 'org']],
    ['a\\.b.example.', ['a\\.b', 'example']],
    ['a\\046b.example.', ['a\\046b', 'example']],
  ])('%j has labels %j', (name, want) => {
    expect(labels(name)).toEqual(want);
    expect(countLabels(name)).toBe(want.length);
  });
});

describe('parentOf', () => {
  it.each([
    ['www.example.org.', 'example.org.'],
    ['org.', '.'],
    ['.', null],
    ['a\\.b.example.', 'example.'],
  ])('%j has parent %j', (name, want) => {
    expect(parentOf(name)).toBe(want);
  });
});

describe('isSubdomain', () => {
  it.each([
    ['www.example.org.', 'example.org.', true],
    ['example.org.', 'example.org.', true],
    ['WWW.Example.ORG.', 'example.org.', true],
    ['example.org.', 'www.example.org.', false],
    ['badexample.org.', 'example.org.', false],
    ['anything.', '.', true],
    ['a\\.example.org.', 'example.org.', false],
    ['x.a\\.example.org.', 'a\\.example.org.', true],
    ['example\\.org.', 'org.', false],
    ['\\065.example.', 'a.example.', true],
  ])('%j under %j is %j', (child, parent, want) => {
    expect(isSubdomain(child, parent)).toBe(want);
  });

  it('strict form excludes the name itself', () => {
    expect(isStrictSubdomain('example.org.', 'example.org.')).toBe(false);
    expect(isStrictSubdomain('a.example.org.', 'example.org.')).toBe(true);
  });
});

describe('canonicalCompare', () => {
  // RFC 4034 section 6.1's example, in canonical order.
  const rfcOrder = [
    'example.',
    'a.example.',
    'yljkjljk.a.example.',
    'Z.a.example.',
    'zABC.a.EXAMPLE.',
    'z.example.',
    '\\001.z.example.',
    '*.z.example.',
    '\\200.z.example.',
  ];

  it('sorts the RFC 4034 example into its canonical order', () => {
    const shuffled = [...rfcOrder].reverse();
    shuffled.push(shuffled.shift() as string);
    expect(shuffled.sort(canonicalCompare)).toEqual(rfcOrder);
  });

  it('ignores ASCII case and decodes \\DDD', () => {
    expect(canonicalCompare('WWW.example.', 'www.EXAMPLE.')).toBe(0);
    expect(canonicalCompare('\\065.example.', 'a.example.')).toBe(0);
    expect(canonicalCompare('a\\.b.example.', 'a\\046b.example.')).toBe(0);
  });

  it('puts a name before its descendants and a label before longer labels it prefixes', () => {
    expect(canonicalCompare('example.', 'a.example.')).toBeLessThan(0);
    expect(canonicalCompare('ab.example.', 'a.example.')).toBeGreaterThan(0);
    expect(canonicalCompare('b.example.', 'a.b.example.')).toBeLessThan(0);
  });

  it('makes an ancestor key a prefix of a descendant key and of nothing else', () => {
    expect(canonicalKey('x.b.example.').startsWith(canonicalKey('b.example.'))).toBe(true);
    expect(canonicalKey('xb.example.').startsWith(canonicalKey('b.example.'))).toBe(false);
  });
});
