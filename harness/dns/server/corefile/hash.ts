/**
 * The reload plugin's configuration hash (semantics doc 5.3): SHA-512 of Go's
 * `json.Marshal([]ServerBlock)`, so a change is detected exactly when CoreDNS would see one
 * (line numbers included, whitespace and trailing comments excluded).
 */
import { createHash } from 'node:crypto';
import type { ServerBlock, Token } from './types.ts';

const HEX = '0123456789abcdef';

/**
 * Go's encoding/json string encoding with HTML escaping on (the json.Marshal default):
 * `<`, `>`, `&`, U+2028, U+2029 as \u escapes, `\b` and `\f` short forms (Go 1.22+),
 * other controls as \u00XX, and a lone surrogate (invalid UTF-8 in Go) as \ufffd.
 */
export function goJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      default:
    }
    if (cp < 0x20 || ch === '<' || ch === '>' || ch === '&') {
      out += `\\u00${HEX[cp >> 4]}${HEX[cp & 0xf]}`;
    } else if (cp === 0x2028 || cp === 0x2029) {
      out += `\\u${cp.toString(16)}`;
    } else if (cp >= 0xd800 && cp <= 0xdfff) {
      out += '\\ufffd';
    } else {
      out += ch;
    }
  }
  return `${out}"`;
}

function tokenJson(t: Token): string {
  return `{"File":${goJsonString(t.file)},"Line":${t.line},"Text":${goJsonString(t.text)}}`;
}

/** Go sorts map keys by their UTF-8 bytes. */
function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * The exact bytes CoreDNS feeds to SHA-512. Zero blocks marshal as `null` (caddy returns a
 * nil slice), which is what the reload plugin hashes for an empty Corefile.
 */
export function corefileJson(blocks: readonly ServerBlock[]): string {
  if (blocks.length === 0) return 'null';
  const parts = blocks.map((b) => {
    const keys = `[${b.keys.map(goJsonString).join(',')}]`;
    const names = Object.keys(b.tokens).sort(compareUtf8);
    const tokens = names.map((n) => `${goJsonString(n)}:[${(b.tokens[n] ?? []).map(tokenJson).join(',')}]`);
    return `{"Keys":${keys},"Tokens":{${tokens.join(',')}}}`;
  });
  return `[${parts.join(',')}]`;
}

/** Hex SHA-512 of {@link corefileJson}: the value of `Running configuration SHA512 = ...`. */
export function corefileSha512(blocks: readonly ServerBlock[]): string {
  return createHash('sha512').update(corefileJson(blocks), 'utf8').digest('hex');
}
