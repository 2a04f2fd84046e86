/**
 * `file DBFILE [ZONES...] { reload DURATION; reload_by_mtime }`, parsed as CoreDNS's fileParse
 * reads it (plugin/file/setup.go, v1.11; `reload_by_mtime` from v1.14.x, PR 8085). Pure: no file is touched here; setup.ts loads the zones.
 */
import { isAbsolute, resolve } from 'node:path';
import type { Dispenser } from '../../server/corefile/dispenser.ts';
import { fqdn, inspectKey } from '../../server/corefile/keys.ts';
import { parseGoDuration } from '../reload/go-duration.ts';

/** CoreDNS's default `reload` for `file` (one minute). */
export const DEFAULT_FILE_RELOAD_MS = 60_000;

export interface FileEntry {
  /** The zone file, resolved against the server's working directory (no `root` plugin here). */
  path: string;
  /** Origins served from it: the ZONES arguments, or the block's zones when there are none. */
  origins: string[];
  /** Reload interval in (unscaled) ms; 0 disables reloading. */
  reloadMs: number;
  /** `reload_by_mtime`: reload when the file's mtime advances, whatever the SOA serial. */
  reloadByMtime: boolean;
  /** Line of the `file` token, for messages. */
  line: number;
}

/** One entry per `file` line of the block (each `c.Next()` round). */
export function parseFile(d: Dispenser, blockZones: readonly string[], cwd: string): FileEntry[] {
  const entries: FileEntry[] = [];
  while (d.next()) {
    const line = d.line();
    if (!d.nextArg()) throw d.argErr();
    const name = d.val();
    const origins = originsFromArgsOrBlock(d.remainingArgs(), blockZones);
    let reloadMs = DEFAULT_FILE_RELOAD_MS;
    let reloadByMtime = false;
    while (d.nextBlock()) {
      const prop = d.val();
      if (prop === 'reload') {
        const args = d.remainingArgs();
        const first = args[0];
        if (first === undefined) throw new Error('reload duration value is expected');
        reloadMs = parseGoDuration(first);
        // time.NewTicker panics on a negative period; refuse it with a message instead.
        if (reloadMs < 0) throw d.errf(`invalid negative duration for reload: ${first}`);
      } else if (prop === 'reload_by_mtime') {
        if (d.nextArg()) throw d.argErr();
        reloadByMtime = true;
      } else if (prop === 'upstream') {
        d.remainingArgs(); // accepted and ignored, as CoreDNS does since upstream became implicit
      } else {
        throw d.errf(`unknown property '${prop}'`);
      }
    }
    entries.push({ path: isAbsolute(name) ? name : resolve(cwd, name), origins, reloadMs, reloadByMtime, line });
  }
  return entries;
}

/** plugin.OriginsFromArgsOrServerBlock: unparsable arguments are skipped silently, as upstream. */
export function originsFromArgsOrBlock(args: readonly string[], blockZones: readonly string[]): string[] {
  if (args.length === 0) return [...blockZones];
  return args.flatMap((a) => {
    try {
      return inspectKey(a, 53).hosts.map((h) => fqdn(h).toLowerCase());
    } catch {
      return [];
    }
  });
}
