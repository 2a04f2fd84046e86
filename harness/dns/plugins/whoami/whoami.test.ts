import { afterEach, describe, expect, it } from 'vitest';
import { query } from '../../testing/client.ts';
import { startServer, type StartedServer } from '../../testing/start.ts';

let server: StartedServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('whoami', () => {
  it.each(['udp', 'tcp'] as const)('over %s: AA, empty answer, client A + _%s SRV with the client port in Additional', async (transport) => {
    const s = (server = await startServer('.:0 {\n    whoami\n}\n'));
    const reply = await query({ port: s.port(), name: 'Whoami.Example.ORG.', type: 'TXT', transport });
    expect(reply).toMatchObject({ rcode: 'NOERROR', authoritative: true, answers: [], authorities: [] });
    const [a, srv] = reply.additionals;
    expect(a).toMatchObject({ name: 'Whoami.Example.ORG.', type: 'A', ttl: 0, data: '127.0.0.1' });
    expect(srv).toMatchObject({ name: `_${transport}.Whoami.Example.ORG.`, type: 'SRV', ttl: 0, data: { priority: 0, weight: 0, target: '.' } });
    expect(srv?.type === 'SRV' && srv.data.port > 0).toBe(true);
  });

  it('takes no arguments', async () => {
    await expect(startServer('.:0 {\n    whoami me\n}\n')).rejects.toThrow(/plugin\/whoami: .*Corefile:2 - Error during parsing: Wrong argument count or unexpected line ending after 'me'/);
  });
});
