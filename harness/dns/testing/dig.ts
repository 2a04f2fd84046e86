/**
 * Test helper: ask a server with the real `dig` (BIND) and `kdig` (Knot) and parse what they
 * print into rcode, flags and sections. Comparing servers through third-party clients keeps our
 * own codec out of the judgement: both servers are read by the same foreign parser.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export type DigTool = 'dig' | 'kdig';

/** Debian package that provides each external command the conformance tests run. */
export const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  dig: 'bind9-dnsutils',
  kdig: 'knot-dnsutils',
  nsd: 'nsd',
};

export interface DigQuery {
  tool: DigTool;
  port: number;
  name: string;
  type: string;
  /** @default '127.0.0.1' */
  server?: string;
  /** @default false (UDP) */
  tcp?: boolean;
  /** Per try, in seconds. @default 2 */
  timeoutSeconds?: number;
}

export interface DigRecord {
  name: string;
  ttl: number;
  class: string;
  type: string;
  /** Presentation rdata, whitespace outside quotes collapsed. */
  data: string;
}

export interface DigResult {
  tool: DigTool;
  /** Upper case, as printed: NOERROR, NXDOMAIN, ... */
  rcode: string;
  /** Lower-case header flags: qr, aa, tc, rd, ra, ad, cd. */
  flags: string[];
  answer: DigRecord[];
  authority: DigRecord[];
  additional: DigRecord[];
  /** The tool's full output, for failure messages. */
  raw: string;
}

/** Thrown when a command is missing; the message names the package to install. */
export class MissingToolError extends Error {
  readonly code = 'EMISSINGTOOL';
  constructor(readonly command: string, readonly pkg: string) {
    super(`'${command}' is not on PATH: install the Debian package ${pkg} (apt-get install -y ${pkg}); .ci/run installs it`);
  }
}

function onPath(command: string): boolean {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this dir
    }
  }
  return false;
}

/**
 * Throws a MissingToolError for the first command that is not installed (nsd lives in sbin,
 * which a non-root PATH may lack, so sbin dirs are searched too).
 */
export function requireTools(commands: readonly string[]): void {
  for (const c of commands) {
    const found = onPath(c) || ['/usr/sbin', '/sbin', '/usr/local/sbin'].some((d) => {
      try {
        accessSync(join(d, c), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
    if (!found) throw new MissingToolError(c, TOOL_PACKAGES[c] ?? c);
  }
}

/** The command line for one query: no recursion wanted, one try, no cookie noise. */
export function digArgs(q: DigQuery): string[] {
  const timeout = q.timeoutSeconds ?? 2;
  const common = [`@${q.server ?? '127.0.0.1'}`, '-p', String(q.port), q.name, q.type, '+norecurse'];
  if (q.tool === 'dig') {
    return [...common, `+time=${timeout}`, '+tries=1', '+nocookie', ...(q.tcp ? ['+tcp'] : [])];
  }
  return [...common, `+time=${timeout}`, '+retry=0', ...(q.tcp ? ['+tcp'] : [])];
}

/** Runs the query; rejects with the tool's output when it got no answer. */
export function dig(q: DigQuery): Promise<DigResult> {
  requireTools([q.tool]);
  const args = digArgs(q);
  return new Promise((resolve, reject) => {
    execFile(q.tool, args, { timeout: ((q.timeoutSeconds ?? 2) + 3) * 1000 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`${q.tool} ${args.join(' ')} failed: ${err.message}\n${stdout}${stderr}`));
        return;
      }
      try {
        resolve(parseDigOutput(stdout, q.tool));
      } catch (e) {
        reject(new Error(`${q.tool} ${args.join(' ')}: ${e instanceof Error ? e.message : String(e)}\n${stdout}${stderr}`));
      }
    });
  });
}

type Section = 'answer' | 'authority' | 'additional';
const SECTION_HEADINGS: ReadonlyArray<[RegExp, Section | null]> = [
  [/^;; ANSWER SECTION:/, 'answer'],
  [/^;; AUTHORITY SECTION:/, 'authority'],
  [/^;; ADDITIONAL SECTION:/, 'additional'],
  [/^;; [A-Z ]+(PSEUDO)?SECTION:/, null],
];

/**
 * Parses dig's or kdig's default output. Both print `;;`-comment headers and records as
 * `owner TTL CLASS TYPE RDATA`; they differ in separators (`,` vs `;`) and in `flags`/`Flags`.
 */
export function parseDigOutput(text: string, tool: DigTool): DigResult {
  const status = /->>HEADER<<-[^\n]*status: ([A-Z0-9]+)/.exec(text);
  if (!status?.[1]) throw new Error(`no ->>HEADER<<- line in ${tool} output`);
  const flagLine = /^;; [Ff]lags:([^;\n]*);/m.exec(text);
  if (!flagLine) throw new Error(`no flags line in ${tool} output`);
  const result: DigResult = {
    tool,
    rcode: status[1],
    flags: (flagLine[1] ?? '').trim().split(/\s+/).filter((f) => f !== '').map((f) => f.toLowerCase()).sort(),
    answer: [],
    authority: [],
    additional: [],
    raw: text,
  };
  let section: Section | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith(';')) {
      for (const [re, s] of SECTION_HEADINGS) {
        if (re.test(line)) {
          section = s;
          break;
        }
      }
      continue;
    }
    if (line.trim() === '') continue;
    if (section === null) continue;
    result[section].push(parseRecordLine(line));
  }
  return result;
}

/** `owner TTL CLASS TYPE RDATA...`; rdata keeps quoted strings intact. */
export function parseRecordLine(line: string): DigRecord {
  const m = /^(\S+)\s+(\d+)\s+(\S+)\s+(\S+)\s*(.*)$/.exec(line.trim());
  if (!m) throw new Error(`not a record line: ${JSON.stringify(line)}`);
  const [, name = '', ttl = '0', klass = '', type = '', data = ''] = m;
  return { name, ttl: Number(ttl), class: klass.toUpperCase(), type: type.toUpperCase(), data: collapseOutsideQuotes(data) };
}

function collapseOutsideQuotes(s: string): string {
  let out = '';
  let quoted = false;
  let space = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (quoted) {
      out += c;
      if (c === '\\' && i + 1 < s.length) out += s[++i];
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === ' ' || c === '\t') {
      space = true;
      continue;
    }
    if (space && out !== '') out += ' ';
    space = false;
    out += c;
    if (c === '"') quoted = true;
  }
  return out;
}

/**
 * One comparable string per record: names are case-insensitive, so everything outside quoted
 * strings is lower-cased (NSD echoes the query's case in owners; CoreDNS lower-cases them).
 */
export function normaliseRecord(r: DigRecord): string {
  return `${r.name.toLowerCase()} ${r.ttl} ${r.class} ${r.type} ${lowerOutsideQuotes(r.data)}`;
}

function lowerOutsideQuotes(s: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (quoted && c === '\\' && i + 1 < s.length) {
      out += c + (s[++i] as string);
      continue;
    }
    if (c === '"') quoted = !quoted;
    out += quoted ? c : c.toLowerCase();
  }
  return out;
}

/** A section as a sorted list of normalised records (order is not meaningful within a section). */
export function recordSet(records: readonly DigRecord[]): string[] {
  return records.map(normaliseRecord).sort();
}
