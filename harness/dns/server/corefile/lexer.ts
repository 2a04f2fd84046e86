/**
 * The Caddyfile lexer CoreDNS uses (caddyfile/lexer.go), semantics doc 1.1.
 *
 * Pure: text in, tokens out. Never throws; every input lexes to some token list.
 */
import type { Token } from './types.ts';

/**
 * Go's unicode.IsSpace. JS `\s` differs (it counts U+FEFF and misses U+0085), so the
 * set is spelled out to keep tokens identical to CoreDNS's.
 */
export function isGoSpace(cp: number): boolean {
  if (cp <= 0xff) {
    return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp === 0x85 || cp === 0xa0;
  }
  return (
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

/**
 * Splits Corefile text into tokens. `file` is stamped on every token: `''` for the main
 * Corefile (as CoreDNS does), the absolute path for an imported file.
 */
export function lex(text: string, file = ''): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let val = '';
  let inToken = false;
  let tokenLine = 1;
  let comment = false;
  let quoted = false;
  let escaped = false;
  let first = true;

  const emit = (): void => {
    tokens.push({ file, line: tokenLine, text: val });
    val = '';
    inToken = false;
  };

  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (first) {
      first = false;
      if (cp === 0xfeff) continue;
    }

    if (quoted) {
      if (!escaped) {
        if (ch === '\\') {
          escaped = true;
          continue;
        }
        if (ch === '"') {
          quoted = false;
          emit();
          continue;
        }
      }
      if (ch === '\n') line++;
      // Only \" is an escape; any other backslash stays in the text.
      if (escaped && ch !== '"') val += '\\';
      val += ch;
      escaped = false;
      continue;
    }

    if (isGoSpace(cp)) {
      // caddy drops \r without ending the token (so `a\rb` is one token `ab`).
      if (ch === '\r') continue;
      if (ch === '\n') {
        line++;
        comment = false;
      }
      if (val.length > 0) emit();
      continue;
    }

    if (ch === '#') comment = true;
    if (comment) continue;

    if (val.length === 0) {
      inToken = true;
      tokenLine = line;
      if (ch === '"') {
        quoted = true;
        continue;
      }
    }
    val += ch;
  }
  // caddy emits a pending token at EOF only if it has text (an unterminated `"` alone is dropped).
  if (inToken && val.length > 0) emit();
  return tokens;
}
