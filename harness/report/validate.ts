/**
 * Runtime check of a parsed report against schema.ts, hand-written so that every message names
 * the file and the exact field: `report.json: runs[3].checks[0].actual: expected number or string, got null`.
 *
 * It is strict on purpose: unknown fields are errors too, so a typo in a writer (`zonesAlvie`)
 * or a report from a newer schema that forgot to bump the version is caught, not half-read.
 */
import { ReportError } from './errors.ts';
import { REPORT_SCHEMA_VERSION, SUPPORTED_SCHEMA_VERSIONS, type Report } from './schema.ts';

type Spec = (value: unknown, path: string, errors: string[]) => void;

/** How many field errors one message lists before summarising the rest. */
const MAX_LISTED_ERRORS = 20;

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return Number.isFinite(v) ? `number ${v}` : String(v);
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'object') return 'an object';
  return typeof v;
}

function at(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function expect(what: string, test: (v: unknown) => boolean): Spec {
  return (v, path, errors) => {
    if (!test(v)) errors.push(`${path}: expected ${what}, got ${describe(v)}`);
  };
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const str = expect('a string', (v) => typeof v === 'string');
const nonEmpty = expect('a non-empty string', (v) => typeof v === 'string' && v.length > 0);
const bool = expect('true or false', (v) => typeof v === 'boolean');
const num = expect('a finite number', isFiniteNumber);
const nonNegative = expect('a finite number >= 0', (v) => isFiniteNumber(v) && v >= 0);
const count = expect('an integer >= 0', (v) => Number.isInteger(v) && (v as number) >= 0);
const int = expect('an integer', (v) => Number.isInteger(v));
const strOrNum = expect('number or string', (v) => typeof v === 'string' || isFiniteNumber(v));
const isoTime = expect('an ISO 8601 timestamp', (v) => typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) && !Number.isNaN(Date.parse(v)));

function oneOf(...values: readonly (string | number | boolean)[]): Spec {
  const what = values.map((x) => JSON.stringify(x)).join(' or ');
  return expect(what, (v) => values.includes(v as string));
}

function nullable(spec: Spec): Spec {
  return (v, path, errors) => {
    if (v !== null) spec(v, path, errors);
  };
}

function arrayOf(spec: Spec): Spec {
  return (v, path, errors) => {
    if (!Array.isArray(v)) return void errors.push(`${path}: expected an array, got ${describe(v)}`);
    v.forEach((item, i) => spec(item, `${path}[${i}]`, errors));
  };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function recordOf(spec: Spec): Spec {
  return (v, path, errors) => {
    if (!isPlainObject(v)) return void errors.push(`${path}: expected an object, got ${describe(v)}`);
    for (const [k, item] of Object.entries(v)) spec(item, `${path}[${JSON.stringify(k)}]`, errors);
  };
}

function object(required: Record<string, Spec>, optional: Record<string, Spec> = {}): Spec {
  return (v, path, errors) => {
    if (!isPlainObject(v)) return void errors.push(`${path || '(top level)'}: expected an object, got ${describe(v)}`);
    for (const [k, spec] of Object.entries(required)) {
      if (!Object.hasOwn(v, k)) errors.push(`${at(path, k)}: missing`);
      else spec(v[k], at(path, k), errors);
    }
    for (const [k, spec] of Object.entries(optional)) {
      if (Object.hasOwn(v, k)) spec(v[k], at(path, k), errors);
    }
    for (const k of Object.keys(v)) {
      if (!Object.hasOwn(required, k) && !Object.hasOwn(optional, k)) {
        errors.push(`${at(path, k)}: unknown field (schema version ${REPORT_SCHEMA_VERSION} has no such field)`);
      }
    }
  };
}

const deltaStatus = oneOf('same', 'noise', 'regression', 'improvement', 'changed', 'missing');
const verdict = oneOf('pass', 'fail', 'error');

const timers = object({ zoneReload: count, autoWalk: count, corefileWatch: count, other: count, total: count });

const stepSample = object({
  step: count, label: str, zonesAlive: count, instancesAlive: count, timers, heapUsed: nonNegative, fds: int,
});

const check = object({
  id: nonEmpty, step: str, metric: nonEmpty, expected: strOrNum, actual: strOrNum, ok: bool, exact: bool,
}, { predicted: strOrNum });

const heap = object({
  snapshotFiles: arrayOf(str),
  zonesByInstance: recordOf(object({ count, retainedBytes: nonNegative })),
  retainedBytes: nonNegative,
  analysisMs: nonNegative,
  writeMs: nonNegative,
  heapBytes: nonNegative,
});

const leak = object({
  what: oneOf('Zone', 'Instance', 'timer', 'fd', 'socket', 'other'),
  count,
  owner: object({ plugin: nullable(str), zone: nullable(str), instanceId: nullable(str) }),
  createdAt: nullable(str),
  retainerPath: arrayOf(str),
  explanation: str,
});

const run = object(
  {
    scenario: nonEmpty,
    profile: nonEmpty,
    verdict,
    expectedToFail: bool,
    signatureMatched: bool,
    checks: arrayOf(check),
    series: arrayOf(stepSample),
    leaks: arrayOf(leak),
    timings: object({ totalMs: nonNegative }, { perReloadMs: arrayOf(nonNegative) }),
  },
  {
    heap,
    growth: object({ bytesPerReload: num, r2: expect('a number in 0..1', (v) => isFiniteNumber(v) && v >= 0 && v <= 1), n: count }),
    error: object({ message: str, code: nonEmpty }),
  },
);

const bench = object(
  {
    name: nonEmpty, metric: nonEmpty, value: num, unit: str,
    peer: nullable(str), peerValue: nullable(num), ratio: nullable(num),
    better: oneOf('higher', 'lower'), exact: bool,
  },
  { target: object({ ratio: num, met: bool }) },
);

const side = object({ label: str, runId: str, gitCommit: nullable(str) });
const metricDelta = object({ metric: str, a: nullable(num), b: nullable(num), status: deltaStatus, rule: str });
const comparison = object({
  mode: oneOf('reports', 'profiles'),
  a: side,
  b: side,
  notes: arrayOf(str),
  entries: arrayOf(object({
    scenario: str, profileA: nullable(str), profileB: nullable(str),
    verdictA: nullable(verdict), verdictB: nullable(verdict),
    status: deltaStatus, summary: str, deltas: arrayOf(metricDelta),
  })),
  bench: arrayOf(object({ name: str, metric: str, a: nullable(num), b: nullable(num), status: deltaStatus, rule: str })),
  regressions: count,
  improvements: count,
});

const report = object(
  {
    schemaVersion: oneOf(REPORT_SCHEMA_VERSION),
    kind: oneOf('leak-check', 'bench'),
    runId: nonEmpty,
    tool: object({ name: nonEmpty, version: nonEmpty, gitCommit: nullable(str) }),
    node: nonEmpty,
    platform: nonEmpty,
    startedAt: isoTime,
    finishedAt: isoTime,
    durationMs: nonNegative,
    options: object({
      argv: arrayOf(str),
      profiles: arrayOf(str),
      scenarios: arrayOf(str),
      snapshots: nullable(oneOf('never', 'on-failure', 'always')),
      timeScale: nullable(expect('a number > 0', (v) => isFiniteNumber(v) && v > 0)),
    }),
    runs: arrayOf(run),
    complete: oneOf(true),
  },
  { bench: arrayOf(bench), comparisons: arrayOf(comparison) },
);

/**
 * Checks that `data` (parsed JSON, or a report about to be written) is a complete report of a
 * schema version this build reads, and returns it unchanged (same object, same key order, so
 * write → read → write is byte-identical). `source` names the file in messages.
 *
 * @throws ReportError REPORT_SCHEMA_VERSION, REPORT_INCOMPLETE or REPORT_INVALID
 */
export function validateReport(data: unknown, source: string): Report {
  if (!isPlainObject(data)) {
    throw new ReportError('REPORT_INVALID', `${source}: expected a JSON object at the top level, got ${describe(data)}`);
  }
  const supported = SUPPORTED_SCHEMA_VERSIONS.join(', ');
  const version = data['schemaVersion'];
  if (version === undefined) {
    throw new ReportError('REPORT_INVALID', `${source}: no schemaVersion: not a reloadleak report (this reader supports schema version ${supported})`);
  }
  if (!SUPPORTED_SCHEMA_VERSIONS.includes(version as number)) {
    const tool = isPlainObject(data['tool']) && typeof data['tool']['version'] === 'string' ? ` (written by ${String(data['tool']['name'])} ${data['tool']['version']})` : '';
    throw new ReportError(
      'REPORT_SCHEMA_VERSION',
      `${source}: schemaVersion ${describe(version)} is not supported${tool}; this reader supports schema version ${supported}. ` +
        'Read it with the harness version that wrote it, or regenerate the report.',
    );
  }
  if (data['complete'] !== true) {
    throw new ReportError(
      'REPORT_INCOMPLETE',
      `${source}: not marked complete (no "complete": true): the run that wrote it was interrupted, or the file was not written by writeReport. Rerun to get a usable report.`,
    );
  }
  const errors: string[] = [];
  report(data, '', errors);
  if (errors.length > 0) {
    const listed = errors.slice(0, MAX_LISTED_ERRORS).map((e) => `${source}: ${e}`);
    if (errors.length > MAX_LISTED_ERRORS) listed.push(`… and ${errors.length - MAX_LISTED_ERRORS} more`);
    throw new ReportError('REPORT_INVALID', listed.join('\n'));
  }
  return data as unknown as Report;
}
