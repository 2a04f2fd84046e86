/**
 * `errors [stdout] { stacktrace }` (plugin/errors/setup.go). The `consolidate` property is not
 * part of this miniature and is refused with a message saying so.
 */
import type { SetupFn } from '../plugin.ts';
import type { Dispenser } from '../../server/corefile/dispenser.ts';
import { withPluginPrefix } from '../reload/plugin-error.ts';
import { errorsHandler } from './errors.ts';

export interface ErrorsConfig {
  stacktrace: boolean;
}

/** Pure parse of the directive's tokens; throws CoreDNS's messages. */
export function parseErrors(d: Dispenser): ErrorsConfig {
  const config: ErrorsConfig = { stacktrace: false };
  let seen = 0;
  while (d.next()) {
    if (seen++ > 0) throw new Error('this plugin can only be used once per Server Block');
    const args = d.remainingArgs();
    if (args.length > 1) throw d.argErr();
    if (args.length === 1 && args[0] !== 'stdout') throw d.errf(`invalid log file: ${args[0] ?? ''}`);
    while (d.nextBlock()) {
      const prop = d.val();
      if (prop === 'stacktrace') config.stacktrace = true;
      else if (prop === 'consolidate') throw d.errf("property 'consolidate' is not supported by this miniature");
      else throw d.syntaxErr(`Unknown field ${prop}`);
    }
  }
  return config;
}

export const setup: SetupFn = (c) => {
  try {
    parseErrors(c.dispenser);
  } catch (err) {
    throw withPluginPrefix('errors', err);
  }
  const log = c.log.plugin('errors');
  // Upstream stops its consolidation timers here; registered even without any, so the
  // OnShutdown order is the one CoreDNS runs (errors, file, auto).
  c.onShutdown(() => {});
  c.addPlugin((next) => errorsHandler(log, next));
};
