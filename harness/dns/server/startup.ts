/**
 * caddy's startWithListenerFds (semantics 2.2): parse, inspect keys, run the setups
 * directive-major, build servers, run OnFirstStartup/OnStartup, then listen, taking over the
 * old instance's sockets by address on a restart.
 */
import type { SetupFn } from '../plugins/plugin.ts';
import { PLUGIN_ORDER, type PluginName } from '../plugins/order.ts';
import type { Profile } from '../profiles.ts';
import type { Clock } from './clock.ts';
import type { Logger } from './log.ts';
import type { ProcessState } from '../plugins/plugin.ts';
import { parseCorefile } from './corefile/parse.ts';
import { blockAddresses } from './corefile/keys.ts';
import { CorefileError, type ServerBlock } from './corefile/types.ts';
import type { Env } from './corefile/env.ts';
import { BlockContext, createController } from './controller.ts';
import { buildChain } from './chain.ts';
import { DnsServer, serverAddress } from './servers.ts';
import type { Instance } from './instance.ts';
import { SocketPair } from './listener.ts';
import { publish } from './events.ts';
import type { EventHooks } from './event-hooks.ts';

/** Where a start failed; also the `stage` of `restart:failed`. */
export type StartStage = 'restart' | 'parse' | 'setup' | 'startup' | 'listen' | 'shutdown';

/** A start or restart that failed at `stage`; `cause` is the raw error (often a CorefileError). */
export class StartFailure extends Error {
  override readonly name = 'StartFailure';
  constructor(
    readonly stage: StartStage,
    readonly error: Error,
    message: string = error.message,
  ) {
    super(message, { cause: error });
  }
}

/** The process internals a start needs. */
export interface ProcessCore {
  readonly profile: Profile;
  readonly clock: Clock;
  readonly log: Logger;
  /** Path of the Corefile as loaded, `''` when started from a string. */
  readonly corefilePath: string;
  /** Name used in messages: the path as loaded, or `Corefile`. */
  readonly displayFile: string;
  readonly cwd: string;
  readonly host: string;
  readonly defaultPort: number;
  readonly env: Env | undefined;
  readonly setups: Readonly<Record<PluginName, SetupFn>>;
  readonly state: ProcessState;
  readonly hooks: EventHooks;
  /** caddy's `instances`, in start order; `instances[0]` is what SIGUSR1 restarts. */
  readonly instances: Instance[];
  /** CoreDNS's stdout (OnStartupComplete lines). */
  readonly print: (line: string) => void;
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * Starts `inst`. `restartFrom` holds the old instance's servers by address (null on a first
 * start). On failure `inst` is removed from `instances` and a StartFailure is thrown; whatever
 * its OnStartup callbacks started is left alone (the caller decides, per profile).
 */
export async function startWithListenerFds(core: ProcessCore, inst: Instance, restartFrom: ReadonlyMap<string, DnsServer> | null): Promise<void> {
  core.instances.push(inst);
  try {
    const blocks = parse(core, inst.corefileText);
    const contexts = inspect(core, blocks);
    await executeDirectives(core, inst, contexts);
    inst.servers = makeServers(core, inst, contexts);
    if (restartFrom === null) await runOrFail(inst, 'firstStartup');
    await runOrFail(inst, 'startup');
    await startServers(core, inst, restartFrom);
  } catch (err) {
    const i = core.instances.indexOf(inst);
    if (i >= 0) core.instances.splice(i, 1);
    throw err instanceof StartFailure ? err : new StartFailure('setup', asError(err));
  }
  if (restartFrom === null) {
    for (const s of inst.servers) for (const line of s.startupLines()) core.print(line);
  }
  publish('instance:started', () => ({ instanceId: inst.id, generation: inst.generation, restart: restartFrom !== null }));
}

function parse(core: ProcessCore, text: string): ServerBlock[] {
  try {
    return parseCorefile(text, {
      path: core.displayFile,
      validDirectives: PLUGIN_ORDER,
      defaultPort: core.defaultPort,
      ...(core.env === undefined ? {} : { env: core.env }),
    });
  } catch (err) {
    throw new StartFailure('parse', asError(err));
  }
}

function inspect(core: ProcessCore, blocks: ServerBlock[]): BlockContext[] {
  try {
    return blocks.map((b) => new BlockContext(b, blockAddresses(b, core.defaultPort, core.displayFile)));
  } catch (err) {
    const e = asError(err);
    const prefix = 'error inspecting server blocks: ';
    if (e.message.startsWith(prefix)) throw new StartFailure('parse', e);
    const line = err instanceof CorefileError ? err.line : 0;
    const file = err instanceof CorefileError ? err.file : core.displayFile;
    throw new StartFailure('parse', new CorefileError('key', file, line, prefix + e.message));
  }
}

/** Directive-major: one directive for every block that has it, then the next (semantics 1.7). */
async function executeDirectives(core: ProcessCore, inst: Instance, contexts: BlockContext[]): Promise<void> {
  for (const name of PLUGIN_ORDER) {
    for (const ctx of contexts) {
      const tokens = ctx.block.tokens[name];
      if (tokens === undefined || tokens.length === 0) continue;
      const controller = createController(
        { instance: inst, profile: core.profile, clock: core.clock, log: core.log, corefilePath: core.corefilePath, displayFile: core.displayFile, cwd: core.cwd, process: core.state },
        name,
        ctx,
      );
      try {
        await core.setups[name](controller);
      } catch (err) {
        throw new StartFailure('setup', setupError(core, name, err, tokens[0]?.line ?? ctx.block.line));
      }
    }
  }
}

/** plugin.Error(name, err): `plugin/<name>: <err>`, keeping file:line for the CLI. */
function setupError(core: ProcessCore, name: string, err: unknown, fallbackLine: number): CorefileError {
  const e = asError(err);
  const prefix = `plugin/${name}: `;
  const message = e.message.startsWith(prefix) ? e.message : prefix + e.message;
  const file = err instanceof CorefileError ? err.file : core.displayFile;
  const line = err instanceof CorefileError ? err.line : fallbackLine;
  const wrapped = new CorefileError('setup', file, line, message);
  wrapped.cause = err;
  return wrapped;
}

/** MakeServers: build chains, group configs by listen address, reject a zone served twice on a port. */
function makeServers(core: ProcessCore, inst: Instance, contexts: BlockContext[]): DnsServer[] {
  const groups = new Map<string, { port: number; zones: Map<string, BlockContext> }>();
  for (const ctx of contexts) buildChain(ctx);
  for (const ctx of contexts) {
    for (const addr of ctx.addresses) {
      const key = serverAddress(core.host, addr.port);
      let group = groups.get(key);
      if (group === undefined) {
        group = { port: addr.port, zones: new Map() };
        groups.set(key, group);
      }
      if (group.zones.has(addr.zone)) {
        const file = ctx.block.file === '' ? core.displayFile : ctx.block.file;
        throw new StartFailure('setup', new CorefileError('key', file, ctx.block.line, `cannot serve ${addr.key} - it is already defined`));
      }
      group.zones.set(addr.zone, ctx);
    }
  }
  return [...groups.values()].map(
    (g) => new DnsServer(inst.id, core.host, g.port, new Map([...g.zones].map(([zone, ctx]) => [zone, ctx.chain])), core.log),
  );
}

async function runOrFail(inst: Instance, phase: 'firstStartup' | 'startup'): Promise<void> {
  const [first] = await inst.runHooks(phase);
  if (first !== undefined) throw new StartFailure('startup', first);
}

/**
 * Obtains every socket first and installs handlers only when all were obtained, so a failed
 * bind never leaves a shared socket pointing at a chain that will not run. Sockets bound for
 * a start that fails are released in every profile: a deliberate deviation (CoreDNS leaks
 * them [code-reading]); the profiles are about timers and zones, not about our test ports.
 */
async function startServers(core: ProcessCore, inst: Instance, restartFrom: ReadonlyMap<string, DnsServer> | null): Promise<void> {
  const plan: Array<[DnsServer, SocketPair]> = [];
  const fresh: SocketPair[] = [];
  try {
    for (const server of inst.servers) {
      const old = restartFrom?.get(server.address);
      if (old !== undefined) {
        const pair = old.socketPair;
        // The stale-instance case of issue 6263: its sockets were closed when it stopped.
        if (old.stopped || pair === null || pair.closed) {
          throw new Error(`getting old listener file: file tcp ${old.address}: use of closed network connection`);
        }
        plan.push([server, pair]);
        continue;
      }
      let pair: SocketPair;
      try {
        pair = await SocketPair.bind(server.host, server.configuredPort);
      } catch (err) {
        throw new Error(`Listen: ${asError(err).message}`);
      }
      // Owned from the start, so a failure below can release it; the handler comes later.
      pair.acquire(server.ownerId);
      fresh.push(pair);
      plan.push([server, pair]);
    }
  } catch (err) {
    await Promise.all(fresh.map((p) => p.release(inst.id)));
    throw new StartFailure('listen', asError(err));
  }
  for (const [server, pair] of plan) server.listen(pair);
}
