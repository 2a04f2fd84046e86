/**
 * auto's ZONES arguments as CoreDNS's plugin.OriginsFromArgsOrServerBlock normalises them:
 * lower-case FQDNs, transport and port dropped, a CIDR turned into its reverse zones (the same
 * key splitting the Corefile's server-block keys get).
 */
import { fqdn, inspectKey } from '../../server/corefile/keys.ts';

/** Origins from the directive's arguments, or the block's zones when there are none. */
export function originsFromArgsOrBlock(args: readonly string[], blockZones: readonly string[]): string[] {
  if (args.length === 0) return [...blockZones];
  return args.flatMap((a) => normalizeOrigin(a));
}

/** One argument's origins; `[]` for something unparsable (upstream skips it silently). */
export function normalizeOrigin(arg: string): string[] {
  try {
    return inspectKey(arg, 53).hosts.map((h) => fqdn(h).toLowerCase());
  } catch {
    return [];
  }
}
