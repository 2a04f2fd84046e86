/**
 * Walks a token list the way plugin setups do (caddyfile/dispenser.go), semantics doc 1.2.
 *
 * The tokens a plugin gets are already env-substituted by the parser (so the reload hash
 * sees the substituted text, as in CoreDNS); the dispenser never rewrites text.
 */
import { CorefileError } from './types.ts';
import type { Token } from './types.ts';

function lineBreaks(t: Token | undefined): number {
  if (t === undefined) return 0;
  let n = 0;
  for (let i = t.text.indexOf('\n'); i !== -1; i = t.text.indexOf('\n', i + 1)) n++;
  return n;
}

export class Dispenser<T extends Token = Token> {
  protected tokens: T[];
  protected cursor = -1;
  protected nesting = 0;
  /** Shown for tokens whose `file` is `''` (the Corefile path as loaded). */
  readonly displayFile: string;

  constructor(tokens: T[], displayFile: string) {
    this.tokens = tokens;
    this.displayFile = displayFile;
  }

  /** Back to before the first token. */
  reset(): void {
    this.cursor = -1;
    this.nesting = 0;
  }

  /** Moves to the next token, on any line. False (and the cursor stays put) at the end. */
  next(): boolean {
    if (this.cursor < this.tokens.length - 1) {
      this.cursor++;
      return true;
    }
    return false;
  }

  /** Moves to the next token only if it is on the same line (and in the same file). */
  nextArg(): boolean {
    if (this.cursor < 0) {
      this.cursor++;
      return true;
    }
    if (this.cursor >= this.tokens.length) return false;
    const cur = this.tokens[this.cursor];
    const nxt = this.tokens[this.cursor + 1];
    if (cur !== undefined && nxt !== undefined && cur.file === nxt.file && cur.line + lineBreaks(cur) === nxt.line) {
      this.cursor++;
      return true;
    }
    return false;
  }

  /** Moves to the next token only if it starts a new line (or another file). */
  nextLine(): boolean {
    if (this.cursor < 0) {
      this.cursor++;
      return true;
    }
    if (this.cursor >= this.tokens.length) return false;
    const cur = this.tokens[this.cursor];
    const nxt = this.tokens[this.cursor + 1];
    if (cur !== undefined && nxt !== undefined && (cur.file !== nxt.file || cur.line + lineBreaks(cur) < nxt.line)) {
      this.cursor++;
      return true;
    }
    return false;
  }

  /**
   * Loop helper for a directive's `{ ... }`: the first call enters a block whose `{` is on
   * the current line, each call moves to the next token inside it, false at its `}`.
   * One nesting level, as in caddy: a nested block must be walked by the caller.
   */
  nextBlock(): boolean {
    if (this.nesting > 0) {
      this.next();
      if (this.val() === '}') {
        this.nesting--;
        return false;
      }
      return true;
    }
    if (!this.nextArg()) return false;
    if (this.val() !== '{') {
      this.cursor--;
      return false;
    }
    this.next();
    if (this.val() === '}') return false;
    this.nesting++;
    return true;
  }

  /** Text of the current token, `''` outside the list. */
  val(): string {
    return this.current()?.text ?? '';
  }

  /** Line of the current token, 0 outside the list. */
  line(): number {
    return this.current()?.line ?? 0;
  }

  /** File of the current token for messages: its own `file`, else the display file. */
  file(): string {
    const f = this.current()?.file;
    return f === undefined || f === '' ? this.displayFile : f;
  }

  /** The current token itself (undefined before the first or past the last). */
  token(): T | undefined {
    return this.current();
  }

  /** Reads `count` arguments from the same line; null if the line ran out first. */
  args(count: number): string[] | null {
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      if (!this.nextArg()) return null;
      out.push(this.val());
    }
    return out;
  }

  /** Every remaining argument on this line, stopping before a `{`. */
  remainingArgs(): string[] {
    const out: string[] = [];
    while (this.nextArg()) {
      if (this.val() === '{') {
        this.cursor--;
        break;
      }
      out.push(this.val());
    }
    return out;
  }

  /** caddy's ArgErr: wrong number of arguments, or a `{` where an argument was expected. */
  argErr(): CorefileError {
    if (this.val() === '{') return this.errf("Unexpected token '{', expecting argument");
    return this.errf(`Wrong argument count or unexpected line ending after '${this.val()}'`);
  }

  /** `<file>:<line> - Syntax error: Unexpected token '<val>', expecting '<expected>'` */
  syntaxErr(expected: string): CorefileError {
    return new CorefileError(
      'syntax',
      this.file(),
      this.line(),
      `${this.file()}:${this.line()} - Syntax error: Unexpected token '${this.val()}', expecting '${expected}'`,
    );
  }

  /** `<file>:<line> - Error during parsing: Unexpected EOF` */
  eofErr(): CorefileError {
    return this.errf('Unexpected EOF');
  }

  /** `<file>:<line> - Error during parsing: <msg>` at the current token. */
  errf(msg: string, code: CorefileError['code'] = 'parse'): CorefileError {
    return new CorefileError(code, this.file(), this.line(), `${this.file()}:${this.line()} - Error during parsing: ${msg}`);
  }

  /** True if the current token is the first of its line (or of its file). */
  isNewLine(): boolean {
    if (this.cursor === 0) return true;
    const cur = this.tokens[this.cursor];
    const prev = this.tokens[this.cursor - 1];
    if (cur === undefined || prev === undefined) return false;
    if (prev.file !== cur.file) return true;
    return prev.line + lineBreaks(prev) < cur.line;
  }

  private current(): T | undefined {
    return this.cursor < 0 ? undefined : this.tokens[this.cursor];
  }
}
