/**
 * Directive name -> plugin module. The `Record<PluginName, ...>` type ties it to order.ts:
 * a name in the order without a module, or a module under a name not in the order, does not
 * compile.
 */
import type { PluginModule, SetupFn } from './plugin.ts';
import { PLUGIN_ORDER, type PluginName } from './order.ts';
import { setup as reloadSetup } from './reload/setup.ts';
import { setup as errorsSetup } from './errors/setup.ts';
import { setup as logSetup } from './log/setup.ts';
import { setup as fileSetup } from './file/setup.ts';
import { setup as autoSetup } from './auto/setup.ts';
import { setup as whoamiSetup } from './whoami/setup.ts';

export const SETUPS: Readonly<Record<PluginName, SetupFn>> = {
  reload: reloadSetup,
  errors: errorsSetup,
  log: logSetup,
  file: fileSetup,
  auto: autoSetup,
  whoami: whoamiSetup,
};

/** Every plugin, in plugin.cfg order. */
export const PLUGINS: readonly PluginModule[] = PLUGIN_ORDER.map((name) => ({ name, setup: SETUPS[name] }));

export function pluginModule(name: PluginName): PluginModule {
  return { name, setup: SETUPS[name] };
}
