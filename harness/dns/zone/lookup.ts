/**
 * CoreDNS's `file` Zone.Lookup, v1.11 semantics (plugin/file/lookup.go): apex SOA/NS, a
 * label walk from the origin down that remembers the deepest wildcard, DNAME synthesis,
 * referrals at zone cuts, CNAME chasing in the zone and through the upstream outside it,
 * empty non-terminals and NXDOMAIN. Records come back exactly as stored (TTLs untouched).
 */
import type { DnsMessage } from '../wire/message.ts';
import type { ResourceRecord } from './record.ts';
import type { Apex, Zone } from './zone.ts';
import type { Tree, TreeNode } from './tree.ts';
import { countLabels, isSubdomain, labels, lower } from './names.ts';

export type LookupResultCode = 'Success' | 'NameError' | 'Delegation' | 'NoData' | 'ServerFailure';

export interface LookupResult {
  result: LookupResultCode;
  answer: ResourceRecord[];
  ns: ResourceRecord[];
  extra: ResourceRecord[];
}

export interface LookupQuery {
  /** Question name; lower-cased here as CoreDNS's `state.Name()` is. */
  qname: string;
  qtype: string;
  /** DNSSEC OK: adds RRSIG/NSEC records where CoreDNS adds them. */
  do: boolean;
  /** CNAME chase depth of this query (CoreDNS's LoopKey); above 8 the lookup fails. */
  depth: number;
}

/**
 * Re-enters the server with a new question (CoreDNS's upstream). It must hand the nested
 * query a depth one more than the query that called it, or a CNAME loop never ends.
 * Rejects when there is no server to ask.
 */
export type Upstream = (name: string, type: string) => Promise<DnsMessage | null>;

/** Chase depth above which a lookup answers ServerFailure (CoreDNS: `loop > 8`). */
export const MAX_CHASE_DEPTH = 8;
/** In-zone CNAME hops followed before giving up with what was collected. */
const MAX_IN_ZONE_HOPS = 8;

const NONE: ResourceRecord[] = [];

/**
 * Looks up `q` in `zone`. A qname outside the zone's origin is ServerFailure (CoreDNS never
 * calls Lookup with one; the plugins pick the zone first).
 */
export async function lookup(zone: Zone, q: LookupQuery, upstream: Upstream | null): Promise<LookupResult> {
  // Read apex and tree once: a reload that swaps them mid-query must not mix old and new.
  const ap = zone.apex;
  const tr = zone.tree;
  const origin = zone.origin;
  const qname = lower(q.qname);
  const { qtype, do: dnssec } = q;

  if (ap.soa === null) return result('ServerFailure');
  if (!isSubdomain(qname, origin)) return result('ServerFailure');

  if (qname === origin) {
    if (qtype === 'SOA') return result('Success', apexSoa(ap, dnssec), apexNs(ap, dnssec));
    if (qtype === 'NS') {
      const nsrrs = apexNs(ap, dnssec);
      return result('Success', nsrrs, NONE, glue(tr, nsrrs, dnssec));
    }
  }

  if (q.depth > MAX_CHASE_DEPTH) return result('ServerFailure');

  const ctx: ChaseContext = { tr, ap, origin, qtype, dnssec, depth: q.depth, upstream };
  let found = false;
  let elem: TreeNode | undefined;
  let wildElem: TreeNode | undefined;

  for (let i = 0; ; i++) {
    const [parts, shot] = nameFromRight(origin, qname, i);
    if (shot) break;

    elem = tr.get(parts);
    found = elem !== undefined;
    if (elem === undefined) {
      // Not there: maybe an empty non-terminal, maybe covered by a wildcard one level up.
      const wild = tr.get(replaceWithAsteriskLabel(parts));
      if (wild !== undefined) wildElem = wild;
      continue;
    }

    const dnames = elem.type('DNAME');
    const dname = dnames[0];
    if (dname !== undefined && dname.type === 'DNAME') {
      const cname = synthesizeCname(qname, dname);
      if (cname !== null) {
        let r: LookupResult;
        if (qtype === 'CNAME') {
          r = result('Success', [cname], apexNs(ap, dnssec));
        } else {
          r = await externalLookup({ ...ctx, depth: ctx.depth + 1 }, elem, [cname]);
        }
        const head = [...dnames];
        if (dnssec) head.push(...signatures(elem, 'DNAME'));
        return { ...r, answer: [...head, ...r.answer] };
      }
      // A DNAME owner may hold other types; carry on as if it were not there.
    }

    const nsrrs = elem.type('NS');
    if (nsrrs.length > 0) {
      // DS lives on the parent side of the cut: keep walking so the DS itself is answered.
      if (qtype === 'DS' && elem.name === qname) continue;
      const ns = [...nsrrs];
      const extra = glue(tr, ns, dnssec);
      if (dnssec) ns.push(...typeFromElem(elem, 'DS', dnssec));
      return result('Delegation', NONE, ns, extra);
    }
  }

  if (found && elem !== undefined) {
    const cnames = elem.type('CNAME');
    if (cnames.length > 0 && qtype !== 'CNAME') {
      return externalLookup({ ...ctx, depth: ctx.depth + 1 }, elem, [...cnames]);
    }
    const rrs = [...elem.type(qtype)];
    if (rrs.length === 0) {
      const ns = apexSoa(ap, dnssec);
      if (dnssec) ns.push(...typeFromElem(elem, 'NSEC', dnssec));
      return result('NoData', NONE, ns);
    }
    const extra = additionalProcessing(tr, origin, rrs, dnssec);
    if (dnssec) rrs.push(...signatures(elem, qtype));
    return result('Success', rrs, apexNs(ap, dnssec), extra);
  }

  if (wildElem !== undefined) {
    const auth = apexNs(ap, dnssec);
    const wildCnames = typeForWildcard(wildElem, 'CNAME', qname);
    if (wildCnames.length > 0 && qtype !== 'CNAME') {
      return externalLookup({ ...ctx, depth: ctx.depth + 1 }, wildElem, wildCnames);
    }
    const rrs = typeForWildcard(wildElem, qtype, qname);
    if (rrs.length === 0) {
      const ns = apexSoa(ap, dnssec);
      if (dnssec) ns.push(...typeFromElem(wildElem, 'NSEC', dnssec));
      return result('NoData', NONE, ns);
    }
    if (dnssec) {
      // An NSEC proves no closer name exists under the wildcard.
      const deny = tr.prev(qname);
      if (deny !== undefined) auth.push(...typeFromElem(deny, 'NSEC', dnssec));
      rrs.push(...typeForWildcard(wildElem, 'RRSIG', qname).filter((s) => covers(s, qtype)));
    }
    return result('Success', rrs, auth);
  }

  // Not in the tree and no wildcard: an empty non-terminal if something lies below it.
  const code: LookupResultCode = tr.hasBelow(qname) ? 'Success' : 'NameError';
  const ns = apexSoa(ap, dnssec);
  if (dnssec) ns.push(...denial(tr, origin, qname, code, dnssec));
  return result(code, NONE, ns);
}

interface ChaseContext {
  tr: Tree;
  ap: Apex;
  origin: string;
  qtype: string;
  dnssec: boolean;
  depth: number;
  upstream: Upstream | null;
}

/**
 * Follows `rrs` (CNAMEs owned by `elem` or synthesised for the query) inside the zone, and
 * through the upstream once the target leaves the tree (CoreDNS's externalLookup).
 */
async function externalLookup(ctx: ChaseContext, elem: TreeNode, rrs: ResourceRecord[]): Promise<LookupResult> {
  const { tr, ap, qtype, dnssec } = ctx;
  const answer = [...rrs];
  if (dnssec) answer.push(...signatures(elem, 'CNAME'));

  let target = cnameTarget(rrs[0]);
  let node = target === null ? undefined : tr.get(target);
  if (node === undefined) {
    return fromUpstream(ctx, answer, target);
  }
  for (let hops = 0; ; ) {
    const cname = node.type('CNAME');
    if (cname.length === 0) break;
    answer.push(...cname);
    if (dnssec) answer.push(...signatures(node, 'CNAME'));
    target = cnameTarget(cname[0]);
    const next: TreeNode | undefined = target === null ? undefined : tr.get(target);
    if (next === undefined) return fromUpstream(ctx, answer, target);
    node = next;
    hops++;
    if (hops > MAX_IN_ZONE_HOPS) return result('Success', answer, apexNs(ap, dnssec));
  }
  const targets = node.type(qtype);
  if (targets.length > 0) {
    answer.push(...targets);
    if (dnssec) answer.push(...signatures(node, qtype));
  }
  return result('Success', answer, apexNs(ap, dnssec));
}

/** Asks the upstream for the CNAME target and maps its reply as CoreDNS's doLookup does. */
async function fromUpstream(ctx: ChaseContext, answer: ResourceRecord[], target: string | null): Promise<LookupResult> {
  const ns = apexNs(ctx.ap, ctx.dnssec);
  if (target === null || ctx.upstream === null) return result('ServerFailure', answer, ns);
  let reply: DnsMessage | null;
  try {
    reply = await ctx.upstream(target, ctx.qtype);
  } catch {
    return result('ServerFailure', answer, ns);
  }
  if (reply === null) return result('Success', answer, ns);
  const code: LookupResultCode =
    reply.rcode === 'NXDOMAIN' ? 'NameError'
    : reply.rcode === 'SERVFAIL' ? 'ServerFailure'
    : reply.rcode === 'NOERROR' && reply.answers.length === 0 ? 'NoData'
    : 'Success';
  return result(code, [...answer, ...reply.answers], ns);
}

/**
 * The part of `qname` made of the origin plus `i` more labels from the right, and whether
 * that overshoots qname (CoreDNS's Zone.nameFromRight).
 */
export function nameFromRight(origin: string, qname: string, i: number): [name: string, shot: boolean] {
  if (i <= 0) return [origin, false];
  const originLabels = countLabels(origin);
  const ql = labels(qname);
  if (ql.length < originLabels || originLabels + i > ql.length) return [qname, true];
  return [`${ql.slice(ql.length - originLabels - i).join('.')}.`, false];
}

/**
 * `www.example.com.` → `*.example.com.`. A name of one label or the root gives `''`, which
 * matches nothing (CoreDNS's replaceWithAsteriskLabel).
 */
export function replaceWithAsteriskLabel(name: string): string {
  const ls = labels(name);
  return ls.length <= 1 ? '' : `*.${ls.slice(1).join('.')}.`;
}

/**
 * `qname CNAME <qname with the DNAME owner replaced by its target>`, TTL of the DNAME; null
 * when qname is not strictly below the DNAME owner.
 */
function synthesizeCname(qname: string, dname: Extract<ResourceRecord, { type: 'DNAME' }>): ResourceRecord | null {
  const owner = dname.name;
  const ql = labels(qname);
  const ol = labels(owner);
  if (ql.length <= ol.length || !isSubdomain(qname, owner)) return null;
  const prefix = ql.slice(0, ql.length - ol.length).join('.');
  const target = dname.data === '.' ? `${prefix}.` : `${prefix}.${dname.data}`;
  return { name: qname, ttl: dname.ttl, class: 'IN', type: 'CNAME', data: target };
}

function cnameTarget(rr: ResourceRecord | undefined): string | null {
  return rr !== undefined && rr.type === 'CNAME' ? rr.data : null;
}

/** The wildcard's records of `type`, renamed to `qname`. */
function typeForWildcard(elem: TreeNode, type: string, qname: string): ResourceRecord[] {
  return elem.type(type).map((rr) => ({ ...rr, name: qname }));
}

/** A/AAAA of the NS targets that lie under each NS record's owner (CoreDNS's Tree.Glue). */
function glue(tr: Tree, nsrrs: readonly ResourceRecord[], dnssec: boolean): ResourceRecord[] {
  const out: ResourceRecord[] = [];
  for (const rr of nsrrs) {
    if (rr.type !== 'NS' || !isSubdomain(rr.data, rr.name)) continue;
    const node = tr.get(rr.data);
    if (node === undefined) continue;
    out.push(...typeFromElem(node, 'A', dnssec), ...typeFromElem(node, 'AAAA', dnssec));
  }
  return out;
}

/** A/AAAA of MX and SRV targets inside the zone (CoreDNS's additionalProcessing). */
function additionalProcessing(tr: Tree, origin: string, answer: readonly ResourceRecord[], dnssec: boolean): ResourceRecord[] {
  const extra: ResourceRecord[] = [];
  for (const rr of answer) {
    const target = rr.type === 'MX' ? rr.data.exchange : rr.type === 'SRV' ? rr.data.target : '';
    if (target === '' || !isSubdomain(target, origin)) continue;
    const node = tr.get(target);
    if (node === undefined) continue;
    extra.push(...typeFromElem(node, 'A', dnssec), ...typeFromElem(node, 'AAAA', dnssec));
  }
  return extra;
}

/** NSEC records proving the denial (CoreDNS's NXDOMAIN/ENT branch with `do`). */
function denial(tr: Tree, origin: string, qname: string, code: LookupResultCode, dnssec: boolean): ResourceRecord[] {
  const deny = tr.prev(qname);
  if (deny === undefined) return [];
  const out = typeFromElem(deny, 'NSEC', dnssec);
  if (code !== 'NameError') return out;
  const wildcardDeny = tr.prev(`*.${closestEncloser(tr, origin, qname)}`);
  if (wildcardDeny !== undefined && wildcardDeny.name !== deny.name) out.push(...typeFromElem(wildcardDeny, 'NSEC', dnssec));
  return out;
}

/** The longest existing ancestor of qname, or the origin (CoreDNS's ClosestEncloser). */
function closestEncloser(tr: Tree, origin: string, qname: string): string {
  const ls = labels(qname);
  for (let i = 0; i < ls.length - 1; i++) {
    const name = `${ls.slice(i).join('.')}.`;
    if (tr.has(name)) return name;
  }
  return origin;
}

function typeFromElem(elem: TreeNode, type: string, dnssec: boolean): ResourceRecord[] {
  const rrs = [...elem.type(type)];
  if (dnssec) rrs.push(...signatures(elem, type));
  return rrs;
}

function signatures(elem: TreeNode, covered: string): ResourceRecord[] {
  return elem.type('RRSIG').filter((s) => covers(s, covered));
}

function covers(sig: ResourceRecord, type: string): boolean {
  return sig.type === 'RRSIG' && sig.data.typeCovered === type;
}

function apexSoa(ap: Apex, dnssec: boolean): ResourceRecord[] {
  const out: ResourceRecord[] = ap.soa ? [ap.soa] : [];
  if (dnssec) out.push(...ap.sigSoa);
  return out;
}

function apexNs(ap: Apex, dnssec: boolean): ResourceRecord[] {
  const out = [...ap.ns];
  if (dnssec) out.push(...ap.sigNs);
  return out;
}

function result(code: LookupResultCode, answer: ResourceRecord[] = NONE, ns: ResourceRecord[] = NONE, extra: ResourceRecord[] = NONE): LookupResult {
  return { result: code, answer: [...answer], ns: [...ns], extra: [...extra] };
}
