/**
 * 100 restarts while UDP and TCP queries keep coming: the hand-over installs the new chain on
 * the shared sockets before the old instance stops, so every query is answered.
 */
import { afterEach, expect, it } from 'vitest';
import { query } from '../testing/client.ts';
import { startServer, type StartedServer } from '../testing/start.ts';

let server: StartedServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

it('100 restarts under continuous UDP+TCP queries: every query answered, the port never changes', async () => {
  const s = (server = await startServer('.:0 {\n    whoami\n}\n'));
  const port = s.port();
  let running = true;
  const answered = { udp: 0, tcp: 0 };
  const failures: string[] = [];
  const client = async (transport: 'udp' | 'tcp'): Promise<void> => {
    let n = 0;
    while (running) {
      try {
        const reply = await query({ port, name: `q${n++}.example.org.`, type: 'A', transport, timeoutMs: 2000 });
        if (reply.rcode !== 'NOERROR' || reply.additionals.length !== 2) failures.push(`${transport}: ${reply.rcode}`);
        else answered[transport]++;
      } catch (err) {
        failures.push(`${transport}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };
  const clients = [client('udp'), client('udp'), client('tcp'), client('tcp')];
  const total = (): number => answered.udp + answered.tcp;
  for (let i = 0; i < 100; i++) {
    const inst = await s.process.restart(`.:0 {\n    whoami\n}\n# restart ${i}\n`);
    expect(inst.port).toBe(port);
    // Let queries land on each new instance before the next hand-over (real time, no fakes).
    const seen = total();
    while (total() < seen + 4 && failures.length === 0) await new Promise((r) => setTimeout(r, 1));
  }
  running = false;
  await Promise.all(clients);
  expect(failures).toEqual([]);
  expect(answered.udp).toBeGreaterThan(100);
  expect(answered.tcp).toBeGreaterThan(100);
  expect(s.process.instances()).toHaveLength(1);
});
