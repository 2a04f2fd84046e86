/**
 * auto's REGEXP and TEMPLATE with Go's semantics: RE2 syntax (via re2js, linear time), an
 * unanchored search on the file's base name (FindStringSubmatchIndex), and Go's
 * Regexp.Expand for the template (`${1}`, `$1`, `${name}`, `$$`).
 */
import { RE2JS } from 're2js';
import { fqdn } from '../../zone/names.ts';

/** Upstream maxRegexpLen (v1.13.2+, PR 7737): longer patterns are refused before compiling. */
export const MAX_REGEXP_LEN = 10_000;

export const DEFAULT_REGEXP = 'db\\.(.*)';
export const DEFAULT_TEMPLATE = '${1}';

export interface ZoneRegexp {
  readonly source: string;
  /** Number of capture groups (Go's NumSubexp). */
  readonly groups: number;
  /** Submatch index pairs like Go's FindStringSubmatchIndex (-1 for an unset group), or null. */
  find(s: string): number[] | null;
  /** Index of a named group, or -1. */
  groupIndex(name: string): number;
}

/**
 * Compiles REGEXP. Throws an Error whose message is Go's (`error parsing regexp: ...`) or
 * `regexp too large`.
 */
export function compileZoneRegexp(source: string): ZoneRegexp {
  if (source.length > MAX_REGEXP_LEN) throw new Error('regexp too large');
  let re: RE2JS;
  try {
    re = RE2JS.compile(source);
  } catch (err) {
    // RE2JSSyntaxException.message already reads like Go's regexp/syntax error.
    const e = err as { getDescription?: () => string; message?: string };
    throw new Error(e.message ?? String(err));
  }
  const names = re.namedGroups();
  const groups = re.groupCount();
  return {
    source,
    groups,
    find(s) {
      const m = re.matcher(s);
      if (!m.find()) return null;
      const out: number[] = [];
      for (let g = 0; g <= groups; g++) {
        out.push(m.start(g), m.end(g));
      }
      return out;
    },
    groupIndex(name) {
      return names[name] ?? -1;
    },
  };
}

/** Upstream rewriteToExpand: every `{` gets a `$` in front, so `{1}` becomes `${1}`. */
export function rewriteToExpand(template: string): string {
  return template.replaceAll('{', '${');
}

/** Go's regexp.Regexp.Expand over `src` with submatch indexes `match`. */
export function expandTemplate(re: ZoneRegexp, template: string, src: string, match: readonly number[]): string {
  let out = '';
  let rest = template;
  for (;;) {
    const dollar = rest.indexOf('$');
    if (dollar < 0) break;
    out += rest.slice(0, dollar);
    rest = rest.slice(dollar + 1);
    if (rest.startsWith('$')) {
      out += '$';
      rest = rest.slice(1);
      continue;
    }
    const ref = extractReference(rest);
    if (ref === null) {
      out += '$'; // malformed: the `$` is literal text
      continue;
    }
    rest = ref.rest;
    const index = ref.num >= 0 ? ref.num : re.groupIndex(ref.name);
    const start = match[2 * index];
    const end = match[2 * index + 1];
    if (index >= 0 && start !== undefined && end !== undefined && start >= 0) out += src.slice(start, end);
  }
  return out + rest;
}

/** Go's regexp.extract: `name` or `{name}`, name = letters, digits, underscores. */
function extractReference(s: string): { name: string; num: number; rest: string } | null {
  let body = s;
  const brace = body.startsWith('{');
  if (brace) body = body.slice(1);
  const nameMatch = /^[\p{L}\p{Nd}_]+/u.exec(body);
  if (!nameMatch) return null;
  const name = nameMatch[0];
  let consumed = name.length;
  if (brace) {
    if (body[consumed] !== '}') return null;
    consumed++;
  }
  let num = 0;
  for (const ch of name) {
    if (ch < '0' || ch > '9' || num >= 1e8) {
      num = -1;
      break;
    }
    num = num * 10 + (ch.charCodeAt(0) - 48);
  }
  if (name.length > 1 && name.startsWith('0')) num = -1; // no leading zeros
  return { name, num, rest: body.slice(consumed) };
}

/**
 * Upstream walk.go `matches`: the origin a file name maps to, or null. The search is
 * unanchored and the origin keeps the file name's case; an empty expansion is no match.
 */
export function originFor(re: ZoneRegexp, template: string, baseName: string): string | null {
  const match = re.find(baseName);
  if (match === null) return null;
  const expanded = expandTemplate(re, template, baseName, match);
  if (expanded === '') return null;
  return fqdn(expanded);
}
