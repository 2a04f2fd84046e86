/**
 * The peer programs the suites measure against, and the Debian package each comes from, so a
 * missing one is reported with the command that installs it.
 */
import { spawnSync } from 'node:child_process';

export interface PeerTool {
  /** Executable name, looked up on PATH. */
  bin: string;
  /** Arguments that make it print its version and exit 0. */
  versionArgs: readonly string[];
  /** Debian package that provides it. */
  debian: string;
}

export const PEER_TOOLS = {
  'named-checkzone': { bin: 'named-checkzone', versionArgs: ['-v'], debian: 'bind9-utils' },
  nsd: { bin: 'nsd', versionArgs: ['-v'], debian: 'nsd' },
  dnsperf: { bin: 'dnsperf', versionArgs: ['-h'], debian: 'dnsperf' },
} as const satisfies Record<string, PeerTool>;

export type PeerToolName = keyof typeof PEER_TOOLS;

export class MissingPeerError extends Error {
  readonly code = 'BENCH_PEER_MISSING';
  constructor(readonly tools: readonly PeerToolName[]) {
    const pkgs = [...new Set(tools.map((t) => PEER_TOOLS[t].debian))];
    super(`${tools.join(', ')} not found: install ${pkgs.join(' ')} (apt-get update && apt-get install -y ${pkgs.join(' ')})`);
    this.name = 'MissingPeerError';
  }
}

/** True when the tool runs. Searches PATH plus the sbin directories (nsd lives in /usr/sbin). */
export function hasTool(name: PeerToolName): boolean {
  const t = PEER_TOOLS[name];
  const r = spawnSync(t.bin, [...t.versionArgs], { encoding: 'utf8', env: { ...process.env, PATH: toolPath() } });
  // dnsperf -h exits 1 after printing its usage; running at all is what counts.
  return r.error === undefined && r.status !== null;
}

/** Throws MissingPeerError naming every missing tool and its package. */
export function requireTools(names: readonly PeerToolName[]): void {
  const missing = names.filter((n) => !hasTool(n));
  if (missing.length > 0) throw new MissingPeerError(missing);
}

/** PATH with /usr/sbin and /usr/local/sbin appended, for spawning the peers. */
export function toolPath(): string {
  const parts = (process.env['PATH'] ?? '').split(':').filter(Boolean);
  for (const extra of ['/usr/local/sbin', '/usr/sbin', '/sbin']) if (!parts.includes(extra)) parts.push(extra);
  return parts.join(':');
}

/** First line of a tool's version output, for the peer label. */
export function toolVersion(name: PeerToolName): string {
  const t = PEER_TOOLS[name];
  const r = spawnSync(t.bin, [...t.versionArgs], { encoding: 'utf8', env: { ...process.env, PATH: toolPath() } });
  const text = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
  const line = text.split('\n').find((l) => /version/i.test(l)) ?? text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.trim();
}
