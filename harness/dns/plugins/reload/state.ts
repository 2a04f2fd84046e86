/**
 * reload's process-wide state (upstream package vars `r`, `once`, `shutOnce`), kept in the
 * process's global slot so it survives restarts exactly as Go's package variables do.
 */
import type { ProcessState } from '../plugin.ts';
import type { Watcher } from './watcher.ts';

/** Upstream `usage`: whether the Corefile that is running still contains `reload`. */
export type Usage = 'unused' | 'maybeUsed' | 'used';

export interface ReloadState {
  /** Upstream `r.dur`: the last setup's effective interval (the last block wins). */
  intervalMs: number;
  usage: Usage;
  /** Upstream `once`: the event hook was registered. */
  hookRegistered: boolean;
  /** Upstream `shutOnce`: the final-shutdown quit was registered (on the first reload instance only). */
  quitRegistered: boolean;
  /** Path the Corefile was loaded from, for the hash's parse and the watcher's owner. */
  corefilePath: string;
  /**
   * Watchers that have not returned, oldest first. Upstream they all wait on the one `quit`
   * channel; the oldest waiting receiver gets a send.
   */
  readonly watchers: Watcher[];
  /**
   * Ids of instances whose Corefile contains `reload` (used only with the fix
   * 'reload-removal-stops-watcher'). Ids, not instances: the state must hold nothing alive.
   */
  readonly instancesWithReload: Set<string>;
  /**
   * Source of randomness for jitter. Tests replace it with a seeded one before setup runs.
   * @default Math.random
   */
  random: () => number;
}

export function reloadState(process: ProcessState): ReloadState {
  return process.global<ReloadState>('reload', () => ({
    intervalMs: 30_000,
    usage: 'unused',
    hookRegistered: false,
    quitRegistered: false,
    corefilePath: '',
    watchers: [],
    instancesWithReload: new Set<string>(),
    random: Math.random,
  }));
}
