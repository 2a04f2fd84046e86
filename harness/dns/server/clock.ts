/**
 * The one place the subject schedules time. Every timer has an owner (for the timers
 * probe) and every duration is multiplied by the server's `timeScale`, applied after the
 * Corefile values were validated, so `reload 2s` at scale 0.01 fires every 20 ms on the
 * real code path.
 */
import { publish, type TimerOwner } from './events.ts';

export interface TimerHandle {
  readonly id: number;
  readonly owner: TimerOwner;
  /** Stops the timer. Idempotent. Drops the callback so a retained handle keeps no closure alive. */
  cancel(): void;
  readonly active: boolean;
}

let nextTimerId = 1;

export class Clock {
  /**
   * @param timeScale multiplier for every scheduled duration.
   * @default 1
   */
  constructor(readonly timeScale: number = 1) {
    if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
      throw new RangeError(`timeScale must be a positive finite number, got ${timeScale}`);
    }
  }

  /** Real milliseconds for a CoreDNS duration in milliseconds. Never below 1 ms. */
  scaled(ms: number): number {
    return Math.max(1, Math.round(ms * this.timeScale));
  }

  /** A periodic timer (Go's time.NewTicker). `fn` errors are the caller's to catch. */
  every(ms: number, owner: TimerOwner, fn: () => void): TimerHandle {
    return this.arm(ms, owner, fn, true);
  }

  /** A one-shot timer. */
  after(ms: number, owner: TimerOwner, fn: () => void): TimerHandle {
    return this.arm(ms, owner, fn, false);
  }

  /** Sleeps for a CoreDNS duration (scaled). Not owned: use only for short waits. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.scaled(ms)));
  }

  private arm(ms: number, owner: TimerOwner, fn: () => void, repeat: boolean): TimerHandle {
    const id = nextTimerId++;
    const real = this.scaled(ms);
    let callback: (() => void) | null = fn;
    let timer: NodeJS.Timeout | null = null;
    const handle: TimerHandle = {
      id,
      owner,
      get active() {
        return timer !== null;
      },
      cancel() {
        if (timer === null) return;
        if (repeat) clearInterval(timer);
        else clearTimeout(timer);
        timer = null;
        callback = null;
        publish('timer:disarmed', () => ({ timerId: id, owner }));
      },
    };
    const tick = (): void => {
      if (!repeat) {
        timer = null;
        publish('timer:disarmed', () => ({ timerId: id, owner }));
      }
      const cb = callback;
      if (!repeat) callback = null;
      cb?.();
    };
    timer = repeat ? setInterval(tick, real) : setTimeout(tick, real);
    publish('timer:armed', () => ({ timerId: id, owner, intervalMs: real, repeat }));
    return handle;
  }
}
