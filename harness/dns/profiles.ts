/**
 * Version profiles: which historical upstream fixes this build of the subject carries.
 *
 * The code differs only where the upstream fix differed. A buggy profile never creates a
 * leak on purpose: it leaves a fix out, and the leak follows the way it did upstream.
 */

/** One upstream fix, named after what it does. */
export type FixName =
  /** PR 5688 (v1.10.1): auto's walk task stops its ticker when it exits. */
  | 'auto-walk-ticker-stop'
  /** PR 5686 (v1.10.1): the reload watcher stops its ticker when it returns. */
  | 'reload-watcher-ticker-stop'
  /** PR 5687 (v1.10.1): `file` setup closes the zone file after parsing it. */
  | 'file-setup-closes-zone-file'
  /** PR 6705 (v1.11.4), issue 6703: auto's OnShutdown shuts down every zone it loaded. */
  | 'auto-shutdown-zones'
  /** Not upstream: a restart that fails after the new instance's OnStartup ran shuts that instance down. */
  | 'failed-restart-cleanup'
  /** Not upstream (v1.13.0 has stop-once): removing `reload` from the Corefile stops the watcher. */
  | 'reload-removal-stops-watcher';

export type ProfileName = 'coredns-1.10.0' | 'coredns-1.11.3' | 'coredns-1.11.4' | 'fixed';

export interface Profile {
  readonly name: ProfileName;
  /** The upstream release this profile imitates, or `null` for `fixed`. */
  readonly upstream: string | null;
  readonly fixes: ReadonlySet<FixName>;
  /** One line for `--help` and the README. */
  readonly summary: string;
}

const V1_10_1_FIXES: FixName[] = ['auto-walk-ticker-stop', 'reload-watcher-ticker-stop', 'file-setup-closes-zone-file'];
const V1_11_4_FIXES: FixName[] = [...V1_10_1_FIXES, 'auto-shutdown-zones'];

export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  'coredns-1.10.0': {
    name: 'coredns-1.10.0',
    upstream: 'v1.10.0',
    fixes: new Set<FixName>([]),
    summary: 'walk ticker (PR 5688), watcher ticker (PR 5686), file setup fd (PR 5687) and auto zones (issue 6703) all leak',
  },
  'coredns-1.11.3': {
    name: 'coredns-1.11.3',
    upstream: 'v1.11.3',
    fixes: new Set<FixName>(V1_10_1_FIXES),
    summary: 'auto zones are never shut down on reload (issue 6703)',
  },
  'coredns-1.11.4': {
    name: 'coredns-1.11.4',
    upstream: 'v1.11.4',
    fixes: new Set<FixName>(V1_11_4_FIXES),
    summary: 'a restart that fails after OnStartup leaks the new instance\'s timers (CoreDNS\'s remaining gap)',
  },
  fixed: {
    name: 'fixed',
    upstream: null,
    fixes: new Set<FixName>([...V1_11_4_FIXES, 'failed-restart-cleanup', 'reload-removal-stops-watcher']),
    summary: 'every fix, plus cleanup of a failed restart',
  },
};

export const DEFAULT_PROFILE: ProfileName = 'fixed';

export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

export function isProfileName(s: string): s is ProfileName {
  return Object.hasOwn(PROFILES, s);
}

/** The profile by name; throws with the list of valid names. */
export function getProfile(name: string): Profile {
  if (!isProfileName(name)) {
    throw new Error(`unknown profile '${name}': expected one of ${PROFILE_NAMES.join(', ')}`);
  }
  return PROFILES[name];
}

export function hasFix(profile: Profile, fix: FixName): boolean {
  return profile.fixes.has(fix);
}
