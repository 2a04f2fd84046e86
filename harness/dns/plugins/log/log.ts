/**
 * The `log` handler (plugin/log/log.go): one line per query in CoreDNS's common log format,
 * e.g. `[INFO] 127.0.0.1:40212 - 4423 "A IN example.org. udp 40 false 1232" NOERROR qr,aa,rd 108 0.000131s`.
 */
import type { Handler, HandlerResult, Request, ResponseWriter } from '../plugin.ts';
import type { Logger } from '../../server/log.ts';
import type { DnsMessage, Rcode } from '../../wire/message.ts';
import { encodeMessage } from '../../wire/codec.ts';
import { nextOrFailure } from '../../server/chain.ts';
import { errorReply, ReplyWriter } from '../../server/servers.ts';
import type { LogRule, ResponseClass } from './parse.ts';

const CLIENT_WRITE: ReadonlySet<Rcode> = new Set<Rcode>(['SERVFAIL', 'REFUSED', 'FORMERR', 'NOTIMP']);

function inScope(scope: string, qname: string): boolean {
  return scope === '.' || qname === scope || qname.endsWith(`.${scope}`);
}

/** response.Classify(response.Typify(m)). */
export function classify(reply: DnsMessage | null): ResponseClass {
  if (reply === null) return 'error';
  if (reply.rcode === 'NXDOMAIN') return 'denial';
  if (reply.rcode !== 'NOERROR') return 'error';
  if (reply.answers.length > 0) return 'success';
  if (reply.authorities.some((r) => r.type === 'SOA')) return 'denial';
  return 'success';
}

function flags(m: DnsMessage): string {
  const out: string[] = [];
  if (m.response) out.push('qr');
  if (m.authoritative) out.push('aa');
  if (m.truncated) out.push('tc');
  if (m.recursionDesired) out.push('rd');
  if (m.recursionAvailable) out.push('ra');
  return out.join(',');
}

/** Go's Duration.Seconds() formatted with 'f', -1: shortest form, then `s`. */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(9))}s`;
}

export function formatLine(format: string, req: Request, reply: DnsMessage | null, durationMs: number): string {
  const q = req.message.questions[0];
  const values: Record<string, string> = {
    '{remote}': req.remoteAddress,
    '{port}': String(req.remotePort),
    '{>id}': String(req.message.id),
    '{type}': req.qtype,
    '{class}': q?.class ?? 'IN',
    '{name}': req.qname,
    '{proto}': req.transport,
    '{size}': String(encodeMessage(req.message).length),
    '{>do}': String(req.message.edns?.do ?? false),
    '{>bufsize}': String(req.message.edns?.udpSize ?? 512),
    '{rcode}': reply?.rcode ?? '-',
    '{>rflags}': reply ? flags(reply) : '-',
    '{rsize}': reply ? String(encodeMessage(reply).length) : '0',
    '{duration}': seconds(durationMs),
    '{>opcode}': req.message.opcode,
  };
  return format.replace(/\{>?[a-z]+\}/g, (k) => values[k] ?? k);
}

/** Writes through to `w` and keeps what was written, as dnstest.Recorder does. */
class Recorder extends ReplyWriter {
  constructor(private readonly inner: ResponseWriter) {
    super();
  }
  override write(reply: DnsMessage): void {
    super.write(reply);
    this.inner.write(reply);
  }
}

export function logHandler(rules: readonly LogRule[], log: Logger, next: Handler | null): Handler {
  return {
    name: 'log',
    async serveDNS(req: Request, w: ResponseWriter): Promise<HandlerResult> {
      const rule = rules.find((r) => inScope(r.nameScope, req.qname));
      if (rule === undefined) return nextOrFailure('log', next, req, w);
      const started = performance.now();
      const rec = new Recorder(w);
      const result = await nextOrFailure('log', next, req, rec);
      // An error up the chain with nothing written yet: write it here so the line has a size.
      if (!rec.written && CLIENT_WRITE.has(result.rcode)) rec.write(errorReply(req.message, result.rcode));
      if (rule.classes.has('all') || rule.classes.has(classify(rec.reply))) {
        log.info(formatLine(rule.format, req, rec.reply, performance.now() - started));
      }
      return result;
    },
  };
}
