/**
 * One scenario × profile in a process of its own (spawned by isolated.ts). A buggy profile
 * strands timers by design; in a process of its own they cannot tick into the next run, and
 * the process exits as soon as the result is written.
 *
 * argv: <scenario file> <profile> <result file> <options json>
 */
import fs from 'node:fs';
import { isProfileName } from '../../dns/profiles.ts';
import { loadScenario } from '../scenario/load.ts';
import { runScenario, type RunOptions } from './run-scenario.ts';

const [scenarioFile, profile, resultFile, optionsJson] = process.argv.slice(2);
if (!scenarioFile || !profile || !resultFile || !optionsJson || !isProfileName(profile)) {
  process.stderr.write('usage: child.ts <scenario file> <profile> <result file> <options json>\n');
  process.exit(2);
}
const opts = JSON.parse(optionsJson) as Omit<RunOptions, 'onProgress'> & { progress: boolean };
const scenario = loadScenario(scenarioFile);
const result = await runScenario(scenario, profile, {
  outDir: opts.outDir,
  snapshots: opts.snapshots,
  ...(opts.stepTimeoutMs !== undefined ? { stepTimeoutMs: opts.stepTimeoutMs } : {}),
  ...(opts.progress ? { onProgress: (line: string) => process.stdout.write(`${JSON.stringify({ progress: line })}\n`) } : {}),
});
fs.writeFileSync(resultFile, JSON.stringify(result));
// Leaked timers of a buggy profile would keep this process alive for ever.
process.exit(0);
