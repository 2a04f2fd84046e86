/**
 * `file` directive parsing: the `reload_by_mtime` property (v1.14.x, PR 8085) next to `reload`.
 */
import { describe, expect, it } from 'vitest';
import { Dispenser } from '../../server/corefile/dispenser.ts';
import { lex } from '../../server/corefile/lexer.ts';
import { withPluginPrefix } from '../reload/plugin-error.ts';
import { DEFAULT_FILE_RELOAD_MS, parseFile } from './parse.ts';

/** caddy.NewTestController: the directive text alone, file name `Testfile`. */
function parse(text: string): ReturnType<typeof parseFile> {
  try {
    return parseFile(new Dispenser(lex(text), 'Testfile'), ['example.org.'], '/srv');
  } catch (err) {
    throw withPluginPrefix('file', err);
  }
}

interface OkCase {
  id: string;
  input: string;
  reloadMs: number;
  reloadByMtime: boolean;
}

const OK: OkCase[] = [
  { id: 'no block: serial mode, default reload', input: 'file db.example.org', reloadMs: DEFAULT_FILE_RELOAD_MS, reloadByMtime: false },
  { id: 'reload only: serial mode', input: 'file db.example.org {\n reload 1s\n}', reloadMs: 1_000, reloadByMtime: false },
  { id: 'reload_by_mtime alone keeps the default reload', input: 'file db.example.org {\n reload_by_mtime\n}', reloadMs: DEFAULT_FILE_RELOAD_MS, reloadByMtime: true },
  { id: 'reload then reload_by_mtime (case 12)', input: 'file db.example.org {\n reload 1s\n reload_by_mtime\n}', reloadMs: 1_000, reloadByMtime: true },
  { id: 'reload_by_mtime then reload', input: 'file db.example.org example.org {\n reload_by_mtime\n reload 30s\n}', reloadMs: 30_000, reloadByMtime: true },
  { id: 'with upstream', input: 'file db.example.org {\n upstream\n reload_by_mtime\n}', reloadMs: DEFAULT_FILE_RELOAD_MS, reloadByMtime: true },
];

const ERR: Array<{ id: string; input: string; message: string }> = [
  { id: 'one argument', input: 'file db.example.org {\n reload 1s\n reload_by_mtime yes\n}', message: "plugin/file: Testfile:3 - Error during parsing: Wrong argument count or unexpected line ending after 'yes'" },
  { id: 'two arguments', input: 'file db.example.org {\n reload_by_mtime 1s 2s\n}', message: "plugin/file: Testfile:2 - Error during parsing: Wrong argument count or unexpected line ending after '1s'" },
  { id: 'misspelt', input: 'file db.example.org {\n reload_by_mtim\n}', message: "plugin/file: Testfile:2 - Error during parsing: unknown property 'reload_by_mtim'" },
];

describe('parseFile reads reload_by_mtime as a property without arguments', () => {
  it.each(OK)('$id', (c) => {
    const [entry, ...rest] = parse(c.input);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({ path: '/srv/db.example.org', origins: ['example.org.'], reloadMs: c.reloadMs, reloadByMtime: c.reloadByMtime, line: 1 });
  });

  it('applies per file line, not to the whole block', () => {
    const entries = parse('file a.db a.org {\n reload_by_mtime\n}\nfile b.db b.org');
    expect(entries.map((e) => [e.origins[0], e.reloadByMtime])).toEqual([['a.org.', true], ['b.org.', false]]);
  });
});

describe('parseFile refuses a bad reload_by_mtime with file:line', () => {
  it.each(ERR)('$id', (c) => {
    expect(() => parse(c.input)).toThrow(c.message);
  });
});
