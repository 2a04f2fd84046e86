import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corefileJson, corefileSha512, goJsonString } from './hash.ts';
import { parseCorefile } from './parse.ts';
import type { ParseOptions } from './parse.ts';

/** The reload plugin's view: names unchecked, no default block. */
const parse = (text: string, opts: Partial<ParseOptions> = {}) =>
  parseCorefile(text, { path: 'Corefile', validDirectives: null, env: {}, ...opts });
const sum = (text: string, opts: Partial<ParseOptions> = {}) => corefileSha512(parse(text, opts));

const D12 = '.:1053 {\n    whoami\n}\n';

describe('reload hash (vectors D12-D17)', () => {
  it('D12: hashes exactly the bytes of Go json.Marshal', () => {
    expect(corefileJson(parse(D12))).toBe('[{"Keys":[".:1053"],"Tokens":{"whoami":[{"File":"","Line":2,"Text":"whoami"}]}}]');
    // Independent value: `printf '%s' '<bytes above>' | sha512sum`.
    expect(sum(D12)).toBe(
      '81cbce33b2502dfd3964b50e99025a421facaa0a1529239e039cb5ea931b29802e12b2efae8b0a89adec1ef13db247074cb30c5c1ec5c2956d180eab5bca3b4f',
    );
  });

  it.each([
    ['D13: trailing comment and deeper indent', '.:1053 {\n        whoami   # note\n}\n'],
    ['D15: blank line appended at EOF', `${D12}\n`],
    ['spacing between tokens on a line', '.:1053    {\n\twhoami\n}   \n'],
    ['CRLF line ends', '.:1053 {\r\n    whoami\r\n}\r\n'],
  ])('%s keeps the hash (no reload)', (_name, text) => {
    expect(sum(text)).toBe(sum(D12));
  });

  it('D14: a comment line inserted above a token moves it to line 3 and changes the hash', () => {
    const text = '.:1053 {\n# note\n    whoami\n}\n';
    expect(corefileJson(parse(text))).toBe('[{"Keys":[".:1053"],"Tokens":{"whoami":[{"File":"","Line":3,"Text":"whoami"}]}}]');
    expect(sum(text)).not.toBe(sum(D12));
  });

  it('D14: so does a blank line above a token', () => {
    expect(sum('\n.:1053 {\n    whoami\n}\n')).not.toBe(sum(D12));
  });

  it('D16: a new directive appears in sorted key order (log before whoami)', () => {
    const text = '.:1053 {\n    whoami\n    log\n}\n';
    expect(corefileJson(parse(text))).toBe(
      '[{"Keys":[".:1053"],"Tokens":{"log":[{"File":"","Line":3,"Text":"log"}],"whoami":[{"File":"","Line":2,"Text":"whoami"}]}}]',
    );
    expect(sum(text)).not.toBe(sum(D12));
  });

  it('hashes keys raw (after env substitution, before normalisation)', () => {
    expect(corefileJson(parse('{$Z}:1053 {\n}', { env: { Z: 'EXAMPLE.org' } }))).toBe('[{"Keys":["EXAMPLE.org:1053"],"Tokens":{}}]');
  });

  it('hashes argument tokens after env substitution', () => {
    const a = sum('. {\n log {$X}\n}', { env: { X: 'one' } });
    expect(sum('. {\n log {$X}\n}', { env: { X: 'two' } })).not.toBe(a);
    expect(sum('. {\n log one\n}')).toBe(a);
  });

  it('hashes zero blocks as Go marshals a nil slice: null', () => {
    expect(corefileJson(parse(''))).toBe('null');
  });

  describe('D17 and case 25: imported files are part of the hash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'corefile-hash-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const other = join(dir, 'other.conf');
    const text = '. {\n import other.conf\n}\n';
    const opts = { path: join(dir, 'Corefile') };

    it('carries the absolute path of the imported file', () => {
      writeFileSync(other, 'whoami\n');
      expect(corefileJson(parse(text, opts))).toBe(
        `[{"Keys":["."],"Tokens":{"whoami":[{"File":${JSON.stringify(other)},"Line":1,"Text":"whoami"}]}}]`,
      );
    });

    it('changes when a token of the imported file changes, not when it is rewritten the same', () => {
      writeFileSync(other, 'file db.example.org\n');
      const before = sum(text, opts);
      writeFileSync(other, 'file db.example.org\n');
      expect(sum(text, opts)).toBe(before);
      writeFileSync(other, 'file db.example.org-alt example.org\n');
      expect(sum(text, opts)).not.toBe(before);
    });
  });
});

describe('Go JSON string escaping', () => {
  it.each([
    ['plain', 'whoami', '"whoami"'],
    ['quote and backslash', 'a"b\\c', '"a\\"b\\\\c"'],
    ['HTML characters', '<a>&', '"\\u003ca\\u003e\\u0026"'],
    ['line and paragraph separators', '\u2028\u2029', '"\\u2028\\u2029"'],
    ['short control escapes', '\n\r\t\b\f', '"\\n\\r\\t\\b\\f"'],
    ['other controls', '\u0000\u001f', '"\\u0000\\u001f"'],
    ['DEL and non-ASCII kept as is', '\u007fé😀', '"\u007fé😀"'],
    ['lone surrogate as invalid UTF-8', 'a\ud800b', '"a\\ufffdb"'],
  ])('%s', (_name, input, expected) => {
    expect(goJsonString(input)).toBe(expected);
  });

  it('sorts directive names by UTF-8 bytes, as Go sorts map keys', () => {
    const json = corefileJson([
      {
        keys: ['.'],
        line: 1,
        file: '',
        tokens: {
          '\uff5e': [{ file: '', line: 1, text: 'x' }],
          '😀': [{ file: '', line: 1, text: 'y' }],
          B: [{ file: '', line: 1, text: 'z' }],
          a: [{ file: '', line: 1, text: 'w' }],
        },
      },
    ]);
    expect(json.indexOf('"B"')).toBeLessThan(json.indexOf('"a"'));
    // UTF-16 order would put U+1F600 (surrogates D83D...) before U+FF5E; UTF-8 order puts it after.
    expect(json.indexOf('"\uff5e"')).toBeLessThan(json.indexOf('"😀"'));
  });
});
