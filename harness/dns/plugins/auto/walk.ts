/**
 * One directory scan (upstream plugin/auto/walk.go), with the v1.14.x behaviour in every
 * profile because none of it is about leaks: the directory is resolved through symlinks
 * first (v1.14.3, so a ConfigMap-style `zones -> data` mount works), and when two files map
 * to one origin the first in lexical order wins with a warning (v1.14.7 wording).
 *
 * Like Go's filepath.Walk: depth-first, names sorted, entries lstat'ed, so a symlinked
 * sub-directory is not descended into and a symlinked file is read through its link.
 *
 * Synchronous like Go's Walk: one async lstat per file cost a thread-pool round trip each, so
 * a restart with 1,000 zones spent most of its time idle between them. `loadZone` was
 * already synchronous; the walk now is too, and zones are still inserted in lexical order.
 */
import { lstatSync, readdirSync, realpathSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import { basename, join } from 'node:path';
import type { Logger } from '../../server/log.ts';
import type { Zone } from '../../zone/zone.ts';
import { loadZone } from '../../zone/load.ts';
import { bumpAnswerEpoch } from '../../zone/answer-epoch.ts';
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

/**
 * Scans the directory once: loads new zones, re-points moved ones, removes vanished ones.
 * Runs synchronously; the promise is kept so callers need not care.
 */
export async function walk(a: WalkTarget): Promise<void> {
  walkSync(a);
}

/** `walk` without the promise. */
export function walkSync(a: WalkTarget): void {
  const toDelete = new Map<string, boolean>(a.zones.names().map((n) => [n, true]));
  const seen = new Map<string, string>();
  let dir = a.directory;
  try {
    // .native is libuv's realpath, what fs/promises' realpath calls.
    dir = realpathSync.native(dir);
  } catch {
    // upstream keeps the path as given when EvalSymlinks fails; the walk then reports it
  }

  const visit = (path: string, info: EntryInfo | null, error: Error | null): void => {
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
      zone = loadZone({ path, origin, instanceId: a.instanceId, serial: 0 });
    } catch (err) {
      a.log.warning(`Parse zone \`${origin}': ${(err as Error).message}`);
      return;
    }
    zone.reloadInterval = a.reloadInterval;
    a.zones.add(zone, origin, a.startReload);
    bumpAnswerEpoch(); // a new zone may now be the longest match for cached names
    a.log.info(`Inserting zone \`${origin}' from: ${path}`);
    toDelete.set(origin, false);
  };

  walkTree(dir, visit);

  for (const [origin, remove] of toDelete) {
    if (!remove) continue;
    a.zones.remove(origin);
    bumpAnswerEpoch();
    a.log.info(`Deleting zone \`${origin}'`);
  }
}

/** What the visit needs of an entry: Go's FileInfo.IsDir(). */
interface EntryInfo {
  isDirectory(): boolean;
}

type Visit = (path: string, info: EntryInfo | null, error: Error | null) => void;

/** Go's filepath.Walk, without SkipDir (auto never uses it). */
function walkTree(root: string, visit: Visit): void {
  let info: EntryInfo;
  try {
    info = lstatSync(root);
  } catch (err) {
    visit(root, null, err as Error);
    return;
  }
  walkEntry(root, info, visit);
}

/**
 * Children are typed from the directory listing (d_type, which like lstat does not follow a
 * symlink; Node lstat's the entries whose type the file system leaves unknown) instead of
 * one lstat each. Only a file deleted between the listing and its open differs: it reaches
 * the load, which warns `Parse zone ...: open ...: no such file or directory`, one of the two
 * warnings upstream gives for that race too (the other comes when it vanishes before lstat).
 */
function walkEntry(path: string, info: EntryInfo, visit: Visit): void {
  if (!info.isDirectory()) {
    visit(path, info, null);
    return;
  }
  let entries: Dirent[] = [];
  let readError: Error | null = null;
  try {
    entries = sortByBytes(readdirSync(path, { withFileTypes: true }));
  } catch (err) {
    readError = err as Error;
  }
  visit(path, info, readError);
  if (readError) return;
  for (const entry of entries) walkEntry(join(path, entry.name), entry, visit);
}

/**
 * Go's sort.Strings compares bytes; for UTF-8 that is code point order, not UTF-16 order.
 * Each name is encoded once, not once per comparison.
 */
function sortByBytes(entries: Dirent[]): Dirent[] {
  return entries
    .map((entry) => ({ entry, bytes: Buffer.from(entry.name) }))
    .sort((x, y) => Buffer.compare(x.bytes, y.bytes))
    .map((e) => e.entry);
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
