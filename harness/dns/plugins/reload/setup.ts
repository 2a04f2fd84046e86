/**
 * `reload` setup (upstream plugin/reload/setup.go) and its process-wide event hook.
 *
 * Upstream, per process: the hook is registered once, the final-shutdown quit only on the
 * first instance that ever contains `reload` (shutOnce), and `usage` decides whether the
 * next instance gets a watcher. The consequences are faithful here: after a restart that
 * removed `reload`, a watcher still starts (the hook sees `maybeUsed`, semantics 5.4); after
 * SIGUSR1 the hook is gone and the old watcher holds a stopped instance (issue 6263). One
 * deviation: the final-shutdown quit is registered by every instance with reload (see below).
 *
 * With the fix 'reload-removal-stops-watcher' (profile `fixed` only; upstream's later PR 8504
 * makes reload state per instance), the watcher belongs to its instance: it starts only for an
 * instance whose Corefile contains `reload`, that instance's OnShutdown and OnFinalShutdown
 * stop it, and setup registers the hook again when SIGUSR1 purged it.
 */
import { hasFix } from '../../profiles.ts';
import type { Controller, EventHook, SetupFn } from '../plugin.ts';
import { hashCorefile } from './hash.ts';
import { effectiveInterval, parseReload } from './parse.ts';
import { withPluginPrefix } from './plugin-error.ts';
import { reloadState, type ReloadState } from './state.ts';
import { Watcher, type WatcherEnv } from './watcher.ts';

export const HOOK_NAME = 'reload';

export const setup: SetupFn = (c) => {
  let interval: number;
  try {
    interval = effectiveInterval(parseReload(c.dispenser), reloadState(c.process).random);
  } catch (err) {
    throw withPluginPrefix('reload', err);
  }
  const state = reloadState(c.process);
  const perInstance = hasFix(c.profile, 'reload-removal-stops-watcher');
  state.intervalMs = interval;
  state.usage = 'used';
  state.corefilePath = c.corefilePath;

  if (perInstance) {
    registerHookIfMissing(c, state);
    const id = c.instance.id;
    state.instancesWithReload.add(id);
    const stopOwn = (): void => {
      state.instancesWithReload.delete(id);
      for (const w of [...state.watchers]) if (w.instance.id === id) w.quit();
    };
    c.onShutdown(stopOwn);
    c.onFinalShutdown(stopOwn);
    return;
  }

  if (!state.hookRegistered) {
    state.hookRegistered = true;
    c.process.registerEventHook(HOOK_NAME, makeHook(c, state));
  }
  // Upstream registers `r.quit <- true` only on the first instance that contains reload
  // (shutOnce), so after a reload no final shutdown sends it; CoreDNS then exits the process,
  // which ends the watcher anyway. In process there is no exit, so every instance with reload
  // registers the send (deliberate deviation, harness/dns/README.md): otherwise every profile
  // would report a watcher after stop that upstream's process exit removes.
  state.quitRegistered = true;
  c.onFinalShutdown(() => {
    // the watcher that has waited longest receives the send
    state.watchers[0]?.quit();
  });
};

/** A purged hook (SIGUSR1) comes back with the next setup; a present one throws as a duplicate. */
function registerHookIfMissing(c: Controller, state: ReloadState): void {
  try {
    c.process.registerEventHook(HOOK_NAME, makeHook(c, state));
    state.hookRegistered = true;
  } catch {
    // already registered: the registry refuses duplicates, which is what we rely on here
  }
}

/** Upstream `hook`: on every instance start, hash its Corefile and start its watcher. */
function makeHook(c: Controller, state: ReloadState): EventHook {
  const env: WatcherEnv = { clock: c.clock, log: c.log.plugin('reload'), profile: c.profile, process: c.process, state };
  const perInstance = hasFix(c.profile, 'reload-removal-stops-watcher');
  return (event, instance) => {
    if (event !== 'InstanceStartupEvent' || instance === null) return;
    if (state.usage === 'unused') return;
    if (perInstance && !state.instancesWithReload.has(instance.id)) return;
    let sum = '';
    try {
      sum = hashCorefile(instance.corefileText, state.corefilePath || 'Corefile');
    } catch (err) {
      env.log.warning(`Corefile parse failed: ${(err as Error).message}`);
    }
    env.log.info(`Running configuration SHA512 = ${sum}`);
    new Watcher(instance, sum, env).start(state.intervalMs);
  };
}
