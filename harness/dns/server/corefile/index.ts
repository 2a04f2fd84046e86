/**
 * The Corefile: lexer, parser, dispenser, key normalisation and the reload hash.
 * Semantics doc sections 1.1-1.6 and 5.3.
 *
 * Where this differs from CoreDNS on purpose (everything else follows caddy/CoreDNS):
 * - a server-block key containing a brace (`example.org:1053{`, a stray `}`) is a parse error
 *   on its line; CoreDNS would serve it as a zone on the default port (issue 3164, case 24);
 * - `Unknown directive '<name>'` is followed by ` (known: a, b, ...)`;
 * - import cycles are also caught by an import graph (as in Caddy v2), on top of caddy's
 *   expansion caps and its trivial self-import guard;
 * - an env value is not expanded again (caddy rescans, and loops on `X={$X}`);
 * - keys: only `dns://` is served; other transports, IPv4-mapped IPv6 CIDRs and ports outside
 *   0-65535 are rejected when the keys are inspected instead of failing later.
 * Env substitution happens in the parser (keys, directive lookup, arguments, import
 * patterns), so the blocks, and their hash, carry substituted text as in CoreDNS.
 */
export { lex, isGoSpace } from './lexer.ts';
export { replaceEnvVars } from './env.ts';
export type { Env } from './env.ts';
export { Dispenser } from './dispenser.ts';
export { parseCorefile, defaultCorefile, MAX_SNIPPET_EXPANSIONS, MAX_FILE_EXPANSIONS } from './parse.ts';
export type { ParseOptions } from './parse.ts';
export { normalizeKey, blockAddresses, inspectKey, splitTransport, isDomainName, fqdn } from './keys.ts';
export type { InspectedKey, Transport } from './keys.ts';
export { corefileSha512, corefileJson, goJsonString } from './hash.ts';
export { CorefileError } from './types.ts';
export type { Token, ServerBlock, ZoneAddress } from './types.ts';
