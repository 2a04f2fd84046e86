import diagnostics from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { channelName, type EventPayloads } from '../../server/events.ts';
import { query } from '../../testing/client.ts';
import { startServer, type StartedServer } from '../../testing/start.ts';

const COREFILE = '.:0 {\n    file db.example.org example.org\n    reload 2s 1s\n}\n';
const ZONE = '$TTL 60\n@ IN SOA ns h 1 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.53\nwww IN A 192.0.2.1\n';

let server: StartedServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

function nextReloadFailure(): Promise<EventPayloads['restart:failed']> {
  return new Promise((resolve) => {
    const ch = channelName('restart:failed');
    const on = (m: unknown): void => {
      diagnostics.unsubscribe(ch, on);
      resolve(m as EventPayloads['restart:failed']);
    };
    diagnostics.subscribe(ch, on);
  });
}

describe('an edited Corefile with no server block', () => {
  it.each([
    ['empty', ''],
    ['comments and blank lines only', '# being edited\n\n   # more\n'],
  ])('(%s) is a failed reload: the running server keeps answering on its port', async (_name, text) => {
    server = await startServer(COREFILE, { timeScale: 0.01, files: { 'db.example.org': ZONE } });
    const port = server.port();
    const failed = nextReloadFailure();
    await server.write('Corefile', text);
    const f = await failed;
    expect(f.stage).toBe('parse');
    expect(f.error).toContain('no server block');
    expect(server.port()).toBe(port);
    const r = await query({ port, name: 'www.example.org.', type: 'A' });
    expect(r.answers.map((a) => a.data)).toEqual(['192.0.2.1']);
    // and the next good edit still applies
    const applied = new Promise<void>((resolve) => {
      const ch = channelName('restart:applied');
      const on = (): void => { diagnostics.unsubscribe(ch, on); resolve(); };
      diagnostics.subscribe(ch, on);
    });
    await server.write('Corefile', COREFILE.replace('reload 2s 1s', 'reload 3s 1s'));
    await applied;
    expect((await query({ port: server.port(), name: 'www.example.org.', type: 'A' })).answers).toHaveLength(1);
  });
});
