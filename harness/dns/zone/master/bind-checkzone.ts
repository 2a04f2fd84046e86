import { spawnSync } from 'node:child_process';

/**
 * BIND's `named-checkzone` as a reference oracle for tests and the benchmark (Debian package
 * bind9-utils). Post-load checks that are not about parsing (glue, check-names, MX/SRV targets)
 * are switched off, so only the master-file reading is compared.
 */
export const CHECKZONE_ARGS: readonly string[] = [
  '-i', 'none', '-k', 'ignore', '-n', 'ignore', '-m', 'ignore', '-M', 'ignore', '-S', 'ignore', '-r', 'ignore',
];

export const BIND_MISSING = 'named-checkzone not found: install bind9-utils (apt-get update && apt-get install -y bind9-utils)';

export interface CheckzoneResult {
  ok: boolean;
  status: number | null;
  stdout: string;
  stderr: string;
  /** First `file:line:` BIND reported, if any. */
  line?: number;
}

/** True when `named-checkzone` can be run. */
export function hasNamedCheckzone(): boolean {
  const r = spawnSync('named-checkzone', ['-v'], { encoding: 'utf8' });
  return r.error === undefined && r.status === 0;
}

/**
 * `named-checkzone -D -o - <origin> <file>`, run in `cwd` (BIND resolves `$INCLUDE` paths
 * against its working directory). Throws with {@link BIND_MISSING} when it is not installed.
 */
export function namedCheckzone(origin: string, file: string, cwd?: string): CheckzoneResult {
  const r = spawnSync('named-checkzone', [...CHECKZONE_ARGS, '-D', '-o', '-', origin, file], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    ...(cwd === undefined ? {} : { cwd }),
  });
  if (r.error !== undefined) {
    if ((r.error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(BIND_MISSING);
    throw r.error;
  }
  const m = /:(\d+): /.exec(`${r.stderr}\n${r.stdout}`);
  const result: CheckzoneResult = { ok: r.status === 0, status: r.status, stdout: r.stdout, stderr: r.stderr };
  if (m?.[1] !== undefined) result.line = Number(m[1]);
  return result;
}

/** The record lines of a `-D` dump (comments and blank lines dropped). */
export function dumpLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.trim() !== '' && !l.startsWith(';'));
}

// Types whose RDATA names CoreDNS (and so we) lower-case while BIND keeps the case.
const LOWERED_RDATA = new Set(['NS', 'CNAME', 'DNAME', 'MX', 'SOA']);

/**
 * One presentation line reduced to a comparable form: fields split on whitespace outside
 * quotes and re-joined with single spaces, owner lower-cased, and the RDATA lower-cased for
 * the types whose targets CoreDNS lower-cases.
 */
export function normaliseZoneLine(line: string): string {
  const fields: string[] = [];
  let cur = '';
  let inQuote = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] ?? '';
    if (inQuote) {
      cur += ch;
      if (ch === '\\') cur += line[++i] ?? '';
      else if (ch === '"') inQuote = false;
    } else if (ch === ' ' || ch === '\t') {
      if (cur !== '') fields.push(cur);
      cur = '';
    } else {
      cur += ch;
      if (ch === '\\') cur += line[++i] ?? '';
      else if (ch === '"') inQuote = true;
    }
  }
  if (cur !== '') fields.push(cur);
  const [owner = '', ttl = '', cls = '', type = '', ...rdata] = fields;
  const rd = rdata.join(' ');
  return `${owner.toLowerCase()} ${ttl} ${cls} ${type} ${LOWERED_RDATA.has(type) ? rd.toLowerCase() : rd}`;
}
