/**
 * CoreDNS's plugin.Error: `plugin/<name>: <err>`. A CorefileError keeps its code, file and
 * line, so the server can still point at the place.
 */
import { CorefileError } from '../../server/corefile/types.ts';

export function withPluginPrefix(plugin: string, err: unknown): Error {
  const prefix = `plugin/${plugin}: `;
  if (err instanceof CorefileError) {
    if (err.message.startsWith(prefix)) return err;
    return new CorefileError(err.code, err.file, err.line, prefix + err.message);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new Error(message.startsWith(prefix) ? message : prefix + message);
}
