/**
 * Every lifecycle fact the subject publishes, on `node:diagnostics_channel`.
 *
 * The subject never imports the instruments: probes subscribe to these channels by name.
 * Publishing is guarded by `hasSubscribers`, so a run with no listener builds no payload.
 * Channel names are `reloadleak:<area>:<event>`; the README of harness/dns lists them all.
 */
import diagnostics from 'node:diagnostics_channel';

/** What a timer belongs to; the timers probe counts by this. */
export type TimerOwnerKind = 'zone-reload' | 'auto-walk' | 'corefile-watch' | 'other';

export interface TimerOwner {
  kind: TimerOwnerKind;
  /** Plugin that armed it, e.g. `auto`, `file`, `reload`, `errors`. */
  plugin: string;
  /** Instance the timer was armed for. */
  instanceId: string;
  /** Zone origin for zone timers, Corefile path for watchers, block key for walks. */
  subject: string;
}

export interface EventPayloads {
  'server:listening': { instanceId: string; address: string; transport: 'dns'; port: number };
  'server:closed': { instanceId: string; address: string };
  'instance:started': { instanceId: string; generation: number; restart: boolean };
  'instance:stopped': { instanceId: string };
  'restart:begun': { oldInstanceId: string; via: 'reload' | 'signal' | 'api' };
  'restart:applied': { oldInstanceId: string; newInstanceId: string; via: 'reload' | 'signal' | 'api' };
  'restart:failed': { oldInstanceId: string; newInstanceId: string | null; via: 'reload' | 'signal' | 'api'; stage: 'restart' | 'parse' | 'setup' | 'startup' | 'listen' | 'shutdown'; error: string };
  'restart:unchanged': { instanceId: string; sha512: string };
  'hook:ran': { instanceId: string; plugin: string; phase: HookPhase; durationMs: number; error: string | null };
  'timer:armed': { timerId: number; owner: TimerOwner; intervalMs: number; repeat: boolean };
  'timer:disarmed': { timerId: number; owner: TimerOwner };
  /** `zone` is the Zone object itself so that a probe can hold a WeakRef to it; never store it strongly. */
  'zone:loaded': { instanceId: string; origin: string; file: string; serial: number; records: number; zone: object };
  'zone:reloaded': { instanceId: string; origin: string; file: string; serial: number };
  'zone:removed': { instanceId: string; origin: string };
  'zone:shutdown': { instanceId: string; origin: string };
  'file:opened': { path: string; fd: number; owner: string };
  'file:closed': { path: string; fd: number; owner: string };
  /** `instance` is the Instance object, for a WeakRef in the liveness probe. */
  'instance:created': { instanceId: string; generation: number; instance: object };
  'query:done': { instanceId: string; transport: 'udp' | 'tcp'; name: string; type: string; rcode: string; durationMs: number };
  'log:line': { level: 'INFO' | 'WARNING' | 'ERROR' | 'DEBUG'; plugin: string | null; message: string };
}

export type HookPhase = 'firstStartup' | 'startup' | 'restart' | 'restartFailed' | 'shutdown' | 'finalShutdown';

export type EventName = keyof EventPayloads;

export const CHANNEL_PREFIX = 'reloadleak';

/** The full channel name for an event, e.g. `reloadleak:zone:loaded`. */
export function channelName(event: EventName): string {
  return `${CHANNEL_PREFIX}:${event}`;
}

const channels = new Map<EventName, diagnostics.Channel>();

function channelFor(event: EventName): diagnostics.Channel {
  let ch = channels.get(event);
  if (!ch) {
    ch = diagnostics.channel(channelName(event));
    channels.set(event, ch);
  }
  return ch;
}

/**
 * Publishes an event. The payload is built by `make` only when someone listens, so
 * an unobserved server allocates nothing for its events.
 */
export function publish<E extends EventName>(event: E, make: () => EventPayloads[E]): void {
  const ch = channelFor(event);
  if (ch.hasSubscribers) ch.publish(make());
}

/** True when someone listens to `event` (lets a caller skip expensive preparation). */
export function isObserved(event: EventName): boolean {
  return channelFor(event).hasSubscribers;
}

/** Every event name, for documentation tests and for subscribers that want them all. */
export const EVENT_NAMES: readonly EventName[] = [
  'server:listening', 'server:closed', 'instance:created', 'instance:started', 'instance:stopped',
  'restart:begun', 'restart:applied', 'restart:failed', 'restart:unchanged', 'hook:ran',
  'timer:armed', 'timer:disarmed', 'zone:loaded', 'zone:reloaded', 'zone:removed', 'zone:shutdown',
  'file:opened', 'file:closed', 'query:done', 'log:line',
];
