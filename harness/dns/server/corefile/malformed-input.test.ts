import { describe, expect, it } from 'vitest';
import { prng } from '../../testing/prng.ts';
import { Dispenser } from './dispenser.ts';
import { corefileSha512 } from './hash.ts';
import { blockAddresses } from './keys.ts';
import { parseCorefile } from './parse.ts';
import type { ParseOptions } from './parse.ts';
import { CorefileError } from './types.ts';


const PIECES = [
  '{', '}', '{', '}', '"', '\\"', '\\', '#', '\n', '\n', '\r', ' ', ' ', '\t', ',', ':', '.', '/',
  'import', 'import ', '(s)', '(t)', 'import s', 'import t', 'import *.conf', 'import a.conf', 'import ../x?',
  '{$X}', '{%X%}', '{$', '%}', '{1}', 'whoami', 'log', 'auto', 'example.org', ':53', '.:1053', 'tls://',
  '10.0.0.0/15', '::/0', 'é', '\u2028', '\u0000', '\uFEFF', '\ud800', '😀', '""', 'a', 'b',
];

/** A tiny in-memory tree the random imports can reach (including files that import each other). */
const FILES: Record<string, string> = {
  '/v/a.conf': 'import b.conf\nwhoami',
  '/v/b.conf': 'log {\n import a.conf\n}',
  '/v/c.conf': '(s) {\n whoami\n}\n. {\n import s\n',
  '/v/d.conf': '}}}{{{"',
};

function randomText(rand: () => number): string {
  const n = Math.floor(rand() * 60);
  let out = '';
  for (let i = 0; i < n; i++) out += PIECES[Math.floor(rand() * PIECES.length)] ?? '';
  return out;
}

const VALID = ['whoami', 'log', 'auto', 'file', 'reload', 'errors'];

function options(rand: () => number): ParseOptions {
  return {
    path: '/v/Corefile',
    validDirectives: rand() < 0.5 ? null : VALID,
    env: { X: rand() < 0.5 ? '{$X}' : 'x y', Y: '' },
    readFile: (p) => {
      const text = FILES[p];
      if (text === undefined) throw new Error('no such file');
      return text;
    },
    glob: (pattern) => {
      if (!/[*?]/.test(pattern)) return pattern in FILES ? [pattern] : [];
      const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
      return Object.keys(FILES).filter((f) => re.test(f)).sort();
    },
  };
}

/** Everything a consumer does with a parse result; must end in data or a CorefileError. */
function consume(text: string, opts: ParseOptions): void {
  const blocks = parseCorefile(text, opts);
  corefileSha512(blocks);
  for (const b of blocks) {
    for (const [, tokens] of Object.entries(b.tokens)) {
      const d = new Dispenser(tokens, opts.path);
      let steps = 0;
      while (d.next()) {
        d.remainingArgs();
        while (d.nextBlock()) {
          d.remainingArgs();
          if (++steps > 1_000_000) throw new Error('dispenser does not terminate');
        }
        d.argErr();
      }
    }
    blockAddresses(b, 53, opts.path);
  }
}

/** Returns whether the input was accepted, so the fuzz loop can check it explores both ways. */
function expectOnlyCorefileErrors(text: string, opts: ParseOptions, label: string): boolean {
  try {
    consume(text, opts);
    return true;
  } catch (err) {
    if (!(err instanceof CorefileError)) {
      throw new Error(`${label}: ${JSON.stringify(text.slice(0, 200))} threw ${String(err)}`);
    }
    expect(err.message).toMatch(/^(\S*:\d+ - |error inspecting server blocks: )/);
    return false;
  }
}

describe('malformed input never escapes as anything but a CorefileError', () => {
  it('2,000 random Corefiles (seeded)', () => {
    const rand = prng(6703);
    let accepted = 0;
    for (let i = 0; i < 2000; i++) if (expectOnlyCorefileErrors(randomText(rand), options(rand), `iteration ${i}`)) accepted++;
    // Both outcomes must be common, or the generator is not exercising the parser.
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(1900);
  });

  it('unbalanced braces fail with file:line', () => {
    const rand = prng(1);
    const cases = ['{', '}', '. {', '. }', '. {\n x {\n', '. {\n x }\n}', '}\n}\n}', '(s) {', '(s) }', 'a,\n{'];
    for (const text of cases) {
      expect(() => parseCorefile(text, options(rand))).toThrow(CorefileError);
    }
  });

  it('10,000 nested blocks parse, and the same unclosed fails with Unexpected EOF', () => {
    const depth = 10_000;
    const open = `. {\n d ${'{\n'.repeat(depth)}`;
    const [b] = parseCorefile(`${open}${'}\n'.repeat(depth)}}`, { path: 'Corefile', validDirectives: null });
    expect(b?.tokens['d']?.length).toBe(1 + 2 * depth);
    expect(() => parseCorefile(open, { path: 'Corefile', validDirectives: null })).toThrow(
      `Corefile:${depth + 1} - Error during parsing: Unexpected EOF`,
    );
  });

  it('a 1 MB token and a 1 MB quoted token are handled', () => {
    const big = 'x'.repeat(1_000_000);
    const [b] = parseCorefile(`. {\n log ${big} "${big}"\n}`, { path: 'Corefile', validDirectives: null });
    expect(b?.tokens['log']?.map((t) => t.text.length)).toEqual([3, 1_000_000, 1_000_000]);
    expectOnlyCorefileErrors(`${big} {\n}`, { path: 'Corefile', validDirectives: null }, 'huge key');
  });

  it('snippets that fan out are capped, not expanded for ever', () => {
    let text = '(s0) {\n whoami\n}\n';
    for (let i = 1; i <= 6; i++) text += `(s${i}) {\n${` import s${i - 1}\n`.repeat(10)}}\n`;
    text += '. {\n import s6\n}';
    expect(() => parseCorefile(text, { path: 'Corefile', validDirectives: null })).toThrow(
      'Error during parsing: maximum snippet import depth (10000) exceeded',
    );
  });

  it('files that import each other are reported as a cycle', () => {
    const rand = prng(2);
    expect(() => parseCorefile('. {\n import a.conf\n}', options(rand))).toThrow(/a cycle of imports exists/);
  });
});
