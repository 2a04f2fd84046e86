/** Why a zone file was refused: `syntax` (the text), `semantic` (valid text, invalid zone), `io` (reading). */
export type ZoneParseErrorCode = 'syntax' | 'semantic' | 'io';

/**
 * A zone file that cannot be loaded. The message is `<file>:<line>: <what is wrong>` followed by
 * a hint, so it can be logged as is; `code`, `file` and `line` are stable for tests.
 */
export class ZoneParseError extends Error {
  constructor(
    readonly code: ZoneParseErrorCode,
    readonly file: string,
    readonly line: number,
    /** What is wrong, without the location. */
    readonly reason: string,
    /** What to do about it (appended to the message after `; `). */
    readonly hint?: string,
  ) {
    super(`${file}:${line}: ${reason}${hint === undefined ? '' : `; ${hint}`}`);
    this.name = 'ZoneParseError';
  }
}
