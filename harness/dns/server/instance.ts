/**
 * A running configuration (caddy.Instance): the Corefile it came from, its servers and the
 * six callback lists plugins fill from their setup (semantics 2.1).
 */
import type { Hook, InstanceHandle } from '../plugins/plugin.ts';
import type { HookPhase } from './events.ts';
import { publish } from './events.ts';
import type { DnsServer } from './servers.ts';

export interface RegisteredHook {
  /** The directive whose setup registered it (for `hook:ran` and the lifecycle tests). */
  readonly plugin: string;
  readonly fn: Hook;
}

export const HOOK_PHASES: readonly HookPhase[] = ['firstStartup', 'startup', 'restart', 'restartFailed', 'shutdown', 'finalShutdown'];

/** What an instance needs from the process that owns it. */
export interface InstanceHost {
  restartInstance(inst: Instance, corefileText: string, via: 'reload' | 'signal' | 'api'): Promise<Instance>;
  /** Removes the instance from the process's `instances` list. */
  forget(inst: Instance): void;
}

/** A listening address of an instance, for callers that need the real port of `.:0`. */
export interface ListenerInfo {
  zone: string;
  host: string;
  port: number;
  /** Configured `host:port` (port 0 stays 0). */
  address: string;
}

let nextInstanceNumber = 1;

export class Instance implements InstanceHandle {
  /** `i<n>`, unique within the Node process (several DnsProcesses never share an id). */
  readonly id: string;
  readonly hooks: Readonly<Record<HookPhase, RegisteredHook[]>> = {
    firstStartup: [], startup: [], restart: [], restartFailed: [], shutdown: [], finalShutdown: [],
  };
  servers: DnsServer[] = [];
  private stopOnce: Promise<void> | null = null;

  constructor(
    private readonly host: InstanceHost,
    /** 0 for the first instance of a process, old.generation + 1 for a restart candidate. */
    readonly generation: number,
    readonly corefileText: string,
  ) {
    this.id = `i${nextInstanceNumber++}`;
    publish('instance:created', () => ({ instanceId: this.id, generation, instance: this }));
  }

  /** True once `stop()` was called (Stop removed it from `instances`). */
  get stopped(): boolean {
    return this.stopOnce !== null;
  }

  restart(corefileText: string, via: 'reload' | 'signal' | 'api'): Promise<Instance> {
    return this.host.restartInstance(this, corefileText, via);
  }

  addHook(phase: HookPhase, plugin: string, fn: Hook): void {
    this.hooks[phase].push({ plugin, fn });
  }

  /**
   * Runs one callback list in registration order. With `stopAtFirstError` (every list except
   * final shutdown's) the first error ends the run and is returned; otherwise all run and
   * every error is returned.
   */
  async runHooks(phase: HookPhase, stopAtFirstError = true): Promise<Error[]> {
    const errors: Error[] = [];
    // A copy: a hook that registers another hook must not extend the run it is part of.
    for (const hook of [...this.hooks[phase]]) {
      const started = performance.now();
      let error: Error | null = null;
      try {
        await hook.fn();
      } catch (err) {
        error = err instanceof Error ? err : new Error(String(err));
      }
      publish('hook:ran', () => ({
        instanceId: this.id,
        plugin: hook.plugin,
        phase,
        durationMs: performance.now() - started,
        error: error?.message ?? null,
      }));
      if (error !== null) {
        errors.push(error);
        if (stopAtFirstError) break;
      }
    }
    return errors;
  }

  /**
   * caddy's Instance.Stop: stops every server (sockets handed over to a newer instance stay
   * open), then leaves `instances`. Shutdown callbacks are not run here. Idempotent.
   */
  stop(): Promise<void> {
    this.stopOnce ??= this.stopServers();
    return this.stopOnce;
  }

  private async stopServers(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.stop()));
    this.host.forget(this);
    publish('instance:stopped', () => ({ instanceId: this.id }));
  }

  /** Where this instance listens, one entry per zone. */
  listeners(): ListenerInfo[] {
    return this.servers.flatMap((s) =>
      [...s.zones.keys()].map((zone) => ({ zone, host: s.host, port: s.port ?? s.configuredPort, address: s.address })),
    );
  }

  /** The first actual port (convenient for single-server Corefiles such as `.:0`). */
  get port(): number {
    const p = this.servers[0]?.port;
    if (p === undefined || p === null) throw new Error(`instance ${this.id} is not listening`);
    return p;
  }
}
