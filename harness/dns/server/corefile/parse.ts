/**
 * The Caddyfile parser CoreDNS uses (caddyfile/parse.go), semantics doc 1.2-1.4 and 1.6.
 *
 * Token-splicing like caddy: `import` replaces its two tokens with the imported ones in the
 * stream, so line numbers and files stay those of where each token was written.
 * Env substitution happens here, while blocks are built, so the reload hash (which is of
 * the parsed blocks) sees substituted text, exactly as in CoreDNS.
 */
import { isAbsolute, join, dirname, resolve } from 'node:path';
import { Dispenser } from './dispenser.ts';
import { replaceEnvVars } from './env.ts';
import type { Env } from './env.ts';
import { defaultGlob, defaultReadFile } from './import-files.ts';
import { lex } from './lexer.ts';
import { CorefileError } from './types.ts';
import type { ServerBlock, Token } from './types.ts';

export interface ParseOptions {
  /** Path of the Corefile as loaded: used in messages; imports resolve relative to its directory. */
  path: string;
  /** Directive names allowed in blocks; `null` = do not check (the reload plugin's re-parse). */
  validDirectives: readonly string[] | null;
  /** Variables for `{$X}` / `{%X%}`. @default process.env */
  env?: Env;
  /** Reads an imported file (absolute path). @default node:fs readFileSync */
  readFile?: (absPath: string) => string;
  /** Expands an absolute glob pattern to sorted absolute paths. @default node:fs, Go's filepath.Glob rules */
  glob?: (pattern: string) => string[];
  /** Port of the default block used for an empty Corefile (`-dns.port`). @default 53 */
  defaultPort?: number;
  /**
   * Whether an empty Corefile yields CoreDNS's default block `.:<port> { whoami log }`.
   * caddy substitutes it in loadServerBlocks (which checks directive names), not in
   * caddyfile.Parse, so the reload plugin's re-parse sees zero blocks and hashes `null`.
   * @default validDirectives !== null
   */
  defaultBlockWhenEmpty?: boolean;
  /** Receives warnings such as an import glob with no match. @default ignore */
  onWarning?: (message: string) => void;
}

/** caddy's snippet expansion cap (semantics doc 1.4); with the import graph it bounds runaway imports. */
export const MAX_SNIPPET_EXPANSIONS = 10_000;

/**
 * File imports one parse may expand. CoreDNS (caddy v1.1.3+) allows 100,000; each expansion
 * here splices tokens into the list, so an import bomb near that cap froze the serving thread
 * for 35-51 s per reload tick (measured). 10,000, like the snippet cap, fails the same bomb in
 * well under a second; no real Corefile imports files ten thousand times (deliberate deviation).
 */
export const MAX_FILE_EXPANSIONS = 10_000;

/** A token in the parse stream; `snippet` names the snippet it was defined in (for cycle checks). */
interface SourceToken extends Token {
  snippet?: string;
}

interface Snippet {
  tokens: SourceToken[];
  /** Graph node of the snippet: `<definition file>:<name>`. */
  node: string;
}

function countOf(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

function plainToken(t: SourceToken): Token {
  return { file: t.file, line: t.line, text: t.text };
}

/** Appends to a directive's token list; `defineProperty` keeps `__proto__` an ordinary name. */
function appendToken(tokens: Record<string, Token[]>, dir: string, t: Token): void {
  if (Object.hasOwn(tokens, dir)) {
    tokens[dir]?.push(t);
  } else {
    Object.defineProperty(tokens, dir, { value: [t], enumerable: true, writable: true, configurable: true });
  }
}

class Parser extends Dispenser<SourceToken> {
  private block: ServerBlock = { keys: [], line: 0, file: '', tokens: {} };
  private eof = false;
  private readonly snippets = new Map<string, Snippet>();
  /** Import graph: node -> imported nodes (caddy's importGraph). */
  private readonly edges = new Map<string, Set<string>>();
  private snippetExpansions = 0;
  private fileExpansions = 0;
  private readonly env: Env;
  private readonly readFile: (absPath: string) => string;
  private readonly glob: (pattern: string) => string[];
  /** Absolute path of the main Corefile (Go's filepath.Abs(filename)). */
  private readonly mainAbs: string;

  constructor(
    tokens: SourceToken[],
    private readonly opts: ParseOptions,
  ) {
    super(tokens, opts.path);
    this.env = opts.env ?? process.env;
    this.readFile = opts.readFile ?? defaultReadFile;
    this.glob = opts.glob ?? defaultGlob;
    this.mainAbs = resolve(opts.path);
  }

  parseAll(): ServerBlock[] {
    const blocks: ServerBlock[] = [];
    while (this.next()) {
      this.parseOne();
      if (this.block.keys.length > 0) blocks.push(this.block);
    }
    return blocks;
  }

  private parseOne(): void {
    const first = this.token();
    this.block = { keys: [], line: first?.line ?? 0, file: first?.file ?? '', tokens: {} };
    if (this.tokens.length === 0) return;
    this.addresses();
    if (this.eof) return;
    const name = this.snippetName();
    if (name !== null) {
      if (this.snippets.has(name)) throw this.errf(`redeclaration of previously declared snippet ${name}`);
      const defFile = this.token()?.file ?? '';
      const tokens = this.snippetTokens().map((t) => ({ ...t, snippet: name }));
      // caddy's guard against the trivial self-import, reported at the snippet's `}`.
      for (let i = 0; i + 1 < tokens.length; i++) {
        const t = tokens[i];
        const prev = tokens[i - 1];
        const atLineStart = prev === undefined || prev.file !== t?.file || prev.line !== t?.line;
        if (t?.text === 'import' && atLineStart && replaceEnvVars(tokens[i + 1]?.text ?? '', this.env) === name) {
          throw this.errf(`maximum snippet import depth (${MAX_SNIPPET_EXPANSIONS}) exceeded`, 'import');
        }
      }
      this.snippets.set(name, { tokens, node: `${this.nodeFile(defFile)}:${name}` });
      this.block.keys = [];
      return;
    }
    this.blockContents();
  }

  private addresses(): void {
    let expectingAnother = false;
    let firstKey = true;
    for (;;) {
      const raw = this.val();
      let tkn = replaceEnvVars(raw, this.env);

      if (tkn === 'import' && this.isNewLine()) {
        this.doImport();
        continue;
      }
      if (tkn === '{') {
        if (expectingAnother) throw this.errf(`Expected another address but had '${tkn}' - check for extra comma`);
        break;
      }
      if (tkn !== '') {
        this.checkKeyBraces(tkn);
        if (tkn.endsWith(',')) {
          tkn = tkn.slice(0, -1);
          expectingAnother = true;
        } else {
          expectingAnother = false;
        }
        if (firstKey) {
          const t = this.token();
          this.block.line = t?.line ?? 0;
          this.block.file = t?.file ?? '';
          firstKey = false;
        }
        this.block.keys.push(tkn);
      }
      const hasNext = this.next();
      if (expectingAnother && !hasNext) throw this.eofErr();
      if (!hasNext) {
        this.eof = true;
        break;
      }
      if (!expectingAnother && this.isNewLine()) break;
    }
  }

  /**
   * Not in caddy (CoreDNS issue 3164): `example.org:1053{` or a stray `}` would become a key
   * with a brace in it, silently served on the default port. We stop at that line instead.
   */
  private checkKeyBraces(key: string): void {
    if (key === '}') throw this.errf("Unexpected '}' where a server block key was expected: no block is open");
    if (key.endsWith('{')) {
      throw this.errf(`server block key '${key}' runs into '{': put a space between the key and the brace`);
    }
    if (key.includes('{') || key.includes('}')) {
      throw this.errf(`server block key '${key}' contains a brace: braces must stand alone, separated by spaces`);
    }
  }

  private blockContents(): void {
    const braced = this.val() === '{';
    // Single-server configs need no braces: the current token is then the first directive.
    if (!braced) this.cursor--;
    this.directives();
    if (braced && this.val() !== '}') throw this.syntaxErr('}');
  }

  private directives(): void {
    while (this.next()) {
      if (this.val() === '}') break;
      if (this.val() === 'import') {
        this.doImport();
        this.cursor--;
        continue;
      }
      this.directive();
    }
  }

  private directive(): void {
    const dir = replaceEnvVars(this.val(), this.env);
    const valid = this.opts.validDirectives;
    if (valid !== null && !valid.includes(dir)) {
      throw this.errf(`Unknown directive '${dir}' (known: ${valid.join(', ')})`);
    }
    const head = this.token();
    // The name token keeps its raw text (caddy substitutes only the map key).
    if (head !== undefined) appendToken(this.block.tokens, dir, plainToken(head));
    let nesting = 0;
    while (this.next()) {
      const v = this.val();
      if (v === '{') {
        nesting++;
      } else if (this.isNewLine() && nesting === 0) {
        this.cursor--; // read too far
        break;
      } else if (v === '}' && nesting > 0) {
        nesting--;
      } else if (v === '}' && nesting === 0) {
        throw this.errf("Unexpected '}' because no matching opening brace");
      } else if (v === 'import' && this.isNewLine()) {
        this.doImport();
        this.cursor--;
        continue;
      }
      const t = this.token();
      if (t !== undefined) {
        t.text = replaceEnvVars(t.text, this.env);
        appendToken(this.block.tokens, dir, plainToken(t));
      }
    }
    if (nesting > 0) throw this.eofErr();
  }

  private snippetName(): string | null {
    const keys = this.block.keys;
    const k = keys[0];
    if (keys.length === 1 && k !== undefined && k.startsWith('(') && k.endsWith(')')) {
      return k.slice(1).replace(/\)$/, '');
    }
    return null;
  }

  /** Everything up to the matching `}`, saved raw (substitution happens where it is imported). */
  private snippetTokens(): SourceToken[] {
    if (this.val() !== '{') throw this.syntaxErr('{');
    let nesting = 1;
    const out: SourceToken[] = [];
    while (this.next()) {
      const v = this.val();
      if (v === '}') {
        nesting--;
        if (nesting === 0) break;
      }
      if (v === '{') nesting++;
      const t = this.token();
      if (t !== undefined) out.push(t);
    }
    if (nesting !== 0) throw this.syntaxErr('}');
    return out;
  }

  /**
   * Replaces `import <pattern>` (cursor on `import`) with the imported tokens and leaves the
   * cursor on the first of them (or on what followed, if nothing was imported).
   */
  private doImport(): void {
    if (!this.nextArg()) throw this.argErr();
    const pattern = replaceEnvVars(this.val(), this.env);
    if (pattern === '') throw this.errf('Import requires a non-empty filepath', 'import');
    if (this.nextArg()) throw this.errf('Import takes only one argument (glob pattern or file)', 'import');

    const at = this.cursor;
    const from = this.token();
    const fromNode = this.nodeOf(from);
    let imported: SourceToken[] = [];

    const snippet = this.snippets.get(pattern);
    if (snippet !== undefined) {
      if (this.snippetExpansions >= MAX_SNIPPET_EXPANSIONS) {
        throw this.errf(`maximum snippet import depth (${MAX_SNIPPET_EXPANSIONS}) exceeded`, 'import');
      }
      this.snippetExpansions++;
      this.addEdge(fromNode, snippet.node);
      imported = snippet.tokens.map((t) => ({ ...t }));
    } else {
      if (this.fileExpansions >= MAX_FILE_EXPANSIONS) {
        throw this.errf(`maximum file import depth (${MAX_FILE_EXPANSIONS}) exceeded`, 'import');
      }
      this.fileExpansions++;
      const base = this.nodeFile(from?.file ?? '');
      const globPattern = isAbsolute(pattern) ? pattern : join(dirname(base), pattern);
      if (
        countOf(globPattern, '*') > 1 ||
        countOf(globPattern, '?') > 1 ||
        (globPattern.includes('[') && globPattern.includes(']'))
      ) {
        throw this.errf(`Glob pattern may only contain one wildcard (*), but has others: ${globPattern}`, 'import');
      }
      let matches: string[];
      try {
        matches = this.glob(globPattern);
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        throw this.errf(`Failed to use import pattern ${pattern}: ${why}`, 'import');
      }
      if (matches.length === 0) {
        if (/[*?[\]]/.test(globPattern)) {
          this.opts.onWarning?.(`[WARNING] No files matching import glob pattern: ${pattern}`);
        } else {
          throw this.errf(`File to import not found: ${pattern}`, 'import');
        }
      }
      for (const match of matches) {
        const abs = resolve(match);
        this.addEdge(fromNode, abs);
        let text: string;
        try {
          text = this.readFile(abs);
        } catch (err) {
          throw this.errf(`Could not import ${match}: ${err instanceof Error ? err.message : String(err)}`, 'import');
        }
        // Each token's own file is the absolute path: messages then name the imported file.
        for (const t of lex(text, abs)) imported.push(t);
      }
    }
    this.tokens = this.tokens.slice(0, at - 1).concat(imported, this.tokens.slice(at + 1));
    this.cursor = at - 1;
  }

  /** The file used to resolve imports and name graph nodes: `''` is the main Corefile. */
  private nodeFile(file: string): string {
    return file === '' ? this.mainAbs : file;
  }

  private nodeOf(t: SourceToken | undefined): string {
    const file = this.nodeFile(t?.file ?? '');
    return t?.snippet === undefined ? file : `${file}:${t.snippet}`;
  }

  /** caddy's importGraph.addEdge: refuses an edge that closes a cycle. */
  private addEdge(from: string, to: string): void {
    if (from === to || this.reaches(to, from)) {
      throw this.errf(`a cycle of imports exists between ${from} and ${to}`, 'import');
    }
    let set = this.edges.get(from);
    if (set === undefined) {
      set = new Set();
      this.edges.set(from, set);
    }
    set.add(to);
  }

  private reaches(start: string, target: string): boolean {
    const seen = new Set<string>();
    const stack = [start];
    while (stack.length > 0) {
      const n = stack.pop() as string; // non-empty checked by the loop condition
      for (const next of this.edges.get(n) ?? []) {
        if (next === target) return true;
        if (!seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    return false;
  }
}

/** CoreDNS's DefaultInput body for an empty Corefile. */
export function defaultCorefile(port: number): string {
  return `.:${port} {\nwhoami\nlog\n}\n`;
}

/**
 * Parses Corefile text into server blocks.
 *
 * Throws {@link CorefileError} (and nothing else) for bad input; every message starts with
 * `<file>:<line> - `, where `<file>` is `opts.path` for the main Corefile and the absolute
 * path for an imported file.
 */
export function parseCorefile(text: string, opts: ParseOptions): ServerBlock[] {
  let blocks: ServerBlock[];
  try {
    blocks = new Parser(lex(text), opts).parseAll();
  } catch (err) {
    if (err instanceof CorefileError) throw err;
    // A RangeError (say, a stack or array limit on monstrous input) still names the file.
    const why = err instanceof Error ? err.message : String(err);
    throw new CorefileError('parse', opts.path, 0, `${opts.path}:0 - Error during parsing: ${why}`);
  }
  const useDefault = opts.defaultBlockWhenEmpty ?? opts.validDirectives !== null;
  if (blocks.length === 0 && useDefault) {
    return new Parser(lex(defaultCorefile(opts.defaultPort ?? 53)), { ...opts, defaultBlockWhenEmpty: false }).parseAll();
  }
  return blocks;
}
