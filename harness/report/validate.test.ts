import { describe, expect, it } from 'vitest';
import { ReportError } from './errors.ts';
import { makeReport } from './testing/fixtures.ts';
import { validateReport } from './validate.ts';

// any: these tests write wrongly typed values into a report on purpose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

/** A fresh valid report as plain JSON data, edited by `edit` into an invalid one. */
function broken(edit: (r: Loose) => void): unknown {
  const r = JSON.parse(JSON.stringify(makeReport()));
  edit(r);
  return r;
}

describe('validateReport', () => {
  it('accepts a full report and returns the same object', () => {
    const data = JSON.parse(JSON.stringify(makeReport()));
    expect(validateReport(data, 'report.json')).toBe(data);
  });

  it.each([
    ['wrong type in a check', (r: Loose) => { r.runs[1].checks[0].actual = null; }, 'report.json: runs[1].checks[0].actual: expected number or string, got null'],
    ['missing field', (r: Loose) => { delete r.runs[0].verdict; }, 'report.json: runs[0].verdict: missing'],
    ['unknown verdict', (r: Loose) => { r.runs[0].verdict = 'passed'; }, 'report.json: runs[0].verdict: expected "pass" or "fail" or "error", got string "passed"'],
    ['typo in a field name', (r: Loose) => { r.runs[0].series[0].zonesAlvie = 1; }, 'report.json: runs[0].series[0].zonesAlvie: unknown field'],
    ['negative count', (r: Loose) => { r.runs[0].series[2].timers.zoneReload = -1; }, 'report.json: runs[0].series[2].timers.zoneReload: expected an integer >= 0, got number -1'],
    ['fractional count', (r: Loose) => { r.runs[0].series[0].zonesAlive = 1.5; }, 'runs[0].series[0].zonesAlive: expected an integer >= 0, got number 1.5'],
    ['r2 out of range', (r: Loose) => { r.runs[0].growth.r2 = 1.2; }, 'runs[0].growth.r2: expected a number in 0..1, got number 1.2'],
    ['bad timestamp', (r: Loose) => { r.startedAt = 'yesterday'; }, 'startedAt: expected an ISO 8601 timestamp, got string "yesterday"'],
    ['null where an object is required', (r: Loose) => { r.tool = null; }, 'report.json: tool: expected an object, got null'],
    ['record entry of the wrong shape', (r: Loose) => { r.runs[1].heap.zonesByInstance['inst-1'].count = '1'; }, 'runs[1].heap.zonesByInstance["inst-1"].count: expected an integer >= 0, got string "1"'],
    ['bench without direction', (r: Loose) => { r.bench = [{ name: 'x', metric: 'y', value: 1, unit: 'u', peer: null, peerValue: null, ratio: null, exact: true }]; }, 'bench[0].better: missing'],
    ['not an array', (r: Loose) => { r.runs = {}; }, 'report.json: runs: expected an array, got an object'],
  ])('rejects %s', (_name, edit, message) => {
    let caught: unknown;
    try {
      validateReport(broken(edit), 'report.json');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ReportError);
    expect((caught as ReportError).code).toBe('REPORT_INVALID');
    expect((caught as ReportError).message).toContain(message);
  });

  it('rejects NaN before it could be written as null', () => {
    const r = makeReport();
    r.durationMs = Number.NaN;
    expect(() => validateReport(r, 'x')).toThrow('x: durationMs: expected a finite number >= 0, got NaN');
  });

  it('lists every offender, not only the first', () => {
    const err = (() => {
      try {
        validateReport(broken((r) => { r.node = 20; r.platform = ''; r.runs[0].leaks = 'none'; }), 'report.json');
      } catch (e) {
        return e as ReportError;
      }
      throw new Error('accepted');
    })();
    expect(err.message.split('\n')).toEqual([
      'report.json: node: expected a non-empty string, got number 20',
      'report.json: platform: expected a non-empty string, got string ""',
      'report.json: runs[0].leaks: expected an array, got string "none"',
    ]);
  });

  it.each([
    [2, 'schemaVersion number 2 is not supported (written by reloadleak 0.1.0); this reader supports schema version 1'],
    ['1', 'schemaVersion string "1" is not supported'],
  ])('refuses schemaVersion %j with the supported versions', (version, message) => {
    const data = broken((r) => { r.schemaVersion = version; });
    expect(() => validateReport(data, 'a/report.json')).toThrow(message);
    expect(() => validateReport(data, 'a/report.json')).toThrow(expect.objectContaining({ code: 'REPORT_SCHEMA_VERSION' }));
  });

  it('refuses a file without schemaVersion as not a report', () => {
    expect(() => validateReport({ hello: 1 }, 'x.json')).toThrow('x.json: no schemaVersion: not a reloadleak report (this reader supports schema version 1)');
  });

  it.each([[false], [undefined], ['true']])('refuses complete = %j as an unfinished report', (complete) => {
    const data = broken((r) => { if (complete === undefined) delete r.complete; else r.complete = complete; });
    expect(() => validateReport(data, 'report.json')).toThrow(expect.objectContaining({ code: 'REPORT_INCOMPLETE' }));
  });

  it('refuses a top level that is not an object', () => {
    expect(() => validateReport([], 'report.json')).toThrow('report.json: expected a JSON object at the top level, got an array');
  });
});
