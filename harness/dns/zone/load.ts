/**
 * Reads and parses a zone file into a Zone (CoreDNS's file.Parse, v1.11.4+ error handling:
 * a syntax error fails the whole load instead of silently truncating the zone).
 */
import { closeSync, readFileSync } from 'node:fs';
import { openRegular } from '../server/regular-file.ts';
import { publish } from '../server/events.ts';
import type { ResourceRecord } from './record.ts';
import { parseMasterFileWithLines, ZoneParseError } from './master/parse.ts';
import { Zone, ZoneLoadError } from './zone.ts';
import { fqdn, lower } from './names.ts';
import { bumpAnswerEpoch } from './answer-epoch.ts';

export { ZoneLoadError, type ZoneLoadErrorCode } from './zone.ts';

export interface LoadZoneOptions {
  /** Zone file path, kept as the Zone's `file`. */
  path: string;
  /** Zone origin; made absolute and lower-case. */
  origin: string;
  /** Instance that loads the zone (becomes `zone.instanceId`). */
  instanceId: string;
  /**
   * The serial of the copy already loaded: when the file's first SOA has exactly this serial
   * the load fails with code `serial-unchanged` (CoreDNS's serialErr, not an error to log).
   * -1 always loads. No serial arithmetic: a lower serial loads too.
   */
  serial: number;
  /**
   * Reads a file (the zone and its `$INCLUDE`s) instead of the file system. When given, no
   * file descriptor is opened and no `file:*` event is published.
   */
  readFile?: (path: string) => string;
}

/**
 * Loads the zone at `opts.path`. Throws ZoneLoadError: `io` (open/read failed), `parse`,
 * `serial-unchanged`, `no-soa`, `multiple-soa`, `soa-not-at-apex`, `outside-origin`, `nsec3`.
 */
export function loadZone(opts: LoadZoneOptions): Zone {
  const origin = lower(fqdn(opts.origin));
  const file = opts.path;
  const read = opts.readFile ?? readWithEvents;
  let text: string;
  try {
    text = read(file);
  } catch (err) {
    throw new ZoneLoadError('io', goOpenError(file, err), file, null, { cause: err });
  }

  let parsed: { records: ResourceRecord[]; lines: number[]; files?: string[] };
  try {
    parsed = parseMasterFileWithLines(text, { origin, file, readInclude: (p) => read(p) });
  } catch (err) {
    if (!(err instanceof ZoneParseError)) throw err;
    // CoreDNS reports NSEC3 from Insert, without the parse-error wrapping.
    if (err.reason.startsWith('NSEC3 zone is not supported')) {
      throw new ZoneLoadError('nsec3', err.message, err.file, err.line, { cause: err });
    }
    const code = err.code === 'io' ? 'io' : 'parse';
    throw new ZoneLoadError(code, `failed to parse file "${file}" for origin ${origin} with error ${err.message}`, err.file, err.line, { cause: err });
  }

  const firstSoa = parsed.records.find((r) => r.type === 'SOA');
  if (opts.serial >= 0 && firstSoa !== undefined && firstSoa.type === 'SOA' && firstSoa.data.serial === opts.serial) {
    const line = parsed.lines[parsed.records.indexOf(firstSoa)] ?? null;
    throw new ZoneLoadError('serial-unchanged', `no change in SOA serial for origin ${origin} in file ${file}, with ${opts.serial} SOA serial`, file, line);
  }
  const zone = Zone.fromRecords(origin, file, opts.instanceId, parsed.records, parsed.lines, parsed.files);
  // A reload swaps this copy in right after, in the same synchronous step: cached answers go now.
  bumpAnswerEpoch();
  return zone;
}

/**
 * Opens, reads and closes `path` on a real descriptor, publishing both ends for the fd probe
 * (v1.6.3+, #3196: a reload tick closes what it opens).
 */
export function readWithEvents(path: string): string {
  const fd = openRegular(path);
  publish('file:opened', () => ({ path, fd, owner: 'file' }));
  try {
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
    publish('file:closed', () => ({ path, fd, owner: 'file' }));
  }
}

/** `open /p: no such file or directory`, the text of Go's *PathError that CoreDNS logs. */
export function goOpenError(path: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EISDIR: 'is a directory',
    ENOTDIR: 'not a directory',
  };
  const op = e.syscall === 'read' ? 'read' : 'open';
  const reason = (e.code !== undefined ? reasons[e.code] : undefined) ?? (e as { reason?: string }).reason ?? e.message;
  return `${op} ${path}: ${reason}`;
}
