/**
 * Turning a probe step's expectations into checks. The correct expectation decides the
 * verdict (`ok`); the profile's leak signature, when the scenario gives one, is the
 * prediction the regression suite holds the harness to (`predicted`).
 */
import type { ProfileName } from '../../dns/profiles.ts';
import type { Check } from '../../report/schema.ts';
import type { ProbeExpect, TimerExpect } from '../scenario/types.ts';
import { TIMER_KINDS } from '../scenario/types.ts';

/** One probe reading, flattened to the metric names checks use. */
export interface ProbeReading {
  zonesAlive: number;
  instancesAlive: number;
  timers: Required<TimerExpect>;
  fds: number;
}

/** `metric name → expected count`, e.g. `timers.zoneReload → 1`. */
export function flatten(e: ProbeExpect): Map<string, number> {
  const out = new Map<string, number>();
  if (e.zonesAlive !== undefined) out.set('zonesAlive', e.zonesAlive);
  if (e.instancesAlive !== undefined) out.set('instancesAlive', e.instancesAlive);
  if (e.fds !== undefined) out.set('fds', e.fds);
  for (const k of TIMER_KINDS) {
    const v = e.timers?.[k];
    if (v !== undefined) out.set(`timers.${k}`, v);
  }
  return out;
}

export function readMetric(r: ProbeReading, metric: string): number {
  if (metric.startsWith('timers.')) return r.timers[metric.slice(7) as keyof ProbeReading['timers']];
  return r[metric as 'zonesAlive' | 'instancesAlive' | 'fds'];
}

/** The counts this profile is predicted to show: the signature's where it has one, else the correct ones. */
export function predictedFor(correct: ProbeExpect, leaks: Partial<Record<ProfileName, ProbeExpect>>, profile: ProfileName): Map<string, number> {
  const out = flatten(correct);
  const sig = leaks[profile];
  if (sig) for (const [k, v] of flatten(sig)) out.set(k, v);
  return out;
}

export interface PredictedCheck extends Check {
  /** What the scenario predicts for this profile (equals `expected` where no leak is predicted). */
  predicted: number | string;
}

export function buildChecks(idPrefix: string, step: string, correct: ProbeExpect, predicted: Map<string, number>, reading: ProbeReading): PredictedCheck[] {
  const checks: PredictedCheck[] = [];
  const expected = flatten(correct);
  for (const metric of new Set([...expected.keys(), ...predicted.keys()])) {
    const actual = readMetric(reading, metric);
    const want = expected.get(metric);
    const pred = predicted.get(metric) ?? want;
    if (pred === undefined) continue;
    checks.push({
      id: `${idPrefix}.${metric}`,
      step,
      metric,
      // A metric only the signature names (rare) is checked against the prediction alone.
      expected: want ?? pred,
      actual,
      ok: actual === (want ?? pred),
      exact: true,
      predicted: pred,
    });
  }
  return checks;
}

/** True when every prediction of the reading holds. */
export function matchesPrediction(predicted: Map<string, number>, reading: ProbeReading): boolean {
  for (const [metric, want] of predicted) if (readMetric(reading, metric) !== want) return false;
  return true;
}
