/**
 * Errors of the report layer. Every one means "this input cannot be used": the CLIs map them
 * to exit code 2 (bad input), never to 1 (a regression).
 */

export type ReportErrorCode =
  /** No report.json at the given path or in the given directory. */
  | 'REPORT_NOT_FOUND'
  /** The file ends before the JSON does: an interrupted copy or a full disk. */
  | 'REPORT_TRUNCATED'
  /** Not JSON at all. */
  | 'REPORT_NOT_JSON'
  /** A schemaVersion this reader does not know. */
  | 'REPORT_SCHEMA_VERSION'
  /** JSON, right version, but a field is missing or has the wrong type. */
  | 'REPORT_INVALID'
  /** Lacks the `complete: true` marker that only writeReport sets. */
  | 'REPORT_INCOMPLETE'
  /** Writing the report files failed. */
  | 'REPORT_WRITE_FAILED';

export class ReportError extends Error {
  override readonly name = 'ReportError';
  /** Exit code for a CLI that got this error: always 2 (unusable input). */
  readonly exitCode = 2;

  constructor(
    readonly code: ReportErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
