/**
 * The one error the wire adapter throws. Every failure of dns-packet (RangeError, plain Error,
 * garbage output caught by our own checks) is turned into one of these, so a caller can tell a
 * bad packet (answer FORMERR) from a bug (let it surface).
 */

/**
 * - `truncated`: the buffer ends before the header's counts or an RDLENGTH are satisfied.
 * - `malformed`: bytes that no valid message contains (bad label type, forward pointer, RDATA
 *   that disagrees with its RDLENGTH, a second OPT, ...), or a message we were asked to encode
 *   that cannot be valid on the wire (a 64-byte label, a 256-byte TXT string, ...).
 * - `unsupported`: valid DNS that this adapter cannot carry without loss (a label holding a dot
 *   or non-ASCII bytes, a non-IN record, an rcode outside our `Rcode` union).
 */
export type WireErrorCode = 'malformed' | 'truncated' | 'unsupported';

export class WireError extends Error {
  override readonly name = 'WireError';
  readonly code: WireErrorCode;

  constructor(code: WireErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isWireError(err: unknown): err is WireError {
  return err instanceof WireError;
}
