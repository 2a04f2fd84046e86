/**
 * What each profile must show in the issue-6703 setup (auto + errors + reload, Z zones), after
 * k successful Corefile reloads and after the final stop. Derived from the profile's fixes, so
 * the table in scenarios/README.md ("Reading the signatures") follows from profiles.ts:
 *
 *   fixed, 1.11.4   Z zones / zone timers, 1 walk, 1 watcher
 *   1.11.3          Z·(k+1) zones / zone timers (auto never shuts an old instance's zones down)
 *   1.10.0          also k+1 walk and k+1 watcher timers (neither ticker is ever stopped)
 *
 * After the final stop a correct server holds nothing; a profile without `auto-shutdown-zones`
 * keeps every zone it ever loaded (its OnShutdown only ends the walk), one without the ticker
 * fixes keeps every walk and watcher timer.
 */
import { PROFILES, hasFix, type ProfileName } from '../../dns/profiles.ts';
import type { ProbeExpect } from '../scenario/types.ts';

export interface Counts {
  zonesAlive: number;
  instancesAlive: number;
  timers: { zoneReload: number; autoWalk: number; corefileWatch: number; total: number };
}

/** The moment of a probe: after `start` (0 reloads), after reload k, or after the final stop. */
export type Moment = { after: 'reload'; reloads: number } | { after: 'stop'; reloads: number };

function counts(zonesAlive: number, instancesAlive: number, zoneReload: number, autoWalk: number, corefileWatch: number): Counts {
  return { zonesAlive, instancesAlive, timers: { zoneReload, autoWalk, corefileWatch, total: zoneReload + autoWalk + corefileWatch } };
}

/** What `profile` shows with `zones` zone files at `moment`. */
export function predictCounts(profile: ProfileName, zones: number, moment: Moment): Counts {
  const p = PROFILES[profile];
  const instances = moment.reloads + 1;
  const stopped = moment.after === 'stop';
  // Without PR 6705 no auto zone is ever shut down: every instance's zones stay, the current one's too.
  const zoneCount = hasFix(p, 'auto-shutdown-zones') ? (stopped ? 0 : zones) : zones * instances;
  const walks = hasFix(p, 'auto-walk-ticker-stop') ? (stopped ? 0 : 1) : instances;
  const watchers = hasFix(p, 'reload-watcher-ticker-stop') ? (stopped ? 0 : 1) : instances;
  return counts(zoneCount, stopped ? 0 : 1, zoneCount, walks, watchers);
}

export function sameCounts(a: Counts, b: Counts): boolean {
  return a.zonesAlive === b.zonesAlive && a.instancesAlive === b.instancesAlive
    && a.timers.zoneReload === b.timers.zoneReload && a.timers.autoWalk === b.timers.autoWalk
    && a.timers.corefileWatch === b.timers.corefileWatch && a.timers.total === b.timers.total;
}

/** As a scenario's probe expectation (every count exact; fds only where the scenario checks them). */
export function toExpect(c: Counts): ProbeExpect {
  return { zonesAlive: c.zonesAlive, instancesAlive: c.instancesAlive, timers: { ...c.timers } };
}

/**
 * The scenario's `leaks:` map for a probe: every profile whose counts differ from `fixed`'s,
 * with exactly those counts (so the scenario is right for every profile, not only the one run).
 */
export function leakSignatures(profiles: readonly ProfileName[], zones: number, moment: Moment): Partial<Record<ProfileName, ProbeExpect>> {
  const correct = predictCounts('fixed', zones, moment);
  const out: Partial<Record<ProfileName, ProbeExpect>> = {};
  for (const p of profiles) {
    if (p === 'fixed') continue;
    const c = predictCounts(p, zones, moment);
    if (!sameCounts(c, correct)) out[p] = toExpect(c);
  }
  return out;
}

/** True when the profile is predicted to leak in this setup at all. */
export function predictsLeak(profile: ProfileName, zones: number, reloads: number): boolean {
  return !sameCounts(predictCounts(profile, zones, { after: 'stop', reloads }), predictCounts('fixed', zones, { after: 'stop', reloads }));
}
