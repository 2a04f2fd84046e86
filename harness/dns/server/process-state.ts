/**
 * One "CoreDNS process": its instances list, event hooks, plugin globals, clock and logger.
 * An object rather than module state, so one Node process can run several independent
 * servers (tests do).
 */
import { readRegularFile } from './regular-file.ts';
import { resolve } from 'node:path';
import type { EventHook, ProcessState, SetupFn } from '../plugins/plugin.ts';
import type { PluginName } from '../plugins/order.ts';
import { SETUPS } from '../plugins/registry.ts';
import { DEFAULT_PROFILE, getProfile, type Profile, type ProfileName } from '../profiles.ts';
import { Clock } from './clock.ts';
import { createLogger, type LogSink, type Logger } from './log.ts';
import type { Env } from './corefile/env.ts';
import { EventHooks } from './event-hooks.ts';
import { Instance, type InstanceHost } from './instance.ts';
import { restartInstance, type RestartVia } from './restart.ts';
import { type DnsSignal, type ShutdownState, sigusr1, terminate } from './signals.ts';
import { type ProcessCore, StartFailure, startWithListenerFds } from './startup.ts';

export interface ProcessOptions {
  /** Which upstream fixes this build carries. @default 'fixed' */
  profile?: Profile | ProfileName;
  /** Multiplies every duration the server schedules (after validation). @default 1 */
  timeScale?: number;
  /** Where CoreDNS-style log lines go; null/undefined = silent (events are still published). */
  logSink?: LogSink | null;
  /**
   * The Corefile file (CoreDNS's `-conf`): read by `start()` without text, by SIGUSR1 and by
   * the reload plugin's watcher; named in error messages. @default none (string starts only)
   */
  corefilePath?: string;
  /** Port of keys without one (`-dns.port`). @default 53 */
  defaultPort?: number;
  /** Address every server binds. @default '127.0.0.1' */
  host?: string;
  /** Directory relative paths in the Corefile resolve against. @default dirname-free process.cwd() */
  cwd?: string;
  /** Variables for `{$X}` in the Corefile. @default process.env */
  env?: Env;
  /** CoreDNS's stdout (the `example.org.:53` lines after the first start). @default silent */
  print?: (line: string) => void;
  /** Test seam: replace a plugin's setup (e.g. wrap one to record hook order). */
  setups?: Partial<Record<PluginName, SetupFn>>;
}

export class DnsProcess implements ProcessState {
  readonly profile: Profile;
  readonly clock: Clock;
  readonly log: Logger;
  private readonly core: ProcessCore;
  private readonly globals = new Map<string, unknown>();
  private readonly shutdown: ShutdownState = { done: null };
  /** Restarts and the final stop run one at a time (so SIGTERM during a reload finishes both, as v1.13.0+). */
  private queue: Promise<unknown> = Promise.resolve();
  private started = false;

  constructor(opts: ProcessOptions = {}) {
    const profile = opts.profile ?? DEFAULT_PROFILE;
    this.profile = typeof profile === 'string' ? getProfile(profile) : profile;
    this.clock = new Clock(opts.timeScale ?? 1);
    this.log = createLogger(opts.logSink ?? null);
    const corefilePath = opts.corefilePath ?? '';
    const cwd = resolve(opts.cwd ?? process.cwd());
    const host: InstanceHost = {
      restartInstance: (inst, text, via) => this.serialize(() => restartInstance(this.core, host, inst, text, via)),
      forget: (inst) => {
        const i = this.core.instances.indexOf(inst);
        if (i >= 0) this.core.instances.splice(i, 1);
      },
    };
    this.host = host;
    this.core = {
      profile: this.profile,
      clock: this.clock,
      log: this.log,
      corefilePath,
      displayFile: corefilePath === '' ? 'Corefile' : corefilePath,
      cwd,
      host: opts.host ?? '127.0.0.1',
      defaultPort: opts.defaultPort ?? 53,
      env: opts.env,
      setups: { ...SETUPS, ...opts.setups },
      state: this,
      hooks: new EventHooks(),
      instances: [],
      print: opts.print ?? (() => {}),
    };
  }

  private readonly host: InstanceHost;

  get corefilePath(): string {
    return this.core.corefilePath;
  }

  get cwd(): string {
    return this.core.cwd;
  }

  /**
   * First start (caddy.Start): OnFirstStartup, OnStartup, listen, InstanceStartupEvent.
   * Without text the Corefile is read from `corefilePath`. Rejects with a StartFailure whose
   * `cause` is the raw error (CorefileError for bad input).
   */
  async start(corefileText?: string): Promise<Instance> {
    if (this.started) throw new Error('process already started: use restart()');
    this.started = true;
    const text = corefileText ?? (await this.readCorefileOrThrow());
    const inst = new Instance(this.host, 0, text);
    try {
      await startWithListenerFds(this.core, inst, null);
    } catch (err) {
      // CoreDNS exits (log.Fatal) here, which ends whatever OnStartup began; in-process the
      // equivalent is to shut the instance down, in every profile.
      if (err instanceof StartFailure && (err.stage === 'startup' || err.stage === 'listen')) {
        await inst.runHooks('shutdown', false);
      }
      this.started = false;
      await inst.stop();
      throw err;
    }
    this.core.hooks.emit('InstanceStartupEvent', inst, this.log);
    return inst;
  }

  /** caddy's instances[0]: the instance SIGUSR1 would restart; null before start / after stop. */
  current(): Instance | null {
    return this.core.instances[0] ?? null;
  }

  /** Every instance still in `instances` (more than one only inside a restart). */
  instances(): readonly Instance[] {
    return [...this.core.instances];
  }

  /** Restarts the current instance with new Corefile text (default: the file on disk). */
  async restart(corefileText?: string, via: RestartVia = 'api'): Promise<Instance> {
    const inst = this.current();
    if (inst === null) throw new Error('no running instance to restart');
    const text = corefileText ?? (await this.readCorefileOrThrow());
    return inst.restart(text, via);
  }

  /** Delivers a signal the way caddy's sigtrap handles it. Resolves to the exit code it would use (SIGUSR1: 0). */
  async signal(sig: DnsSignal): Promise<number> {
    if (sig === 'SIGUSR1') {
      await sigusr1(this.core);
      return 0;
    }
    return this.serialize(() => terminate(this.core, this.shutdown, sig));
  }

  /** Final shutdown (SIGTERM): OnShutdown + OnFinalShutdown of every current instance, then stop. */
  stop(): Promise<number> {
    return this.signal('SIGTERM');
  }

  global<T>(plugin: string, init: () => T): T {
    if (!this.globals.has(plugin)) this.globals.set(plugin, init());
    return this.globals.get(plugin) as T;
  }

  registerEventHook(name: string, hook: EventHook): void {
    this.core.hooks.register(name, hook);
  }

  /** Names of the registered event hooks (SIGUSR1 purges them). */
  eventHookNames(): string[] {
    return this.core.hooks.names;
  }

  async loadCorefile(): Promise<string | null> {
    if (this.core.corefilePath === '') return null;
    // Read in one synchronous call, as caddy's loader does: no descriptor stays open across
    // event-loop turns (the fd probe would see it) and no edit lands half-way through a read.
    return readRegularFile(resolve(this.core.cwd, this.core.corefilePath));
  }

  private async readCorefileOrThrow(): Promise<string> {
    const text = await this.loadCorefile();
    if (text === null) throw new Error('no Corefile text given and no corefilePath set');
    return text;
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

export function createProcess(opts: ProcessOptions = {}): DnsProcess {
  return new DnsProcess(opts);
}
