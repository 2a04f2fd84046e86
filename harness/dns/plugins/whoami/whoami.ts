/**
 * The `whoami` handler (plugin/whoami/whoami.go): answers every query it gets with an empty
 * Answer and, in Additional, the client's address and `_<proto>.<qname> SRV 0 0 <port> .`.
 * It never calls the next plugin.
 */
import { isIPv4 } from 'node:net';
import type { Handler, HandlerResult, Request, ResponseWriter } from '../plugin.ts';
import type { ResourceRecord } from '../../zone/record.ts';
import { replyTo } from '../../wire/message.ts';

/** `::ffff:127.0.0.1` is an IPv4 client, as Go's `ip.To4() != nil` decides. */
function clientRecord(name: string, address: string): ResourceRecord {
  const v4 = address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
  if (isIPv4(v4)) return { name, type: 'A', ttl: 0, class: 'IN', data: v4 };
  return { name, type: 'AAAA', ttl: 0, class: 'IN', data: address };
}

export function whoamiHandler(): Handler {
  return {
    name: 'whoami',
    async serveDNS(req: Request, w: ResponseWriter): Promise<HandlerResult> {
      const reply = replyTo(req.message);
      reply.authoritative = true;
      // state.QName(): the name as the client wrote it, not lower-cased.
      const qname = req.message.questions[0]?.name ?? req.qname;
      reply.additionals = [
        clientRecord(qname, req.remoteAddress),
        { name: `_${req.transport}.${qname}`, type: 'SRV', ttl: 0, class: 'IN', data: { priority: 0, weight: 0, port: req.remotePort, target: '.' } },
      ];
      w.write(reply);
      return { rcode: 'NOERROR' };
    },
  };
}
