/**
 * vitest matchers for runs, whose failure messages read like a leak report.
 *
 *   expect(run).toReleaseAllZones()      every check of the correct expectation passed
 *   expect(run).toMatchLeakSignature()   the run showed exactly what the scenario predicts
 *                                        for its profile (for a buggy profile: the leak, with
 *                                        the exact counts)
 */
import { expect } from 'vitest';
import type { RunResult } from '../report/schema.ts';
import type { PredictedCheck } from './runner/expectations.ts';
import { formatLeaks } from './runner/leaks.ts';

type Run = Omit<RunResult, 'checks'> & { checks: PredictedCheck[] };

function describeChecks(checks: readonly PredictedCheck[], against: 'expected' | 'predicted'): string {
  return checks.map((c) => `    ${c.step}: ${c.metric} ${against} ${c[against]}, got ${c.actual}`).join('\n');
}

export const leakMatchers = {
  toReleaseAllZones(received: Run) {
    const failed = received.checks.filter((c) => !c.ok);
    const pass = received.verdict === 'pass';
    return {
      pass,
      message: () =>
        pass
          ? `expected ${received.scenario} × ${received.profile} to leak, but every zone, instance and timer was released`
          : [
              `${received.scenario} × ${received.profile}: ${received.error ? `run error: ${received.error.message}` : `${failed.length} check(s) failed`}`,
              describeChecks(failed, 'expected'),
              formatLeaks(received.leaks),
            ].filter(Boolean).join('\n'),
    };
  },
  toMatchLeakSignature(received: Run) {
    const off = received.checks.filter((c) => c.actual !== c.predicted);
    const pass = !received.error && off.length === 0;
    return {
      pass,
      message: () =>
        pass
          ? `expected ${received.scenario} × ${received.profile} to differ from its leak signature`
          : [
              `${received.scenario} × ${received.profile} does not match the scenario's signature for this profile${received.error ? ` (run error: ${received.error.message})` : ''}:`,
              describeChecks(off, 'predicted'),
              formatLeaks(received.leaks),
            ].join('\n'),
    };
  },
};

expect.extend(leakMatchers);

interface LeakMatchers<R = unknown> {
  toReleaseAllZones(): R;
  toMatchLeakSignature(): R;
}

declare module 'vitest' {
  // vitest declares `Matchers<T = any>`; a merged declaration must repeat that parameter exactly.
  interface Matchers<T = any> extends LeakMatchers<T> {}
}
