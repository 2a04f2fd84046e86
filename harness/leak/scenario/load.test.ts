import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from './load.ts';
import { ScenarioError } from './errors.ts';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scenario-load-'));
  fs.writeFileSync(path.join(dir, 'Corefile'), '.:0 {\n  whoami\n}\n');
  fs.writeFileSync(path.join(dir, 'db.example.org'), '@ 3600 IN SOA ns. h. 1 2 3 4 5\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const file = (): string => path.join(dir, 'scenario.yaml');
const parse = (text: string) => parseScenario(text, file());

const GOOD = `name: demo
files:
  Corefile: Corefile
  zones/db.example.org: db.example.org
steps:
  - op: start
    corefile: Corefile
  - op: repeat
    times: 3
    steps:
      - op: write
        path: Corefile
        from: Corefile
      - op: reload
  - op: probe
    id: steady
    expect: { zonesAlive: 1, timers: { zoneReload: 1 } }
    leaks:
      coredns-1.11.3: { zonesAlive: 4, timers: { zoneReload: 4 } }
  - op: stop
`;

describe('parseScenario', () => {
  it('reads a valid scenario with defaults filled in', () => {
    const s = parse(GOOD);
    expect(s.name).toBe('demo');
    expect(s.timeScale).toBe(0.01);
    expect(s.profiles).toEqual(['coredns-1.10.0', 'coredns-1.11.3', 'coredns-1.11.4', 'fixed']);
    expect(s.steps.map((x) => x.op)).toEqual(['start', 'repeat', 'probe', 'stop']);
    const repeat = s.steps[1]!;
    expect(repeat.op === 'repeat' && repeat.steps[1]).toMatchObject({ op: 'reload', via: 'watch', expect: 'applied', line: 14 });
    const stop = s.steps[3]!;
    expect(stop.op === 'stop' && stop.expect).toEqual({ zonesAlive: 0, instancesAlive: 0, timers: { total: 0 }, fds: 0 });
    const probe = s.steps[2]!;
    expect(probe.op === 'probe' && probe.leaks['coredns-1.11.3']).toEqual({ zonesAlive: 4, timers: { zoneReload: 4 } });
  });

  it('reads JSON scenarios too', () => {
    const s = parse(JSON.stringify({ name: 'j', files: { Corefile: 'Corefile' }, steps: [{ op: 'start', corefile: 'Corefile' }] }));
    expect(s.steps).toHaveLength(1);
  });

  const bad: Array<[string, string, string]> = [
    ['unknown op with a hint', GOOD.replace('op: reload', 'op: relod'), "scenario.yaml:14: 'op': 'relod' is not valid (did you mean 'reload'?)"],
    ['unknown field', GOOD.replace('times: 3', 'times: 3\n    tiems: 4'), "scenario.yaml:10: step 'repeat': unknown field 'tiems' (did you mean 'times'?)"],
    ['missing fixture', GOOD.replace('from: Corefile', 'from: Corefile.v9'), "scenario.yaml:13: fixture 'Corefile.v9' not found next to the scenario"],
    ['negative count', GOOD.replace('zonesAlive: 1,', 'zonesAlive: -1,'), "scenario.yaml:17: 'zonesAlive' must be between 0 and 1000000, got -1"],
    ['impossible total', GOOD.replace('{ zoneReload: 1 }', '{ zoneReload: 2, total: 1 }'), 'impossible expectation: timers.total 1 is less than the sum of the kinds listed (2)'],
    ['unknown profile in leaks', GOOD.replace('coredns-1.11.3:', 'coredns-1.11.9:'), "unknown profile 'coredns-1.11.9' (did you mean 'coredns-1.11.3'?)"],
    ['fixed cannot leak', GOOD.replace('coredns-1.11.3:', 'fixed:'), "'fixed' cannot have a leak signature"],
    ['path escape', GOOD.replace('path: Corefile', 'path: ../Corefile'), "'path': '../Corefile' must be a relative path inside the working directory"],
    ['stop before start', 'name: x\nsteps:\n  - op: stop\n  - op: start\n    corefile: Corefile\n', "scenario.yaml:3: step 'stop' needs a running server: put a `start` step before it"],
    ['never starts', 'name: x\nsteps:\n  - op: mkdir\n    path: a\n', 'the scenario never starts a server'],
    ['bad yaml', 'name: x\nsteps: [\n', 'scenario.yaml:'],
    ['duplicate key', 'name: x\nname: y\nsteps: []\n', 'not valid YAML'],
    ['not a mapping', '- a\n- b\n', 'a scenario is a mapping'],
    ['signal cannot be unchanged', GOOD.replace('      - op: reload', '      - op: reload\n        via: signal\n        expect: unchanged'), "'expect: unchanged' is impossible with 'via: signal'"],
    ['fractional repeat', GOOD.replace('times: 3', 'times: 2.5'), "'times' must be a whole number, got 2.5"],
    ['wait with both forms', GOOD.replace('      - op: reload', '      - op: wait\n        ms: 5\n        event: zone:loaded'), "step 'wait' takes either 'ms' or 'event'"],
    ['unknown event', GOOD.replace('      - op: reload', '      - op: wait\n        event: zone:lodaed'), "'event': 'zone:lodaed' is not valid (did you mean 'zone:loaded'?)"],
  ];
  it.each(bad)('rejects %s with file:line and the field', (_name, text, message) => {
    let caught: unknown;
    try {
      parse(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ScenarioError);
    expect((caught as Error).message).toContain(message);
    expect((caught as ScenarioError).line).toBeGreaterThan(0);
  });
});
