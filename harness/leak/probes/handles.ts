/**
 * Handles probe: open file descriptors (/proc/self/fd, with their targets) and non-timer
 * active resources (UDPWrap, TCPServerWrap, TCPSocketWrap, ...) as deltas against start(),
 * plus zone-file handles the subject reports through file:opened / file:closed.
 *
 * Deltas, never absolutes: the runner owns pipes and sockets of its own (notes pitfall 6).
 * A UDP socket is still listed after its close callback and one more setImmediate, so
 * sample() settles first.
 */
import diagnostics from 'node:diagnostics_channel';
import { readdirSync, readlinkSync } from 'node:fs';
import { channelName, type EventPayloads } from '../../dns/server/events.ts';
import { ProbeStateError } from '../errors.ts';
import { settle } from '../gc.ts';

export interface FdEntry {
  fd: number;
  target: string;
}

export interface HandleSample {
  /** Open fds now minus at start(); 0 where /proc/self/fd does not exist. */
  fds: number;
  /** Whether fd counting works on this platform. */
  fdsSupported: boolean;
  /** Fds open now that were not open at start (or now point elsewhere). */
  newFds: FdEntry[];
  /** Non-timer resource counts now minus at start(), non-zero entries only. */
  resources: Record<string, number>;
  /** Zone files reported opened and not yet closed. */
  zoneFiles: Array<{ path: string; fd: number; owner: string }>;
}

const TIMER_TYPES = new Set(['Timeout', 'Immediate']);
const FD_DIR = '/proc/self/fd';

function readFds(): Map<number, string> | null {
  let names: string[];
  try {
    names = readdirSync(FD_DIR);
  } catch {
    return null;
  }
  const fds = new Map<number, string>();
  for (const name of names) {
    try {
      fds.set(Number(name), readlinkSync(`${FD_DIR}/${name}`));
    } catch {
      // The fd readdir itself used is closed by now: not ours to count.
    }
  }
  return fds;
}

function countResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) {
    if (!TIMER_TYPES.has(type)) counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return counts;
}

export class HandleProbe {
  private baseFds: Map<number, string> | null = null;
  private baseResources = new Map<string, number>();
  private open = new Map<string, { path: string; fd: number; owner: string }>();
  private started = false;

  private readonly onOpened = (message: unknown): void => {
    const p = message as EventPayloads['file:opened'];
    this.open.set(`${p.fd}\0${p.path}`, { path: p.path, fd: p.fd, owner: p.owner });
  };

  private readonly onClosed = (message: unknown): void => {
    const p = message as EventPayloads['file:closed'];
    this.open.delete(`${p.fd}\0${p.path}`);
  };

  start(): this {
    if (this.started) throw new ProbeStateError('PROBE_ALREADY_STARTED', 'HandleProbe');
    this.baseFds = readFds();
    this.baseResources = countResources();
    diagnostics.subscribe(channelName('file:opened'), this.onOpened);
    diagnostics.subscribe(channelName('file:closed'), this.onClosed);
    this.started = true;
    return this;
  }

  stop(): void {
    if (!this.started) return;
    diagnostics.unsubscribe(channelName('file:opened'), this.onOpened);
    diagnostics.unsubscribe(channelName('file:closed'), this.onClosed);
    this.open.clear();
    this.baseFds = null;
    this.started = false;
  }

  async sample(rounds?: number): Promise<HandleSample> {
    if (!this.started) throw new ProbeStateError('PROBE_NOT_STARTED', 'HandleProbe');
    await settle(rounds);
    const now = readFds();
    const base = this.baseFds;
    const newFds: FdEntry[] = [];
    if (now && base) {
      for (const [fd, target] of now) if (base.get(fd) !== target) newFds.push({ fd, target });
    }
    const resources: Record<string, number> = {};
    const current = countResources();
    for (const type of new Set([...current.keys(), ...this.baseResources.keys()])) {
      const d = (current.get(type) ?? 0) - (this.baseResources.get(type) ?? 0);
      if (d !== 0) resources[type] = d;
    }
    return {
      fds: now && base ? now.size - base.size : 0,
      fdsSupported: now !== null,
      newFds: newFds.sort((a, b) => a.fd - b.fd),
      resources,
      zoneFiles: [...this.open.values()],
    };
  }
}
