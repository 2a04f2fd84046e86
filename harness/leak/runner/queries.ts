/**
 * Query steps: real DNS over UDP or TCP to the server under test, checked against the
 * scenario's expectations; and background load that must be fully answered.
 */
import { performance } from 'node:perf_hooks';
import { buildQuery, query, TcpClient } from '../../dns/testing/client.ts';
import type { DnsMessage } from '../../dns/wire/message.ts';
import type { ResourceRecord } from '../../dns/zone/record.ts';
import { formatRecord } from '../../dns/zone/master/format.ts';
import type { LoadQuery, QueryExpect, Step } from '../scenario/types.ts';
import type { PredictedCheck } from './expectations.ts';

/** RDATA in presentation form: the record's text after owner, TTL, class and type. */
export function rdataText(rr: ResourceRecord): string {
  return formatRecord(rr).split(/\s+/).slice(4).join(' ');
}

function check(id: string, step: string, metric: string, expected: string | number, actual: string | number): PredictedCheck {
  return { id, step, metric, expected, actual, ok: expected === actual, exact: true, predicted: expected };
}

/** Compares one reply with its expectations; returns a check per expectation. */
export function compareReply(id: string, step: string, q: { name: string; type: string }, reply: DnsMessage, e: QueryExpect): PredictedCheck[] {
  const m = (what: string): string => `query ${q.name} ${q.type} ${what}`;
  const out: PredictedCheck[] = [];
  if (e.rcode !== undefined) out.push(check(`${id}.rcode`, step, m('rcode'), e.rcode, reply.rcode));
  if (e.aa !== undefined) out.push(check(`${id}.aa`, step, m('aa'), String(e.aa), String(reply.authoritative)));
  if (e.tc !== undefined) out.push(check(`${id}.tc`, step, m('tc'), String(e.tc), String(reply.truncated)));
  if (e.answer !== undefined) {
    const want = [...e.answer].sort().join(' | ');
    const got = reply.answers.map(rdataText).sort().join(' | ');
    out.push(check(`${id}.answer`, step, m('answer'), want, got));
  }
  if (e.answerCount !== undefined) out.push(check(`${id}.answerCount`, step, m('answer count'), e.answerCount, reply.answers.length));
  if (e.authorityCount !== undefined) out.push(check(`${id}.authorityCount`, step, m('authority count'), e.authorityCount, reply.authorities.length));
  if (e.additionalCount !== undefined) out.push(check(`${id}.additionalCount`, step, m('additional count'), e.additionalCount, reply.additionals.length));
  if (e.authorityTypes !== undefined) {
    out.push(check(`${id}.authorityTypes`, step, m('authority types'), [...e.authorityTypes].sort().join(','), reply.authorities.map((r) => r.type).sort().join(',')));
  }
  return out;
}

export async function runQuery(port: number, step: Extract<Step, { op: 'query' }>, id: string, where: string): Promise<PredictedCheck[]> {
  let reply: DnsMessage;
  try {
    reply = await query({ port, name: step.name, type: step.type, transport: step.transport, timeoutMs: 3000 });
  } catch (err) {
    return [check(`${id}.answered`, where, `query ${step.name} ${step.type} answered`, 'answered', `no answer: ${(err as Error).message}`)];
  }
  return compareReply(id, where, step, reply, step.expect);
}

export interface LoadHandle {
  finish(id: string, where: string): Promise<PredictedCheck[]>;
  abort(): void;
}

/** Queries in flight at most: a starved process sends fewer queries, never a burst that times out. */
const MAX_IN_FLIGHT = 32;
/** Persistent TCP connections the load shares (DNS over TCP pipelines; a connection per query
 * would churn thousands of sockets through TIME_WAIT). */
const TCP_CONNECTIONS = 2;

/**
 * Sends queries at up to `qps` (round-robin over the list) until `finish`; every query must be
 * answered and match its expectation. Mismatches are counted, and the first few are named.
 * A slot missed because the process was busy is skipped, not made up in a burst.
 */
export function startLoad(port: () => number, step: Extract<Step, { op: 'load' }>): LoadHandle {
  let running = true;
  let sent = 0;
  let answered = 0;
  let wrong = 0;
  const problems: string[] = [];
  const inflight = new Set<Promise<void>>();
  const interval = 1000 / step.qps;
  const tcp: Array<Promise<TcpClient> | null> = Array.from({ length: TCP_CONNECTIONS }, () => null);
  let nextId = 1;
  const tcpQuery = async (slot: number, q: LoadQuery): Promise<DnsMessage> => {
    let conn = tcp[slot];
    if (!conn) {
      conn = TcpClient.connect({ port: port(), timeoutMs: 3000 });
      tcp[slot] = conn;
      conn.then((c) => c.closed.then(() => { if (tcp[slot] === conn) tcp[slot] = null; }), () => { if (tcp[slot] === conn) tcp[slot] = null; });
    }
    const client = await conn;
    nextId = (nextId % 65535) + 1;
    return client.query(buildQuery({ name: q.name, type: q.type, id: nextId }), 3000);
  };
  const one = async (q: LoadQuery, i: number): Promise<void> => {
    sent++;
    try {
      const reply = q.transport === 'tcp'
        ? await tcpQuery(i % TCP_CONNECTIONS, q)
        : await query({ port: port(), name: q.name, type: q.type, transport: 'udp', timeoutMs: 3000 });
      answered++;
      const bad = compareReply('load', '', q, reply, q.expect).filter((c) => !c.ok);
      if (bad.length > 0) {
        wrong++;
        if (problems.length < 5) problems.push(`${q.transport} ${q.name} ${q.type}: ${bad.map((c) => `${c.metric} expected ${c.expected}, got ${c.actual}`).join('; ')}`);
      }
    } catch (err) {
      if (problems.length < 5) problems.push(`${q.transport} ${q.name} ${q.type}: ${(err as Error).message}`);
    }
  };
  const loop = (async () => {
    let next = performance.now();
    let i = 0;
    while (running) {
      if (inflight.size >= MAX_IN_FLIGHT) {
        await Promise.race(inflight);
        continue;
      }
      const q = step.queries[i % step.queries.length]!;
      const p = one(q, i).finally(() => inflight.delete(p));
      inflight.add(p);
      i++;
      next = Math.max(next + interval, performance.now());
      const delay = next - performance.now();
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      else await new Promise((r) => setImmediate(r));
    }
  })();
  return {
    async finish(id, where) {
      running = false;
      await loop;
      await Promise.all([...inflight]);
      await Promise.all(tcp.map(async (c) => { if (c) await (await c.catch(() => null))?.close(); }));
      const detail = problems.length ? ` (${problems.join(' / ')})` : '';
      return [
        check(`${id}.answered`, where, `load queries answered${detail}`, sent, answered),
        check(`${id}.correct`, where, `load answers correct${detail}`, sent, answered - wrong),
      ];
    },
    abort() {
      running = false;
      for (const c of tcp) void c?.then((x) => x.close(), () => undefined);
    },
  };
}
