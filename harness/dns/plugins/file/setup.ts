/**
 * `file` setup: parse the directive, load each zone now (a bad zone fails the Corefile), and
 * register the per-zone reload tasks on OnStartup and their shutdown on OnShutdown, in the same
 * place (principle 3).
 *
 * Profile `coredns-1.10.0` lacks PR 5687: the zone file opened here is never closed, so every
 * (re)start leaks one descriptor per `file` directive (vector J18).
 */
import { closeSync, fstatSync, readFileSync } from 'node:fs';
import { openRegular, readRegularFile } from '../../server/regular-file.ts';
import type { Controller, SetupFn } from '../plugin.ts';
import { hasFix } from '../../profiles.ts';
import { publish } from '../../server/events.ts';
import { Zone } from '../../zone/zone.ts';
import { loadZone } from '../../zone/load.ts';
import { withPluginPrefix } from '../reload/plugin-error.ts';
import { formatGoDuration } from '../reload/go-duration.ts';
import { fileHandler, type FileZones } from './file.ts';
import { parseFile, type FileEntry } from './parse.ts';
import { goPathError, startZoneReload } from './reload.ts';

export const setup: SetupFn = (c) => {
  let zones: FileZones;
  try {
    zones = loadFileZones(c, parseFile(c.dispenser, c.config.zones, c.cwd));
  } catch (err) {
    throw withPluginPrefix('file', err);
  }
  const log = c.log.plugin('file');
  c.onStartup(() => {
    for (const zone of zones.z.values()) startZoneReload(zone, { clock: c.clock, log, instanceId: c.instanceId, plugin: 'file' });
  });
  c.onShutdown(() => {
    for (const zone of zones.z.values()) zone.onShutdown();
  });
  c.addPlugin((next) => fileHandler(zones, next));
};

function loadFileZones(c: Controller, entries: FileEntry[]): FileZones {
  const z = new Map<string, Zone>();
  const names: string[] = [];
  let openErr: Error | null = null;
  let lastReload = 0;
  for (const entry of entries) {
    const opened = openZoneFile(c, entry.path);
    if (opened instanceof Error) openErr = opened;
    for (const origin of entry.origins) {
      let zone = new Zone(origin, entry.path, c.instanceId);
      if (!(opened instanceof Error)) {
        zone = loadZone({
          path: entry.path,
          origin,
          instanceId: c.instanceId,
          serial: 0,
          readFile: (p) => (p === entry.path ? opened.text : readRegularFile(p)),
        });
        // The mtime mode compares against the copy loaded here (the intended #8085 behaviour;
        // upstream never records it, so every tick re-parses, semantics 3.5).
        zone.fileMtimeMs = opened.mtimeMs;
      }
      zone.reloadInterval = entry.reloadMs;
      zone.reloadByMtime = entry.reloadByMtime;
      z.set(zone.origin, zone);
      names.push(zone.origin);
      publish('zone:loaded', () => ({
        instanceId: c.instanceId,
        origin: zone.origin,
        file: entry.path,
        serial: zone.soaSerial(),
        records: zone.tree.recordCount + zone.apex.ns.length + (zone.apex.soa === null ? 0 : 1),
        zone,
      }));
    }
    lastReload = entry.reloadMs;
  }
  if (openErr !== null) {
    // Upstream: fatal without reload, else the reload task keeps trying to read the file.
    if (lastReload === 0) throw openErr;
    c.log.plugin('file').warning(`Failed to open "${openErr.message}": trying again in ${formatGoDuration(lastReload)}`);
  }
  return { z, names };
}

/**
 * Opens and reads the zone file, with its mtime taken from the same descriptor. The descriptor
 * is closed only with the fix of PR 5687; without it nothing ever closes it, which is the bug
 * (Go's finalizer would, eventually).
 */
function openZoneFile(c: Controller, path: string): { text: string; mtimeMs: number } | Error {
  let fd: number;
  try {
    fd = openRegular(path);
  } catch (err) {
    return new Error(goPathError(path, err));
  }
  publish('file:opened', () => ({ path, fd, owner: `file:${c.instanceId}` }));
  try {
    const { mtimeMs } = fstatSync(fd);
    return { text: readFileSync(fd, 'utf8'), mtimeMs };
  } catch (err) {
    return new Error(goPathError(path, err));
  } finally {
    if (hasFix(c.profile, 'file-setup-closes-zone-file')) {
      closeSync(fd);
      publish('file:closed', () => ({ path, fd, owner: `file:${c.instanceId}` }));
    }
  }
}
