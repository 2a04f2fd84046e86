/**
 * A scenario: a reload storm as data. `scenarios/<name>/scenario.yaml` (or `.json`) beside
 * the Corefiles and zone files it uses. See scenarios/README.md for the format.
 */
import type { ProfileName } from '../../dns/profiles.ts';

/** Counts a probe step can check. Every field is exact. */
export interface ProbeExpect {
  zonesAlive?: number;
  instancesAlive?: number;
  timers?: TimerExpect;
  /** Open file descriptors above the run's baseline. */
  fds?: number;
}

export interface TimerExpect {
  zoneReload?: number;
  autoWalk?: number;
  corefileWatch?: number;
  other?: number;
  total?: number;
}

export const TIMER_KINDS = ['zoneReload', 'autoWalk', 'corefileWatch', 'other', 'total'] as const;
export type TimerKindKey = (typeof TIMER_KINDS)[number];

/** What a query must get back. Omitted fields are not checked. */
export interface QueryExpect {
  rcode?: string;
  aa?: boolean;
  tc?: boolean;
  /** Answer RDATA in presentation form, any order (e.g. `192.0.2.1`). */
  answer?: string[];
  answerCount?: number;
  authorityCount?: number;
  additionalCount?: number;
  /** Types present in the authority section, any order. */
  authorityTypes?: string[];
}

export interface Located {
  /** Line in the scenario file (1-based). */
  line: number;
}

export type Step =
  | (Located & { op: 'start'; corefile: string; expect: 'started' | 'failed' })
  | (Located & { op: 'write'; path: string; from?: string; content?: string; mtime?: string })
  | (Located & { op: 'delete'; path: string })
  | (Located & { op: 'rename'; from: string; to: string })
  | (Located & { op: 'symlink'; target: string; link: string })
  | (Located & { op: 'mkdir'; path: string })
  | (Located & { op: 'touch'; path: string; mtime?: string })
  | (Located & { op: 'reload'; via: 'watch' | 'signal'; expect: 'applied' | 'failed' | 'unchanged' })
  | (Located & { op: 'wait'; ms: number })
  | (Located & { op: 'wait'; event: string; count: number; anyInstance: boolean })
  | (Located & { op: 'query'; name: string; type: string; transport: 'udp' | 'tcp'; expect: QueryExpect })
  | (Located & { op: 'load'; qps: number; queries: LoadQuery[]; steps: Step[] })
  | (Located & { op: 'probe'; id: string; expect: ProbeExpect; leaks: Partial<Record<ProfileName, ProbeExpect>> })
  | (Located & { op: 'expect-log'; contains: string; level?: string; count?: number; min?: number })
  | (Located & { op: 'repeat'; times: number; steps: Step[] })
  | (Located & { op: 'stop'; expect: ProbeExpect; leaks: Partial<Record<ProfileName, ProbeExpect>> });

export type StepOp = Step['op'];

export interface LoadQuery {
  name: string;
  type: string;
  transport: 'udp' | 'tcp';
  expect: QueryExpect;
}

export interface Scenario {
  name: string;
  description: string;
  /** Upstream issue or PR this reproduces, for reports. */
  upstream: string[];
  /** Multiplies every duration the server schedules. @default 0.01 */
  timeScale: number;
  /** Profiles this scenario runs against. @default every profile */
  profiles: ProfileName[];
  /** Working-dir path → scenario-dir file, copied before `start`. */
  files: Record<string, string>;
  steps: Step[];
  /** Absolute directory of the scenario (fixtures are resolved here). */
  dir: string;
  /** Absolute path of the scenario file, for messages. */
  file: string;
}
