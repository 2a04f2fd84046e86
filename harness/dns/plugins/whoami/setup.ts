/** `whoami` takes no arguments. */
import type { SetupFn } from '../plugin.ts';
import { withPluginPrefix } from '../reload/plugin-error.ts';
import { whoamiHandler } from './whoami.ts';

export const setup: SetupFn = (c) => {
  const d = c.dispenser;
  d.next(); // the directive name
  if (d.nextArg()) throw withPluginPrefix('whoami', d.argErr());
  c.addPlugin(() => whoamiHandler());
};
