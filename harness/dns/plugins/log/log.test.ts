import { afterEach, describe, expect, it } from 'vitest';
import { Dispenser } from '../../server/corefile/dispenser.ts';
import { parseCorefile } from '../../server/corefile/parse.ts';
import { query } from '../../testing/client.ts';
import { startServer, type StartedServer } from '../../testing/start.ts';
import { COMBINED_LOG_FORMAT, COMMON_LOG_FORMAT, parseLog } from './parse.ts';

function dispenser(body: string): Dispenser {
  const [block] = parseCorefile(`. {\n${body}\n}\n`, { path: 'Corefile', validDirectives: null });
  return new Dispenser(block?.tokens['log'] ?? [], 'Corefile');
}

describe('log parse', () => {
  const cases: Array<[string, Array<{ nameScope: string; format: string; classes: string[] }>]> = [
    ['log', [{ nameScope: '.', format: COMMON_LOG_FORMAT, classes: ['all'] }]],
    ['log example.org', [{ nameScope: 'example.org.', format: COMMON_LOG_FORMAT, classes: ['all'] }]],
    ['log a.org b.org {combined}', [
      { nameScope: 'a.org.', format: COMBINED_LOG_FORMAT, classes: ['all'] },
      { nameScope: 'b.org.', format: COMBINED_LOG_FORMAT, classes: ['all'] },
    ]],
    ['log . "{name} {rcode}"', [{ nameScope: '.', format: '{name} {rcode}', classes: ['all'] }]],
    ['log {\n class denial error\n}', [{ nameScope: '.', format: COMMON_LOG_FORMAT, classes: ['denial', 'error'] }]],
  ];
  it.each(cases)('%j', (body, expected) => {
    expect(parseLog(dispenser(body)).map((r) => ({ ...r, classes: [...r.classes] }))).toEqual(expected);
  });
  it.each([
    ['log {\n class\n}', /Wrong argument count/],
    ['log {\n class weird\n}', /invalid Class: weird/],
    ['log {\n other x\n}', /Wrong argument count/],
  ])('%j fails', (body, message) => {
    expect(() => parseLog(dispenser(body))).toThrow(message);
  });
});

describe('log handler', () => {
  let server: StartedServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('writes one common-log-format line per query, to the root logger', async () => {
    const lines: string[] = [];
    const s = (server = await startServer('.:0 {\n    log\n    whoami\n}\n', { logSink: (l) => lines.push(l) }));
    const reply = await query({ port: s.port(), name: 'Who.Example.org.', type: 'A', id: 4242 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(
      `^\\[INFO\\] 127\\.0\\.0\\.1:\\d+ - 4242 "A IN who\\.example\\.org\\. udp \\d+ false 512" NOERROR qr,aa,rd \\d+ \\d+(\\.\\d+)?s$`,
    ));
    expect(reply.rcode).toBe('NOERROR');
  });

  it('class error: an unwritten SERVFAIL is written by log itself and logged with its size', async () => {
    const lines: string[] = [];
    const s = (server = await startServer('example.org:0 {\n    log {\n        class error\n    }\n}\n', { logSink: (l) => lines.push(l) }));
    // No plugin after log: SERVFAIL (`no next plugin found`), class error, logged with a size.
    const reply = await query({ port: s.port(), name: 'example.org.', type: 'A' });
    expect(reply.rcode).toBe('SERVFAIL');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/" SERVFAIL qr,rd \d+ /);
  });
});
