/**
 * The zones of coredns-vectors.md section G, written as fully qualified one-record lines
 * (valid master-file text as well, so the real parser can read them too). Test-only.
 */

/** ZONE-A: rewritten dbMiekNL, every TTL 1800 (`$TTL 30M`). */
export const ZONE_A = `
example.com. 1800 IN SOA ns1.example.net. hostmaster.example.com. 1282630057 14400 3600 604800 14400
example.com. 1800 IN NS ns1.example.net.
example.com. 1800 IN NS ns2.example.net.
example.com. 1800 IN NS ns3.example.net.
example.com. 1800 IN NS ns4.example.net.
example.com. 1800 IN MX 1 mx1.example.net.
example.com. 1800 IN MX 5 mx2.example.net.
example.com. 1800 IN MX 5 mx3.example.net.
example.com. 1800 IN MX 10 mx4.example.net.
example.com. 1800 IN MX 10 mx5.example.net.
example.com. 1800 IN A 192.0.2.78
example.com. 1800 IN AAAA 2001:db8::6735
a.example.com. 1800 IN A 192.0.2.78
a.example.com. 1800 IN AAAA 2001:db8::6735
www.example.com. 1800 IN CNAME a.example.com.
archive.example.com. 1800 IN CNAME a.example.com.
*.x.example.com. 1800 IN CNAME www.example.com.
b.x.example.com. 1800 IN CNAME a.example.com.
*.y.example.com. 1800 IN A 192.0.2.78
dname.example.com. 1800 IN DNAME x.example.com.
srv.example.com. 1800 IN SRV 10 10 8080 a.example.com.
mx.example.com. 1800 IN MX 10 a.example.com.
txt.example.com. 1800 IN TXT "v=spf1 a mx ~all"
caa.example.com. 1800 IN CAA 0 issue "letsencrypt.org"
*.nodata.example.com. 1800 IN A 192.0.2.79
ext-cname.example.com. 1800 IN CNAME external.example.
`;

/** ZONE-A exactly as the vectors give it, relative names, `$TTL`, parentheses and comments. */
export const ZONE_A_MASTER = `$TTL    30M
$ORIGIN example.com.
@       IN      SOA     ns1.example.net. hostmaster.example.com. (
                             1282630057 ; Serial
                             4H         ; Refresh
                             1H         ; Retry
                             7D         ; Expire
                             4H )       ; Negative Cache TTL
                IN      NS      ns1.example.net.
                IN      NS      ns2.example.net.
                IN      NS      ns3.example.net.
                IN      NS      ns4.example.net.

                IN      MX      1  mx1.example.net.
                IN      MX      5  mx2.example.net.
                IN      MX      5  mx3.example.net.
                IN      MX      10 mx4.example.net.
                IN      MX      10 mx5.example.net.

                IN      A       192.0.2.78
                IN      AAAA    2001:db8::6735

a               IN      A       192.0.2.78
                IN      AAAA    2001:db8::6735
www             IN      CNAME   a
archive         IN      CNAME   a
*.x             IN      CNAME   www
b.x             IN      CNAME   a
*.y             IN      A       192.0.2.78
dname           IN      DNAME   x

srv             IN      SRV     10 10 8080 a.example.com.
mx              IN      MX      10 a.example.com.

txt             IN      TXT     "v=spf1 a mx ~all"
caa             IN      CAA     0 issue letsencrypt.org
*.nodata        IN      A       192.0.2.79
ext-cname       IN      CNAME   external.example.
`;

const ZONE_A_APEX = ZONE_A.split('\n').filter((l) => /^example\.com\. 1800 IN (SOA|NS|MX) /.test(l)).join('\n');

/** ZONE-D: ZONE-A's SOA, NS and MX plus a delegation with glue. */
export const ZONE_D = `${ZONE_A_APEX}
delegated.example.com. 1800 IN NS a.delegated.example.com.
delegated.example.com. 1800 IN NS ns2.example.net.
a.delegated.example.com. 1800 IN TXT "obscured"
a.delegated.example.com. 1800 IN A 192.0.2.78
a.delegated.example.com. 1800 IN AAAA 2001:db8::6735
a.example.com. 1800 IN A 192.0.2.78
a.example.com. 1800 IN AAAA 2001:db8::6735
www.example.com. 1800 IN CNAME a.example.com.
archive.example.com. 1800 IN CNAME a.example.com.
`;

/** ZONE-W: wildcard_test exampleOrg. */
export const ZONE_W = `
example.org. 3600 IN SOA sns.dns.icann.org. noc.dns.icann.org. 2015082541 7200 3600 1209600 3600
example.org. 3600 IN NS b.iana-servers.net.
example.org. 3600 IN NS a.iana-servers.net.
example.org. 3600 IN A 127.0.0.1
example.org. 3600 IN A 127.0.0.2
*.w.example.org. 3600 IN TXT "Wildcard"
a.b.c.w.example.org. 3600 IN TXT "Not a wildcard"
*.c.example.org. 3600 IN TXT "c Wildcard"
*.d.example.org. 3600 IN CNAME alias.example.org.
alias.example.org. 3600 IN TXT "Wildcard CNAME expansion"
`;

const W_SOA = 'example.org. 3600 IN SOA sns.dns.icann.org. noc.dns.icann.org. 2015082541 7200 3600 1209600 3600';

/** ZONE-CE: a wildcard at the apex and an empty non-terminal `deeper`. */
export const ZONE_CE = `
${W_SOA}
example.org. 3600 IN NS b.iana-servers.net.
*.example.org. 3600 IN A 127.0.0.53
real.deeper.example.org. 3600 IN A 127.0.0.54
`;

/** ZONE-EW: a wildcard label in the middle of a name, and an ordinary wildcard. */
export const ZONE_EW = `
example.org. 3600 IN SOA ns.example.org. hostmaster.example.org. 1 7200 3600 1209600 3600
example.org. 3600 IN NS ns.example.org.
f.*.e.example.org. 3600 IN A 192.0.2.1
t.e.example.org. 3600 IN A 192.0.2.2
real.deep.e.example.org. 3600 IN A 192.0.2.3
*.ordinary.example.org. 3600 IN A 192.0.2.4
`;

/** ZONE-AW: apex wildcard. */
export const ZONE_AW = `
${W_SOA}
example.org. 3600 IN NS b.iana-servers.net.
*.example.org. 3600 IN A 127.0.0.53
foo.example.org. 3600 IN A 127.0.0.54
`;

/** ZONE-MW: ZONE-AW plus a deeper wildcard. */
export const ZONE_MW = `${ZONE_AW}
*.intern.example.org. 3600 IN A 127.0.1.52
`;

/** ZONE-E: empty non-terminals b.c and c. */
export const ZONE_E = `
example.com. 1800 IN SOA ns1.example.net. hostmaster.example.com. 1282630057 14400 3600 604800 14400
example.com. 1800 IN NS ns1.example.net.
a.example.com. 1800 IN A 192.0.2.78
a.b.c.example.com. 1800 IN A 192.0.2.78
`;

/** Issue 6703's one-line zone: only a SOA. */
export const ZONE_SOA_ONLY = `
example.com. 120 IN SOA examplens.com. example.email.com. 2024052714 900 180 1209600 180
`;

/** ZONE-L: test/file_loop_test loopDB. */
export const ZONE_L = `
example.com. 500 IN SOA ns1.outside.com. root.example.com. 3 604800 86400 2419200 604800
example.com. 500 IN NS ns1.outside.com.
a.example.com. 500 IN CNAME b.example.com.
alias.example.com. 500 IN DNAME alias.example.com.
redirect.example.com. 500 IN DNAME target.example.com.
www.target.example.com. 500 IN A 192.0.2.1
*.foo.example.com. 500 IN CNAME bar.foo.example.com.
`;

/** ZONE-DC: a CNAME to a name that does not exist in the zone. */
export const ZONE_DC = `
${W_SOA}
example.org. 3600 IN NS b.iana-servers.net.
example.org. 3600 IN NS a.iana-servers.net.
name.example.org. 3600 IN CNAME name2.example.org.
`;
