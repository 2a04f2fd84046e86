/** `npm run repro`: thin entry point; the logic is in harness/leak/repro/. */
import { parseReproArgs, ReproUsageError, USAGE } from '../leak/repro/args.ts';
import { runRepro } from '../leak/repro/repro.ts';

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseReproArgs(argv);
  } catch (err) {
    if (!(err instanceof ReproUsageError)) throw err;
    process.stderr.write(`repro: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const outcome = await runRepro(args, argv, {
      out: (l) => process.stdout.write(`${l}\n`),
      err: (l) => process.stderr.write(`${l}\n`),
    });
    return outcome.exitCode;
  } catch (err) {
    process.stderr.write(`repro: internal error: ${(err as Error).stack ?? String(err)}\n`);
    return 2;
  }
}

const code = await main(process.argv.slice(2));
// A buggy profile's leaked zone timers are still armed in this process (that is the bug), so
// the event loop would never empty: exit once stdout has taken the last line.
process.stdout.write('', () => process.exit(code));
