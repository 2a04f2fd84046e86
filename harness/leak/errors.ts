/**
 * Error classes of the leak instruments. Each has a stable `code` (for CI and tests)
 * and a message that says what to do next.
 */

export type LeakErrorCode =
  | 'GC_UNAVAILABLE'
  | 'PROBE_NOT_STARTED'
  | 'PROBE_ALREADY_STARTED'
  | 'HEAP_ANALYSIS_FAILED'
  | 'NOT_ENOUGH_SAMPLES'
  | 'LEAK_DETECTED';

export class LeakHarnessError extends Error {
  constructor(readonly code: LeakErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LeakHarnessError';
  }
}

/** Thrown by `requireGc()` when no way to force a garbage collection works. */
export class GcUnavailableError extends LeakHarnessError {
  constructor(cause?: unknown) {
    super(
      'GC_UNAVAILABLE',
      'cannot force garbage collection: run node with --expose-gc (vitest: execArgv [\'--expose-gc\'], ' +
        'scripts: node --expose-gc --import tsx ...); the v8.setFlagsFromString fallback also failed',
      cause === undefined ? undefined : { cause },
    );
    this.name = 'GcUnavailableError';
  }
}

/** A probe method was called in the wrong state (sample before start, start twice). */
export class ProbeStateError extends LeakHarnessError {
  constructor(code: 'PROBE_NOT_STARTED' | 'PROBE_ALREADY_STARTED', probe: string) {
    super(
      code,
      code === 'PROBE_NOT_STARTED'
        ? `${probe}: call start() before sampling (the baseline is taken at start)`
        : `${probe}: start() called twice; call stop() first or use a new probe`,
    );
    this.name = 'ProbeStateError';
  }
}

/** The out-of-process heap analysis failed; the message carries the worker's stderr. */
export class HeapAnalysisError extends LeakHarnessError {
  constructor(file: string, detail: string) {
    super('HEAP_ANALYSIS_FAILED', `heap analysis of ${file} failed: ${detail}`);
    this.name = 'HeapAnalysisError';
  }
}

/** Something leaked: `message` is the full goleak-style report listing every offender. */
export class LeakError extends LeakHarnessError {
  constructor(message: string, readonly offenders: number) {
    super('LEAK_DETECTED', message);
    this.name = 'LeakError';
  }
}
