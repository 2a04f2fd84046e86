/**
 * Test helper: a setup wrapper that records every lifecycle callback of each instance, so a
 * test can compare the order a restart runs them in with semantics 2.3.
 */
import type { SetupFn } from '../plugins/plugin.ts';

export interface HookRecorder {
  /** `i3:startup`, `i2:shutdown`, ... in the order they ran. */
  readonly log: string[];
  /** When set, the next instance whose OnStartup runs throws (a failure after OnStartup began). */
  failNextStartup: boolean;
  /** Wraps a real setup: the real one runs first, then the recording hooks are added. */
  wrap(real: SetupFn): SetupFn;
}

export function createHookRecorder(): HookRecorder {
  const rec: HookRecorder = {
    log: [],
    failNextStartup: false,
    wrap: (real) => async (c) => {
      await real(c);
      const id = c.instanceId;
      c.onFirstStartup(() => { rec.log.push(`${id}:firstStartup`); });
      c.onStartup(() => {
        rec.log.push(`${id}:startup`);
        if (rec.failNextStartup) {
          rec.failNextStartup = false;
          throw new Error(`startup of ${id} failed on purpose`);
        }
      });
      c.onRestart(() => { rec.log.push(`${id}:restart`); });
      c.onRestartFailed(() => { rec.log.push(`${id}:restartFailed`); });
      c.onShutdown(() => { rec.log.push(`${id}:shutdown`); });
      c.onFinalShutdown(() => { rec.log.push(`${id}:finalShutdown`); });
    },
  };
  return rec;
}
