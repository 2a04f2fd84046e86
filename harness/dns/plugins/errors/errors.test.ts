import { describe, expect, it } from 'vitest';
import { Dispenser } from '../../server/corefile/dispenser.ts';
import { parseCorefile } from '../../server/corefile/parse.ts';
import { createLogger } from '../../server/log.ts';
import type { Handler, Request } from '../plugin.ts';
import { ReplyWriter } from '../../server/servers.ts';
import { errorsHandler } from './errors.ts';
import { parseErrors } from './setup.ts';

function dispenser(body: string): Dispenser {
  const [block] = parseCorefile(`. {\n${body}\n}\n`, { path: 'Corefile', validDirectives: null });
  return new Dispenser(block?.tokens['errors'] ?? [], 'Corefile');
}

describe('errors parse', () => {
  const ok: Array<[string, boolean]> = [['errors', false], ['errors stdout', false], ['errors {\n stacktrace\n}', true]];
  it.each(ok)('%j parses (stacktrace %s)', (body, stacktrace) => {
    expect(parseErrors(dispenser(body))).toEqual({ stacktrace });
  });
  const bad: Array<[string, RegExp]> = [
    ['errors stderr', /Corefile:2 - Error during parsing: invalid log file: stderr/],
    ['errors a b', /Wrong argument count/],
    ['errors\nerrors', /only be used once per Server Block/],
    ['errors {\n bogus\n}', /Unexpected token 'bogus', expecting 'Unknown field bogus'/],
    ['errors {\n consolidate 5m ".*"\n}', /not supported by this miniature/],
  ];
  it.each(bad)('%j fails: %s', (body, message) => {
    expect(() => parseErrors(dispenser(body))).toThrow(message);
  });
});

describe('errors handler', () => {
  const req = { qname: 'example.org.', qtype: 'A' } as Request;
  it('logs `<rcode number> <qname> <qtype>: <err>` for an error from the chain and passes the result on', async () => {
    const lines: string[] = [];
    const failing: Handler = { name: 'x', serveDNS: async () => ({ rcode: 'SERVFAIL', error: new Error('plugin/auto: no next plugin found') }) };
    const result = await errorsHandler(createLogger((l) => lines.push(l), 'errors'), failing).serveDNS(req, new ReplyWriter());
    expect(result.rcode).toBe('SERVFAIL');
    expect(lines).toEqual(['[ERROR] plugin/errors: 2 example.org. A: plugin/auto: no next plugin found']);
  });
  it('logs nothing when the chain returns no error', async () => {
    const lines: string[] = [];
    const fine: Handler = { name: 'x', serveDNS: async () => ({ rcode: 'NXDOMAIN' }) };
    await errorsHandler(createLogger((l) => lines.push(l), 'errors'), fine).serveDNS(req, new ReplyWriter());
    expect(lines).toEqual([]);
  });
  it('with no next plugin: SERVFAIL and `plugin/errors: no next plugin found` logged', async () => {
    const lines: string[] = [];
    const result = await errorsHandler(createLogger((l) => lines.push(l), 'errors'), null).serveDNS(req, new ReplyWriter());
    expect(result.rcode).toBe('SERVFAIL');
    expect(lines).toEqual(['[ERROR] plugin/errors: 2 example.org. A: plugin/errors: no next plugin found']);
  });
});
