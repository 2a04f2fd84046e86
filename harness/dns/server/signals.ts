/**
 * caddy's sigtrap (semantics 2.6), applied to one in-process DnsProcess.
 *
 * SIGUSR1 restarts instances[0] from the Corefile on disk with the event hooks purged.
 * SIGTERM runs every current instance's OnShutdown then OnFinalShutdown (once per process),
 * then stops them. SIGINT does the same callbacks; the real process would then exit, which
 * closes its sockets, so here the instances are stopped too.
 */
import type { ProcessCore } from './startup.ts';

export type DnsSignal = 'SIGUSR1' | 'SIGTERM' | 'SIGINT';

export interface ShutdownState {
  /** executeShutdownCallbacks runs once per process (sync.Once); later calls get its code. */
  done: Promise<number> | null;
}

export async function sigusr1(core: ProcessCore): Promise<void> {
  core.log.info('SIGUSR1: Reloading');
  const inst = core.instances[0];
  if (inst === undefined) {
    core.log.error('SIGUSR1: no server instances are fully running');
    return;
  }
  let text = inst.corefileText;
  try {
    const fromDisk = await core.state.loadCorefile();
    if (fromDisk !== null) text = fromDisk;
  } catch (err) {
    core.log.error(`SIGUSR1: loading updated Caddyfile: ${err instanceof Error ? err.message : String(err)}`);
    return;
  }
  const backup = core.hooks.purge();
  core.hooks.emit('InstanceRestartEvent', null, core.log);
  try {
    await inst.restart(text, 'signal');
  } catch (err) {
    core.hooks.restore(backup);
    core.log.error(`SIGUSR1: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Exit code: 0, 4 when a shutdown callback failed, 3 when stopping failed. */
export async function terminate(core: ProcessCore, shutdown: ShutdownState, signame: 'SIGTERM' | 'SIGINT'): Promise<number> {
  core.log.info(signame === 'SIGTERM' ? 'SIGTERM: Shutting down servers then terminating' : 'SIGINT: Shutting down');
  shutdown.done ??= executeShutdownCallbacks(core, signame);
  let code = await shutdown.done;
  try {
    await Promise.all([...core.instances].map((i) => i.stop()));
  } catch (err) {
    core.log.error(`${signame} stop: ${err instanceof Error ? err.message : String(err)}`);
    if (code === 0) code = 3;
  }
  return code;
}

async function executeShutdownCallbacks(core: ProcessCore, signame: string): Promise<number> {
  core.hooks.emit('ShutdownEvent', null, core.log);
  const errors: Error[] = [];
  for (const inst of [...core.instances]) {
    errors.push(...(await inst.runHooks('shutdown', false)));
    errors.push(...(await inst.runHooks('finalShutdown', false)));
  }
  for (const err of errors) core.log.error(`${signame} shutdown: ${err.message}`);
  return errors.length > 0 ? 4 : 0;
}
