import type { ResourceRecord } from '../record.ts';
import { formatIpv6, ipv6Words } from './numbers.ts';

/**
 * One record in BIND's presentation form, as `named-checkzone -D -o - <origin> <file>` prints
 * it: absolute owner, TTL, class, type, RDATA (hex and base64 in 56-character groups, TXT-like
 * strings quoted with `\"`, `\\` and `\DDD` escapes). Fields are separated by one tab.
 */
export function formatRecord(rr: ResourceRecord): string {
  return `${rr.name}\t${rr.ttl}\tIN\t${rr.type}\t${formatRdata(rr)}`;
}

/** The RDATA part of {@link formatRecord}. */
export function formatRdata(rr: ResourceRecord): string {
  switch (rr.type) {
    case 'A': case 'NS': case 'CNAME': case 'DNAME': case 'PTR':
      return rr.data;
    case 'AAAA': {
      const w = ipv6Words(rr.data);
      return w === undefined ? rr.data : formatIpv6(w);
    }
    case 'SOA': {
      const d = rr.data;
      return `${d.mname} ${d.rname} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
    }
    case 'MX': return `${rr.data.preference} ${rr.data.exchange}`;
    case 'TXT': case 'SPF': return rr.data.map(quote).join(' ');
    case 'SRV': return `${rr.data.priority} ${rr.data.weight} ${rr.data.port} ${rr.data.target}`;
    case 'CAA': return `${rr.data.flags} ${rr.data.tag} ${quote(Buffer.from(rr.data.value, 'utf8'))}`;
    case 'NAPTR': {
      const d = rr.data;
      return `${d.order} ${d.preference} ${quoteText(d.flags)} ${quoteText(d.services)} ${quoteText(d.regexp)} ${d.replacement}`;
    }
    case 'SSHFP': return `${rr.data.algorithm} ${rr.data.hash} ${groups(rr.data.fingerprint.toUpperCase())}`;
    case 'TLSA': return `${rr.data.usage} ${rr.data.selector} ${rr.data.matchingType} ${hex(rr.data.certificate)}`;
    case 'DS': return `${rr.data.keyTag} ${rr.data.algorithm} ${rr.data.digestType} ${hex(rr.data.digest)}`;
    case 'DNSKEY': return `${rr.data.flags} 3 ${rr.data.algorithm} ${groups(rr.data.key.toString('base64'))}`;
    case 'RRSIG': {
      const d = rr.data;
      return `${d.typeCovered} ${d.algorithm} ${d.labels} ${d.originalTTL} ${sigTime(d.expiration)} ${sigTime(d.inception)} ${d.keyTag} ${d.signersName} ${groups(d.signature.toString('base64'))}`;
    }
    case 'NSEC': return [rr.data.nextDomain, ...rr.data.rrtypes].join(' ');
    default: {
      // RFC 3597 form for types kept raw.
      const raw = rr.data;
      return raw.length === 0 ? '\\# 0' : `\\# ${raw.length} ${hex(raw)}`;
    }
  }
}

/** BIND's character-string spelling: quoted; `"` and `\` escaped; bytes outside 0x20-0x7e as \DDD. */
export function quote(b: Uint8Array): string {
  let s = '"';
  for (const c of b) {
    if (c === 0x22 || c === 0x5c) s += `\\${String.fromCharCode(c)}`;
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += `\\${String(c).padStart(3, '0')}`;
  }
  return `${s}"`;
}

function quoteText(s: string): string {
  return quote(Buffer.from(s, 'utf8'));
}

function hex(b: Buffer): string {
  return groups(b.toString('hex').toUpperCase());
}

/** BIND breaks long hex and base64 fields into groups of 56 characters. */
function groups(s: string): string {
  if (s.length <= 56) return s;
  const parts: string[] = [];
  for (let i = 0; i < s.length; i += 56) parts.push(s.slice(i, i + 56));
  return parts.join(' ');
}

/** RRSIG times as YYYYMMDDHHmmSS in UTC. */
function sigTime(t: number): string {
  const d = new Date(t * 1000);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}
