/**
 * Timers probe: live timers by owner kind, from the subject's own ledger (`timer:armed` /
 * `timer:disarmed`), checked against ground truth that does not trust the subject:
 * an async_hooks hook on `Timeout` resources (with creation stacks) and
 * `process.getActiveResourcesInfo()` deltas against the baseline taken at start().
 * Start the probe before the subject: Timeouts that exist at start() count as the runner's.
 *
 * "Active" from async_hooks = init seen, destroy not seen, and the Timeout (via WeakRef) not
 * collected and not `_destroyed`. destroy is emitted asynchronously after clearInterval, hence
 * the settle() before every sample. Timeouts destroyed but still reachable are listed as
 * `clearedReachable` (case 31: a cleared handle kept in a live field pins what it carries).
 */
import { createHook, type AsyncHook } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';
import { channelName, type EventPayloads, type TimerOwner, type TimerOwnerKind } from '../../dns/server/events.ts';
import { ProbeStateError } from '../errors.ts';
import { settle } from '../gc.ts';
import { formatFrame, isClockFrame, isInstrumentFrame, repoFrames, type Frame } from './stack.ts';

/** Live timers by owner kind: the same shape the report stores. */
export type { TimerCounts } from '../../report/schema.ts';
import type { TimerCounts } from '../../report/schema.ts';

export interface LiveTimer {
  timerId: number;
  owner: TimerOwner;
  intervalMs: number;
  repeat: boolean;
  /** async id of the Timeout seen by async_hooks when it was armed; null if none was seen. */
  asyncId: number | null;
  /** First repo frame outside the Clock and the instruments, e.g. `harness/dns/plugins/auto/setup.ts:40:7 (fn)`. */
  createdAt: string;
}

export interface TimeoutRecordView {
  asyncId: number;
  timerId: number | null;
  createdAt: string;
  hasRef: boolean;
}

export interface TimerSample {
  /** From the subject's ledger. */
  byKind: TimerCounts;
  live: LiveTimer[];
  groundTruth: {
    /** Active Timeouts created by non-instrument repo code, seen by async_hooks. */
    asyncHooksTimeouts: number;
    /**
     * Ref'd `getActiveResourcesInfo()` Timeouts now, less those of others: the runner's created
     * since start(), its pre-existing ones still running, and the ones older than this module
     * counted at start(). Off only if one of the latter ends inside the window.
     */
    activeResourcesTimeoutsDelta: number;
    /** Ref'd Timeouts now minus at start(), nobody's removed. */
    activeResourcesTimeoutsRawDelta: number;
    /** Active Timeouts nobody armed through the Clock (raw setTimeout/setInterval). */
    untracked: TimeoutRecordView[];
  };
  /** Timeouts already cleared/fired but still reachable from something live. */
  clearedReachable: TimeoutRecordView[];
  /** Ledger and ground truth disagree; each line says how. Empty when they agree. */
  disagreements: string[];
}

export interface TimerProbeOptions {
  /**
   * Which Timeouts the ground truth tracks, judged by their repo frames (top first).
   * @default a Timeout with at least one repo frame whose top repo frame is not instrument code
   *   (drops vitest's timers, node internals and our own retry backoff)
   */
  include?: (frames: Frame[]) => boolean;
  /** Error.stackTraceLimit while capturing a creation stack. @default 30 */
  stackDepth?: number;
}

interface TimeoutRecord {
  asyncId: number;
  ref: WeakRef<object>;
  createdAt: string;
  timerId: number | null;
}

function defaultInclude(frames: Frame[]): boolean {
  const top = frames[0];
  return top !== undefined && !isInstrumentFrame(top);
}

/** Drops the hook's own frames and node's timer internals: what is left is who called setTimeout. */
function callerPart(stack: string | undefined): string {
  const lines = (stack ?? '').split('\n');
  // Only the block of timer internals at the top (the hook, Timeout's constructor, setTimeout)
  // is cut. A timer armed synchronously inside another timer's callback also has timer
  // internals at the bottom of its stack; cutting after those would leave no frame at all.
  let cut = -1;
  for (let i = 1; i < lines.length; i++) {
    if (/\(node:internal\/(async_hooks|timers):|\(node:timers:/.test(lines[i]!)) cut = i;
    else if (cut >= 0) break;
  }
  return lines.slice(cut + 1).join('\n');
}

function creationSite(frames: Frame[]): string {
  const site = frames.find((f) => !isClockFrame(f) && !isInstrumentFrame(f)) ?? frames[0];
  return site ? formatFrame(site) : '<unknown>';
}

const KIND_KEY: Record<TimerOwnerKind, Exclude<keyof TimerCounts, 'total'>> = {
  'zone-reload': 'zoneReload',
  'auto-walk': 'autoWalk',
  'corefile-watch': 'corefileWatch',
  other: 'other',
};

/** Node's Timeout fields the probe reads; not part of the public types. */
interface TimeoutInternals {
  _destroyed?: boolean;
  hasRef?: () => boolean;
}

function countTimeouts(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

/**
 * Every Timeout created since this module was imported, weakly, without stacks (cheap). At
 * start() a probe takes these as the runner's pre-existing timers, so one of them ending
 * inside the window (vitest's 100 ms task-update throttle does) does not skew the delta.
 * Timeouts older than this import stay invisible; they are the remaining noise.
 */
const sinceImport = new Map<number, WeakRef<object>>();
createHook({
  init(asyncId, type, _trigger, resource) {
    if (type === 'Timeout') sinceImport.set(asyncId, new WeakRef(resource));
  },
  destroy(asyncId) {
    sinceImport.delete(asyncId);
  },
}).enable();

function refedActive(refs: Iterable<WeakRef<object>>): number {
  let n = 0;
  for (const ref of refs) if (isRefedActive(ref.deref() as TimeoutInternals | undefined)) n++;
  return n;
}

export class TimerProbe {
  private readonly include: (frames: Frame[]) => boolean;
  private readonly stackDepth: number;
  private hook: AsyncHook | null = null;
  private baseline = 0;
  /** Ref'd Timeouts at start() that no hook ever saw (older than this module). */
  private unknownAtStart = 0;
  /** The runner's Timeouts that existed at start(), weakly. */
  private preStart: WeakRef<object>[] = [];
  private ledger = new Map<number, LiveTimer>();
  private active = new Map<number, TimeoutRecord>();
  private cleared = new Map<number, TimeoutRecord>();
  /** Timeouts of others (the runner, our own backoff) created since start(): subtracted from the delta. */
  private foreign = new Map<number, WeakRef<object>>();
  /** The Timeout created by the Clock call that is about to publish `timer:armed`. */
  private lastInit: TimeoutRecord | null = null;

  constructor(opts: TimerProbeOptions = {}) {
    this.include = opts.include ?? defaultInclude;
    this.stackDepth = opts.stackDepth ?? 30;
  }

  private readonly onArmed = (message: unknown): void => {
    const p = message as EventPayloads['timer:armed'];
    // Clock.arm creates the Timeout and publishes synchronously right after: the last init is it.
    const rec = this.lastInit;
    this.lastInit = null;
    if (rec && rec.timerId === null) rec.timerId = p.timerId;
    this.ledger.set(p.timerId, {
      timerId: p.timerId,
      owner: { ...p.owner },
      intervalMs: p.intervalMs,
      repeat: p.repeat,
      asyncId: rec?.asyncId ?? null,
      createdAt: rec?.createdAt ?? '<not seen by async_hooks>',
    });
  };

  private readonly onDisarmed = (message: unknown): void => {
    this.ledger.delete((message as EventPayloads['timer:disarmed']).timerId);
  };

  start(): this {
    if (this.hook) throw new ProbeStateError('PROBE_ALREADY_STARTED', 'TimerProbe');
    this.baseline = countTimeouts();
    this.preStart = [...sinceImport.values()];
    this.unknownAtStart = this.baseline - refedActive(this.preStart);
    this.hook = createHook({
      init: (asyncId, type, _trigger, resource) => {
        if (type !== 'Timeout') return;
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = this.stackDepth;
        const stack = new Error().stack;
        Error.stackTraceLimit = limit;
        const frames = repoFrames(callerPart(stack));
        if (!this.include(frames)) {
          this.foreign.set(asyncId, new WeakRef(resource));
          return;
        }
        const rec: TimeoutRecord = { asyncId, ref: new WeakRef(resource), createdAt: creationSite(frames), timerId: null };
        this.active.set(asyncId, rec);
        this.lastInit = frames.some(isClockFrame) ? rec : null;
      },
      destroy: (asyncId) => {
        if (this.foreign.delete(asyncId)) return;
        const rec = this.active.get(asyncId);
        if (!rec) return;
        this.active.delete(asyncId);
        this.cleared.set(asyncId, rec);
      },
    });
    this.hook.enable();
    diagnostics.subscribe(channelName('timer:armed'), this.onArmed);
    diagnostics.subscribe(channelName('timer:disarmed'), this.onDisarmed);
    return this;
  }

  stop(): void {
    if (!this.hook) return;
    this.hook.disable();
    this.hook = null;
    diagnostics.unsubscribe(channelName('timer:armed'), this.onArmed);
    diagnostics.unsubscribe(channelName('timer:disarmed'), this.onDisarmed);
    this.ledger.clear();
    this.active.clear();
    this.cleared.clear();
    this.foreign.clear();
    this.preStart = [];
    this.lastInit = null;
  }

  /** Settles (destroy hooks and GC), then compares the ledger with the ground truth. */
  async sample(rounds?: number): Promise<TimerSample> {
    if (!this.hook) throw new ProbeStateError('PROBE_NOT_STARTED', 'TimerProbe');
    await settle(rounds);
    return this.read();
  }

  /** Creation site of a timer by Clock id or async id (for the heap probe's attribution). */
  creationSite(ref: { timerId?: number | null; asyncId?: number | null }): string | undefined {
    if (ref.timerId != null) {
      const live = this.ledger.get(ref.timerId);
      if (live) return live.createdAt;
    }
    for (const map of [this.active, this.cleared]) {
      if (ref.asyncId != null) {
        const rec = map.get(ref.asyncId);
        if (rec) return rec.createdAt;
      }
      if (ref.timerId != null) {
        for (const rec of map.values()) if (rec.timerId === ref.timerId) return rec.createdAt;
      }
    }
    return undefined;
  }

  private foreignRefed(): number {
    let n = 0;
    for (const [asyncId, ref] of this.foreign) {
      const t = ref.deref() as TimeoutInternals | undefined;
      if (t === undefined) this.foreign.delete(asyncId);
      else if (isRefedActive(t)) n++;
    }
    return n;
  }

  // Synchronous: deref'd Timeouts must not be held across an await.
  private read(): TimerSample {
    const byKind: TimerCounts = { zoneReload: 0, autoWalk: 0, corefileWatch: 0, other: 0, total: 0 };
    for (const t of this.ledger.values()) {
      byKind[KIND_KEY[t.owner.kind]]++;
      byKind.total++;
    }

    const activeViews: TimeoutRecordView[] = [];
    for (const [asyncId, rec] of this.active) {
      const t = rec.ref.deref() as TimeoutInternals | undefined;
      if (t === undefined || t._destroyed === true) {
        // Collected or cleared with the destroy hook still queued: not active.
        this.active.delete(asyncId);
        if (t !== undefined) this.cleared.set(asyncId, rec);
        continue;
      }
      activeViews.push(view(rec, t.hasRef?.() ?? true));
    }
    const clearedReachable: TimeoutRecordView[] = [];
    for (const [asyncId, rec] of this.cleared) {
      const t = rec.ref.deref() as TimeoutInternals | undefined;
      if (t === undefined) this.cleared.delete(asyncId);
      else clearedReachable.push(view(rec, t.hasRef?.() ?? false));
    }

    const disagreements: string[] = [];
    const activeIds = new Set(activeViews.map((v) => v.asyncId));
    for (const t of this.ledger.values()) {
      const who = `timer #${t.timerId} (${describeOwner(t.owner)})`;
      if (t.asyncId === null) disagreements.push(`${who} is armed in the ledger but async_hooks saw no Timeout for it`);
      else if (!activeIds.has(t.asyncId)) disagreements.push(`${who} is armed in the ledger but its Timeout is gone (created at ${t.createdAt})`);
    }
    const untracked = activeViews.filter((v) => v.timerId === null || !this.ledger.has(v.timerId));
    for (const v of untracked) {
      disagreements.push(
        v.timerId === null
          ? `Timeout (async id ${v.asyncId}) created at ${v.createdAt} is active but was never armed through the Clock`
          : `timer #${v.timerId} was disarmed in the ledger but its Timeout is still active (created at ${v.createdAt})`,
      );
    }

    const raw = countTimeouts() - this.baseline;
    const delta = countTimeouts() - this.foreignRefed() - refedActive(this.preStart) - this.unknownAtStart;
    const refedOurs = activeViews.filter((v) => v.hasRef).length;
    if (delta !== refedOurs) {
      disagreements.push(`getActiveResourcesInfo() shows ${delta} ref'd Timeouts of ours, async_hooks ${refedOurs}`);
    }
    return {
      byKind,
      live: [...this.ledger.values()].map((t) => ({ ...t, owner: { ...t.owner } })),
      groundTruth: {
        asyncHooksTimeouts: activeViews.length,
        activeResourcesTimeoutsDelta: delta,
        activeResourcesTimeoutsRawDelta: raw,
        untracked,
      },
      clearedReachable,
      disagreements,
    };
  }
}

function isRefedActive(t: TimeoutInternals | undefined): boolean {
  return t !== undefined && t._destroyed !== true && (t.hasRef?.() ?? true);
}

function view(rec: TimeoutRecord, hasRef: boolean): TimeoutRecordView {
  return { asyncId: rec.asyncId, timerId: rec.timerId, createdAt: rec.createdAt, hasRef };
}

export function describeOwner(o: TimerOwner): string {
  return `${o.kind}, plugin ${o.plugin}, ${o.subject}, instance ${o.instanceId}`;
}
