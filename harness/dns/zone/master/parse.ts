import { readRegularFile } from '../../server/regular-file.ts';
import { dirname, resolve } from 'node:path';
import type { RecordType, ResourceRecord } from '../record.ts';
import { Cursor } from './cursor.ts';
import { ZoneParseError } from './errors.ts';
import { ESCAPED, Lexer, emptyLogicalLine, type LogicalLine } from './lexer.ts';
import { parseHex, parseTtl } from './numbers.ts';
import { RDATA_READERS } from './rdata.ts';
import { setRecordSources } from './sources.ts';
import { decodeKnownRdata } from './rfc3597.ts';
import { FieldError, absoluteName, lowerName, wireLength } from './text.ts';
import { typeName, typeNumber } from './types.ts';

export { ZoneParseError } from './errors.ts';
export { checkZoneRecords } from './check.ts';
export { recordSources, type RecordSources } from './sources.ts';

export interface ParseOptions {
  /** Origin for relative names and `@`: absolute, with the trailing dot. */
  origin: string;
  /** Path used in messages and as the base for relative `$INCLUDE` paths. */
  file: string;
  /** Reads an included file. @default fs.readFileSync(absPath, 'utf8') */
  readInclude?: (absPath: string) => string;
  /** TTL for records before any `$TTL` or explicit TTL. @default 3600 (as miekg/dns) */
  defaultTtl?: number;
}

/** Records in file order, with where each one came from (parallel arrays). */
export interface ParsedZone {
  records: ResourceRecord[];
  /** Line of each record's first token, in the file named at the same index of `files`. */
  lines: number[];
  /** File of each record: `opts.file`, or the resolved path of an `$INCLUDE`d file. */
  files: string[];
}

/** `$INCLUDE` nesting limit (miekg/dns uses the same depth). */
export const MAX_INCLUDE_DEPTH = 7;

/** RFC 2181 section 8: a TTL with the top bit set is treated as zero (BIND does the same). */
const MAX_TTL = 0x7fffffff;


/**
 * Parses an RFC 1035 master file (with RFC 2308 `$TTL` and RFC 3597 unknown types) into records
 * in file order. Any error fails the whole parse with a {@link ZoneParseError}; nothing partial
 * is ever returned. Zone-level rules (one SOA at the apex, nothing outside the origin) are
 * {@link checkZoneRecords}'s job.
 */
export function parseMasterFile(text: string, opts: ParseOptions): ResourceRecord[] {
  return parseMasterFileWithLines(text, opts).records;
}

export function parseMasterFileWithLines(text: string, opts: ParseOptions): ParsedZone {
  const origin = originName(opts.origin, opts.file);
  const state: State = {
    out: { records: [], lines: [], files: [] },
    readInclude: opts.readInclude ?? readRegularFile,
    defaultTtl: opts.defaultTtl ?? 3600,
    dirTtl: -1,
    lastTtl: -1,
    stack: [resolve(opts.file)],
    cursor: new Cursor(),
  };
  parseText(state, text, opts.file, origin);
  setRecordSources(state.out.records, { lines: state.out.lines, files: state.out.files });
  return state.out;
}

interface State {
  out: ParsedZone;
  readInclude: (absPath: string) => string;
  defaultTtl: number;
  /** `$TTL` value, -1 when none: explicit TTLs then become the default (RFC 1035 behaviour). */
  dirTtl: number;
  lastTtl: number;
  /** Absolute paths of the files being read, outermost first (include cycle detection). */
  stack: string[];
  cursor: Cursor;
}

function originName(origin: string, file: string): string {
  try {
    const o = origin.endsWith('.') ? origin : `${origin}.`;
    return absoluteName(o, o.includes('\\'), '.', 1);
  } catch (e) {
    if (e instanceof FieldError) throw new ZoneParseError('semantic', file, 0, `bad origin "${origin}": ${e.reason}`);
    throw e;
  }
}

function fail(file: string, line: number, e: unknown): never {
  if (e instanceof FieldError) throw new ZoneParseError('syntax', file, line, e.reason, e.hint);
  throw e;
}

function parseText(state: State, text: string, file: string, startOrigin: string): void {
  const lexer = new Lexer(text, file);
  const ll = emptyLogicalLine();
  let origin = startOrigin;
  let originWire = wireLength(origin);
  let owner: string | undefined;
  const out = state.out;
  const c = state.cursor;

  while (lexer.next(ll)) {
    const first = ll.texts[0] ?? '';
    const firstFlags = ll.flags[0] ?? 0;
    if (!ll.leadingBlank && firstFlags === 0 && first.charCodeAt(0) === 36) {
      // `$` directives. Their argument names resolve against the origin in force.
      const arg = (i: number, what: string): string => {
        const t = ll.texts[i];
        if (i >= ll.count || t === undefined) {
          throw new ZoneParseError('syntax', file, ll.line, `${first} needs ${what}`, `write ${first} <${what}>`);
        }
        return t;
      };
      const directive = first.toUpperCase();
      if (directive === '$ORIGIN') {
        if (ll.count > 2) extra(file, ll, 2, '$ORIGIN');
        try {
          origin = absoluteName(arg(1, 'a domain name'), (ll.flags[1] ?? 0) !== 0, origin, originWire);
        } catch (e) {
          fail(file, ll.line, e);
        }
        originWire = wireLength(origin);
      } else if (directive === '$TTL') {
        if (ll.count > 2) extra(file, ll, 2, '$TTL');
        const t = arg(1, 'a TTL');
        const v = (ll.flags[1] ?? 0) === 0 ? parseTtl(t) : -1;
        if (v < 0) throw badTtl(file, ll.line, t);
        state.dirTtl = v > MAX_TTL ? 0 : v;
      } else if (directive === '$INCLUDE') {
        include(state, ll, file, origin, originWire, arg(1, 'a file name'));
      } else {
        throw new ZoneParseError('syntax', file, ll.line, `unknown or unsupported directive ${first}`,
          'the directives understood are $ORIGIN, $TTL and $INCLUDE ($GENERATE is not supported)');
      }
      continue;
    }

    let i = 0;
    if (ll.leadingBlank) {
      if (owner === undefined) {
        throw new ZoneParseError('syntax', file, ll.line, 'no owner name: the first record starts with a blank',
          'put the owner name (or @) in the first column');
      }
    } else {
      try {
        owner = absoluteName(first, firstFlags !== 0, origin, originWire);
      } catch (e) {
        fail(file, ll.line, e);
      }
      i = 1;
    }

    // TTL and class, in either order, each at most once.
    let ttl = -1;
    let sawClass = false;
    for (let k = 0; k < 2 && i < ll.count; k++) {
      if ((ll.flags[i] ?? 0) !== 0) break;
      const t = ll.texts[i] ?? '';
      const c0 = t.charCodeAt(0);
      if (ttl < 0 && c0 >= 48 && c0 <= 57) {
        const v = parseTtl(t);
        if (v < 0) throw badTtl(file, ll.lines[i] ?? ll.line, t);
        ttl = v > MAX_TTL ? 0 : v;
        i++;
      } else if (!sawClass && isClass(t, file, ll.lines[i] ?? ll.line)) {
        sawClass = true;
        i++;
      } else break;
    }

    if (i >= ll.count) {
      throw new ZoneParseError('syntax', file, ll.endLine, 'missing record type', 'a record is: owner [TTL] [class] type data');
    }
    const typeText = ll.texts[i] ?? '';
    const typeLine = ll.lines[i] ?? ll.line;
    const typeNum = (ll.flags[i] ?? 0) === 0 ? typeNumber(typeText) : undefined;
    if (typeNum === undefined) {
      throw new ZoneParseError('syntax', file, typeLine, `unknown record type "${typeText}"`,
        'use a type mnemonic (A, MX, ...) or TYPEnnn; a TTL or class must come before the type');
    }
    i++;
    const type = checkType(typeNum, typeText, file, typeLine);

    let data: unknown;
    let finalType = type;
    c.reset(ll, i, origin, originWire);
    try {
      if (i < ll.count && ll.texts[i] === '\\#' && (ll.flags[i] ?? 0) === ESCAPED) {
        c.i++;
        const raw = unknownRdata(c);
        if (RDATA_READERS[type] !== undefined) data = decodeKnownRdata(type, raw);
        else {
          data = raw;
          finalType = `TYPE${typeNum}`;
        }
      } else {
        const reader = RDATA_READERS[type];
        if (reader === undefined) {
          throw new FieldError(`type ${type} is not supported in text form`,
            `write it in RFC 3597 form: TYPE${typeNum} \\# <length> <hex>`);
        }
        data = reader(c);
        c.end(type);
      }
    } catch (e) {
      fail(file, c.errorLine, e);
    }

    if (ttl >= 0) {
      if (state.dirTtl < 0) state.lastTtl = ttl;
    } else {
      ttl = state.dirTtl >= 0 ? state.dirTtl : state.lastTtl >= 0 ? state.lastTtl : state.defaultTtl;
    }
    // Owner case is kept for SRV only (CoreDNS lower-cases every other owner on insert).
    const name = finalType === 'SRV' ? owner : lowerName(owner);
    out.records.push({ name, ttl, class: 'IN', type: finalType as RecordType, data } as ResourceRecord);
    out.lines.push(ll.line);
    out.files.push(file);
  }
}

function extra(file: string, ll: LogicalLine, i: number, what: string): never {
  throw new ZoneParseError('syntax', file, ll.lines[i] ?? ll.line, `extra text "${ll.texts[i] ?? ''}" after ${what}`,
    'remove it, or start a comment with ";"');
}

function badTtl(file: string, line: number, t: string): ZoneParseError {
  return new ZoneParseError('syntax', file, line, `bad TTL "${t}"`,
    'write seconds (3600) or units like 1h30m, 1d, 1w; a plain number cannot follow a unit');
}

const OTHER_CLASSES = new Set(['CH', 'CHAOS', 'HS', 'HESIOD', 'NONE', 'ANY']);

/** True for a class token; only IN (or CLASS1) is accepted, any other class is refused. */
function isClass(t: string, file: string, line: number): boolean {
  if (t === 'IN' || t === 'in') return true;
  if (t.length > 10) return false;
  const u = t.toUpperCase();
  if (u === 'IN' || u === 'CLASS1') return true;
  if (OTHER_CLASSES.has(u) || /^CLASS[0-9]{1,5}$/.test(u)) {
    throw new ZoneParseError('semantic', file, line, `class ${t} is not supported`, 'only class IN records can be served; remove the record or use IN');
  }
  return false;
}

/** Types a zone may not hold, then the name used for the record. */
function checkType(n: number, text: string, file: string, line: number): string {
  if (n === 50 || n === 51) {
    // CoreDNS's file plugin refuses NSEC3 zones outright (semantics 4.1).
    throw new ZoneParseError('semantic', file, line, `NSEC3 zone is not supported, dropping RR: ${typeName(n)} record`,
      'serve an NSEC-signed or unsigned zone instead');
  }
  if (n === 0 || n === 41 || (n >= 128 && n <= 255)) {
    throw new ZoneParseError('semantic', file, line, `type ${text} cannot appear in a zone file (meta or query type)`);
  }
  return typeName(n);
}

/** RFC 3597 section 5: `\# <length> <hex...>`, the hex possibly split over tokens. */
function unknownRdata(c: Cursor): Buffer {
  const len = c.uint(65535, 'RFC 3597 \\# data length');
  if (len === 0) return Buffer.alloc(0);
  const hex = c.joinedRest('RFC 3597 \\# hex data');
  const b = parseHex(hex, 'RFC 3597 \\# hex data');
  if (b.length !== len) {
    throw new FieldError(`RFC 3597 \\# data is ${b.length} bytes but the length says ${len}`, 'make the length match the hex data');
  }
  return b;
}

function include(state: State, ll: LogicalLine, file: string, origin: string, originWire: number, pathArg: string): void {
  if (ll.count > 3) extra(file, ll, 3, '$INCLUDE');
  const abs = resolve(dirname(resolve(file)), pathArg);
  if (state.stack.includes(abs)) {
    throw new ZoneParseError('semantic', file, ll.line, `$INCLUDE cycle: ${[...state.stack, abs].join(' -> ')}`,
      'remove the $INCLUDE that leads back to a file already being read');
  }
  if (state.stack.length > MAX_INCLUDE_DEPTH) {
    throw new ZoneParseError('semantic', file, ll.line, `too deeply nested $INCLUDE (more than ${MAX_INCLUDE_DEPTH} levels)`,
      'flatten the includes');
  }
  let incOrigin = origin;
  if (ll.count > 2) {
    try {
      incOrigin = absoluteName(ll.texts[2] ?? '', (ll.flags[2] ?? 0) !== 0, origin, originWire);
    } catch (e) {
      fail(file, ll.line, e);
    }
  }
  let text: string;
  try {
    text = state.readInclude(abs);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new ZoneParseError('io', file, ll.line, `cannot read $INCLUDE file ${abs}: ${why}`, 'check the path (relative to the including file)');
  }
  state.stack.push(abs);
  parseText(state, text, abs, incOrigin);
  state.stack.pop();
}
