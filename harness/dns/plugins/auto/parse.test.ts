import { describe, expect, it } from 'vitest';
import { Dispenser } from '../../server/corefile/dispenser.ts';
import { lex } from '../../server/corefile/lexer.ts';
import { parseAuto, type DirectoryState } from './parse.ts';
import { rewriteToExpand } from './regexp.ts';
import { withPluginPrefix } from '../reload/plugin-error.ts';

/** caddy.NewTestController: the directive text alone, file name `Testfile`. */
function dispenser(text: string): Dispenser {
  return new Dispenser(lex(text), 'Testfile');
}

const BLOCK = ['example.org.'];

interface OkCase {
  id: string;
  input: string;
  directory?: string;
  template?: string;
  regexp?: string;
  interval: number;
  origins?: string[];
}

// Vectors C1-C5, C14, C15, C17, C18, C22, C24 (coredns-vectors.md section C).
const OK: OkCase[] = [
  { id: 'C1', input: 'auto example.org {\n directory /tmp\n}', directory: '/tmp', template: '${1}', regexp: 'db\\.(.*)', interval: 60_000, origins: ['example.org.'] },
  { id: 'C2', input: 'auto 10.0.0.0/24 {\n directory /tmp\n}', directory: '/tmp', template: '${1}', regexp: 'db\\.(.*)', interval: 60_000, origins: ['0.0.10.in-addr.arpa.'] },
  { id: 'C3', input: 'auto {\n directory /tmp\n reload 0\n}', directory: '/tmp', template: '${1}', regexp: 'db\\.(.*)', interval: 0, origins: BLOCK },
  { id: 'C4', input: 'auto {\n directory /tmp (.*) bliep\n}', directory: '/tmp', template: 'bliep', regexp: '(.*)', interval: 60_000 },
  { id: 'C5', input: 'auto {\n directory /tmp (.*) bliep\n reload 10s\n}', directory: '/tmp', template: 'bliep', regexp: '(.*)', interval: 10_000 },
  { id: 'C14', input: 'auto example.org {\n directory /tmp\n upstream 8.8.8.8 1.1.1.1\n}', directory: '/tmp', template: '${1}', regexp: 'db\\.(.*)', interval: 60_000 },
  { id: 'C15', input: 'auto example.org {\n directory /tmp\n upstream\n}', directory: '/tmp', template: '${1}', regexp: 'db\\.(.*)', interval: 60_000 },
  { id: 'C17', input: 'auto {\n directory /tmp\n reload 5s\n}', interval: 5_000 },
  { id: 'C18', input: 'auto {\n directory /tmp\n reload 0\n}', interval: 0 },
  { id: 'C22', input: 'auto {\n directory /tmp\n reload 10s 20s\n}', interval: 10_000 },
  { id: 'C24', input: 'auto {\n directory /tmp db\\.(.*)\\.zone {1}\n}', directory: '/tmp', template: '${1}', regexp: 'db\\.(.*)\\.zone', interval: 60_000 },
  { id: 'reload 0.01s (no minimum)', input: 'auto {\n directory /tmp\n reload 0.01s\n}', interval: 10 },
  { id: 'ZONES upper case and port', input: 'auto EXAMPLE.org:1053 Other.NET {\n directory /tmp\n}', interval: 60_000, origins: ['example.org.', 'other.net.'] },
];

interface ErrCase {
  id: string;
  input: string;
  /** Every fragment must appear in the message (after setup's `plugin/auto: ` prefix). */
  contains: string[];
}

// Vectors C6-C13, C16, C19-C21, C23. Upstream returns some of these without a location;
// the house rule adds file:line, so the upstream text is checked as a fragment.
const ERR: ErrCase[] = [
  { id: 'C6', input: 'auto {\n directory /tmp\n no_reload\n}', contains: ["plugin/auto: Testfile:3 - Error during parsing: unknown property 'no_reload'"] },
  { id: 'C7', input: 'auto {\n directory /tmp (.*) bliep 10\n}', contains: ["plugin/auto: Testfile:2 - Error during parsing: Wrong argument count or unexpected line ending after '10'"] },
  { id: 'C8', input: 'auto {\n directory /tmp (.*) bliep 10\n transfer to 127.0.0.1\n}', contains: ["after '10'"] },
  { id: 'C8 transfer alone', input: 'auto {\n directory /tmp\n transfer to 127.0.0.1\n}', contains: ["Testfile:3 - Error during parsing: unknown property 'transfer'"] },
  { id: 'C9', input: 'auto {\n directory /tmp (.*)\n}', contains: ["Wrong argument count or unexpected line ending after '(.*)'"] },
  { id: 'C10', input: 'auto example.org {\n directory\n}', contains: ["Testfile:2 - Error during parsing: Wrong argument count or unexpected line ending after 'directory'"] },
  { id: 'C11', input: 'auto example.org {\n directory /tmp * {1}\n}', contains: ['plugin/auto: ', 'error parsing regexp: missing argument to repetition operator: `*`'] },
  { id: 'C12', input: 'auto example.org {\n directory /foobar/coredns * {1}\n}', contains: ['error parsing regexp: missing argument to repetition operator: `*`'] },
  { id: 'C13', input: 'auto example.org {\n directory /tmp (.*) {1} aa\n}', contains: ["after 'aa'"] },
  { id: 'C16', input: `auto {\n directory /tmp ${'a'.repeat(10_001)} {1}\n}`, contains: ['regexp too large'] },
  { id: 'C19', input: 'auto {\n directory .\n reload -1s\n}', contains: ['plugin/auto: ', 'plugin/file: invalid duration'] },
  { id: 'C20', input: 'auto {\n directory .\n reload\n}', contains: ['plugin/auto: ', 'reload duration value is expected'] },
  { id: 'C21', input: 'auto {\n directory /tmp\n reload 10\n}', contains: ['plugin/file: time: missing unit in duration "10"'] },
  { id: 'C21b', input: 'auto {\n directory /tmp\n reload foo\n}', contains: ['plugin/auto: Testfile:3 - Error during parsing: plugin/file: time: invalid duration "foo"'] },
  { id: 'C23', input: 'auto { directory /tmp }', contains: ['Need at least one sub expression'] },
  { id: 'zero groups', input: 'auto {\n directory /tmp db\\.foo {1}\n}', contains: ['Testfile:2 - Error during parsing: Need at least one sub expression'] },
];

function parseWithPrefix(input: string, options = {}): ReturnType<typeof parseAuto> {
  try {
    return parseAuto(dispenser(input), BLOCK, options);
  } catch (err) {
    throw withPluginPrefix('auto', err);
  }
}

describe('parseAuto accepts every valid form with upstream defaults (vectors C)', () => {
  it.each(OK)('$id', (c) => {
    const cfg = parseAuto(dispenser(c.input), BLOCK, { cwd: '/srv' });
    if (c.directory !== undefined) expect(cfg.directory).toBe(c.directory);
    if (c.template !== undefined) expect(cfg.template).toBe(c.template);
    if (c.regexp !== undefined) expect(cfg.regexp.source).toBe(c.regexp);
    expect(cfg.reloadInterval).toBe(c.interval);
    if (c.origins !== undefined) expect(cfg.origins).toEqual(c.origins);
  });
});

describe('parseAuto refuses bad input with the upstream message, file:line and plugin prefix (vectors C)', () => {
  it.each(ERR)('$id', (c) => {
    let caught: unknown;
    try {
      parseWithPrefix(c.input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(Error);
    for (const fragment of c.contains) expect((caught as Error).message).toContain(fragment);
  });
});

describe('parseAuto directory handling', () => {
  it('resolves a relative directory against the given cwd, not the Corefile', () => {
    expect(parseAuto(dispenser('auto {\n directory zones\n}'), BLOCK, { cwd: '/srv/dns' }).directory).toBe('/srv/dns/zones');
  });

  it('warns, but does not fail, when the directory does not exist', () => {
    const warnings: string[] = [];
    const cfg = parseAuto(dispenser('auto {\n directory /nope\n}'), BLOCK, {
      statDirectory: (): DirectoryState => 'missing',
      warn: (m) => warnings.push(m),
    });
    expect(cfg.directory).toBe('/nope');
    expect(warnings).toEqual(['Directory does not exist: /nope']);
  });

  it('fails at the directory line when the directory exists but cannot be accessed', () => {
    expect(() =>
      parseAuto(dispenser('auto {\n directory /locked\n}'), BLOCK, { statDirectory: () => new Error('permission denied') }),
    ).toThrow("Testfile:2 - Error during parsing: Unable to access root path '/locked': permission denied");
  });

  it('lets the last directory line and the last auto line win', () => {
    const cfg = parseAuto(dispenser('auto a.org {\n directory /one\n}\nauto b.org {\n directory /two\n directory /three\n}'), BLOCK);
    expect(cfg.directory).toBe('/three');
    expect(cfg.origins).toEqual(['b.org.']);
  });
});

describe('rewriteToExpand puts a $ before every brace (vectors C25-C28)', () => {
  it.each([
    ['', ''],
    ['{1}', '${1}'],
    ['{1', '${1'],
    ['www.{1}.{2}', 'www.${1}.${2}'],
  ])('%j -> %j', (input, output) => {
    expect(rewriteToExpand(input)).toBe(output);
  });
});
