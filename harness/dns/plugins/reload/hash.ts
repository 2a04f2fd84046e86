/**
 * The hash the watcher compares: SHA-512 of the parsed Corefile (directive names unchecked,
 * as upstream's `caddyfile.Parse(path, body, nil)`). Throws the parse error.
 */
import { corefileSha512 } from '../../server/corefile/hash.ts';
import { parseCorefile } from '../../server/corefile/parse.ts';

export function hashCorefile(text: string, path: string): string {
  return corefileSha512(parseCorefile(text, { path, validDirectives: null }));
}

/**
 * True when the edited Corefile has no server block (empty, blank or comments only). CoreDNS
 * would restart into its default `.:53 { whoami log }` (vector B13) and stop serving the zones:
 * the watcher treats it as a failed parse instead (deliberate deviation, every profile), so a
 * file caught half-written, or emptied by an editor, never takes the running server down.
 */
export function hasNoServerBlock(text: string, path: string): boolean {
  return parseCorefile(text, { path, validDirectives: null }).length === 0;
}
