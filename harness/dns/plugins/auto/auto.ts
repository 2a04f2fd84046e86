/**
 * The `auto` plugin at run time: its walk task and its handler (upstream plugin/auto/auto.go
 * and the callbacks of setup.go).
 *
 * Version behaviour lives in exactly two places, where the upstream fixes were:
 * - 'auto-walk-ticker-stop' (PR 5688): when the walk task exits, its ticker is stopped.
 *   Without it the task still exits (it does no more scans) but its ticker keeps firing for
 *   ever, as Go's unstopped ticker did.
 * - 'auto-shutdown-zones' (PR 6705, issue 6703): OnShutdown shuts down every zone it loaded.
 *   Without it the old instance's zones keep their reload timers, and the timers keep the
 *   zones alive: that is the leak.
 */
import type { Clock, TimerHandle } from '../../server/clock.ts';
import type { Logger } from '../../server/log.ts';
import { hasFix, type Profile } from '../../profiles.ts';
import type { Handler, HandlerResult, Request, ResponseWriter } from '../plugin.ts';
import type { Zone } from '../../zone/zone.ts';
import { serveZone } from '../../zone/answer.ts';
import { startZoneReload } from '../file/reload.ts';
import type { AutoConfig } from './parse.ts';
import { walk } from './walk.ts';
import { Zones } from './zones.ts';

export interface AutoEnv {
  readonly clock: Clock;
  readonly profile: Profile;
  readonly instanceId: string;
  /** The server's logger; `auto` and `file` children are made from it. */
  readonly log: Logger;
}

export class Auto {
  readonly zones: Zones;
  private readonly log: Logger;
  private walkTimer: TimerHandle | null = null;
  /** Upstream `close(walkChan)`: the walk task has exited. */
  private walkClosed = false;
  /** The scan in progress; ticks that come meanwhile are dropped, as a busy Go ticker drops them. */
  private walking: Promise<void> | null = null;
  private detachWalkTask: () => void = () => {};

  constructor(
    readonly config: AutoConfig,
    private readonly env: AutoEnv,
  ) {
    this.zones = new Zones(config.origins);
    this.log = env.log.plugin('auto');
  }

  /** One directory scan. Concurrent callers share the scan in progress. */
  walk(): Promise<void> {
    if (this.walking) return this.walking;
    const run = walk({
      directory: this.config.directory,
      regexp: this.config.regexp,
      template: this.config.template,
      reloadInterval: this.config.reloadInterval,
      instanceId: this.env.instanceId,
      zones: this.zones,
      log: this.log,
      startReload: (zone) => this.startReload(zone),
    }).finally(() => {
      this.walking = null;
    });
    this.walking = run;
    return run;
  }

  /** Upstream OnStartup#2: scan, then start the walk task unless `reload 0`. */
  async onStartup(): Promise<void> {
    await this.walk();
    // Notify() would send NOTIFYs through the transfer plugin; this miniature has none.
    if (this.config.reloadInterval === 0 || this.walkClosed) return;
    // The ticker reaches the task through a cell that shutdown empties: an unstopped Go ticker
    // keeps only itself alive, not the exited goroutine's Auto (so neither may ours).
    const cell: { task: Auto | null } = { task: this };
    this.detachWalkTask = () => {
      cell.task = null;
    };
    this.walkTimer = this.env.clock.every(
      this.config.reloadInterval,
      { kind: 'auto-walk', plugin: 'auto', instanceId: this.env.instanceId, subject: this.config.directory },
      () => cell.task?.onWalkTick(),
    );
  }

  private onWalkTick(): void {
    if (this.walkClosed || this.walking) return;
    this.walk().catch((err: unknown) => this.log.error(`walk failed: ${(err as Error).message}`));
  }

  /** Upstream OnShutdown, by version (see the file comment). */
  async onShutdown(): Promise<void> {
    this.walkClosed = true; // the task exits: no more scans, whatever its ticker does
    this.detachWalkTask();
    if (hasFix(this.env.profile, 'auto-walk-ticker-stop')) {
      this.walkTimer?.cancel();
      this.walkTimer = null;
    }
    if (hasFix(this.env.profile, 'auto-shutdown-zones')) {
      // A scan still running could add a zone after the loop below; let it finish first.
      await this.walking;
      for (const zone of this.zones.zones()) zone.onShutdown();
    }
  }

  private startReload(zone: Zone): void {
    startZoneReload(zone, {
      clock: this.env.clock,
      log: this.env.log.plugin('file'),
      instanceId: this.env.instanceId,
      plugin: 'auto',
    });
  }

  /** The chain handler (upstream builds it as a copy of Auto sharing the Zones pointer). */
  handler(next: Handler | null): Handler {
    return {
      name: 'auto',
      serveDNS: (req, w) => this.serveDNS(req, w, next),
    };
  }

  /**
   * Upstream Auto.ServeDNS. With no loaded zone for the name and no next plugin the answer is
   * REFUSED (v1.12.3+, PR 7381); before, it was SERVFAIL. Not a leak fix, so every profile
   * answers the current way.
   */
  async serveDNS(req: Request, w: ResponseWriter, next: Handler | null): Promise<HandlerResult> {
    const qname = req.qname;
    if (Zones.longestMatch(this.zones.origins, qname) === null) return nextOrFailure(req, w, next);
    const name = Zones.longestMatch(this.zones.names(), qname);
    if (name === null) {
      if (next === null) return { rcode: 'REFUSED' };
      return next.serveDNS(req, w);
    }
    const zone = this.zones.get(name);
    if (zone === undefined) return { rcode: 'SERVFAIL' };
    // A transfer plugin sits earlier in the chain; an AXFR/IXFR that reaches here is refused.
    if (req.qtype === 'AXFR' || req.qtype === 'IXFR') return { rcode: 'REFUSED' };
    return serveZone(zone, req, w);
  }
}

/** plugin.NextOrFailure. */
function nextOrFailure(req: Request, w: ResponseWriter, next: Handler | null): Promise<HandlerResult> {
  if (next !== null) return next.serveDNS(req, w);
  return Promise.resolve({ rcode: 'SERVFAIL', error: new Error('plugin/auto: no next plugin found') });
}
