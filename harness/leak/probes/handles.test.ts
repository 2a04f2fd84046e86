import dgram from 'node:dgram';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { publish } from '../../dns/server/events.ts';
import { HandleProbe } from './handles.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'handle-probe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let probe: HandleProbe | null = null;
afterEach(() => {
  probe?.stop();
  probe = null;
});

function openZoneFile(name: string): { path: string; fd: number } {
  const file = path.join(dir, name);
  writeFileSync(file, '$ORIGIN example.org.\n');
  const fd = openSync(file, 'r');
  publish('file:opened', () => ({ path: file, fd, owner: 'auto' }));
  return { path: file, fd };
}

function closeZoneFile(f: { path: string; fd: number }): void {
  closeSync(f.fd);
  publish('file:closed', () => ({ path: f.path, fd: f.fd, owner: 'auto' }));
}

describe('HandleProbe', () => {
  it('counts planted files, a UDP socket and a TCP server exactly, then returns to baseline after close', async () => {
    probe = new HandleProbe().start();
    const files = [openZoneFile('db.a'), openZoneFile('db.b')];
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
    const tcp = net.createServer();
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));

    let s = await probe.sample();
    expect(s.fdsSupported).toBe(true);
    expect(s.fds).toBe(4);
    expect(s.resources).toEqual({ UDPWrap: 1, TCPServerWrap: 1 });
    expect(s.newFds.map((f) => f.target).filter((t) => t.startsWith(dir)).sort()).toEqual(files.map((f) => f.path).sort());
    expect(s.newFds.filter((f) => f.target.startsWith('socket:'))).toHaveLength(2);
    expect(s.zoneFiles.map((f) => path.basename(f.path)).sort()).toEqual(['db.a', 'db.b']);
    expect(s.zoneFiles.every((f) => f.owner === 'auto')).toBe(true);

    // Sample straight from the close callbacks: the UDP handle lingers a turn (notes 5), settle covers it.
    await new Promise<void>((r) => udp.close(r));
    await new Promise<void>((r) => tcp.close(() => r()));
    for (const f of files) closeZoneFile(f);
    s = await probe.sample();
    expect(s.fds).toBe(0);
    expect(s.newFds).toEqual([]);
    expect(s.resources).toEqual({});
    expect(s.zoneFiles).toEqual([]);
  });

  it('a zone file the subject never reports closed stays listed, even after its fd is gone', async () => {
    probe = new HandleProbe().start();
    const f = openZoneFile('db.forgot');
    closeSync(f.fd);
    const s = await probe.sample();
    expect(s.fds).toBe(0);
    expect(s.zoneFiles).toEqual([{ path: f.path, fd: f.fd, owner: 'auto' }]);
  });
});
