import { describe, expect, it } from 'vitest';
import { lex } from './lexer.ts';

type Row = [id: string, input: string, expected: Array<[text: string, line: number]>];

// Vectors A1-A10 (caddy lexer_test TestLexer, A10 derived from lexer.go).
const rows: Row[] = [
  ['A1', 'host:123\n\n\t\tdirective', [['host:123', 1], ['directive', 3]]],
  [
    'A2',
    'host:123 {\n #comment\n directive\n # comment\n foobar # another comment\n}',
    [['host:123', 1], ['{', 1], ['directive', 3], ['foobar', 5], ['}', 6]],
  ],
  ['A3', 'a "quoted value" b\nfoobar', [['a', 1], ['quoted value', 1], ['b', 1], ['foobar', 2]]],
  ['A4', 'A "quoted \\"value\\" inside" B', [['A', 1], ['quoted "value" inside', 1], ['B', 1]]],
  ['A5', '"don\'t\\escape"', [["don't\\escape", 1]]],
  [
    'A6',
    'A "quoted value with line\n\t\t\t\t\tbreak inside" {\n foobar\n}',
    [['A', 1], ['quoted value with line\n\t\t\t\t\tbreak inside', 1], ['{', 2], ['foobar', 3], ['}', 4]],
  ],
  ['A7', 'empty "" string', [['empty', 1], ['', 1], ['string', 1]]],
  ['A8', 'skip those\r\nCR characters', [['skip', 1], ['those', 1], ['CR', 2], ['characters', 2]]],
  ['A9', '\uFEFF:8080', [[':8080', 1]]],
  ['A10', 'abc#def ghi\nx', [['abc', 1], ['x', 2]]],
];

describe('lexer (vectors A1-A10)', () => {
  it.each(rows)('%s lexes %j', (_id, input, expected) => {
    expect(lex(input).map((t) => [t.text, t.line])).toEqual(expected);
  });
});

describe('lexer details', () => {
  it('stamps every token with the file it came from', () => {
    expect(lex('a\nb', '/etc/x.conf').map((t) => t.file)).toEqual(['/etc/x.conf', '/etc/x.conf']);
    expect(lex('a').map((t) => t.file)).toEqual(['']);
  });

  it('keeps a backslash outside quotes (regexps like db\\.(.*))', () => {
    expect(lex('directory /tmp db\\.(.*) {1}').map((t) => t.text)).toEqual(['directory', '/tmp', 'db\\.(.*)', '{1}']);
  });

  it('keeps other backslash escapes inside quotes as two characters', () => {
    expect(lex('"a\\nb"').map((t) => t.text)).toEqual(['a\\nb']);
  });

  it('does not treat # inside quotes as a comment', () => {
    expect(lex('x "a # b" y').map((t) => t.text)).toEqual(['x', 'a # b', 'y']);
  });

  it('counts newlines inside a quoted token for the tokens after it', () => {
    expect(lex('"a\n\nb" c\nd').map((t) => [t.text, t.line])).toEqual([['a\n\nb', 1], ['c', 3], ['d', 4]]);
  });

  it('drops \\r without splitting a token, as caddy does', () => {
    expect(lex('a\rb').map((t) => t.text)).toEqual(['ab']);
  });

  it('splits on Go unicode spaces (U+00A0, U+2003) but not on a BOM in the middle', () => {
    expect(lex('a\u00a0b\u2003c').map((t) => t.text)).toEqual(['a', 'b', 'c']);
    expect(lex('a\uFEFFb').map((t) => t.text)).toEqual(['a\uFEFFb']);
  });

  it('only drops a leading BOM', () => {
    expect(lex('\uFEFF\uFEFFx').map((t) => t.text)).toEqual(['\uFEFFx']);
  });

  it('ends an unterminated quoted token at EOF, and drops a lone quote', () => {
    expect(lex('a "bc').map((t) => t.text)).toEqual(['a', 'bc']);
    expect(lex('a "').map((t) => t.text)).toEqual(['a']);
  });

  it('treats a quote inside a word as a literal character', () => {
    expect(lex('a"b c"').map((t) => t.text)).toEqual(['a"b', 'c"']);
  });

  it('gives no tokens for empty, blank and comment-only input', () => {
    expect(lex('')).toEqual([]);
    expect(lex('  \n\t\n# only a comment\n')).toEqual([]);
  });
});
