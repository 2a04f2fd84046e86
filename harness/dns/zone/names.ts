/**
 * Domain-name helpers on presentation-format names (`www.example.org.`, escapes `\.` and
 * `\DDD` allowed), with the semantics CoreDNS gets from miekg/dns.
 */

/** True when `name` ends in an unescaped dot (miekg's IsFqdn). */
export function isFqdn(name: string): boolean {
  if (!name.endsWith('.')) return false;
  // An odd run of backslashes before the final dot escapes it.
  let slashes = 0;
  for (let i = name.length - 2; i >= 0 && name.charCodeAt(i) === 92; i--) slashes++;
  return slashes % 2 === 0;
}

/** The absolute form of `name` (miekg's Fqdn): adds the trailing dot if missing. */
export function fqdn(name: string): string {
  return isFqdn(name) ? name : `${name}.`;
}

/**
 * Lower-cases ASCII letters only, as CoreDNS does for owner names and targets. Escapes are
 * left alone, so `\065` stays `\065` (the canonical order below still decodes it).
 */
export function lower(name: string): string {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 65 && c <= 90) return name.replace(/[A-Z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 32));
  }
  return name;
}

/** The labels of `name`, left to right, still in presentation form. The root has none. */
export function labels(name: string): string[] {
  const out: string[] = [];
  const abs = fqdn(name);
  if (abs === '.') return out;
  let start = 0;
  for (let i = 0; i < abs.length; i++) {
    const c = abs.charCodeAt(i);
    if (c === 92) {
      i += isDecimalEscape(abs, i) ? 3 : 1;
      continue;
    }
    if (c === 46) {
      out.push(abs.slice(start, i));
      start = i + 1;
    }
  }
  return out;
}

/** Number of labels (the root has 0). */
export function countLabels(name: string): number {
  return labels(name).length;
}

/** `name` without its leftmost label; `null` for the root. `com.` gives `.`. */
export function parentOf(name: string): string | null {
  const ls = labels(name);
  if (ls.length === 0) return null;
  return ls.length === 1 ? '.' : `${ls.slice(1).join('.')}.`;
}

/**
 * A string whose ordinary `<` order is the DNSSEC canonical order of names (RFC 4034 6.1):
 * labels compared right to left, each as lower-cased octets with `\DDD` decoded, a shorter
 * label before a longer one it prefixes, a name before its descendants.
 *
 * Labels are written right to left, each ended by char 0. Octets 2-255 stand for themselves;
 * octets 0 and 1 become the pairs (1,1) and (1,2), which keeps the order and keeps char 0 out
 * of every label. So an ancestor's key is a prefix of each descendant's key and of nothing else.
 */
export function canonicalKey(name: string): string {
  if (!NEEDS_SLOW_KEY.test(name)) {
    // Plain lower-case ASCII without escapes, the common case: no per-octet work.
    if (name === '.' || name === '') return '';
    const parts = name.split('.');
    if (parts[parts.length - 1] === '') parts.pop();
    return `${parts.reverse().join('\u0000')}\u0000`;
  }
  return slowKey(name);
}

const NEEDS_SLOW_KEY = /[\\A-Z\u0000\u0001\u0080-\uffff]/;

function slowKey(name: string): string {
  const bounds: number[] = [];
  let start = 0;
  const len = isFqdn(name) ? name.length - 1 : name.length;
  if (len <= 0) return '';
  for (let i = 0; i < len; i++) {
    const c = name.charCodeAt(i);
    if (c === 92) {
      i += isDecimalEscape(name, i) ? 3 : 1;
    } else if (c === 46) {
      bounds.push(start, i);
      start = i + 1;
    }
  }
  bounds.push(start, len);
  const codes: number[] = [];
  const put = (octet: number): void => {
    if (octet <= 1) codes.push(1, octet + 1);
    else codes.push(octet);
  };
  for (let b = bounds.length - 2; b >= 0; b -= 2) {
    const from = bounds[b] as number;
    const to = bounds[b + 1] as number;
    for (let i = from; i < to; i++) {
      let c = name.charCodeAt(i);
      if (c === 92 && i + 1 < to) {
        if (isDecimalEscape(name, i)) {
          c = ((name.charCodeAt(i + 1) - 48) * 100 + (name.charCodeAt(i + 2) - 48) * 10 + (name.charCodeAt(i + 3) - 48)) & 0xff;
          i += 3;
        } else {
          i += 1;
          c = name.charCodeAt(i);
        }
      }
      if (c > 0x7f) {
        // Raw non-ASCII in a presentation name: order by its UTF-8 octets.
        const cp = name.codePointAt(i) ?? c;
        if (cp > 0xffff) i += 1;
        for (const byte of Buffer.from(String.fromCodePoint(cp), 'utf8')) put(byte);
        continue;
      }
      put(c >= 65 && c <= 90 ? c + 32 : c);
    }
    codes.push(0);
  }
  let out = '';
  for (let i = 0; i < codes.length; i += 4096) out += String.fromCharCode(...codes.slice(i, i + 4096));
  return out;
}

/** DNSSEC canonical comparison: negative if `a` sorts before `b`, 0 if equal (ignoring ASCII case). */
export function canonicalCompare(a: string, b: string): number {
  const ka = canonicalKey(a);
  const kb = canonicalKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * True when `child` equals `parent` or lies below it (miekg's `IsSubDomain(parent, child)`,
 * note the argument order here is child first). Case-insensitive for ASCII, escapes decoded.
 */
export function isSubdomain(child: string, parent: string): boolean {
  if (child === parent || parent === '.' || suffixMatch(child, parent)) return true;
  return canonicalKey(child).startsWith(canonicalKey(parent));
}

/** Fast path: `child` ends with `.parent` behind an unescaped dot (byte-equal, so case must match). */
function suffixMatch(child: string, parent: string): boolean {
  const dot = child.length - parent.length - 1;
  if (dot < 1 || child.charCodeAt(dot) !== 46 || !child.endsWith(parent) || !isFqdn(parent)) return false;
  let slashes = 0;
  for (let i = dot - 1; i >= 0 && child.charCodeAt(i) === 92; i--) slashes++;
  return slashes % 2 === 0;
}

/** True when `child` lies strictly below `parent`. */
export function isStrictSubdomain(child: string, parent: string): boolean {
  const kc = canonicalKey(child);
  const kp = canonicalKey(parent);
  return kc.length > kp.length && kc.startsWith(kp);
}

function isDecimalEscape(s: string, i: number): boolean {
  return i + 3 < s.length && isDigit(s.charCodeAt(i + 1)) && isDigit(s.charCodeAt(i + 2)) && isDigit(s.charCodeAt(i + 3));
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
