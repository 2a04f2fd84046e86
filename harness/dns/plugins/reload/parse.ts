/**
 * `reload [INTERVAL [JITTER]]` (upstream plugin/reload/setup.go), as a pure function, and the
 * jitter rule that turns it into the watcher's period.
 *
 * JITTER follows v1.14.2+ (#7896): `0` disables jitter. Not a leak fix, so every profile
 * accepts it.
 */
import type { Dispenser } from '../../server/corefile/dispenser.ts';
import { parseGoDuration } from './go-duration.ts';

export const DEFAULT_INTERVAL_MS = 30_000;
export const DEFAULT_JITTER_MS = 15_000;
export const MIN_INTERVAL_MS = 2_000;
export const MIN_JITTER_MS = 1_000;

export interface ReloadConfig {
  /** @default 30_000 */
  readonly intervalMs: number;
  /** Already capped to interval/2. @default 15_000 */
  readonly jitterMs: number;
}

/** Parses the first `reload` line of the block (upstream reads only that one). Errors are unprefixed. */
export function parseReload(d: Dispenser): ReloadConfig {
  d.next();
  const args = d.remainingArgs();
  if (args.length > 2) throw d.argErr();
  const [intervalText, jitterText] = args;
  let intervalMs = DEFAULT_INTERVAL_MS;
  if (intervalText !== undefined) intervalMs = duration(d, intervalText);
  if (intervalMs < MIN_INTERVAL_MS) throw d.errf('interval value must be greater or equal to 2s');
  let jitterMs = DEFAULT_JITTER_MS;
  if (jitterText !== undefined) jitterMs = duration(d, jitterText);
  if (jitterMs !== 0 && jitterMs < MIN_JITTER_MS) throw d.errf('jitter value must be 0 or greater or equal to 1s');
  if (jitterMs > intervalMs / 2) jitterMs = intervalMs / 2;
  return { intervalMs, jitterMs };
}

function duration(d: Dispenser, text: string): number {
  try {
    return parseGoDuration(text);
  } catch (err) {
    throw d.errf((err as Error).message);
  }
}

/**
 * INTERVAL + rand[0, J) − J/2, in whole nanoseconds like Go's rand.Int63n, so the period lies
 * within ±J/2 (not ±J as upstream's README says). `random` returns [0, 1).
 */
export function effectiveInterval(config: ReloadConfig, random: () => number): number {
  const jNs = Math.round(config.jitterMs * 1e6);
  if (jNs === 0) return config.intervalMs;
  const offsetNs = Math.floor(random() * jNs) - Math.floor(jNs / 2);
  return config.intervalMs + offsetNs / 1e6;
}
