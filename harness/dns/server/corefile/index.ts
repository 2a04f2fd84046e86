/**
 * The Corefile: lexer, parser, dispenser, key normalisation and the reload hash.
 * Semantics doc sections 1.1-1.6 and 5.3.
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
