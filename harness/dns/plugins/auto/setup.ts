/**
 * `auto` setup (upstream plugin/auto/setup.go): parse, then register, in this order,
 * OnStartup#1 (look up prometheus/transfer: neither exists in this miniature, so nothing to
 * store), OnStartup#2 (walk, then the walk task), OnShutdown, and the handler.
 */
import { statSync } from 'node:fs';
import type { SetupFn } from '../plugin.ts';
import { withPluginPrefix } from '../reload/plugin-error.ts';
import { Auto } from './auto.ts';
import { parseAuto, type DirectoryState } from './parse.ts';

export const setup: SetupFn = (c) => {
  const log = c.log.plugin('auto');
  let config;
  try {
    config = parseAuto(c.dispenser, c.config.zones, {
      cwd: c.cwd,
      statDirectory,
      warn: (m) => log.warning(m),
    });
  } catch (err) {
    throw withPluginPrefix('auto', err);
  }
  const auto = new Auto(config, { clock: c.clock, profile: c.profile, instanceId: c.instanceId, log: c.log });
  c.onStartup(() => auto.onStartup());
  c.onShutdown(() => auto.onShutdown());
  c.addPlugin((next) => auto.handler(next));
};

function statDirectory(dir: string): DirectoryState {
  try {
    statSync(dir);
    return 'exists';
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return 'missing';
    return new Error(e.code === 'ENOTDIR' ? `stat ${dir}: not a directory` : e.message);
  }
}
