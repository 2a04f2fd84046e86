/**
 * A port the harness holds (UDP and TCP, without SO_REUSEPORT) for the whole run, exposed to
 * Corefiles as `{$RELOADLEAK_BUSY_PORT}`: a reload that adds a block on it fails in
 * startServers, after the new instance's OnStartup ran (semantics 5.5, vector J8).
 */
import dgram from 'node:dgram';
import net from 'node:net';

export const BUSY_PORT_ENV = 'RELOADLEAK_BUSY_PORT';

export interface BusyPort {
  port: number;
  release(): Promise<void>;
}

export async function occupyPort(host = '127.0.0.1'): Promise<BusyPort> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, host, () => resolve());
    });
    const port = udp.address().port;
    const tcp = net.createServer();
    const ok = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, host, () => resolve(true));
    });
    if (!ok) {
      await new Promise<void>((r) => udp.close(() => r()));
      continue;
    }
    const previous = process.env[BUSY_PORT_ENV];
    process.env[BUSY_PORT_ENV] = String(port);
    return {
      port,
      async release() {
        if (previous === undefined) delete process.env[BUSY_PORT_ENV];
        else process.env[BUSY_PORT_ENV] = previous;
        await Promise.all([new Promise<void>((r) => udp.close(() => r())), new Promise<void>((r) => tcp.close(() => r()))]);
      },
    };
  }
  throw new Error('could not hold a port on the same number for UDP and TCP after 10 tries');
}
