/**
 * Reads and validates a scenario file. YAML (JSON is valid YAML) is parsed with the `yaml`
 * library so every error can name the line of the offending field.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, isMap, isScalar, isSeq, type Node, type YAMLMap, type Pair } from 'yaml';
import { PROFILE_NAMES, isProfileName, type ProfileName } from '../../dns/profiles.ts';
import { EVENT_NAMES } from '../../dns/server/events.ts';
import { ScenarioError } from './errors.ts';
import { TIMER_KINDS, type LoadQuery, type ProbeExpect, type QueryExpect, type Scenario, type Step, type StepOp, type TimerExpect } from './types.ts';

const STEP_OPS: readonly StepOp[] = [
  'start', 'write', 'delete', 'rename', 'symlink', 'mkdir', 'touch', 'reload', 'wait', 'query',
  'load', 'probe', 'expect-log', 'repeat', 'stop',
];
/** Steps that only change the working directory, allowed before `start`. */
const FILE_OPS: readonly StepOp[] = ['write', 'delete', 'rename', 'symlink', 'mkdir', 'touch'];
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];
/** Upper bounds that catch typos (a `times: 1000000` storm is almost surely a mistake). */
const MAX_REPEAT = 10_000;
const MAX_COUNT = 1_000_000;

/** Finds `scenario.yaml`, `scenario.yml` or `scenario.json` in a directory. */
export function scenarioFileIn(dir: string): string | null {
  for (const name of ['scenario.yaml', 'scenario.yml', 'scenario.json']) {
    const p = path.join(dir, name);
    if (fs.existsSync(p)) return p;
  }
  return null;
}

/** Loads a scenario from its file or its directory. Throws ScenarioError. */
export function loadScenario(fileOrDir: string): Scenario {
  let file = path.resolve(fileOrDir);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
    const found = scenarioFileIn(file);
    if (!found) throw new ScenarioError(file, 0, 'no scenario.yaml, scenario.yml or scenario.json in this directory');
    file = found;
  }
  let text: string;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) throw new Error('not a regular file');
    if (st.size > 10 * 1024 * 1024) throw new Error(`${st.size} bytes is far more than a scenario needs`);
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ScenarioError(file, 0, `cannot read scenario: ${(err as Error).message}`);
  }
  return parseScenario(text, file);
}

/** Parses scenario text; `file` is used for messages and to resolve fixtures. */
export function parseScenario(text: string, file: string): Scenario {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  const shown = path.relative(process.cwd(), path.resolve(file)) || path.basename(file);
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = lc.linePos(e.pos[0]).line;
    throw new ScenarioError(shown, line, `not valid YAML: ${e.message.split('\n')[0]}`);
  }
  const v = new Validator(shown, lc);
  const root = doc.contents;
  if (!root || !isMap(root)) throw new ScenarioError(shown, 1, 'a scenario is a mapping with at least `name` and `steps`');
  const dir = path.dirname(path.resolve(file));
  const fields = v.fields(root, ['name', 'description', 'upstream', 'timeScale', 'profiles', 'files', 'steps'], 'scenario');
  const name = v.str(fields.get('name'), 'name', root);
  const description = fields.has('description') ? v.str(fields.get('description'), 'description', root) : '';
  const upstream = fields.has('upstream') ? v.strList(fields.get('upstream'), 'upstream', root) : [];
  const timeScale = fields.has('timeScale') ? v.num(fields.get('timeScale'), 'timeScale', root, { min: 1e-5, max: 1, int: false }) : 0.01;
  const profiles = fields.has('profiles') ? v.profileList(fields.get('profiles'), 'profiles', root) : [...PROFILE_NAMES];
  const files = fields.has('files') ? v.fileMap(fields.get('files'), dir, root) : {};
  const steps = v.steps(fields.get('steps'), 'steps', root, dir, new Set(Object.keys(files)));
  if (steps.length === 0) throw new ScenarioError(shown, v.line(root), '`steps` is empty');
  const needsServer = steps.find((s) => s.op !== 'start' && !FILE_OPS.includes(s.op));
  const firstStart = steps.findIndex((s) => s.op === 'start');
  if (firstStart === -1) throw new ScenarioError(shown, v.line(root), 'the scenario never starts a server: add a `start` step');
  if (needsServer && steps.indexOf(needsServer) < firstStart) {
    throw new ScenarioError(shown, needsServer.line, `step '${needsServer.op}' needs a running server: put a \`start\` step before it`);
  }
  return { name, description, upstream, timeScale, profiles, files, steps, dir, file: path.resolve(file) };
}

/** Levenshtein distance, for "did you mean" hints. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length]![b.length]!;
}

function suggest(word: string, options: readonly string[]): string {
  const best = options.map((o) => [o, distance(word, o)] as const).sort((x, y) => x[1] - y[1])[0];
  return best && best[1] <= 2 ? ` (did you mean '${best[0]}'?)` : ` (expected one of: ${options.join(', ')})`;
}

class Validator {
  constructor(
    private readonly file: string,
    private readonly lc: LineCounter,
  ) {}

  line(node: Node | Pair | null | undefined): number {
    if (!node) return 0;
    const target = ('range' in node ? node : ((node as Pair).key as Node | null)) as { range?: [number, number, number] | null } | null;
    const range = target?.range;
    return range ? this.lc.linePos(range[0]).line : 0;
  }

  fail(node: Node | Pair | null | undefined, msg: string): never {
    throw new ScenarioError(this.file, this.line(node), msg);
  }

  /** The pairs of a mapping by key, rejecting keys outside `allowed`. */
  fields(map: YAMLMap, allowed: readonly string[], what: string): Map<string, Node | null> {
    const out = new Map<string, Node | null>();
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : null;
      if (key === null) this.fail(pair.key as Node, `${what}: keys must be plain strings`);
      if (!allowed.includes(key)) this.fail(pair.key as Node, `${what}: unknown field '${key}'${suggest(key, allowed)}`);
      out.set(key, (pair.value as Node | null) ?? null);
    }
    return out;
  }

  need(value: Node | null | undefined, field: string, parent: Node): Node {
    if (value === undefined) this.fail(parent, `missing required field '${field}'`);
    if (value === null) this.fail(parent, `field '${field}' has no value`);
    return value;
  }

  str(value: Node | null | undefined, field: string, parent: Node): string {
    const n = this.need(value, field, parent);
    if (!isScalar(n) || typeof n.value !== 'string' || n.value === '') this.fail(n, `'${field}' must be a non-empty string`);
    return n.value;
  }

  num(value: Node | null | undefined, field: string, parent: Node, opts: { min: number; max: number; int: boolean }): number {
    const n = this.need(value, field, parent);
    if (!isScalar(n) || typeof n.value !== 'number' || !Number.isFinite(n.value)) this.fail(n, `'${field}' must be a number`);
    if (opts.int && !Number.isInteger(n.value)) this.fail(n, `'${field}' must be a whole number, got ${n.value}`);
    if (n.value < opts.min || n.value > opts.max) this.fail(n, `'${field}' must be between ${opts.min} and ${opts.max}, got ${n.value}`);
    return n.value;
  }

  bool(value: Node | null | undefined, field: string, parent: Node): boolean {
    const n = this.need(value, field, parent);
    if (!isScalar(n) || typeof n.value !== 'boolean') this.fail(n, `'${field}' must be true or false`);
    return n.value;
  }

  oneOf<T extends string>(value: Node | null | undefined, field: string, parent: Node, options: readonly T[]): T {
    const s = this.str(value, field, parent);
    if (!options.includes(s as T)) this.fail(value, `'${field}': '${s}' is not valid${suggest(s, options)}`);
    return s as T;
  }

  strList(value: Node | null | undefined, field: string, parent: Node): string[] {
    const n = this.need(value, field, parent);
    if (isScalar(n)) return [this.str(n, field, parent)];
    if (!isSeq(n)) this.fail(n, `'${field}' must be a list of strings`);
    return n.items.map((item) => this.str(item as Node, field, n));
  }

  profileList(value: Node | null | undefined, field: string, parent: Node): ProfileName[] {
    const n = this.need(value, field, parent);
    const list = this.strList(n, field, parent);
    for (const p of list) if (!isProfileName(p)) this.fail(n, `unknown profile '${p}'${suggest(p, PROFILE_NAMES)}`);
    return list as ProfileName[];
  }

  fileMap(value: Node | null | undefined, dir: string, parent: Node): Record<string, string> {
    const n = this.need(value, 'files', parent);
    if (!isMap(n)) this.fail(n, "'files' maps working-directory paths to fixture files of the scenario");
    const out: Record<string, string> = {};
    for (const pair of n.items) {
      const dest = isScalar(pair.key) ? String(pair.key.value) : '';
      this.safeRelative(dest, pair.key as Node, 'files');
      const src = this.str(pair.value as Node, `files.${dest}`, n);
      this.fixture(src, dir, pair.value as Node);
      out[dest] = src;
    }
    return out;
  }

  /** A path inside the run's working directory: relative, no `..` escape. */
  safeRelative(p: string, node: Node | null | undefined, field: string): string {
    if (p === '' || path.isAbsolute(p) || path.normalize(p).split(path.sep).includes('..')) {
      this.fail(node, `'${field}': '${p}' must be a relative path inside the working directory`);
    }
    return p;
  }

  fixture(src: string, dir: string, node: Node | null | undefined): void {
    this.safeRelative(src, node, 'fixture');
    const abs = path.join(dir, src);
    if (!fs.existsSync(abs)) this.fail(node, `fixture '${src}' not found next to the scenario (${abs})`);
  }

  steps(value: Node | null | undefined, field: string, parent: Node, dir: string, files: Set<string>): Step[] {
    const n = this.need(value, field, parent);
    if (!isSeq(n)) this.fail(n, `'${field}' must be a list of steps`);
    return n.items.map((item) => this.step(item as Node, dir, files));
  }

  step(node: Node, dir: string, files: Set<string>): Step {
    if (!isMap(node)) this.fail(node, 'a step is a mapping with an `op` field');
    const opNode = node.get('op', true) as Node | undefined;
    const op = this.oneOf(opNode, 'op', node, STEP_OPS);
    const line = this.line(node);
    const allowed: Record<StepOp, string[]> = {
      start: ['corefile', 'expect'],
      write: ['path', 'from', 'content', 'mtime'],
      delete: ['path'],
      rename: ['from', 'to'],
      symlink: ['target', 'link'],
      mkdir: ['path'],
      touch: ['path', 'mtime'],
      reload: ['via', 'expect'],
      wait: ['ms', 'event', 'count', 'anyInstance'],
      query: ['name', 'type', 'transport', 'expect'],
      load: ['qps', 'queries', 'steps'],
      probe: ['id', 'expect', 'leaks'],
      'expect-log': ['contains', 'level', 'count', 'min'],
      repeat: ['times', 'steps'],
      stop: ['expect', 'leaks'],
    };
    const f = this.fields(node, ['op', ...allowed[op]], `step '${op}'`);
    const rel = (key: string): string => this.safeRelative(this.str(f.get(key), key, node), f.get(key), key);
    switch (op) {
      case 'start': {
        const corefile = rel('corefile');
        const expect = f.has('expect') ? this.oneOf(f.get('expect'), 'expect', node, ['started', 'failed'] as const) : 'started';
        return { op, line, corefile, expect };
      }
      case 'write': {
        const p = rel('path');
        const hasFrom = f.has('from');
        const hasContent = f.has('content');
        if (hasFrom === hasContent) this.fail(node, "step 'write' needs exactly one of 'from' (a fixture) or 'content'");
        const step: Step = { op, line, path: p };
        if (hasFrom) {
          step.from = this.str(f.get('from'), 'from', node);
          this.fixture(step.from, dir, f.get('from'));
        } else {
          const c = this.need(f.get('content'), 'content', node);
          if (!isScalar(c) || typeof c.value !== 'string') this.fail(c, "'content' must be a string");
          step.content = c.value;
        }
        if (f.has('mtime')) step.mtime = this.mtime(f.get('mtime'), node);
        return step;
      }
      case 'delete':
      case 'mkdir':
        return { op, line, path: rel('path') };
      case 'touch': {
        const step: Step = { op, line, path: rel('path') };
        if (f.has('mtime')) step.mtime = this.mtime(f.get('mtime'), node);
        return step;
      }
      case 'rename':
        return { op, line, from: rel('from'), to: rel('to') };
      case 'symlink':
        return { op, line, target: this.str(f.get('target'), 'target', node), link: rel('link') };
      case 'reload': {
        const via = f.has('via') ? this.oneOf(f.get('via'), 'via', node, ['watch', 'signal'] as const) : 'watch';
        const expect = f.has('expect') ? this.oneOf(f.get('expect'), 'expect', node, ['applied', 'failed', 'unchanged'] as const) : 'applied';
        if (via === 'signal' && expect === 'unchanged') this.fail(node, "a signal reload always restarts: 'expect: unchanged' is impossible with 'via: signal'");
        return { op, line, via, expect };
      }
      case 'wait': {
        if (f.has('ms') && (f.has('event') || f.has('count') || f.has('anyInstance'))) this.fail(node, "step 'wait' takes either 'ms' or 'event' with 'count', not both");
        if (f.has('ms')) return { op, line, ms: this.num(f.get('ms'), 'ms', node, { min: 0, max: 3_600_000, int: false }) };
        const event = this.oneOf(f.get('event'), 'event', node, EVENT_NAMES);
        const count = f.has('count') ? this.num(f.get('count'), 'count', node, { min: 1, max: MAX_COUNT, int: true }) : 1;
        const anyInstance = f.has('anyInstance') ? this.bool(f.get('anyInstance'), 'anyInstance', node) : false;
        return { op, line, event, count, anyInstance };
      }
      case 'query':
        return { op, line, ...this.query(node, f) };
      case 'load': {
        const qps = this.num(f.get('qps'), 'qps', node, { min: 1, max: 20_000, int: true });
        const qn = this.need(f.get('queries'), 'queries', node);
        if (!isSeq(qn) || qn.items.length === 0) this.fail(qn, "'queries' must be a non-empty list of queries");
        const queries: LoadQuery[] = qn.items.map((q) => {
          if (!isMap(q)) this.fail(q as Node, 'a load query is a mapping with name, type and expect');
          return this.query(q, this.fields(q, ['name', 'type', 'transport', 'expect'], 'load query'));
        });
        const steps = this.steps(f.get('steps'), 'steps', node, dir, files);
        return { op, line, qps, queries, steps };
      }
      case 'probe': {
        const id = f.has('id') ? this.str(f.get('id'), 'id', node) : `line ${line}`;
        const expect = this.probeExpect(this.need(f.get('expect'), 'expect', node), 'expect');
        return { op, line, id, expect, leaks: this.leaks(f.get('leaks'), expect) };
      }
      case 'stop': {
        const base: ProbeExpect = { zonesAlive: 0, instancesAlive: 0, timers: { total: 0 }, fds: 0 };
        const expect = f.has('expect') ? { ...base, ...this.probeExpect(f.get('expect') ?? null, 'expect') } : base;
        return { op, line, expect, leaks: this.leaks(f.get('leaks'), expect) };
      }
      case 'expect-log': {
        const step: Step = { op, line, contains: this.str(f.get('contains'), 'contains', node) };
        if (f.has('level')) step.level = this.oneOf(f.get('level'), 'level', node, ['INFO', 'WARNING', 'ERROR', 'DEBUG']);
        if (f.has('count') && f.has('min')) this.fail(node, "step 'expect-log' takes 'count' or 'min', not both");
        if (f.has('count')) step.count = this.num(f.get('count'), 'count', node, { min: 0, max: MAX_COUNT, int: true });
        if (f.has('min')) step.min = this.num(f.get('min'), 'min', node, { min: 1, max: MAX_COUNT, int: true });
        return step;
      }
      case 'repeat': {
        const times = this.num(f.get('times'), 'times', node, { min: 1, max: MAX_REPEAT, int: true });
        return { op, line, times, steps: this.steps(f.get('steps'), 'steps', node, dir, files) };
      }
    }
  }

  mtime(value: Node | null | undefined, parent: Node): string {
    const s = this.str(value, 'mtime', parent);
    if (!/^[+-]\d+(ms|s|m|h)$/.test(s) && Number.isNaN(Date.parse(s))) {
      this.fail(value, `'mtime': '${s}' is neither an ISO date nor an offset like '+2s' or '-1h'`);
    }
    return s;
  }

  query(node: YAMLMap, f: Map<string, Node | null>): { name: string; type: string; transport: 'udp' | 'tcp'; expect: QueryExpect } {
    const name = this.str(f.get('name'), 'name', node);
    const type = this.str(f.get('type'), 'type', node).toUpperCase();
    if (!/^([A-Z][A-Z0-9]*|TYPE\d+)$/.test(type)) this.fail(f.get('type'), `'type': '${type}' is not a record type`);
    const transport = f.has('transport') ? this.oneOf(f.get('transport'), 'transport', node, ['udp', 'tcp'] as const) : 'udp';
    const en = f.get('expect');
    const expect: QueryExpect = {};
    if (en !== undefined) {
      if (!isMap(en)) this.fail(en, "'expect' must be a mapping");
      const ef = this.fields(en, ['rcode', 'aa', 'tc', 'answer', 'answerCount', 'authorityCount', 'additionalCount', 'authorityTypes'], 'query expect');
      if (ef.has('rcode')) expect.rcode = this.oneOf(ef.get('rcode'), 'rcode', en, RCODES);
      if (ef.has('aa')) expect.aa = this.bool(ef.get('aa'), 'aa', en);
      if (ef.has('tc')) expect.tc = this.bool(ef.get('tc'), 'tc', en);
      if (ef.has('answer')) expect.answer = this.strListAllowEmpty(ef.get('answer'), 'answer', en);
      for (const k of ['answerCount', 'authorityCount', 'additionalCount'] as const) {
        if (ef.has(k)) expect[k] = this.num(ef.get(k), k, en, { min: 0, max: 65535, int: true });
      }
      if (ef.has('authorityTypes')) expect.authorityTypes = this.strListAllowEmpty(ef.get('authorityTypes'), 'authorityTypes', en);
      if (expect.answer && expect.answerCount !== undefined && expect.answer.length !== expect.answerCount) {
        this.fail(en, `impossible expectation: 'answer' lists ${expect.answer.length} records but 'answerCount' is ${expect.answerCount}`);
      }
    }
    return { name, type, transport, expect };
  }

  strListAllowEmpty(value: Node | null | undefined, field: string, parent: Node): string[] {
    const n = this.need(value, field, parent);
    if (!isSeq(n)) this.fail(n, `'${field}' must be a list`);
    return n.items.map((i) => {
      if (!isScalar(i)) this.fail(i as Node, `'${field}' items must be strings`);
      return String(i.value);
    });
  }

  probeExpect(node: Node | null, field: string): ProbeExpect {
    if (!node || !isMap(node)) this.fail(node, `'${field}' must be a mapping of counts (zonesAlive, instancesAlive, timers, fds)`);
    const f = this.fields(node, ['zonesAlive', 'instancesAlive', 'timers', 'fds'], field);
    const out: ProbeExpect = {};
    const count = (k: string, n: Node | null | undefined): number => this.num(n, k, node, { min: 0, max: MAX_COUNT, int: true });
    if (f.has('zonesAlive')) out.zonesAlive = count('zonesAlive', f.get('zonesAlive'));
    if (f.has('instancesAlive')) out.instancesAlive = count('instancesAlive', f.get('instancesAlive'));
    if (f.has('fds')) out.fds = count('fds', f.get('fds'));
    if (f.has('timers')) {
      const tn = f.get('timers') ?? null;
      if (!tn || !isMap(tn)) this.fail(tn ?? node, "'timers' must be a mapping by owner kind");
      const tf = this.fields(tn, TIMER_KINDS, 'timers');
      const t: TimerExpect = {};
      for (const k of TIMER_KINDS) if (tf.has(k)) t[k] = count(`timers.${k}`, tf.get(k));
      const parts = (['zoneReload', 'autoWalk', 'corefileWatch', 'other'] as const).map((k) => t[k] ?? 0).reduce((a, b) => a + b, 0);
      if (t.total !== undefined && t.total < parts) {
        this.fail(tn, `impossible expectation: timers.total ${t.total} is less than the sum of the kinds listed (${parts})`);
      }
      out.timers = t;
    }
    return out;
  }

  /** Per buggy profile, the exact leak signature: counts that replace the correct expectation. */
  leaks(node: Node | null | undefined, correct: ProbeExpect): Partial<Record<ProfileName, ProbeExpect>> {
    if (node === undefined) return {};
    if (!node || !isMap(node)) this.fail(node, "'leaks' maps profile names to the counts that profile must show");
    const out: Partial<Record<ProfileName, ProbeExpect>> = {};
    for (const pair of node.items) {
      const p = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!isProfileName(p)) this.fail(pair.key as Node, `unknown profile '${p}'${suggest(p, PROFILE_NAMES)}`);
      if (p === 'fixed') this.fail(pair.key as Node, "'fixed' cannot have a leak signature: it must pass the correct expectation");
      const sig = this.probeExpect((pair.value as Node | null) ?? null, `leaks.${p}`);
      out[p] = sig;
      void correct;
    }
    return out;
  }
}
