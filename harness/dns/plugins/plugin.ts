/**
 * What a plugin is: a setup function that parses its directive and registers hooks and
 * a handler, exactly as a CoreDNS plugin's setup uses caddy.Controller.
 */
import type { DnsMessage, Rcode } from '../wire/message.ts';
import type { Clock } from '../server/clock.ts';
import type { Profile } from '../profiles.ts';
import type { ZoneAddress, ServerBlock } from '../server/corefile/types.ts';
import type { Dispenser } from '../server/corefile/dispenser.ts';
import type { Logger } from '../server/log.ts';

/** A query as it travels down the chain. */
export interface Request {
  readonly message: DnsMessage;
  /** Lower-cased question name. */
  readonly qname: string;
  readonly qtype: string;
  readonly transport: 'udp' | 'tcp';
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** The zone of the server block that got this query (longest match). */
  readonly zone: string;
  /**
   * Re-enters the same server with a new question (CoreDNS's upstream, used by CNAME chasing
   * to names outside the zone). Resolves to the reply, or null if nothing answered.
   */
  readonly upstream: (name: string, type: string) => Promise<DnsMessage | null>;
  /** CNAME chase depth (CoreDNS keeps it in the context). */
  readonly depth: number;
}

export interface ResponseWriter {
  write(reply: DnsMessage): void;
  readonly written: boolean;
}

/** What a handler returns (CoreDNS's `(int, error)`). */
export interface HandlerResult {
  rcode: Rcode;
  error?: Error;
}

export interface Handler {
  readonly name: string;
  serveDNS(req: Request, w: ResponseWriter): Promise<HandlerResult>;
}

/** Builds a handler given the next one in the chain (null if it is the last). */
export type HandlerFactory = (next: Handler | null) => Handler;

export type Hook = () => void | Promise<void>;

/** Lets a plugin look up another plugin's handler of the same server block, as CoreDNS's dnsserver.GetConfig(c).Handler(name). */
export interface BlockConfig {
  readonly addresses: readonly ZoneAddress[];
  /** Zones of all keys, normalised (`example.org.`). */
  readonly zones: readonly string[];
  readonly block: ServerBlock;
  handler(name: string): Handler | null;
}

/**
 * Caddy's process-wide lifecycle events. `InstanceStartupEvent` is emitted after `start` and
 * after every successful restart (with the new instance); `ShutdownEvent` on SIGTERM/SIGINT
 * (instance `null`); `InstanceRestartEvent` only on the SIGUSR1 path, after the hooks were
 * purged, so no hook ever receives it (semantics 2.1, 2.6).
 */
export type LifecycleEvent = 'InstanceStartupEvent' | 'ShutdownEvent' | 'InstanceRestartEvent';

/** caddy.EventHook. Runs synchronously inside EmitEvent; a thrown error is only logged. */
export type EventHook = (event: LifecycleEvent, instance: InstanceHandle | null) => void;

/** Process-wide state that survives restarts (CoreDNS keeps plugin globals in package vars). */
export interface ProcessState {
  /** Per-plugin global slot, e.g. reload's `r`/`once`/`shutOnce`. */
  global<T>(plugin: string, init: () => T): T;
  /** caddy.RegisterEventHook. A duplicate name throws (caddy panics). SIGUSR1 purges all hooks. */
  registerEventHook(name: string, hook: EventHook): void;
  /**
   * Reads the Corefile again through the loader used at start (caddy.LoadCaddyfile: the
   * `-conf` file). Resolves to null when the process was started from a string.
   */
  loadCorefile(): Promise<string | null>;
}

/** What a setup function gets: CoreDNS's caddy.Controller. */
export interface Controller {
  /** The directive's tokens, positioned before the first one (call `next()`). */
  readonly dispenser: Dispenser;
  readonly config: BlockConfig;
  readonly instanceId: string;
  readonly profile: Profile;
  readonly clock: Clock;
  readonly log: Logger;
  /** Path of the Corefile as loaded (`''` when it came from a string). */
  readonly corefilePath: string;
  /**
   * Directory that relative paths in the Corefile resolve against (CoreDNS uses its working
   * directory; the harness makes it explicit so several servers can run in one process).
   */
  readonly cwd: string;
  readonly process: ProcessState;
  /** The running instance, for plugins that restart it (reload). */
  readonly instance: InstanceHandle;
  onFirstStartup(fn: Hook): void;
  onStartup(fn: Hook): void;
  onRestart(fn: Hook): void;
  onRestartFailed(fn: Hook): void;
  onShutdown(fn: Hook): void;
  onFinalShutdown(fn: Hook): void;
  addPlugin(factory: HandlerFactory): void;
}

/** The narrow view of an instance that plugins get (reload uses it). */
export interface InstanceHandle {
  readonly id: string;
  /** The Corefile text this instance was started from. */
  readonly corefileText: string;
  /** Restarts from new Corefile text; resolves to the new instance or rejects. */
  restart(corefileText: string, via: 'reload' | 'signal' | 'api'): Promise<InstanceHandle>;
  readonly stopped: boolean;
}

export type SetupFn = (c: Controller) => void | Promise<void>;

export interface PluginModule {
  readonly name: string;
  readonly setup: SetupFn;
}
