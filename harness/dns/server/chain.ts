/**
 * Builds a block's plugin chain (dnsserver.NewServer): factories were registered in plugin.cfg
 * order during setup, so the first is the outermost handler. Each built handler goes into the
 * block's registry, which is what `config.handler(name)` looks up from OnStartup.
 */
import type { Handler } from '../plugins/plugin.ts';
import type { BlockContext } from './controller.ts';

export function buildChain(block: BlockContext): Handler | null {
  let next: Handler | null = null;
  for (let i = block.factories.length - 1; i >= 0; i--) {
    const entry = block.factories[i];
    if (entry === undefined) continue;
    next = entry.factory(next);
    block.registry.set(next.name, next);
  }
  block.chain = next;
  return next;
}

/**
 * CoreDNS's plugin.NextOrFailure: calls `next`, or fails with SERVFAIL and
 * `plugin/<name>: no next plugin found` when there is none.
 */
export async function nextOrFailure(
  name: string,
  next: Handler | null,
  ...args: Parameters<Handler['serveDNS']>
): ReturnType<Handler['serveDNS']> {
  if (next === null) return { rcode: 'SERVFAIL', error: new Error(`plugin/${name}: no next plugin found`) };
  return next.serveDNS(...args);
}
