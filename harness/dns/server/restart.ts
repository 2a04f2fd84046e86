/**
 * caddy's Instance.Restart, step by step as in semantics 2.3:
 *
 *   old.OnRestart -> build + start new (taking over old sockets by address)
 *     failure: [fix failed-restart-cleanup: new.OnShutdown] -> old.OnRestartFailed, old keeps serving
 *     success: old.Stop() -> old.OnShutdown (never OnFinalShutdown) -> InstanceStartupEvent(new)
 *              -> "Reloading complete"
 */
import { hasFix } from '../profiles.ts';
import { publish } from './events.ts';
import { Instance, type InstanceHost } from './instance.ts';
import { type ProcessCore, StartFailure, startWithListenerFds } from './startup.ts';
import type { DnsServer } from './servers.ts';

export type RestartVia = 'reload' | 'signal' | 'api';

/** Why a restart failed: `stage`, and the raw error as `cause`. */
export class RestartError extends Error {
  override readonly name = 'RestartError';
  constructor(
    readonly stage: StartFailure['stage'],
    message: string,
    /** The raw error (a CorefileError for bad input, with file and line). */
    override readonly cause: Error,
    /** The candidate instance, if one was built (already discarded). */
    readonly newInstanceId: string | null,
  ) {
    super(message, { cause });
  }
}

export async function restartInstance(core: ProcessCore, host: InstanceHost, old: Instance, text: string, via: RestartVia): Promise<Instance> {
  core.log.info('Reloading');
  publish('restart:begun', () => ({ oldInstanceId: old.id, via }));
  let candidate: Instance | null = null;
  try {
    const [restartErr] = await old.runHooks('restart');
    if (restartErr !== undefined) throw new StartFailure('restart', restartErr);

    const restartFrom = new Map<string, DnsServer>(old.servers.map((s) => [s.address, s]));
    candidate = new Instance(host, old.generation + 1, text);
    try {
      await startWithListenerFds(core, candidate, restartFrom);
    } catch (err) {
      const failure = err instanceof StartFailure ? err : new StartFailure('setup', err instanceof Error ? err : new Error(String(err)));
      await discardCandidate(core, candidate, failure.stage);
      throw new StartFailure(failure.stage, failure.error, `starting with listener file descriptors: ${failure.error.message}`);
    }

    await old.stop();
    const [shutdownErr] = await old.runHooks('shutdown');
    // caddy quirk: the new instance already serves, yet Restart reports the old one's error.
    if (shutdownErr !== undefined) throw new StartFailure('shutdown', shutdownErr);

    core.hooks.emit('InstanceStartupEvent', candidate, core.log);
    core.log.info('Reloading complete');
    const applied = candidate;
    publish('restart:applied', () => ({ oldInstanceId: old.id, newInstanceId: applied.id, via }));
    return candidate;
  } catch (err) {
    const failure = err instanceof StartFailure ? err : new StartFailure('setup', err instanceof Error ? err : new Error(String(err)));
    await old.runHooks('restartFailed');
    core.log.error(`Restart failed: ${failure.error.message}`);
    const newInstanceId = candidate?.id ?? null;
    publish('restart:failed', () => ({ oldInstanceId: old.id, newInstanceId, via, stage: failure.stage, error: failure.message }));
    throw new RestartError(failure.stage, failure.message, failure.error, newInstanceId);
  }
}

/**
 * The candidate of a failed restart. CoreDNS never runs its OnShutdown, so what its OnStartup
 * started keeps running (semantics 2.3 step 7); the `failed-restart-cleanup` fix shuts it down
 * when OnStartup had begun. Its sockets never got handlers (startServers binds first), and
 * its bookkeeping is closed in every profile.
 */
async function discardCandidate(core: ProcessCore, candidate: Instance, stage: StartFailure['stage']): Promise<void> {
  const startupRan = stage === 'startup' || stage === 'listen';
  if (startupRan && hasFix(core.profile, 'failed-restart-cleanup')) {
    await candidate.runHooks('shutdown', false);
  }
  await candidate.stop();
}
