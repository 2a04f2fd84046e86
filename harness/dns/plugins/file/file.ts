/**
 * The `file` handler (plugin/file/file.go ServeDNS): answers from the zone whose origin is the
 * longest match for the query name, else passes the query on.
 */
import type { Handler, HandlerResult, Request, ResponseWriter } from '../plugin.ts';
import type { Zone } from '../../zone/zone.ts';
import { serveZone } from '../../zone/answer.ts';
import { nextOrFailure } from '../../server/chain.ts';

/** The zones of one block's `file` directives, by origin, plus the origin list in Corefile order. */
export interface FileZones {
  readonly z: Map<string, Zone>;
  readonly names: string[];
}

/** plugin.Zones(names).Matches(qname): the longest origin that is qname or an ancestor of it. */
export function matchOrigin(names: readonly string[], qname: string): string | null {
  let best: string | null = null;
  for (const origin of names) {
    const under = origin === '.' || qname === origin || qname.endsWith(`.${origin}`);
    if (under && (best === null || origin.length > best.length)) best = origin;
  }
  return best;
}

export function fileHandler(zones: FileZones, next: Handler | null): Handler {
  return {
    name: 'file',
    async serveDNS(req: Request, w: ResponseWriter): Promise<HandlerResult> {
      const origin = matchOrigin(zones.names, req.qname);
      if (origin === null) return nextOrFailure('file', next, req, w);
      const zone = zones.z.get(origin);
      if (zone === undefined) return { rcode: 'SERVFAIL' };
      return serveZone(zone, req, w);
    },
  };
}
