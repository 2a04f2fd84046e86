/**
 * The one ordered list of plugins: our plugin.cfg.
 *
 * It decides both the order in which setup functions run (directive-major, once per server
 * block) and the handler chain (first entry = outermost handler). The order a Corefile writes
 * its directives in never matters. Relative order as in CoreDNS v1.11.x plugin.cfg:
 * reload(7) < errors(17) < log(18) < file(41) < auto(42) < whoami(49).
 */
export const PLUGIN_ORDER = ['reload', 'errors', 'log', 'file', 'auto', 'whoami'] as const;

export type PluginName = (typeof PLUGIN_ORDER)[number];

export function isPluginName(s: string): s is PluginName {
  return (PLUGIN_ORDER as readonly string[]).includes(s);
}
