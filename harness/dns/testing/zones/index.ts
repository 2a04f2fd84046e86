/**
 * The zone-file corpus for the master-file parser: which origin each file is loaded with, and
 * where our behaviour deliberately differs from BIND's `named-checkzone`. Files named `case*`
 * are copies of the zone files in the shared cases folder (shared/cases) (some are broken on purpose); `edge-*`
 * exercise one feature each; `bad-*` must be refused.
 */
export interface ZoneCorpusEntry {
  /** File name in this folder. */
  file: string;
  /** Origin given to the parser and to named-checkzone. */
  origin: string;
  /** What the file exercises. */
  note: string;
  /**
   * Set when we refuse a zone BIND loads, on purpose (CoreDNS semantics or a server limit);
   * says why. The comparison test then expects our ZoneParseError instead of BIND's output.
   */
  weRefuse?: string;
}

export const ZONE_CORPUS: readonly ZoneCorpusEntry[] = [
  { file: 'case01.db.example.org', origin: 'example.org.', note: 'case 01: SOA over parentheses with comments' },
  { file: 'case02.db.lab.example.org', origin: 'lab.example.org.', note: 'case 02: a sub-zone file' },
  { file: 'case16.db.example.com', origin: 'example.com.', note: 'case 16: no $ORIGIN, relative SOA names' },
  { file: 'case17.db.example.org', origin: 'example.org.', note: 'case 17: explicit TTLs, good zone' },
  { file: 'case17.db.example.org.bad', origin: 'example.org.', note: 'case 17: 192.0.2.300 on line 6 fails the whole zone' },
  { file: 'case18.db.example.org', origin: 'example.org.', note: 'case 18: SOA missing rname inside parentheses' },
  { file: 'case18.db.example.org.fixed', origin: 'example.org.', note: 'case 18: fixed SOA, $TTL 60 vs explicit 3600' },
  { file: 'case20.db.example.org', origin: 'example.org.', note: 'case 20: lower-case class, TTL units, comment inside parentheses' },
  { file: 'case20.db.example.org', origin: '.', note: 'case 20: origin "." but $ORIGIN example.org.: SOA not at the apex' },
  { file: 'case22.db.example.org', origin: 'example.org.', note: 'case 22: ";" inside quoted TXT' },
  { file: 'case23.db.example.org', origin: 'example.org.', note: 'case 23: several $ORIGIN, blank owner, class omitted' },
  { file: 'edge-escapes.db', origin: 'example.org.', note: '\\DDD and \\c escapes in names and strings, specials, case' },
  { file: 'edge-include.db', origin: 'example.org.', note: '$INCLUDE with and without origin, nested, $TTL inheritance' },
  { file: 'edge-parens-ttl.db', origin: 'example.org.', note: 'TTL units, TTL/class order, parentheses, MAXTTL, relative $ORIGIN' },
  { file: 'edge-crlf.db', origin: 'example.org.', note: 'CRLF line ends' },
  { file: 'edge-all-types.db', origin: 'example.org.', note: 'every type read in text form' },
  { file: 'edge-unknown.db', origin: 'example.org.', note: 'RFC 3597 \\# for unknown and known types, TYPEnnn, CLASS1' },
  { file: 'edge-nsec3.db', origin: 'example.org.', note: 'NSEC3PARAM', weRefuse: 'CoreDNS refuses NSEC3 zones (semantics 4.1)' },
  { file: 'unsupported-hinfo.db', origin: 'example.org.', note: 'a type without a text reader', weRefuse: 'HINFO only in RFC 3597 form here' },
  { file: 'bad-out-of-zone.db', origin: 'example.org.', note: 'a record outside the origin', weRefuse: 'BIND only warns and drops it; we refuse the zone' },
  { file: 'bad-hash-comment.db', origin: 'example.org.', note: 'vector F2: "#" is not a comment' },
  { file: 'bad-soa-serial.db', origin: 'example.org.', note: 'vector F3: SOA serial "abc"' },
  { file: 'bad-soa-serial-large.db', origin: 'example.org.', note: 'vector F4: SOA serial above 2^32-1' },
  { file: 'bad-no-soa.db', origin: 'example.org.', note: 'vector F1: no SOA' },
  { file: 'bad-unclosed-paren.db', origin: 'example.org.', note: '"(" never closed' },
  { file: 'bad-unclosed-quote.db', origin: 'example.org.', note: 'quote never closed' },
  { file: 'bad-ttl.db', origin: 'example.org.', note: 'TTL "1h30" (plain number after a unit)' },
  { file: 'bad-long-label.db', origin: 'example.org.', note: '64-byte label' },
  { file: 'bad-escape.db', origin: 'example.org.', note: '\\256 escape' },
  { file: 'bad-include-missing.db', origin: 'example.org.', note: '$INCLUDE of a missing file' },
  { file: 'bad-include-cycle.db', origin: 'example.org.', note: '$INCLUDE of itself' },
  { file: 'bad-unknown-length.db', origin: 'example.org.', note: '\\# length does not match the data' },
  { file: 'bad-class.db', origin: 'example.org.', note: 'class CH in an IN zone' },
  { file: 'bad-extra-field.db', origin: 'example.org.', note: 'two addresses on an A record' },
  { file: 'bad-mx-missing-pref.db', origin: 'example.org.', note: 'MX without preference' },
  { file: 'bad-aaaa.db', origin: 'example.org.', note: 'two "::" in an IPv6 address' },
  { file: 'bad-second-soa.db', origin: 'example.org.', note: 'a second SOA' },
  { file: 'bad-ds-digest.db', origin: 'example.org.', note: 'SHA-256 DS digest of 2 bytes' },
];
