/**
 * The subject's public surface: a miniature CoreDNS. Instruments (harness/leak, report, bench,
 * cli) import from here; the subject never imports them.
 */
export { createProcess, DnsProcess, type ProcessOptions } from './server/process-state.ts';
export { Instance, type ListenerInfo } from './server/instance.ts';
export { RestartError, type RestartVia } from './server/restart.ts';
export { StartFailure, type StartStage } from './server/startup.ts';
export type { DnsSignal } from './server/signals.ts';
export { PROFILES, PROFILE_NAMES, DEFAULT_PROFILE, getProfile, hasFix, isProfileName } from './profiles.ts';
export type { Profile, ProfileName, FixName } from './profiles.ts';
export { channelName, CHANNEL_PREFIX, EVENT_NAMES, isObserved } from './server/events.ts';
export type { EventName, EventPayloads, HookPhase, TimerOwner, TimerOwnerKind } from './server/events.ts';
export { Clock, type TimerHandle } from './server/clock.ts';
export { createLogger, silentLogger, type Logger, type LogLevel, type LogSink } from './server/log.ts';
export { CorefileError } from './server/corefile/types.ts';
export type { ServerBlock, Token, ZoneAddress } from './server/corefile/types.ts';
export { PLUGIN_ORDER, type PluginName } from './plugins/order.ts';
export type {
  Controller, EventHook, Handler, HandlerResult, InstanceHandle, LifecycleEvent, PluginModule, ProcessState, Request,
  ResponseWriter, SetupFn,
} from './plugins/plugin.ts';
export type { DnsMessage, Rcode } from './wire/message.ts';
export type { ResourceRecord } from './zone/record.ts';
