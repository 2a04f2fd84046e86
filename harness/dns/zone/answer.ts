/**
 * Answers a query from one zone: the reply-building half of the `file` and `auto` plugins'
 * ServeDNS (CoreDNS plugin/file/file.go, plugin/auto/auto.go), after the plugin has chosen
 * the zone.
 */
import type { DnsMessage } from '../wire/message.ts';
import type { HandlerResult, Request, ResponseWriter } from '../plugins/plugin.ts';
import { replyTo } from '../wire/message.ts';
import type { Zone } from './zone.ts';
import { lookup, type LookupResult, type Upstream } from './lookup.ts';
import { noteZoneAnswer } from './answer-epoch.ts';

/**
 * Serves `req` from `zone`. Zone transfers are REFUSED (no transfer plugin in the chain).
 * A ServerFailure with nothing to show returns SERVFAIL unwritten, so the server writes it;
 * every other outcome is written here and returns NOERROR, as CoreDNS's `(0, nil)`.
 */
export async function serveZone(zone: Zone, req: Request, w: ResponseWriter): Promise<HandlerResult> {
  if (req.qtype === 'AXFR' || req.qtype === 'IXFR') return { rcode: 'REFUSED' };
  // An answer that needed the upstream depends on more than this zone: not cacheable.
  let askedUpstream = false;
  const upstream: Upstream = (name, type) => {
    askedUpstream = true;
    return req.upstream(name, type);
  };
  const res = await lookup(
    zone,
    { qname: req.qname, qtype: req.qtype, do: req.message.edns?.do ?? false, depth: req.depth },
    upstream,
  );
  const reply = replyFor(req.message, res);
  if (reply === null) return { rcode: 'SERVFAIL' };
  w.write(reply);
  if (!askedUpstream) noteZoneAnswer(w);
  return { rcode: 'NOERROR' };
}

/**
 * The reply CoreDNS builds for a lookup result: AA set, the three sections, NXDOMAIN for
 * NameError, AA cleared for a referral, SERVFAIL kept only when an answer (an unresolved
 * external CNAME) is there to show. `null` means "write nothing, return SERVFAIL".
 */
export function replyFor(query: DnsMessage, res: LookupResult): DnsMessage | null {
  const m = replyTo(query);
  m.authoritative = true;
  m.answers = res.answer;
  m.authorities = res.ns;
  m.additionals = res.extra;
  switch (res.result) {
    case 'Success':
    case 'NoData':
      break;
    case 'NameError':
      m.rcode = 'NXDOMAIN';
      break;
    case 'Delegation':
      m.authoritative = false;
      break;
    case 'ServerFailure':
      if (m.answers.length === 0) return null;
      m.rcode = 'SERVFAIL';
      break;
  }
  return m;
}
