/**
 * `npm run repro` arguments. Pure: argv in, options or a ReproUsageError out (exit 2).
 */
import { PROFILE_NAMES, PROFILES, isProfileName, type ProfileName } from '../../dns/profiles.ts';

export class ReproUsageError extends Error {
  readonly code = 'ERR_USAGE';
}

export interface ReproArgs {
  /** The profile whose bug is reproduced; compared with `fixed`. @default 'coredns-1.11.3' */
  profile: ProfileName;
  /** Successful Corefile reloads. @default 20 */
  reloads: number;
  /** Zone files in auto's directory. @default 1 */
  zones: number;
  /** Directory the `<run-id>-repro` report directory is created in. @default 'reports' */
  out: string;
  help: boolean;
}

export const REPRO_DEFAULTS: Readonly<Omit<ReproArgs, 'help'>> = { profile: 'coredns-1.11.3', reloads: 20, zones: 1, out: 'reports' };
export const RELOADS_RANGE = { min: 1, max: 500 } as const;
export const ZONES_RANGE = { min: 1, max: 1000 } as const;

const BUGGY = PROFILE_NAMES.filter((p) => p !== 'fixed');

export const USAGE = `usage: npm run repro -- [--profile P] [--reloads N] [--zones Z] [--out DIR]

Reproduces CoreDNS issue 6703 (auto + reload: every Corefile reload left the old instance's
zones alive, each kept by its reload timer). Runs N reloads of a Z-zone auto setup against
\`fixed\` and then against P, one live line per reload, then both side by side, the retainer
path of one leaked zone, and a report.

  --profile P   ${BUGGY.join(', ')} (default ${REPRO_DEFAULTS.profile})
${BUGGY.map((p) => `                  ${p}: ${PROFILES[p].summary}`).join('\n')}
  --reloads N   Corefile reloads, ${RELOADS_RANGE.min}..${RELOADS_RANGE.max} (default ${REPRO_DEFAULTS.reloads})
  --zones Z     zone files, ${ZONES_RANGE.min}..${ZONES_RANGE.max} (default ${REPRO_DEFAULTS.zones})
  --out DIR     where the report directory <run-id>-repro is created (default ${REPRO_DEFAULTS.out}/)
  -h, --help    this help

Exit: 0 when P showed exactly its predicted signature (coredns-1.11.3: Z·(N+1) zones and
zone timers) and fixed stayed clean; 1 otherwise; 2 bad usage or an internal error.`;

/** Parses `--flag value` and `--flag=value`; every flag at most once. */
export function parseReproArgs(argv: readonly string[]): ReproArgs {
  const args: ReproArgs = { ...REPRO_DEFAULTS, help: false };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq === -1 ? a : a.slice(0, eq);
    const inline = eq === -1 ? undefined : a.slice(eq + 1);
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '' || (inline === undefined && v.startsWith('--'))) throw new ReproUsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--help' || flag === '-h') {
      if (inline !== undefined) throw new ReproUsageError(`${flag} takes no value`);
      args.help = true;
      continue;
    }
    if (!['--profile', '--reloads', '--zones', '--out'].includes(flag)) {
      throw new ReproUsageError(`unknown argument '${a}'`);
    }
    if (seen.has(flag)) throw new ReproUsageError(`${flag} given twice`);
    seen.add(flag);
    switch (flag) {
      case '--profile': {
        const p = value();
        if (p === 'fixed') throw new ReproUsageError("--profile fixed: fixed is the baseline every run is compared with; choose a profile that carries a bug");
        if (!isProfileName(p)) throw new ReproUsageError(`unknown profile '${p}': expected one of ${BUGGY.join(', ')}`);
        args.profile = p;
        break;
      }
      case '--reloads':
        args.reloads = wholeNumber(flag, value(), RELOADS_RANGE);
        break;
      case '--zones':
        args.zones = wholeNumber(flag, value(), ZONES_RANGE);
        break;
      case '--out':
        args.out = value();
        break;
    }
  }
  return args;
}

function wholeNumber(flag: string, text: string, range: { min: number; max: number }): number {
  // Number('1e2') and parseInt('3x') would both accept what the user probably did not mean.
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
    throw new ReproUsageError(`${flag} must be a whole number from ${range.min} to ${range.max}, not '${text}'`);
  }
  return n;
}
