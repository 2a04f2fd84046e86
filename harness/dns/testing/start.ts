/**
 * Test helper: start a server from Corefile text in a fresh temp dir (with the zone files it
 * needs), on 127.0.0.1. Use `.:0`-style keys so the kernel picks the port.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createProcess, type DnsProcess, type ProcessOptions } from '../server/process-state.ts';
import type { Instance } from '../server/instance.ts';

export interface StartedServer {
  readonly process: DnsProcess;
  readonly instance: Instance;
  /** The temp dir (the process's cwd); the Corefile is `<dir>/Corefile`. */
  readonly dir: string;
  readonly corefilePath: string;
  /** Actual port of the current instance's first server (follows restarts). */
  port(): number;
  /** Writes a file relative to `dir` (e.g. a new zone or Corefile version). */
  write(rel: string, content: string): Promise<void>;
  /** Final shutdown, then removes the temp dir. Idempotent. */
  close(): Promise<void>;
}

export interface StartOptions extends Omit<ProcessOptions, 'corefilePath' | 'cwd'> {
  /** Files to create beside the Corefile, by relative path. */
  files?: Record<string, string>;
}

export async function startServer(corefile: string, opts: StartOptions = {}): Promise<StartedServer> {
  const dir = await mkdtemp(join(tmpdir(), 'reloadleak-dns-'));
  const { files = {}, ...processOptions } = opts;
  const write = async (rel: string, content: string): Promise<void> => {
    const path = join(dir, rel);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  };
  for (const [rel, content] of Object.entries(files)) await write(rel, content);
  const corefilePath = join(dir, 'Corefile');
  await write('Corefile', corefile);
  const proc = createProcess({ ...processOptions, corefilePath, cwd: dir });
  let instance: Instance;
  try {
    instance = await proc.start(corefile);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  let closed: Promise<void> | null = null;
  return {
    process: proc,
    instance,
    dir,
    corefilePath,
    port: () => {
      const cur = proc.current();
      if (cur === null) throw new Error('server is stopped');
      return cur.port;
    },
    write,
    close: () => {
      closed ??= (async () => {
        await proc.stop();
        await rm(dir, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}
