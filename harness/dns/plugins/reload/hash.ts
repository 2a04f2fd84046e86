/**
 * The hash the watcher compares: SHA-512 of the parsed Corefile (directive names unchecked,
 * as upstream's `caddyfile.Parse(path, body, nil)`). Throws the parse error.
 */
import { corefileSha512 } from '../../server/corefile/hash.ts';
import { parseCorefile } from '../../server/corefile/parse.ts';

export function hashCorefile(text: string, path: string): string {
  return corefileSha512(parseCorefile(text, { path, validDirectives: null }));
}
