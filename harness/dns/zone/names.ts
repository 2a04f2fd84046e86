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
 * Each octet b becomes the char b+1 and each label ends with char 0, so a label that is a
 * prefix of another sorts first, and an ancestor's key is a prefix of every descendant's key.
 */
export function canonicalKey(name: string): string {
  const ls = labels(name);
  let key = '';
  for (let i = ls.length - 1; i >= 0; i--) key += labelKey(ls[i] as string) + '\u0000';
  return key;
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
  return canonicalKey(child).startsWith(canonicalKey(parent));
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

function labelKey(label: string): string {
  let out = '';
  for (let i = 0; i < label.length; i++) {
    let c = label.charCodeAt(i);
    if (c === 92 && i + 1 < label.length) {
      if (isDecimalEscape(label, i)) {
        c = Number(label.slice(i + 1, i + 4)) & 0xff;
        i += 3;
      } else {
        i += 1;
        c = label.charCodeAt(i);
      }
    }
    if (c > 0x7f) {
      // Raw non-ASCII in a presentation name: order by its UTF-8 octets.
      const cp = label.codePointAt(i) ?? c;
      if (cp > 0xffff) i += 1;
      for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) out += String.fromCharCode(b + 1);
      continue;
    }
    if (c >= 65 && c <= 90) c += 32;
    out += String.fromCharCode(c + 1);
  }
  return out;
}
