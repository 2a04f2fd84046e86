/**
 * The `errors` handler (plugin/errors/errors.go): passes the query on and logs any error that
 * comes back as `[ERROR] plugin/errors: <rcode number> <qname> <qtype>: <err>`.
 */
import type { Handler, HandlerResult, Request, ResponseWriter } from '../plugin.ts';
import type { Logger } from '../../server/log.ts';
import { RCODE_NUMBERS } from '../../wire/message.ts';
import { nextOrFailure } from '../../server/chain.ts';

export function errorsHandler(log: Logger, next: Handler | null): Handler {
  return {
    name: 'errors',
    async serveDNS(req: Request, w: ResponseWriter): Promise<HandlerResult> {
      const result = await nextOrFailure('errors', next, req, w);
      if (result.error !== undefined) {
        log.error(`${RCODE_NUMBERS[result.rcode]} ${req.qname} ${req.qtype}: ${result.error.message}`);
      }
      return result;
    },
  };
}
