/**
 * Test-only helpers for the zone tests: a one-line record reader for fully qualified
 * `owner ttl IN TYPE rdata` lines (the real master-file parser lives in ./master/), a
 * presentation formatter for comparing sections, and a miniature server that routes a query
 * to the longest-matching zone and gives CNAME chasing a real upstream to re-enter.
 *
 * Not imported by any production code.
 */
import type { DnsMessage } from '../wire/message.ts';
import type { Request, ResponseWriter, HandlerResult } from '../plugins/plugin.ts';
import { queryMessage, replyTo } from '../wire/message.ts';
import type { ResourceRecord } from './record.ts';
import { Zone } from './zone.ts';
import { serveZone } from './answer.ts';
import { isSubdomain, lower } from './names.ts';

/** Splits on blanks, keeping `"quoted strings"` (with their quotes) as one token. */
function tokens(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of line.matchAll(re)) out.push(m[2] ?? `"${m[1] ?? ''}"`);
  return out;
}

function unquote(t: string): string {
  return t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/\\(.)/g, '$1') : t;
}

function num(t: string | undefined, line: string): number {
  const n = Number(t);
  if (t === undefined || !Number.isInteger(n)) throw new Error(`fixture: bad number ${String(t)} in: ${line}`);
  return n;
}

function need(t: string | undefined, line: string): string {
  if (t === undefined) throw new Error(`fixture: missing field in: ${line}`);
  return t;
}

/** One record from `owner ttl IN TYPE rdata` (owner and names fully qualified). */
export function rr(line: string): ResourceRecord {
  const [name, ttlText, klass, type, ...rd] = tokens(line);
  if (name === undefined || type === undefined || klass !== 'IN') throw new Error(`fixture: expected "owner ttl IN TYPE rdata": ${line}`);
  const base = { name, ttl: num(ttlText, line), class: 'IN' as const };
  const f = (i: number): string => need(rd[i], line);
  const n = (i: number): number => num(rd[i], line);
  switch (type) {
    case 'A':
    case 'AAAA':
    case 'NS':
    case 'CNAME':
    case 'DNAME':
    case 'PTR':
      return { ...base, type, data: f(0) };
    case 'SOA':
      return { ...base, type, data: { mname: f(0), rname: f(1), serial: n(2), refresh: n(3), retry: n(4), expire: n(5), minimum: n(6) } };
    case 'MX':
      return { ...base, type, data: { preference: n(0), exchange: f(1) } };
    case 'SRV':
      return { ...base, type, data: { priority: n(0), weight: n(1), port: n(2), target: f(3) } };
    case 'TXT':
      return { ...base, type, data: rd.map((t) => Buffer.from(unquote(t))) };
    case 'CAA':
      return { ...base, type, data: { flags: n(0), tag: f(1), value: unquote(f(2)) } };
    case 'DS':
      return { ...base, type, data: { keyTag: n(0), algorithm: n(1), digestType: n(2), digest: Buffer.from(f(3), 'hex') } };
    case 'NSEC':
      return { ...base, type, data: { nextDomain: f(0), rrtypes: rd.slice(1) } };
    case 'RRSIG':
      return {
        ...base,
        type,
        data: {
          typeCovered: f(0), algorithm: n(1), labels: n(2), originalTTL: n(3), expiration: n(4),
          inception: n(5), keyTag: n(6), signersName: f(7), signature: Buffer.from(f(8), 'base64'),
        },
      };
    default:
      throw new Error(`fixture: type ${type} not supported: ${line}`);
  }
}

/** Records of a text of record lines; blank lines and `;` comment lines are skipped. */
export function records(text: string): ResourceRecord[] {
  return text
    .split('\n')
    .map((l) => l.replace(/;.*$/, '').trim())
    .filter((l) => l !== '')
    .map(rr);
}

/** A zone from record lines, through Zone.fromRecords. */
export function zoneOf(origin: string, text: string, instanceId = 'test-instance'): Zone {
  return Zone.fromRecords(origin, `${origin}db`, instanceId, records(text));
}

/** `owner ttl IN TYPE rdata`, the form the expectations are written in. */
export function show(r: ResourceRecord): string {
  return `${r.name} ${r.ttl} IN ${r.type} ${rdata(r)}`;
}

function rdata(r: ResourceRecord): string {
  switch (r.type) {
    case 'SOA': {
      const d = r.data;
      return `${d.mname} ${d.rname} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
    }
    case 'MX':
      return `${r.data.preference} ${r.data.exchange}`;
    case 'SRV':
      return `${r.data.priority} ${r.data.weight} ${r.data.port} ${r.data.target}`;
    case 'TXT':
    case 'SPF':
      return r.data.map((b) => `"${b.toString()}"`).join(' ');
    case 'CAA':
      return `${r.data.flags} ${r.data.tag} "${r.data.value}"`;
    case 'DS':
      return `${r.data.keyTag} ${r.data.algorithm} ${r.data.digestType} ${r.data.digest.toString('hex').toUpperCase()}`;
    case 'NSEC':
      return `${r.data.nextDomain} ${r.data.rrtypes.join(' ')}`;
    case 'RRSIG': {
      const d = r.data;
      return `${d.typeCovered} ${d.algorithm} ${d.labels} ${d.originalTTL} ${d.expiration} ${d.inception} ${d.keyTag} ${d.signersName} ${d.signature.toString('base64')}`;
    }
    case 'A':
    case 'AAAA':
    case 'NS':
    case 'CNAME':
    case 'DNAME':
    case 'PTR':
      return r.data;
    default:
      return `\\# ${JSON.stringify(r.data)}`;
  }
}

/** Sorted presentation lines: sections are compared ignoring order, as CoreDNS's tests do. */
export function sorted(rrs: readonly ResourceRecord[]): string[] {
  return rrs.map(show).sort();
}

/** A query message for `name`/`type`. */
export function query(name: string, type: string, opts: { do?: boolean } = {}): DnsMessage {
  return queryMessage(name, type, { id: 4242, edns: opts.do ? { udpSize: 1232, do: true, version: 0 } : null });
}

export interface Served {
  /** What reached the client: the handler's reply, or the one the server writes for an unwritten rcode. */
  reply: DnsMessage;
  /** What the handler returned. */
  handler: HandlerResult;
  /** True when the handler wrote the reply itself. */
  written: boolean;
}

/**
 * Asks a miniature server serving `zones`. With `server: false` there is no server behind the
 * query (CoreDNS's unit tests): the upstream rejects, as CoreDNS's does with no server in the
 * context. With a server, a name no zone serves is REFUSED, as dnsserver does, and the upstream
 * re-enters this same server one chase level deeper.
 */
export async function ask(zones: readonly Zone[], name: string, type: string, opts: { do?: boolean; server?: boolean; depth?: number } = {}): Promise<Served> {
  const message = query(name, type, opts.do === undefined ? {} : { do: opts.do });
  return serve(zones, message, opts.depth ?? 0, opts.server ?? false);
}

async function serve(zones: readonly Zone[], message: DnsMessage, depth: number, server: boolean): Promise<Served> {
  const q = message.questions[0];
  if (q === undefined) throw new Error('fixture: query without a question');
  const qname = lower(q.name);
  let zone: Zone | undefined;
  for (const z of zones) {
    if (isSubdomain(qname, z.origin) && (zone === undefined || z.origin.length > zone.origin.length)) zone = z;
  }
  if (zone === undefined) {
    const refused = replyTo(message);
    refused.rcode = 'REFUSED';
    return { reply: refused, handler: { rcode: 'REFUSED' }, written: false };
  }
  const upstream = async (n: string, t: string): Promise<DnsMessage | null> => {
    if (!server) throw new Error('no full server is running');
    return (await serve(zones, query(n, t, message.edns?.do ? { do: true } : {}), depth + 1, server)).reply;
  };
  const box: { reply: DnsMessage | null } = { reply: null };
  const w: ResponseWriter = {
    write(reply) {
      box.reply = reply;
    },
    get written() {
      return box.reply !== null;
    },
  };
  const req: Request = {
    message, qname, qtype: q.type, transport: 'udp', remoteAddress: '127.0.0.1', remotePort: 53053,
    zone: zone.origin, upstream, depth,
  };
  const handler = await serveZone(zone, req, w);
  if (box.reply !== null) return { reply: box.reply, handler, written: true };
  const fallback = replyTo(message);
  fallback.rcode = handler.rcode;
  return { reply: fallback, handler, written: false };
}
