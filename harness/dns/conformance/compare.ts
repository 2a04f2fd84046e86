/**
 * How one reply of ours is judged against the reference's (NSD) reply to the same query.
 * rcode, AA and the answer section must always match; authority and additional follow a
 * per-row rule, because CoreDNS's `file` plugin and NSD legitimately differ there
 * (coredns-semantics.md 4.3). Pure functions over parsed dig/kdig output.
 */
import { normaliseRecord, recordSet, type DigRecord, type DigResult } from '../testing/dig.ts';

/** What one section of a row is held to. Every rule but `same` carries the reason. */
export type SectionRule =
  /** Identical sets of records. */
  | { kind: 'same' }
  /**
   * Negative answers: the same SOA, but CoreDNS returns it with its stored TTL and NSD with
   * min(SOA TTL, MINIMUM) (RFC 2308 section 3). Pins both TTLs.
   */
  | { kind: 'soa-ttl'; ours: number; ref: number; why: string }
  /**
   * NSD also adds the addresses of the in-zone NS targets it put in the authority section;
   * CoreDNS does additional processing only for MX/SRV answers and NS at the apex. Ours must
   * equal NSD's section without exactly those records, and NSD must have them.
   */
  | { kind: 'ref-adds-ns-glue'; glue: readonly string[]; why: string }
  /** The servers differ; ours is pinned to what CoreDNS gives (normalised records). */
  | { kind: 'pinned'; ours: readonly string[]; why: string };

export type QueryClass = 'answer' | 'cname' | 'wildcard' | 'nxdomain' | 'nodata' | 'referral' | 'ent';

export interface ConformanceRow {
  id: string;
  name: string;
  type: string;
  class: QueryClass;
  /** What both servers must say (a row that stops testing its class fails). */
  rcode: 'NOERROR' | 'NXDOMAIN';
  aa: boolean;
  authority: SectionRule;
  additional: SectionRule;
  /** Why the row is there, when the name does not say it. */
  note?: string;
}

function diffSets(label: string, ours: readonly string[], ref: readonly string[]): string[] {
  const missing = ref.filter((r) => !ours.includes(r));
  const extra = ours.filter((r) => !ref.includes(r));
  if (missing.length === 0 && extra.length === 0 && ours.length === ref.length) return [];
  return [`${label} differs:\n    ours: ${ours.join('\n          ') || '(empty)'}\n    ref:  ${ref.join('\n          ') || '(empty)'}`];
}

function withoutTtl(r: DigRecord): string {
  return normaliseRecord({ ...r, ttl: 0 });
}

function compareSection(section: 'authority' | 'additional', rule: SectionRule, ours: readonly DigRecord[], ref: readonly DigRecord[]): string[] {
  switch (rule.kind) {
    case 'same':
      return diffSets(section, recordSet(ours), recordSet(ref));
    case 'soa-ttl': {
      const problems = diffSets(`${section} (TTL aside)`, ours.map(withoutTtl).sort(), ref.map(withoutTtl).sort());
      const soaTtls = (rs: readonly DigRecord[]): number[] => rs.filter((r) => r.type === 'SOA').map((r) => r.ttl);
      const [o, f] = [soaTtls(ours), soaTtls(ref)];
      if (o.length !== 1 || o[0] !== rule.ours) problems.push(`${section}: our SOA TTL ${o.join(',') || 'none'}, want ${rule.ours} (${rule.why})`);
      if (f.length !== 1 || f[0] !== rule.ref) problems.push(`${section}: reference SOA TTL ${f.join(',') || 'none'}, want ${rule.ref} (${rule.why})`);
      return problems;
    }
    case 'ref-adds-ns-glue': {
      const isGlue = (r: DigRecord): boolean => (r.type === 'A' || r.type === 'AAAA') && rule.glue.includes(r.name.toLowerCase());
      const problems = diffSets(`${section} (reference's NS glue aside)`, recordSet(ours), recordSet(ref.filter((r) => !isGlue(r))));
      for (const name of rule.glue) {
        if (!ref.some((r) => isGlue(r) && r.name.toLowerCase() === name)) problems.push(`${section}: the reference has no glue for ${name}; the rule is stale (${rule.why})`);
      }
      return problems;
    }
    case 'pinned': {
      const problems = diffSets(`${section} (pinned to CoreDNS)`, recordSet(ours), [...rule.ours].sort());
      // A pinned difference that vanished means the reference changed or the row is wrong.
      if (diffSets('', recordSet(ref), [...rule.ours].sort()).length === 0) problems.push(`${section}: pinned as different, but the reference gives the same (${rule.why})`);
      return problems;
    }
  }
}

/**
 * Every way `ours` fails the row against `ref` (empty when it conforms). Both replies are also
 * held to the row's rcode and AA, so a row that no longer exercises its class is reported.
 */
export function compareReplies(row: ConformanceRow, ours: DigResult, ref: DigResult): string[] {
  const problems: string[] = [];
  for (const [who, r] of [['ours', ours], ['ref', ref]] as const) {
    if (r.rcode !== row.rcode) problems.push(`${who}: rcode ${r.rcode}, row says ${row.rcode}`);
    if (r.flags.includes('aa') !== row.aa) problems.push(`${who}: AA ${r.flags.includes('aa') ? 1 : 0}, row says ${row.aa ? 1 : 0}`);
    if (r.flags.includes('tc')) problems.push(`${who}: truncated`);
  }
  if (ours.rcode !== ref.rcode) problems.push(`rcode: ours ${ours.rcode}, ref ${ref.rcode}`);
  if (ours.flags.includes('aa') !== ref.flags.includes('aa')) problems.push(`AA: ours ${ours.flags.includes('aa')}, ref ${ref.flags.includes('aa')}`);
  problems.push(...diffSets('answer', recordSet(ours.answer), recordSet(ref.answer)));
  problems.push(...compareSection('authority', row.authority, ours.authority, ref.authority));
  problems.push(...compareSection('additional', row.additional, ours.additional, ref.additional));
  return problems;
}

/** The parts of a reply that must not depend on the client or transport. */
export function replyDigest(r: DigResult): string {
  return [
    r.rcode,
    r.flags.filter((f) => f === 'aa' || f === 'tc').join(','),
    ...(['answer', 'authority', 'additional'] as const).map((s) => `${s}: ${recordSet(r[s]).join(' | ')}`),
  ].join('\n');
}
