/**
 * The parsed Corefile: plain data with line numbers, exactly what CoreDNS's reload plugin
 * hashes (see semantics doc 5.3).
 */

export interface Token {
  /** `''` for tokens of the main Corefile (as CoreDNS does), the absolute path for imported files. */
  file: string;
  line: number;
  text: string;
}

export interface ServerBlock {
  /** Raw keys after `{$ENV}` substitution, before normalisation (what the hash sees). */
  keys: string[];
  /** Line of the first key, for error messages. */
  line: number;
  /** File the block was read from (`''` = main Corefile). */
  file: string;
  /**
   * Tokens by directive name, each directive's token lists joined in Corefile order.
   * Insertion order of this record is the order directives first appear in the block.
   */
  tokens: Record<string, Token[]>;
}

/** A normalised server-block key (semantics doc 1.5). */
export interface ZoneAddress {
  transport: 'dns';
  /** Lower-case FQDN with trailing dot; `.` for the root. */
  zone: string;
  port: number;
  /** `dns://zone:port` */
  key: string;
}

/** Error in a Corefile, with the place it was found. `code` is stable for tests. */
export class CorefileError extends Error {
  constructor(
    readonly code: 'syntax' | 'parse' | 'import' | 'key' | 'setup' | 'io',
    /** Display name of the file (`Corefile` path as loaded, or absolute path of an import). */
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'CorefileError';
  }
}
