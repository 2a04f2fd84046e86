/**
 * Liveness probe: which Zone and Instance objects are still reachable.
 *
 * The verdict comes from WeakRef.deref() after `settle()` (yield, gc, yield; case 30), never
 * from a FinalizationRegistry. The probe holds nothing strongly: WeakRefs and ids only
 * (STYLE principle 7), and `stop()` unsubscribes.
 */
import diagnostics from 'node:diagnostics_channel';
import v8 from 'node:v8';
import { channelName, type EventPayloads } from '../../dns/server/events.ts';
import { ProbeStateError } from '../errors.ts';
import { settle } from '../gc.ts';
import { retryUntil, type RetryOptions } from './retry.ts';

interface ZoneEntry {
  ref: WeakRef<object>;
  origin: string;
  instanceId: string;
  file: string;
}

interface InstanceEntry {
  ref: WeakRef<object>;
  instanceId: string;
}

export interface LivenessSample {
  zonesAlive: number;
  instancesAlive: number;
  zones: Array<{ origin: string; instanceId: string; file: string }>;
  instances: string[];
}

export interface CrossCheck {
  /** Zones alive by WeakRef (the probe's verdict). */
  weakRefCount: number;
  /** `v8.queryObjects(ZoneClass)` count; null when no Zone class was ever seen or it is gone. */
  v8Count: number | null;
  /** v8 count grouped by the `instanceId` found in each object's summary. */
  v8ByInstance: Record<string, number>;
  /** Both counts equal; false means zones exist that were never published, or the class is shared. */
  agree: boolean;
}

export interface LivenessExpectation {
  zones?: number;
  instances?: number;
}

export class LivenessProbe {
  private zones: ZoneEntry[] = [];
  private instances: InstanceEntry[] = [];
  /** The Zone class, weakly: the probe must not keep a module's class alive either. */
  private zoneClass: WeakRef<object> | null = null;
  private started = false;

  private readonly onZone = (message: unknown): void => {
    const p = message as EventPayloads['zone:loaded'];
    this.zones.push({ ref: new WeakRef(p.zone), origin: p.origin, instanceId: p.instanceId, file: p.file });
    if (!this.zoneClass?.deref()) this.zoneClass = new WeakRef(p.zone.constructor);
  };

  private readonly onInstance = (message: unknown): void => {
    const p = message as EventPayloads['instance:created'];
    this.instances.push({ ref: new WeakRef(p.instance), instanceId: p.instanceId });
  };

  start(): this {
    if (this.started) throw new ProbeStateError('PROBE_ALREADY_STARTED', 'LivenessProbe');
    diagnostics.subscribe(channelName('zone:loaded'), this.onZone);
    diagnostics.subscribe(channelName('instance:created'), this.onInstance);
    this.started = true;
    return this;
  }

  stop(): void {
    if (!this.started) return;
    diagnostics.unsubscribe(channelName('zone:loaded'), this.onZone);
    diagnostics.unsubscribe(channelName('instance:created'), this.onInstance);
    this.zones = [];
    this.instances = [];
    this.zoneClass = null;
    this.started = false;
  }

  /** Settles the heap, then counts what is still reachable. Collected entries are forgotten. */
  async sample(rounds?: number): Promise<LivenessSample> {
    if (!this.started) throw new ProbeStateError('PROBE_NOT_STARTED', 'LivenessProbe');
    await settle(rounds);
    return this.count();
  }

  // Synchronous on purpose: no deref'd object survives into an await of the caller.
  private count(): LivenessSample {
    this.zones = this.zones.filter((z) => z.ref.deref() !== undefined);
    this.instances = this.instances.filter((i) => i.ref.deref() !== undefined);
    return {
      zonesAlive: this.zones.length,
      instancesAlive: this.instances.length,
      zones: this.zones.map(({ origin, instanceId, file }) => ({ origin, instanceId, file })),
      instances: this.instances.map((i) => i.instanceId),
    };
  }

  /**
   * Second opinion from V8: counts every object of the Zone class in the heap (queryObjects
   * runs a full GC first). Disagreement means zones exist that were never published, or the
   * class is shared with something else.
   */
  async crossCheck(): Promise<CrossCheck> {
    const sample = await this.sample();
    const ctor = this.zoneClass?.deref();
    if (typeof ctor !== 'function') {
      return { weakRefCount: sample.zonesAlive, v8Count: null, v8ByInstance: {}, agree: sample.zonesAlive === 0 };
    }
    const summaries = v8.queryObjects(ctor, { format: 'summary' });
    const byInstance: Record<string, number> = {};
    for (const s of summaries) {
      const id = /instanceId: '([^']*)'/.exec(s)?.[1] ?? '?';
      byInstance[id] = (byInstance[id] ?? 0) + 1;
    }
    return {
      weakRefCount: sample.zonesAlive,
      v8Count: summaries.length,
      v8ByInstance: byInstance,
      agree: summaries.length === sample.zonesAlive,
    };
  }

  /**
   * Samples until zones/instances are at most the expected counts, with backoff (async
   * teardown may still be running). `ok: false` means the counts stayed above after all attempts.
   */
  async expectAtMost(expected: LivenessExpectation, opts: RetryOptions = {}) {
    return retryUntil(
      () => this.sample(),
      (s) =>
        (expected.zones === undefined || s.zonesAlive <= expected.zones) &&
        (expected.instances === undefined || s.instancesAlive <= expected.instances),
      opts,
    );
  }
}
