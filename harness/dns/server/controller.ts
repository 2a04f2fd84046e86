/**
 * What a setup function gets (caddy.Controller): the directive's tokens, the block's config,
 * and the way to attach callbacks to the instance being built.
 */
import type { BlockConfig, Controller, Handler, HandlerFactory, ProcessState } from '../plugins/plugin.ts';
import type { Profile } from '../profiles.ts';
import type { Clock } from './clock.ts';
import type { Logger } from './log.ts';
import type { ServerBlock, ZoneAddress } from './corefile/types.ts';
import { Dispenser } from './corefile/dispenser.ts';
import type { Instance } from './instance.ts';

export interface RegisteredFactory {
  readonly plugin: string;
  readonly factory: HandlerFactory;
}

/** One server block while an instance is built: its keys, plugins and (later) its chain. */
export class BlockContext implements BlockConfig {
  readonly factories: RegisteredFactory[] = [];
  /** Filled when the chain is built (dnsserver's handler registry). */
  readonly registry = new Map<string, Handler>();
  chain: Handler | null = null;
  readonly zones: readonly string[];

  constructor(
    readonly block: ServerBlock,
    readonly addresses: readonly ZoneAddress[],
  ) {
    this.zones = [...new Set(addresses.map((a) => a.zone))];
  }

  handler(name: string): Handler | null {
    return this.registry.get(name) ?? null;
  }
}

export interface ControllerEnv {
  readonly instance: Instance;
  readonly profile: Profile;
  readonly clock: Clock;
  readonly log: Logger;
  readonly corefilePath: string;
  readonly displayFile: string;
  readonly cwd: string;
  readonly process: ProcessState;
}

export function createController(env: ControllerEnv, directive: string, block: BlockContext): Controller {
  const tokens = block.block.tokens[directive] ?? [];
  const inst = env.instance;
  return {
    dispenser: new Dispenser(tokens, env.displayFile),
    config: block,
    instanceId: inst.id,
    profile: env.profile,
    clock: env.clock,
    log: env.log,
    corefilePath: env.corefilePath,
    cwd: env.cwd,
    process: env.process,
    instance: inst,
    onFirstStartup: (fn) => inst.addHook('firstStartup', directive, fn),
    onStartup: (fn) => inst.addHook('startup', directive, fn),
    onRestart: (fn) => inst.addHook('restart', directive, fn),
    onRestartFailed: (fn) => inst.addHook('restartFailed', directive, fn),
    onShutdown: (fn) => inst.addHook('shutdown', directive, fn),
    onFinalShutdown: (fn) => inst.addHook('finalShutdown', directive, fn),
    addPlugin: (factory) => {
      block.factories.push({ plugin: directive, factory });
    },
  };
}
