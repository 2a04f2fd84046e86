/**
 * Child process for the interrupt test: rewrites a large report into one run directory in a
 * loop until it is killed, so the kill lands at every stage of writeReport.
 */
import { writeReport } from '../write.ts';
import { makeReport, makeRun } from './fixtures.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: interrupt-writer.ts DIR');
// ~200 runs makes report.json several MB, so writes take long enough to be interrupted mid-way.
const report = makeReport({ runs: Array.from({ length: 200 }, (_, i) => makeRun({ scenario: `s${i}`, profile: i % 2 ? 'fixed' : 'coredns-1.11.3' })) });
process.stdout.write('ready\n');
for (;;) await writeReport(dir, report);
