import { describe, expect, it } from 'vitest';
import { parseMasterFile } from '../dns/zone/master/parse.ts';
import { DnsperfOutputError, parseDnsperfOutput } from './dnsperf.ts';
import { nsdConfig } from './nsd.ts';
import { hasTool } from './peers.ts';
import { median } from './result.ts';
import { measureUdpThroughput, queryLines, udpThroughputResult, UDP_TARGET_RATIO } from './udp-throughput.ts';
import { generateZone } from './zone-parse.ts';

// The statistics block of a real dnsperf 2.10.0 run against NSD 4.6.1 on this machine.
const DNSPERF_OUTPUT = `DNS Performance Testing Tool
Version 2.10.0

[Status] Command line: dnsperf -s 127.0.0.1 -p 15353 -d q.txt -l 2 -c 4
[Status] Sending queries (to 127.0.0.1:15353)
[Status] Testing complete (time limit)

Statistics:

  Queries sent:         502456
  Queries completed:    502450 (100.00%)
  Queries lost:         6 (0.00%)

  Response codes:       NOERROR 502440 (100.00%), NXDOMAIN 10 (0.00%)
  Average packet size:  request 33, response 73
  Run time (s):         2.000372
  Queries per second:   251181.280282

  Average Latency (s):  0.000271 (min 0.000006, max 0.002895)
  Latency StdDev (s):   0.000156
`;

const haveBinaries = hasTool('nsd') && hasTool('dnsperf');
if (!haveBinaries) {
  console.warn('udp-throughput: nsd or dnsperf is missing, skipping the live test: apt-get install -y nsd dnsperf');
}

describe('udp-throughput bench', () => {
  it('parses dnsperf statistics', () => {
    expect(parseDnsperfOutput(DNSPERF_OUTPUT)).toEqual({
      sent: 502456, completed: 502450, lost: 6, rcodes: { NOERROR: 502440, NXDOMAIN: 10 }, runTimeS: 2.000372, qps: 251181.280282, avgLatencyS: 0.000271,
    });
    expect(() => parseDnsperfOutput('Error: socket failed')).toThrow(DnsperfOutputError);
  });

  it('queries only names that exist with an answer: no glue below a delegation', () => {
    const text = generateZone(400, 'q.example.');
    const lines = queryLines(text, 'q.example.');
    const records = parseMasterFile(text, { origin: 'q.example.', file: 'q' });
    expect(lines.length).toBeGreaterThan(100);
    for (const l of lines) {
      const [name, type] = l.split(' ');
      expect(records.some((r) => r.name === name && r.type === type)).toBe(true);
      expect(name).not.toMatch(/(^|\.)sub\d+\.q\.example\.$/);
    }
    expect(lines).toContain('host0.q.example. A');
  });

  it('configures NSD on its own port and directory, unprivileged, without rate limiting', () => {
    const conf = nsdConfig('/tmp/x', 5300, 'q.example.', 'db.zone');
    for (const line of ['port: 5300', 'rrl-ratelimit: 0', 'username: ""', 'chroot: ""', 'server-count: 1', 'zonesdir: "/tmp/x"', 'pidfile: "/tmp/x/nsd.pid"', 'name: "q.example."']) {
      expect(conf).toContain(line);
    }
  });

  it.skipIf(!haveBinaries)('measures our server and NSD on the same zone and query file in one run', async () => {
    const m = await measureUdpThroughput({ records: 300, durationS: 1, rounds: 1 });
    expect(m.ours).toHaveLength(1);
    expect(m.nsd).toHaveLength(1);
    expect(m.ourQps).toBe(median(m.ours.map((s) => s.qps)));
    expect(m.nsdQps).toBe(median(m.nsd.map((s) => s.qps)));
    expect(m.ours[0]!.rcodes['NOERROR']).toBeGreaterThan(0);
    expect(m.nsd[0]!.rcodes['NOERROR']).toBeGreaterThan(0);
    expect(m.nsdVersion).toMatch(/NSD version/);
    const r = udpThroughputResult(m, 300);
    expect(r.ratio).toBeCloseTo(m.ourQps / m.nsdQps, 12);
    expect(r.target).toEqual({ ratio: UDP_TARGET_RATIO, met: m.ourQps / m.nsdQps >= UDP_TARGET_RATIO });
  }, 60_000);
});
