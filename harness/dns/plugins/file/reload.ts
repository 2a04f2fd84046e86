/**
 * The per-zone reload task (CoreDNS plugin/file/reload.go, semantics 3.5), shared by `file`
 * and `auto`: a periodic timer that re-reads the zone file and swaps the data in when the
 * first SOA's serial differs (higher or lower: no serial arithmetic), or, for a `file` zone
 * with `reload_by_mtime`, when the file's mtime is after the one recorded at the last load.
 *
 * The timer's callback closes over the zone. That is what keeps a zone alive as long as its
 * timer runs, and so what issue 6703 leaked: only `zone.onShutdown()` ends it.
 */
import { statSync } from 'node:fs';
import type { Clock } from '../../server/clock.ts';
import type { Logger } from '../../server/log.ts';
import { publish } from '../../server/events.ts';
import type { Zone } from '../../zone/zone.ts';
import { goOpenError, loadZone, readWithEvents, ZoneLoadError } from '../../zone/load.ts';

export interface ZoneReloadContext {
  clock: Clock;
  /** Logger for the task's lines; CoreDNS logs them as `plugin/file` even for auto zones. */
  log: Logger;
  instanceId: string;
  /** Plugin that owns the timer (`file` or `auto`), for the timers probe. */
  plugin: string;
}

/** Zone.Reload: arms the zone's reload timer, unless its interval is 0. Sets `zone.reloadTimer`. */
export function startZoneReload(zone: Zone, ctx: ZoneReloadContext): void {
  if (zone.reloadInterval === 0) return;
  zone.reloadTimer = ctx.clock.every(
    zone.reloadInterval,
    { kind: 'zone-reload', plugin: ctx.plugin, instanceId: ctx.instanceId, subject: zone.origin },
    () => reloadTick(zone, ctx),
  );
}

/**
 * One tick: choose the comparison, open, parse, swap on success. Never throws.
 * Serial mode parses against the current serial. Mtime mode first stats the file and stops
 * there (nothing opened) unless the mtime advanced; then it loads whatever the serial is.
 */
export function reloadTick(zone: Zone, ctx: ZoneReloadContext): void {
  const path = zone.file;
  let serial = zone.soaSerial();
  let mtimeMs: number | null = null;
  if (zone.reloadByMtime) {
    try {
      mtimeMs = statSync(path).mtimeMs;
    } catch (err) {
      ctx.log.error(`Failed to open zone "${zone.origin}" in "${path}": ${goPathError(path, err)}`);
      return;
    }
    if (zone.fileMtimeMs !== null && mtimeMs <= zone.fileMtimeMs) return;
    serial = -1; // the mtime is the sole trigger: an unchanged serial loads too
  }
  let text: string;
  try {
    text = readWithEvents(path);
  } catch (err) {
    ctx.log.error(`Failed to open zone "${zone.origin}" in "${path}": ${goPathError(path, err)}`);
    return;
  }
  let fresh: Zone;
  try {
    fresh = loadZone({
      path,
      origin: zone.origin,
      instanceId: zone.instanceId,
      serial,
      readFile: (p) => (p === path ? text : readWithEvents(p)),
    });
  } catch (err) {
    if (err instanceof ZoneLoadError && err.code === 'serial-unchanged') return;
    ctx.log.error(`Parsing zone "${zone.origin}": ${err instanceof Error ? err.message : String(err)}`);
    return;
  }
  zone.swap(fresh);
  // Recorded only on success: a file that fails to parse is retried on every tick, as in serial mode.
  if (mtimeMs !== null) zone.fileMtimeMs = mtimeMs;
  const loaded = zone.soaSerial();
  ctx.log.info(`Successfully reloaded zone "${zone.origin}" in "${path}" with ${loaded} SOA serial`);
  publish('zone:reloaded', () => ({ instanceId: zone.instanceId, origin: zone.origin, file: path, serial: loaded }));
}

/** Go's *PathError text: `open /p: no such file or directory` (one wording with loadZone's). */
export function goPathError(path: string, err: unknown): string {
  return goOpenError(path, err);
}
