/**
 * The regression suite: every scenario under scenarios/ against one profile. `fixed` must
 * pass every check; a buggy profile must fail exactly where the scenario's signature says,
 * with exactly those counts, and pass everywhere else.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProfileName } from '../harness/dns/profiles.ts';
import { defaultScenarioDirs } from '../harness/leak/leak-check.ts';
import { loadScenario } from '../harness/leak/scenario/load.ts';
import { runScenarioIsolated } from '../harness/leak/runner/isolated.ts';
import '../harness/leak/matchers.ts';

export function defineRegressionSuite(profile: ProfileName): void {
  const scenarios = defaultScenarioDirs(path.resolve(import.meta.dirname)).map((d) => loadScenario(d)).filter((s) => s.profiles.includes(profile));
  describe(`scenarios × ${profile}`, () => {
    it('has scenarios to run', () => {
      expect(scenarios.length).toBeGreaterThan(0);
    });
    for (const scenario of scenarios) {
      const predictsLeak = scenario.steps.some(function leaks(s): boolean {
        if (s.op === 'probe' || s.op === 'stop') return s.leaks[profile] !== undefined;
        if (s.op === 'repeat' || s.op === 'load') return s.steps.some(leaks);
        return false;
      });
      const title = predictsLeak ? `${scenario.name}: the leak is detected with the signature's exact counts` : `${scenario.name}: every zone, instance and timer is released`;
      it(title, async () => {
        const run = await runScenarioIsolated(scenario, profile, { outDir: null, snapshots: 'never' });
        expect(run).toMatchLeakSignature();
        if (predictsLeak) {
          expect(run.verdict).toBe('fail');
          expect(run).not.toReleaseAllZones();
        } else {
          expect(run).toReleaseAllZones();
        }
      }, 120_000);
    }
  });
}
