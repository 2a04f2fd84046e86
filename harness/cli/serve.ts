/**
 * `npm run serve -- --conf FILE [--port N] [--profile P] [--time-scale X] [--status]`
 *
 * Runs the subject in the foreground, like `coredns -conf FILE`: CoreDNS-style logs on stdout,
 * the listening zones (`example.org.:1053`) after start, SIGUSR1 restarts from the file on disk,
 * SIGTERM/SIGINT shut down (OnShutdown, OnFinalShutdown) and exit 0. A bad Corefile prints
 * `file:line: message` on stderr and exits 2; so does bad usage.
 */
import diagnostics from 'node:diagnostics_channel';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  channelName, CorefileError, createProcess, isProfileName, PROFILE_NAMES, type DnsProcess, type EventPayloads,
} from '../dns/index.ts';

const USAGE = `usage: npm run serve -- --conf FILE [--port N] [--profile ${PROFILE_NAMES.join('|')}] [--time-scale X] [--status]

  --conf FILE       Corefile to serve (default: ./Corefile)
  --port N          port for keys without one (CoreDNS's -dns.port, default 53)
  --profile P       which upstream fixes the server carries (default: fixed)
  --time-scale X    multiply every scheduled duration by X (e.g. 0.01)
  --status          print instance, zones and timers after every start and restart`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function parse(): { conf: string; port: number; profile: string; timeScale: number; status: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        conf: { type: 'string' }, port: { type: 'string' }, profile: { type: 'string' },
        'time-scale': { type: 'string' }, status: { type: 'boolean' }, help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    fail(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const port = Number(values.port ?? '53');
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be an integer 0-65535, got '${values.port}'\n${USAGE}`);
  const timeScale = Number(values['time-scale'] ?? '1');
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) fail(`--time-scale must be a positive number, got '${values['time-scale']}'\n${USAGE}`);
  const profile = values.profile ?? 'fixed';
  if (!isProfileName(profile)) fail(`unknown profile '${profile}': expected one of ${PROFILE_NAMES.join(', ')}`);
  const conf = values.conf ?? 'Corefile';
  if (!existsSync(conf)) fail(`${conf}: no such file`);
  return { conf, port, profile, timeScale, status: values.status ?? false };
}

/** `file:line: message`; CoreDNS's messages already start with `file:line - `, so keep those whole. */
function describe(err: unknown): string {
  let e: unknown = err;
  while (!(e instanceof CorefileError) && e instanceof Error && e.cause !== undefined) e = e.cause;
  if (e instanceof CorefileError) {
    const where = `${e.file}:${e.line}`;
    return e.message.includes(where) ? e.message : `${where}: ${e.message}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** --status: a ledger of zone timers and weak refs to zones, fed by the subject's events. */
function watchStatus(proc: DnsProcess): () => void {
  const zoneTimers = new Set<number>();
  const zones: Array<WeakRef<object>> = [];
  let loaded = 0;
  const subs: Array<[string, (m: unknown) => void]> = [
    [channelName('timer:armed'), (m) => {
      const p = m as EventPayloads['timer:armed'];
      if (p.owner.kind === 'zone-reload') zoneTimers.add(p.timerId);
    }],
    [channelName('timer:disarmed'), (m) => { zoneTimers.delete((m as EventPayloads['timer:disarmed']).timerId); }],
    [channelName('zone:loaded'), (m) => {
      loaded++;
      zones.push(new WeakRef((m as EventPayloads['zone:loaded']).zone));
    }],
  ];
  for (const [name, fn] of subs) diagnostics.subscribe(name, fn);
  const print = (what: string): void => {
    (globalThis as { gc?: () => void }).gc?.();
    const alive = zones.filter((z) => z.deref() !== undefined).length;
    const cur = proc.current();
    const heap = (process.memoryUsage().heapUsed / 1048576).toFixed(1);
    process.stdout.write(`[status] ${what}: instance ${cur?.id ?? '-'} generation ${cur?.generation ?? '-'}, zones loaded ${loaded} (alive ${alive}), zone timers live ${zoneTimers.size}, heap used ${heap} MB\n`);
  };
  const after = (what: string) => () => setImmediate(() => print(what));
  diagnostics.subscribe(channelName('restart:applied'), after('restart applied'));
  diagnostics.subscribe(channelName('restart:failed'), after('restart failed'));
  return () => print('started');
}

async function main(): Promise<void> {
  const opts = parse();
  const out = (line: string): void => { process.stdout.write(`${line}\n`); };
  const proc = createProcess({
    profile: opts.profile as (typeof PROFILE_NAMES)[number],
    timeScale: opts.timeScale,
    logSink: out,
    print: out,
    corefilePath: opts.conf,
    defaultPort: opts.port,
  });
  const started = opts.status ? watchStatus(proc) : null;
  try {
    await proc.start();
  } catch (err) {
    fail(describe(err));
  }
  started?.();
  // npm does not forward SIGUSR1 to the script it runs: say which pid to signal.
  out(`[INFO] pid ${process.pid}: kill -USR1 ${process.pid} reloads the Corefile, kill -TERM ${process.pid} stops`);
  process.on('SIGUSR1', () => { void proc.signal('SIGUSR1'); });
  let stopping = false;
  const stop = (sig: 'SIGTERM' | 'SIGINT'): void => {
    if (stopping) {
      // A second SIGINT force-quits, as caddy does.
      process.stderr.write('[INFO] Force quit\n');
      process.exit(2);
    }
    stopping = true;
    void proc.signal(sig).then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
