/**
 * One directory scan (upstream plugin/auto/walk.go), with the v1.14.x behaviour in every
 * profile because none of it is about leaks: the directory is resolved through symlinks
 * first (v1.14.3, so a ConfigMap-style `zones -> data` mount works), and when two files map
 * to one origin the first in lexical order wins with a warning (v1.14.7 wording).
 *
 * Like Go's filepath.Walk: depth-first, names sorted, entries lstat'ed, so a symlinked
 * sub-directory is not descended into and a symlinked file is read through its link.
 */
import { lstat, readdir, realpath } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, join } from 'node:path';
import type { Logger } from '../../server/log.ts';
import type { Zone } from '../../zone/zone.ts';
import { loadZone } from '../../zone/load.ts';
import { originFor, type ZoneRegexp } from './regexp.ts';
import type { Zones } from './zones.ts';

export interface WalkTarget {
  readonly directory: string;
  readonly regexp: ZoneRegexp;
  readonly template: string;
  readonly reloadInterval: number;
  readonly instanceId: string;
  readonly zones: Zones;
  /** Logger named `auto`. */
  readonly log: Logger;
  /** Starts a zone's reload task; called by Zones.add for a zone with an interval. */
  readonly startReload: (zone: Zone) => void;
}

/** Scans the directory once: loads new zones, re-points moved ones, removes vanished ones. */
export async function walk(a: WalkTarget): Promise<void> {
  const toDelete = new Map<string, boolean>(a.zones.names().map((n) => [n, true]));
  const seen = new Map<string, string>();
  let dir = a.directory;
  try {
    dir = await realpath(dir);
  } catch {
    // upstream keeps the path as given when EvalSymlinks fails; the walk then reports it
  }

  const visit = async (path: string, info: Stats | null, error: Error | null): Promise<void> => {
    if (error) a.log.warning(`error reading ${path}: ${goErrorText(error)}`);
    if (info === null || info.isDirectory()) return;
    const origin = originFor(a.regexp, a.template, basename(path));
    if (origin === null) return;

    const seenPath = seen.get(origin);
    if (seenPath !== undefined && seenPath !== path) {
      a.log.warning(`Multiple zone files match origin "${origin}": using "${seenPath}" instead of "${path}"`);
      toDelete.set(origin, false);
      return;
    }
    seen.set(origin, path);

    const existing = a.zones.get(origin);
    if (existing !== undefined) {
      // Content changes are the zone's own reload task's business; the walk only re-points it.
      toDelete.set(origin, false);
      existing.file = path;
      return;
    }

    let zone: Zone;
    try {
      // Serial 0, as upstream: a new zone (so a file whose SOA serial is 0 does not load).
      zone = await loadZone({ path, origin, instanceId: a.instanceId, serial: 0 });
    } catch (err) {
      a.log.warning(`Parse zone \`${origin}': ${(err as Error).message}`);
      return;
    }
    zone.reloadInterval = a.reloadInterval;
    a.zones.add(zone, origin, a.startReload);
    a.log.info(`Inserting zone \`${origin}' from: ${path}`);
    toDelete.set(origin, false);
  };

  await walkTree(dir, visit);

  for (const [origin, remove] of toDelete) {
    if (!remove) continue;
    a.zones.remove(origin);
    a.log.info(`Deleting zone \`${origin}'`);
  }
}

type Visit = (path: string, info: Stats | null, error: Error | null) => Promise<void>;

/** Go's filepath.Walk, without SkipDir (auto never uses it). */
async function walkTree(root: string, visit: Visit): Promise<void> {
  let info: Stats;
  try {
    info = await lstat(root);
  } catch (err) {
    await visit(root, null, err as Error);
    return;
  }
  await walkEntry(root, info, visit);
}

async function walkEntry(path: string, info: Stats, visit: Visit): Promise<void> {
  if (!info.isDirectory()) {
    await visit(path, info, null);
    return;
  }
  let names: string[] = [];
  let readError: Error | null = null;
  try {
    names = (await readdir(path)).sort(byteOrder);
  } catch (err) {
    readError = err as Error;
  }
  await visit(path, info, readError);
  if (readError) return;
  for (const name of names) {
    const child = join(path, name);
    let childInfo: Stats;
    try {
      childInfo = await lstat(child);
    } catch (err) {
      await visit(child, null, err as Error);
      continue;
    }
    await walkEntry(child, childInfo, visit);
  }
}

/** Go's sort.Strings compares bytes; for UTF-8 that is code point order, not UTF-16 order. */
function byteOrder(a: string, b: string): number {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return Buffer.compare(x, y);
}

/** `lstat DIR: no such file or directory`, the shape of Go's *PathError text. */
function goErrorText(err: Error): string {
  const e = err as NodeJS.ErrnoException;
  if (e.syscall && e.path !== undefined && e.code) {
    const reason = e.code === 'ENOENT' ? 'no such file or directory' : e.code === 'EACCES' ? 'permission denied' : e.code.toLowerCase();
    return `${e.syscall} ${e.path}: ${reason}`;
  }
  return err.message;
}
