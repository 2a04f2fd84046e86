import { describe, expect, it } from 'vitest';
import { corefileSha512 } from '../../dns/server/corefile/hash.ts';
import { parseCorefile } from '../../dns/server/corefile/parse.ts';
import { buildReproScenario, corefile, zoneOrigins } from './scenario.ts';

describe('the generated repro scenario', () => {
  const { scenario, probes } = buildReproScenario({ reloads: 3, zones: 2 }, '/nonexistent/scenario.yaml');

  it('passes the scenario loader and names itself', () => {
    expect(scenario.name).toBe('issue-6703-repro');
    expect(scenario.timeScale).toBe(0.01);
    expect(scenario.file).toBe('/nonexistent/scenario.yaml');
  });

  it('writes Z zone files before start, then alternates the two Corefiles, one reload and one probe each', () => {
    expect(scenario.steps.map((s) => s.op)).toEqual([
      'write', 'write', 'write', 'start', 'query', 'probe',
      'write', 'reload', 'probe', 'write', 'reload', 'probe', 'write', 'reload', 'probe',
      'stop',
    ]);
    const corefiles = scenario.steps.filter((s) => s.op === 'write' && s.path === 'Corefile').map((s) => (s.op === 'write' ? s.content : ''));
    expect(corefiles).toEqual([corefile('a'), corefile('b'), corefile('a'), corefile('b')]);
    const zoneFiles = scenario.steps.filter((s) => s.op === 'write' && s.path.startsWith('zones/')).map((s) => (s.op === 'write' ? s.path : ''));
    expect(zoneFiles).toEqual(['zones/db.example.org', 'zones/db.zone002.example.org']);
  });

  it('maps every probe line to its moment', () => {
    expect([...probes.values()]).toEqual([{ kind: 'start' }, { kind: 'reload', k: 1 }, { kind: 'reload', k: 2 }, { kind: 'reload', k: 3 }, { kind: 'stop' }]);
    for (const [line, m] of probes) {
      const step = scenario.steps.find((s) => s.line === line);
      expect(step?.op).toBe(m.kind === 'stop' ? 'stop' : 'probe');
    }
  });

  it('holds every probe to the correct counts and each buggy profile to Z·(k+1)', () => {
    const last = scenario.steps.filter((s) => s.op === 'probe').at(-1)!;
    if (last.op !== 'probe') throw new Error('unreachable');
    expect(last.expect).toEqual({ zonesAlive: 2, instancesAlive: 1, timers: { zoneReload: 2, autoWalk: 1, corefileWatch: 1, total: 4 } });
    expect(last.leaks['coredns-1.11.3']).toEqual({ zonesAlive: 8, instancesAlive: 1, timers: { zoneReload: 8, autoWalk: 1, corefileWatch: 1, total: 10 } });
    expect(last.leaks['coredns-1.10.0']?.timers).toEqual({ zoneReload: 8, autoWalk: 4, corefileWatch: 4, total: 16 });
    expect(last.leaks['coredns-1.11.4']).toBeUndefined();
    const stop = scenario.steps.at(-1)!;
    if (stop.op !== 'stop') throw new Error('last step is not stop');
    expect(stop.expect).toMatchObject({ zonesAlive: 0, instancesAlive: 0, fds: 0, timers: { total: 0 } });
    expect(stop.leaks['coredns-1.11.3']).toMatchObject({ zonesAlive: 8, timers: { zoneReload: 8, total: 8 } });
  });

  it('gives the two Corefiles different reload hashes (so every edit restarts the server)', () => {
    const hash = (v: 'a' | 'b'): string => corefileSha512(parseCorefile(corefile(v), { path: 'Corefile', validDirectives: null }));
    expect(hash('a')).not.toBe(hash('b'));
    expect(corefile('a').split('\n').length).toBe(corefile('b').split('\n').length);
  });

  it.each([
    [1, ['example.org.']],
    [3, ['example.org.', 'zone002.example.org.', 'zone003.example.org.']],
    [1000, ['example.org.', 'zone0002.example.org.']],
  ])('names %i zone(s) uniquely, issue 6703\'s example.org. first', (z, first) => {
    const names = zoneOrigins(z);
    expect(names.slice(0, first.length)).toEqual(first);
    expect(new Set(names).size).toBe(z);
  });
});
