import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROFILE_NAMES, type ProfileName } from '../../dns/profiles.ts';
import { loadScenario } from '../scenario/load.ts';
import type { ProbeExpect, Step } from '../scenario/types.ts';
import { leakSignatures, predictCounts, predictsLeak, toExpect } from './signature.ts';

describe('predicted counts (scenarios/README.md, "Reading the signatures")', () => {
  // [profile, Z, N, zones alive = zone timers, walk timers, watcher timers] after N reloads
  it.each<[ProfileName, number, number, number, number, number]>([
    ['fixed', 1, 20, 1, 1, 1],
    ['fixed', 7, 3, 7, 1, 1],
    ['coredns-1.11.4', 7, 3, 7, 1, 1],
    ['coredns-1.11.3', 1, 20, 21, 1, 1],
    ['coredns-1.11.3', 2, 3, 8, 1, 1],
    ['coredns-1.11.3', 500, 10, 5500, 1, 1],
    ['coredns-1.10.0', 1, 20, 21, 21, 21],
    ['coredns-1.10.0', 2, 3, 8, 4, 4],
    ['coredns-1.11.3', 3, 0, 3, 1, 1],
  ])('%s with %i zone(s) after %i reload(s): %i zones, %i walk, %i watcher', (profile, z, n, zones, walk, watch) => {
    const c = predictCounts(profile, z, { after: 'reload', reloads: n });
    expect(c).toEqual({ zonesAlive: zones, instancesAlive: 1, timers: { zoneReload: zones, autoWalk: walk, corefileWatch: watch, total: zones + walk + watch } });
  });

  it.each<[ProfileName, number, number, number, number]>([
    ['fixed', 2, 3, 0, 0],
    ['coredns-1.11.4', 2, 3, 0, 0],
    // 1.11.3's auto does not shut the current instance's zones down at stop either.
    ['coredns-1.11.3', 2, 3, 8, 0],
    ['coredns-1.10.0', 2, 3, 8, 4],
  ])('%s with %i zones after %i reloads and stop: %i zones, %i walk and %i watcher timers', (profile, z, n, zones, tickers) => {
    const c = predictCounts(profile, z, { after: 'stop', reloads: n });
    expect(c).toEqual({ zonesAlive: zones, instancesAlive: 0, timers: { zoneReload: zones, autoWalk: tickers, corefileWatch: tickers, total: zones + 2 * tickers } });
  });

  it('predicts a leak for exactly the profiles without PR 6705', () => {
    expect(PROFILE_NAMES.filter((p) => predictsLeak(p, 1, 1))).toEqual(['coredns-1.10.0', 'coredns-1.11.3']);
  });

  it('gives fixed no leak signature, and a profile that matches fixed none either', () => {
    const sigs = leakSignatures(PROFILE_NAMES, 2, { after: 'reload', reloads: 3 });
    expect(Object.keys(sigs).sort()).toEqual(['coredns-1.10.0', 'coredns-1.11.3']);
  });
});

/** The hand-written issue-6703 scenario's signatures, probe by probe, with the reloads before each. */
function probesOf(steps: readonly Step[]): Array<{ reloads: number; stop: boolean; expect: ProbeExpect; leaks: Partial<Record<ProfileName, ProbeExpect>> }> {
  const out: Array<{ reloads: number; stop: boolean; expect: ProbeExpect; leaks: Partial<Record<ProfileName, ProbeExpect>> }> = [];
  let reloads = 0;
  const walk = (list: readonly Step[]): void => {
    for (const s of list) {
      if (s.op === 'reload') reloads++;
      if (s.op === 'repeat') for (let i = 0; i < s.times; i++) walk(s.steps);
      if (s.op === 'probe' || s.op === 'stop') out.push({ reloads, stop: s.op === 'stop', expect: s.expect, leaks: s.leaks });
    }
  };
  walk(steps);
  return out;
}

describe('agreement with scenarios/issue-6703 (written by hand)', () => {
  const scenario = loadScenario(path.resolve(import.meta.dirname, '../../../scenarios/issue-6703'));
  const probes = probesOf(scenario.steps);

  it('finds its probes after 0, 1 and 20 reloads and after stop', () => {
    expect(probes.map((p) => `${p.reloads}${p.stop ? ' stop' : ''}`)).toEqual(['0', '1', '20', '20 stop']);
  });

  for (const profile of ['coredns-1.10.0', 'coredns-1.11.3'] as const) {
    it(`predicts every count ${profile}'s signature names`, () => {
      for (const p of probes) {
        const mine = toExpect(predictCounts(profile, 1, { after: p.stop ? 'stop' : 'reload', reloads: p.reloads }));
        const theirs = { ...p.expect, ...p.leaks[profile], timers: { ...p.expect.timers, ...p.leaks[profile]?.timers } };
        for (const [k, v] of Object.entries(theirs)) {
          if (k === 'timers' || k === 'fds') continue;
          expect(mine[k as 'zonesAlive' | 'instancesAlive'], `${k} after ${p.reloads} reloads${p.stop ? ' and stop' : ''}`).toBe(v);
        }
        for (const [k, v] of Object.entries(theirs.timers)) {
          expect(mine.timers?.[k as 'total'], `timers.${k} after ${p.reloads} reloads${p.stop ? ' and stop' : ''}`).toBe(v);
        }
      }
    });
  }
});
