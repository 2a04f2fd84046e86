/**
 * caddy's global event hooks (RegisterEventHook / EmitEvent), one map per process.
 * SIGUSR1 backs them up and purges them, and restores them only if its restart fails
 * (semantics 2.6): the reload plugin's hook is then gone for good (issue 6263).
 */
import type { EventHook, InstanceHandle, LifecycleEvent } from '../plugins/plugin.ts';
import type { Logger } from './log.ts';

export class EventHooks {
  private hooks = new Map<string, EventHook>();

  /** A duplicate name throws, as caddy panics. */
  register(name: string, hook: EventHook): void {
    if (this.hooks.has(name)) throw new Error(`hook named ${name} already registered`);
    this.hooks.set(name, hook);
  }

  /** Runs every hook synchronously; an error is only logged. */
  emit(event: LifecycleEvent, instance: InstanceHandle | null, log: Logger): void {
    for (const [name, hook] of [...this.hooks]) {
      try {
        hook(event, instance);
      } catch (err) {
        log.error(`error on '${name}' hook: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  /** Empties the map and returns what it held (SIGUSR1's clone + purge). */
  purge(): Map<string, EventHook> {
    const old = this.hooks;
    this.hooks = new Map();
    return old;
  }

  restore(backup: Map<string, EventHook>): void {
    this.hooks = backup;
  }

  get names(): string[] {
    return [...this.hooks.keys()];
  }
}
