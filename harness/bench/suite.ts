/** What every bench suite takes and returns. */
import type { BenchResult } from '../report/schema.ts';
import type { PeerToolName } from './peers.ts';

export interface SuiteOptions {
  /** CI mode: smaller sizes, shorter runs (the whole bench under about a minute). */
  quick: boolean;
  /** Progress lines (stderr in the CLI); silent when absent. */
  log?: (line: string) => void;
}

export interface Suite {
  name: string;
  /** Peer programs the suite cannot run without. */
  needs: readonly PeerToolName[];
  run: (opts: SuiteOptions) => Promise<BenchResult[]>;
}
