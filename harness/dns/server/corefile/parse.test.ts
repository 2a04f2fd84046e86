import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCorefile } from './parse.ts';
import type { ParseOptions } from './parse.ts';
import { CorefileError } from './types.ts';
import type { ServerBlock } from './types.ts';

const ENV = { ADDRESS: 'servername.com', PORT: '8080', PARTIAL_DIR: 'r1', FOOBAR: 'foobar' };

function parse(text: string, opts: Partial<ParseOptions> = {}): ServerBlock[] {
  return parseCorefile(text, { path: 'Corefile', validDirectives: null, env: ENV, ...opts });
}

/** The error a parse throws; fails the test if it does not throw a CorefileError. */
function parseError(text: string, opts: Partial<ParseOptions> = {}): CorefileError {
  try {
    parse(text, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(CorefileError);
    return err as CorefileError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

const texts = (b: ServerBlock | undefined, dir: string): string[] => (b?.tokens[dir] ?? []).map((t) => t.text);
const counts = (b: ServerBlock | undefined): Record<string, number> =>
  Object.fromEntries(Object.entries(b?.tokens ?? {}).map(([k, v]) => [k, v.length]));

describe('server blocks (vectors A11-A27)', () => {
  type Ok = [id: string, input: string, keys: string[][], tokenCounts: Array<Record<string, number>>];
  const ok: Ok[] = [
    ['A11', 'localhost', [['localhost']], [{}]],
    ['A12', 'localhost\n  dir1', [['localhost']], [{ dir1: 1 }]],
    ['A13', 'localhost:1234 {\n dir1 foo bar\n dir2\n}', [['localhost:1234']], [{ dir1: 3, dir2: 1 }]],
    ['A14', 'http://localhost https://localhost {\n dir1 foo bar\n}', [['http://localhost', 'https://localhost']], [{ dir1: 3 }]],
    ['A15', 'http://localhost, https://localhost {\n dir1 foo bar\n}', [['http://localhost', 'https://localhost']], [{ dir1: 3 }]],
    ['A17', 'host1:80, http://host2.com\n dir1 foo bar\n dir2 baz', [['host1:80', 'http://host2.com']], [{ dir1: 3, dir2: 2 }]],
    ['A18', 'http://host1.com,\nhttp://host2.com,\nhttps://host3.com', [['http://host1.com', 'http://host2.com', 'https://host3.com']], [{}]],
    ['A19', 'http://host1.com:1234, https://host2.com\n dir1 foo {\n bar baz\n }\n dir2', [['http://host1.com:1234', 'https://host2.com']], [{ dir1: 6, dir2: 1 }]],
    ['A21', 'localhost\n dir1 {\n }', [['localhost']], [{ dir1: 3 }]],
    ['A23', 'localhost\n dir1 {\n nested {\n foo\n }\n }\n dir2 foo bar', [['localhost']], [{ dir1: 7, dir2: 3 }]],
    ['A27', 'localhost:1234 {\n}\nlocalhost:2015 {\n}', [['localhost:1234'], ['localhost:2015']], [{}, {}]],
  ];
  it.each(ok)('%s parses %j', (_id, input, keys, tokenCounts) => {
    const blocks = parse(input);
    expect(blocks.map((b) => b.keys)).toEqual(keys);
    expect(blocks.map(counts)).toEqual(tokenCounts);
  });

  type Bad = [id: string, input: string, message: string];
  const bad: Bad[] = [
    ['A16', 'http://localhost, {\n}', "Corefile:1 - Error during parsing: Expected another address but had '{' - check for extra comma"],
    ['A20', 'localhost\n dir1 {\n foo', 'Corefile:3 - Error during parsing: Unexpected EOF'],
    ['A22', 'localhost\n dir1 {\n } }', "Corefile:3 - Error during parsing: Unexpected '}' because no matching opening brace"],
    ['A24', '. {\n whoami }', "Corefile:2 - Error during parsing: Unexpected '}' because no matching opening brace"],
    ['A24 one line', '. { whoami }', "Corefile:1 - Error during parsing: Unexpected '}' because no matching opening brace"],
    ['A25', '. { errors\n', "Corefile:1 - Syntax error: Unexpected token 'errors', expecting '}'"],
    ['A26', 'localhost:1234, http://host2,', 'Corefile:1 - Error during parsing: Unexpected EOF'],
  ];
  it.each(bad)('%s rejects %j', (_id, input, message) => {
    expect(parseError(input).message).toBe(message);
  });

  it('gives the syntax error code for an unclosed server block and parse for the rest', () => {
    expect(parseError('. { errors\n').code).toBe('syntax');
    expect(parseError('. {\n whoami }').code).toBe('parse');
  });

  it('joins the token lists of a directive that appears twice, in order', () => {
    const [b] = parse('. {\n file a\n whoami\n file b\n}');
    expect(texts(b, 'file')).toEqual(['file', 'a', 'file', 'b']);
    expect(Object.keys(b?.tokens ?? {})).toEqual(['file', 'whoami']);
  });

  it('records the line and file of the first key', () => {
    const blocks = parse('\n\na {\n}\n\nb {\n}');
    expect(blocks.map((b) => [b.line, b.file])).toEqual([[3, ''], [6, '']]);
  });

  it('skips an empty quoted key', () => {
    expect(parse('"" a {\n}')[0]?.keys).toEqual(['a']);
  });

  it('lets a brace on the line after the keys open the block', () => {
    const [b] = parse('example.org\n{\n whoami\n}');
    expect(b?.keys).toEqual(['example.org']);
    expect(texts(b, 'whoami')).toEqual(['whoami']);
  });

  it('ends a brace-less block at a } in directive position and starts a new one after it', () => {
    const blocks = parse('a\n dir1\n}\nb {\n dir2\n}');
    expect(blocks.map((b) => b.keys)).toEqual([['a'], ['b']]);
  });

  it('keeps nested blocks of any depth in the directive tokens', () => {
    const depth = 50;
    const text = `. {\n d ${'{\n'.repeat(depth)}x\n${'}\n'.repeat(depth)}}`;
    expect(parse(text)[0]?.tokens['d']?.length).toBe(2 + 2 * depth);
  });
});

describe('case 24: a key glued to its brace', () => {
  it('fails on line 1 instead of serving a key with a brace on port 53', () => {
    const err = parseError('example.org:1053{\n    file db.example.org\n}\n');
    expect(err.line).toBe(1);
    expect(err.message).toBe(
      "Corefile:1 - Error during parsing: server block key 'example.org:1053{' runs into '{': put a space between the key and the brace",
    );
  });

  it('parses the spaced form', () => {
    const [b] = parse('example.org:1053 {\n    file db.example.org\n}\n');
    expect(b?.keys).toEqual(['example.org:1053']);
    expect(texts(b, 'file')).toEqual(['file', 'db.example.org']);
  });
});

describe('directive names', () => {
  const valid = ['errors', 'log', 'whoami'];

  it('B12: an unknown directive names file:line and lists the known ones', () => {
    const err = parseError('.:0 {\n whoami\n invalid\n}', { validDirectives: valid });
    expect(err.message).toBe("Corefile:3 - Error during parsing: Unknown directive 'invalid' (known: errors, log, whoami)");
    expect([err.code, err.file, err.line]).toEqual(['parse', 'Corefile', 3]);
  });

  it('D18: a null list (the reload re-parse) accepts any name', () => {
    expect(Object.keys(parse('. {\n whoami\n junk\n}')[0]?.tokens ?? {})).toEqual(['whoami', 'junk']);
  });

  it('uses the Corefile path as loaded in messages', () => {
    expect(parseError('. {\n x\n}', { validDirectives: valid, path: '/etc/coredns/Corefile' }).message).toMatch(
      /^\/etc\/coredns\/Corefile:2 - Error during parsing: Unknown directive 'x'/,
    );
  });

  it('keeps a directive named __proto__ as an ordinary entry', () => {
    const [b] = parse('. {\n __proto__ a\n}');
    expect(Object.keys(b?.tokens ?? {})).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(b?.tokens)).toBe(Object.prototype);
  });
});

describe('empty Corefile (B13)', () => {
  it('becomes the default block .:<port> { whoami log } when names are checked', () => {
    const blocks = parse('', { validDirectives: ['whoami', 'log'], defaultPort: 1053 });
    expect(blocks.map((b) => b.keys)).toEqual([['.:1053']]);
    expect(blocks.map(counts)).toEqual([{ whoami: 1, log: 1 }]);
  });

  it('uses port 53 by default, also for comment-only files', () => {
    expect(parse('# nothing\n', { validDirectives: ['whoami', 'log'] })[0]?.keys).toEqual(['.:53']);
  });

  it('stays empty for the unchecked re-parse (CoreDNS substitutes in loadServerBlocks)', () => {
    expect(parse('')).toEqual([]);
    expect(parse('', { defaultBlockWhenEmpty: true })[0]?.keys).toEqual(['.:53']);
  });
});

describe('environment substitution (vectors A32-A37)', () => {
  it.each([
    ['A32', '{$ADDRESS}:{$PORT}', 'servername.com:8080'],
    ['A33', '{%ADDRESS%}:{$PORT}', 'servername.com:8080'],
    ['A34', 'di{$PARTIAL_DIR}', 'dir1'],
    ['A36', ':{$PORT$}', ':'],
  ])('%s: key %j becomes %j', (_id, input, key) => {
    expect(parse(input)[0]?.keys).toEqual([key]);
  });

  it('A35: a reference with no end marker stays as written', () => {
    expect(texts(parse(':1234\ndir1 {%ADDRESS}')[0], 'dir1')).toEqual(['dir1', '{%ADDRESS}']);
  });

  it('A37: substitutes inside quoted arguments', () => {
    expect(texts(parse(':1234\ndir1 "Test {$FOOBAR} test"')[0], 'dir1')).toEqual(['dir1', 'Test foobar test']);
  });

  it('substitutes arguments inside nested blocks, but not {1}', () => {
    expect(texts(parse('. {\n auto {\n directory {$FOOBAR} (.*) {1}\n }\n}')[0], 'auto')).toEqual([
      'auto', '{', 'directory', 'foobar', '(.*)', '{1}', '}',
    ]);
  });

  it('looks a directive name up after substitution but keeps its raw token text', () => {
    const [b] = parse('. {\n {$D} x\n}', { env: { D: 'whoami' }, validDirectives: ['whoami'] });
    expect(b?.tokens['whoami']?.map((t) => t.text)).toEqual(['{$D}', 'x']);
  });

  it('reads process.env by default', () => {
    process.env['COREFILE_TEST_ZONE'] = 'example.net';
    try {
      expect(parseCorefile('{$COREFILE_TEST_ZONE} {\n}', { path: 'Corefile', validDirectives: null })[0]?.keys).toEqual([
        'example.net',
      ]);
    } finally {
      delete process.env['COREFILE_TEST_ZONE'];
    }
  });
});

describe('snippets (A38, A39)', () => {
  it('A38: imports a snippet into a block', () => {
    const blocks = parse('(common) {\n gzip foo\n errors stderr\n}\nhttp://example.com {\n import common\n}');
    expect(blocks.map((b) => b.keys)).toEqual([['http://example.com']]);
    expect(texts(blocks[0], 'gzip')).toEqual(['gzip', 'foo']);
    expect(texts(blocks[0], 'errors')).toEqual(['errors', 'stderr']);
  });

  it('A39: rejects a snippet that imports itself', () => {
    expect(parseError('(loop) {\nimport loop\n}\nimport loop').message).toBe(
      'Corefile:3 - Error during parsing: maximum snippet import depth (10000) exceeded',
    );
  });

  it('rejects two snippets that import each other', () => {
    const err = parseError('(a) {\n import b\n}\n(b) {\n import a\n}\n. {\n import a\n}');
    expect(err.code).toBe('import');
    expect(err.message).toMatch(/a cycle of imports exists between .*:b and .*:a$/);
  });

  it('rejects a redeclared snippet', () => {
    expect(parseError('(s) {\n}\n(s) {\n}').message).toBe(
      'Corefile:3 - Error during parsing: redeclaration of previously declared snippet s',
    );
  });

  it('substitutes env in snippet tokens where they are imported', () => {
    const [b] = parse('(s) {\n log {$FOOBAR}\n}\n. {\n import s\n}');
    expect(texts(b, 'log')).toEqual(['log', 'foobar']);
  });

  it('imports a snippet in key position', () => {
    expect(parse('(k) {\n a.example b.example\n}\nimport k\n whoami')[0]?.keys).toEqual(['a.example', 'b.example']);
  });

  it('may import the same snippet in several blocks', () => {
    const blocks = parse('(s) {\n whoami\n}\na {\n import s\n}\nb {\n import s\n}');
    expect(blocks.map(counts)).toEqual([{ whoami: 1 }, { whoami: 1 }]);
  });

  it('requires braces around a snippet body', () => {
    expect(parseError('(s)\n whoami').message).toBe("Corefile:2 - Syntax error: Unexpected token 'whoami', expecting '{'");
  });
});

describe('import of files (A28-A31, A40, case 25)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'corefile-import-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const corefile = join(dir, 'Corefile');
  const write = (rel: string, text: string): string => {
    const p = join(dir, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, text);
    return p;
  };

  it('A28: a glob with no match imports nothing and warns', () => {
    const warnings: string[] = [];
    expect(parse('import notfound/*', { path: corefile, onWarning: (w) => warnings.push(w) })).toEqual([]);
    expect(warnings).toEqual(['[WARNING] No files matching import glob pattern: notfound/*']);
  });

  it('A29: a literal path that does not exist is an error', () => {
    const err = parseError('import notfound/file.conf', { path: corefile });
    expect(err.message).toBe(`${corefile}:1 - Error during parsing: File to import not found: notfound/file.conf`);
    expect(err.code).toBe('import');
  });

  it('A30: import takes exactly one argument', () => {
    expect(parseError('import a.txt b.txt').message).toBe(
      'Corefile:1 - Error during parsing: Import takes only one argument (glob pattern or file)',
    );
    expect(parseError('. {\n import\n}').message).toBe(
      "Corefile:2 - Error during parsing: Wrong argument count or unexpected line ending after 'import'",
    );
  });

  it.each([['/*/*.txt'], ['/??'], ['/[a-z]']])('A31: rejects the glob %j', (pattern) => {
    expect(parseError(`import ${pattern}`).message).toBe(
      `Corefile:1 - Error during parsing: Glob pattern may only contain one wildcard (*), but has others: ${pattern}`,
    );
  });

  it('A40: import works inside a directive block; imported tokens keep their file and lines', () => {
    const p = write('a40/props.conf', 'prop1 1\nprop2 2');
    const main = join(dir, 'a40', 'Corefile');
    const [b] = parse('localhost\ndir1\nproxy {\n import props.conf\n transparent\n}', { path: main });
    expect(counts(b)).toEqual({ dir1: 1, proxy: 8 });
    expect(b?.tokens['proxy']?.map((t) => [t.text, t.file, t.line])).toEqual([
      ['proxy', '', 3], ['{', '', 3], ['prop1', p, 1], ['1', p, 1], ['prop2', p, 2], ['2', p, 2], ['transparent', '', 5], ['}', '', 6],
    ]);
  });

  it('resolves nested imports relative to the importing file', () => {
    const inner = write('nest/conf.d/inner.conf', 'log');
    write('nest/conf.d/outer.conf', 'import inner.conf\nwhoami');
    const [b] = parse('. {\n import conf.d/outer.conf\n}', { path: join(dir, 'nest', 'Corefile') });
    expect(b?.tokens['log']).toEqual([{ file: inner, line: 1, text: 'log' }]);
    expect(Object.keys(b?.tokens ?? {})).toEqual(['log', 'whoami']);
  });

  it('imports every glob match in sorted order, including whole server blocks', () => {
    write('glob/b.conf', 'b.example {\n whoami\n}');
    write('glob/a.conf', 'a.example {\n whoami\n}');
    write('glob/skip.txt', 'junk {\n}');
    const blocks = parse('import *.conf', { path: join(dir, 'glob', 'Corefile') });
    expect(blocks.map((b) => b.keys)).toEqual([['a.example'], ['b.example']]);
    expect(blocks.map((b) => b.file)).toEqual([join(dir, 'glob', 'a.conf'), join(dir, 'glob', 'b.conf')]);
  });

  it('names the imported file in errors that happen inside it', () => {
    const p = write('err/bad.conf', 'whoami\n\n  junk');
    const err = parseError('. {\n import bad.conf\n}', { path: join(dir, 'err', 'Corefile'), validDirectives: ['whoami'] });
    expect(err.message).toMatch(new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3 - Error during parsing: Unknown directive 'junk'`));
    expect([err.file, err.line]).toEqual([p, 3]);
  });

  it('rejects a file that imports itself (directly or via a glob that matches it)', () => {
    write('self/x.conf', 'import x.conf');
    expect(parseError('import x.conf', { path: join(dir, 'self', 'Corefile') }).message).toMatch(/a cycle of imports exists/);
    write('self2/Corefile', 'import *');
    expect(parseError('import *', { path: join(dir, 'self2', 'Corefile') }).message).toMatch(/a cycle of imports exists/);
  });

  it('rejects a directory as an import', () => {
    mkdirSync(join(dir, 'dirimp', 'sub'), { recursive: true });
    expect(parseError('import sub', { path: join(dir, 'dirimp', 'Corefile') }).message).toBe(
      `${join(dir, 'dirimp', 'Corefile')}:1 - Error during parsing: Could not import ${join(dir, 'dirimp', 'sub')}: is a directory`,
    );
  });

  it('follows a symlinked import and records the link path', () => {
    const target = write('link/real.conf', 'whoami');
    symlinkSync(target, join(dir, 'link', 'alias.conf'));
    const [b] = parse('. {\n import alias.conf\n}', { path: join(dir, 'link', 'Corefile') });
    expect(b?.tokens['whoami']?.[0]?.file).toBe(join(dir, 'link', 'alias.conf'));
  });

  it('uses injected readFile and glob instead of the disk', () => {
    const files: Record<string, string> = { '/virt/conf.d/a.conf': 'log' };
    const [b] = parseCorefile('. {\n import conf.d/*.conf\n}', {
      path: '/virt/Corefile',
      validDirectives: null,
      glob: (pattern) => (pattern === '/virt/conf.d/*.conf' ? Object.keys(files) : []),
      readFile: (p) => files[p] ?? '',
    });
    expect(b?.tokens['log']).toEqual([{ file: '/virt/conf.d/a.conf', line: 1, text: 'log' }]);
  });

  it('substitutes env in import patterns', () => {
    write('envimp/z.conf', 'whoami');
    const [b] = parse('. {\n import {$F}.conf\n}', { path: join(dir, 'envimp', 'Corefile'), env: { F: 'z' } });
    expect(counts(b)).toEqual({ whoami: 1 });
  });

  it('case 25: the parsed blocks carry the imported file, so editing it changes them', () => {
    const base = join(dir, 'case25');
    const zoneConf = write('case25/conf.d/zone.conf', 'file db.example.org {\n    reload 1s\n}\n');
    const text = 'example.org:1053 {\n    import conf.d/zone.conf\n    reload 2s 0s\n}\n';
    const opts = { path: join(base, 'Corefile') };
    const before = parse(text, opts);
    expect(texts(before[0], 'file')).toEqual(['file', 'db.example.org', '{', 'reload', '1s', '}']);
    expect(before[0]?.tokens['file']?.every((t) => t.file === zoneConf)).toBe(true);
    expect(texts(before[0], 'reload')).toEqual(['reload', '2s', '0s']);
    write('case25/conf.d/zone.conf', 'file db.example.org-alt example.org {\n    reload 1s\n}\n');
    expect(texts(parse(text, opts)[0], 'file')).toEqual(['file', 'db.example.org-alt', 'example.org', '{', 'reload', '1s', '}']);
  });
});

describe('braces inside keys (not in caddy; CoreDNS would serve them on port 53)', () => {
  it.each([
    ['. {\n whoami\n}\n}', "Corefile:4 - Error during parsing: Unexpected '}' where a server block key was expected: no block is open"],
    ['a}b {\n}', "Corefile:1 - Error during parsing: server block key 'a}b' contains a brace: braces must stand alone, separated by spaces"],
    ['{$ZONE {\n}', "Corefile:1 - Error during parsing: server block key '{$ZONE' contains a brace: braces must stand alone, separated by spaces"],
  ])('%j', (input, message) => {
    expect(parseError(input).message).toBe(message);
  });
});
