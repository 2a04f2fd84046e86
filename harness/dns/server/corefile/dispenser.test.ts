import { describe, expect, it } from 'vitest';
import { Dispenser } from './dispenser.ts';
import { lex } from './lexer.ts';
import type { Token } from './types.ts';

const d = (text: string, file = 'Testfile'): Dispenser => new Dispenser(lex(text), file);

describe('Dispenser', () => {
  it('next walks every token across lines and stays on the last one at the end', () => {
    const x = d('a b\nc');
    const seen: string[] = [];
    while (x.next()) seen.push(x.val());
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(x.next()).toBe(false);
    expect(x.val()).toBe('c');
  });

  it('nextArg stays on the line', () => {
    const x = d('dir a b\nnext');
    expect(x.next()).toBe(true);
    expect(x.nextArg()).toBe(true);
    expect(x.val()).toBe('a');
    expect(x.nextArg()).toBe(true);
    expect(x.nextArg()).toBe(false);
    expect(x.val()).toBe('b');
  });

  it('nextArg accounts for newlines inside a quoted token', () => {
    const x = d('dir "a\nb" c\nd');
    x.next();
    x.nextArg();
    expect(x.nextArg()).toBe(true);
    expect(x.val()).toBe('c');
    expect(x.nextArg()).toBe(false);
  });

  it('nextArg does not cross into a token from another file on the same line number', () => {
    const tokens: Token[] = [
      { file: '', line: 1, text: 'dir' },
      { file: '/x.conf', line: 1, text: 'arg' },
    ];
    const x = new Dispenser(tokens, 'Corefile');
    x.next();
    expect(x.nextArg()).toBe(false);
    expect(x.nextLine()).toBe(true);
    expect(x.file()).toBe('/x.conf');
  });

  it('nextLine moves only to the start of a later line', () => {
    const x = d('a b\nc');
    x.next();
    expect(x.nextLine()).toBe(false);
    x.nextArg();
    expect(x.nextLine()).toBe(true);
    expect(x.val()).toBe('c');
  });

  it('the first nextArg or nextLine loads the first token', () => {
    expect(d('a').nextArg()).toBe(true);
    expect(d('a').nextLine()).toBe(true);
  });

  it('remainingArgs stops before {', () => {
    const x = d('auto example.org example.net {\n directory /tmp\n}');
    x.next();
    expect(x.remainingArgs()).toEqual(['example.org', 'example.net']);
    expect(x.nextArg()).toBe(true);
    expect(x.val()).toBe('{');
  });

  it('nextBlock walks one block whose { is on the same line', () => {
    const x = d('auto {\n directory /tmp db (.*)\n reload 10s\n}\nnext');
    x.next();
    const props: string[][] = [];
    while (x.nextBlock()) props.push([x.val(), ...x.remainingArgs()]);
    expect(props).toEqual([['directory', '/tmp', 'db', '(.*)'], ['reload', '10s']]);
    expect(x.val()).toBe('}');
  });

  it('nextBlock does not enter a { on the next line', () => {
    const x = d('auto\n{\n a\n}');
    x.next();
    expect(x.nextBlock()).toBe(false);
    expect(x.val()).toBe('auto');
  });

  it('nextBlock returns false for an empty block', () => {
    const x = d('auto {\n}');
    x.next();
    expect(x.nextBlock()).toBe(false);
  });

  it('one-line auto { directory /tmp } hands } to directory as an argument (C23)', () => {
    const x = d('auto { directory /tmp }');
    x.next();
    expect(x.nextBlock()).toBe(true);
    expect([x.val(), ...x.remainingArgs()]).toEqual(['directory', '/tmp', '}']);
  });

  it('args reads a fixed number of arguments or reports too few', () => {
    const x = d('reload 10s 2s');
    x.next();
    expect(x.args(2)).toEqual(['10s', '2s']);
    const y = d('reload 10s');
    y.next();
    expect(y.args(2)).toBeNull();
  });

  it('argErr names the last token read, or the unexpected {', () => {
    const x = d('reload 10s 5s foo');
    x.next();
    x.remainingArgs();
    expect(x.argErr().message).toBe("Testfile:1 - Error during parsing: Wrong argument count or unexpected line ending after 'foo'");
    const y = d('auto {\n directory {\n}');
    y.next();
    y.nextBlock();
    y.nextArg();
    expect(y.argErr().message).toBe("Testfile:2 - Error during parsing: Unexpected token '{', expecting argument");
  });

  it('errf and syntaxErr carry code, file and line', () => {
    const x = d('a\nb');
    x.next();
    x.next();
    const e = x.errf("unknown property 'no_reload'");
    expect([e.message, e.code, e.file, e.line]).toEqual([
      "Testfile:2 - Error during parsing: unknown property 'no_reload'",
      'parse',
      'Testfile',
      2,
    ]);
    const s = x.syntaxErr('}');
    expect([s.message, s.code]).toEqual(["Testfile:2 - Syntax error: Unexpected token 'b', expecting '}'", 'syntax']);
  });

  it('uses the token file for imported tokens and the display file otherwise', () => {
    const x = new Dispenser(lex('a', '/abs/x.conf'), 'Corefile');
    x.next();
    expect(x.errf('m').message).toBe('/abs/x.conf:1 - Error during parsing: m');
  });

  it('reports line 0 and empty text before the first token', () => {
    const x = d('a');
    expect([x.val(), x.line(), x.file()]).toEqual(['', 0, 'Testfile']);
  });

  it('reset starts again from the beginning', () => {
    const x = d('a b');
    x.next();
    x.next();
    x.reset();
    expect(x.next()).toBe(true);
    expect(x.val()).toBe('a');
  });

  it('supports several rounds of the same directive (joined token lists)', () => {
    const x = d('file a\nfile b');
    const rounds: string[][] = [];
    while (x.next()) rounds.push([x.val(), ...x.remainingArgs()]);
    expect(rounds).toEqual([['file', 'a'], ['file', 'b']]);
  });
});
