/** `log` setup: parse the rules, add the handler. Lines go to the root logger, as clog.Infof. */
import type { SetupFn } from '../plugin.ts';
import { withPluginPrefix } from '../reload/plugin-error.ts';
import { logHandler } from './log.ts';
import { parseLog } from './parse.ts';

export const setup: SetupFn = (c) => {
  let rules;
  try {
    rules = parseLog(c.dispenser);
  } catch (err) {
    throw withPluginPrefix('log', err);
  }
  const log = c.log;
  c.addPlugin((next) => logHandler(rules, log, next));
};
