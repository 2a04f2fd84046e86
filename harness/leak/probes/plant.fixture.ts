/**
 * Planted leaks for the probes' own tests (STYLE principle 6). Everything that creates a
 * reference to a planted object is a SYNC function, so no async test frame keeps one alive
 * across an await (notes pitfall 1).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Clock, type TimerHandle } from '../../dns/server/clock.ts';
import { publish, type TimerOwnerKind } from '../../dns/server/events.ts';

/** Stand-in for the subject's Zone: same class name and tag properties. */
export class Zone {
  /** Some payload so a zone has a visible retained size. */
  readonly records: string[];
  constructor(readonly origin: string, readonly instanceId: string) {
    this.records = Array.from({ length: 64 }, (_, i) => `r${i}.${origin}`);
  }
}

/** Stand-in for the subject's Instance. */
export class Instance {
  constructor(readonly instanceId: string) {}
}

export const clock = new Clock(1);

/** An interval long enough never to fire during a test. */
const NEVER_MS = 3_600_000;

export function zoneOrigins(n: number, prefix = 'zone'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${i}.example.`);
}

/**
 * Publishes `n` zones through the real `zone:loaded` event and keeps each alive only through a
 * Clock interval of owner `kind` whose callback captures it: the 6703 leak shape.
 */
export function plantTimedZones(n: number, instanceId: string, kind: TimerOwnerKind = 'zone-reload'): TimerHandle[] {
  const handles: TimerHandle[] = [];
  for (const origin of zoneOrigins(n, instanceId)) {
    const zone = new Zone(origin, instanceId);
    publishZone(zone, `/zones/db.${origin}`);
    const owner = { kind, plugin: 'auto', instanceId, subject: origin };
    handles.push(clock.every(NEVER_MS, owner, () => void zone.records.length));
  }
  return handles;
}

export function publishZone(zone: Zone, file: string): void {
  publish('zone:loaded', () => ({ instanceId: zone.instanceId, origin: zone.origin, file, serial: 1, records: zone.records.length, zone }));
}

export function publishInstance(instance: Instance): void {
  publish('instance:created', () => ({ instanceId: instance.instanceId, generation: 1, instance }));
}

export function cancelAll(handles: TimerHandle[]): void {
  for (const h of handles) h.cancel();
  handles.length = 0;
}

/**
 * Case 31: a raw interval armed inside an AsyncLocalStorage context that carries the zone (as a
 * tracing layer would), cleared, but its Timeout kept in a field of a live holder. On Node 20.20
 * clearInterval nulls `_onTimeout` (measured), so the closure is not the retainer any more; the
 * Timeout's async-context store still is.
 */
export class TimerHolder {
  timer: NodeJS.Timeout | null = null;
}

const context = new AsyncLocalStorage<{ zone: Zone }>();

export function plantClearedButHeld(holder: TimerHolder, instanceId: string): void {
  const zone = new Zone(`held.${instanceId}.example.`, instanceId);
  publishZone(zone, '/zones/held');
  holder.timer = context.run({ zone }, () => setInterval(() => undefined, NEVER_MS));
  clearInterval(holder.timer);
}

/** The Clock's answer to case 31: a cancelled handle, still held, keeps nothing alive. */
export function plantCancelledButHeld(keep: TimerHandle[], instanceId: string): void {
  const [handle] = plantTimedZones(1, instanceId);
  if (!handle) throw new Error('plantTimedZones returned no handle');
  handle.cancel();
  keep.push(handle);
}
