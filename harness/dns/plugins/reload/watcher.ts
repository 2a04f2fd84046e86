/**
 * The Corefile watcher task (upstream plugin/reload/reload.go), one per instance start.
 *
 * It polls the Corefile on its ticker; when the hash of the parsed file changes it restarts
 * the instance it was started for, and returns once a restart it triggered succeeded (the new
 * instance got its own watcher from the startup event, inside that restart). A failed restart
 * keeps it watching, with the new hash, so the same broken file is not retried.
 *
 * Version behaviour, where upstream differed:
 * - 'reload-watcher-ticker-stop' (PR 5686): a returning watcher stops its ticker. Without it
 *   the ticker keeps firing for ever and each tick finds the task gone.
 */
import type { Clock, TimerHandle } from '../../server/clock.ts';
import type { Logger } from '../../server/log.ts';
import { publish } from '../../server/events.ts';
import { hasFix, type Profile } from '../../profiles.ts';
import type { InstanceHandle, ProcessState } from '../plugin.ts';
import { hashCorefile, hasNoServerBlock } from './hash.ts';
import type { ReloadState } from './state.ts';

export interface WatcherEnv {
  readonly clock: Clock;
  /** Logger named `reload`. */
  readonly log: Logger;
  readonly profile: Profile;
  readonly process: ProcessState;
  readonly state: ReloadState;
}

export class Watcher {
  private timer: TimerHandle | null = null;
  private returnedFlag = false;
  /** A restart in progress; Go's ticker drops ticks while the goroutine is busy. */
  private busy = false;
  private detach: () => void = () => {};

  constructor(
    /** The instance this watcher restarts. Stale once that instance stopped without its help. */
    readonly instance: InstanceHandle,
    /** Hash of the running configuration. */
    private sum: string,
    private readonly env: WatcherEnv,
  ) {}

  /** True once the task has returned (after its restart, or on quit). */
  get returned(): boolean {
    return this.returnedFlag;
  }

  /** The ticker, for tests and probes: null before start, kept after return when it was never stopped. */
  get ticker(): TimerHandle | null {
    return this.timer;
  }

  start(intervalMs: number): void {
    this.env.state.watchers.push(this);
    // The ticker reaches the task through a cell that `finish` empties: a Go ticker that is
    // never stopped keeps only itself alive, not the goroutine's instance (so neither may ours).
    const cell: { task: Watcher | null } = { task: this };
    this.detach = () => {
      cell.task = null;
    };
    this.timer = this.env.clock.every(
      intervalMs,
      { kind: 'corefile-watch', plugin: 'reload', instanceId: this.instance.id, subject: this.env.state.corefilePath },
      () => {
        void cell.task?.tick();
      },
    );
  }

  /** Upstream `case <-r.quit: return`. */
  quit(): void {
    this.finish();
  }

  /** One tick. Public so tests can drive a tick without waiting for the ticker. */
  async tick(): Promise<void> {
    if (this.returnedFlag || this.busy) return;
    this.busy = true;
    try {
      await this.check();
    } finally {
      this.busy = false;
    }
  }

  private async check(): Promise<void> {
    const { log, state } = this.env;
    let text: string | null;
    try {
      text = await this.env.process.loadCorefile();
    } catch {
      return; // upstream: `continue` without a word
    }
    if (text === null || this.returnedFlag) return;
    let sum: string;
    try {
      if (hasNoServerBlock(text, state.corefilePath || 'Corefile')) {
        throw new Error(`${state.corefilePath || 'Corefile'}: no server block (the file is empty or only comments); keeping the running configuration`);
      }
      sum = hashCorefile(text, state.corefilePath || 'Corefile');
    } catch (err) {
      const error = (err as Error).message;
      log.warning(`Corefile parse failed: ${error}`);
      // No restart is attempted, but the reload has failed: observers see it as one (stage parse).
      publish('restart:failed', () => ({ oldInstanceId: this.instance.id, newInstanceId: null, via: 'reload', stage: 'parse', error }));
      return;
    }
    if (sum === this.sum) {
      publish('restart:unchanged', () => ({ instanceId: this.instance.id, sha512: sum }));
      return;
    }
    this.sum = sum;
    state.usage = 'maybeUsed';
    try {
      await this.instance.restart(text, 'reload');
    } catch (err) {
      log.error(`Corefile changed but reload failed: ${(err as Error).message}`);
      return;
    }
    if (state.usage === 'maybeUsed') state.usage = 'unused';
    this.finish();
  }

  /** The task returns. Idempotent. */
  private finish(): void {
    if (this.returnedFlag) return;
    this.returnedFlag = true;
    const i = this.env.state.watchers.indexOf(this);
    if (i >= 0) this.env.state.watchers.splice(i, 1);
    this.detach();
    if (hasFix(this.env.profile, 'reload-watcher-ticker-stop')) {
      this.timer?.cancel();
    }
  }
}
