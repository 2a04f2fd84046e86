/**
 * Go's time.ParseDuration, because CoreDNS's error texts (`time: invalid duration "foo"`,
 * `time: missing unit in duration "10"`) are part of what users see and what the vectors pin.
 */

const UNIT_NS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3, // U+00B5 micro sign
  'μs': 1e3, // U+03BC Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** Go's %q for the plain strings a Corefile token can hold. */
function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Parses `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+` (or a bare `0`) into milliseconds.
 * Throws an Error whose message is exactly Go's.
 */
export function parseGoDuration(text: string): number {
  const invalid = (): Error => new Error(`time: invalid duration ${quote(text)}`);
  let s = text;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw invalid();
  let totalNs = 0;
  while (s !== '') {
    const number = /^([0-9]*)(?:\.([0-9]*))?/.exec(s);
    const whole = number?.[1] ?? '';
    const fraction = number?.[2];
    if (whole === '' && (fraction === undefined || fraction === '')) throw invalid();
    s = s.slice(number?.[0].length ?? 0);
    const unitMatch = /^[^0-9.]*/.exec(s);
    const unit = unitMatch?.[0] ?? '';
    if (unit === '') throw new Error(`time: missing unit in duration ${quote(text)}`);
    const scale = UNIT_NS[unit];
    if (scale === undefined) throw new Error(`time: unknown unit ${quote(unit)} in duration ${quote(text)}`);
    s = s.slice(unit.length);
    const value = Number(`${whole === '' ? '0' : whole}.${fraction ?? ''}0`);
    totalNs += value * scale;
    // Go rejects anything beyond int64 nanoseconds (about 292 years).
    if (totalNs > 9.223372036854775807e18) throw invalid();
  }
  const ms = totalNs / 1e6;
  return negative ? -ms : ms;
}

/** A duration in Go's String() style for log lines and messages (`2s`, `1m0s`, `500ms`). */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs < 1000) {
    if (abs >= 1) return `${sign}${trim(abs)}ms`;
    if (abs >= 1e-3) return `${sign}${trim(abs * 1e3)}µs`;
    return `${sign}${trim(abs * 1e6)}ns`;
  }
  let rest = abs / 1000;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  rest -= minutes * 60;
  const seconds = `${trim(rest)}s`;
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}`;
  return `${sign}${seconds}`;
}

function trim(n: number): string {
  return String(Number(n.toFixed(9)));
}
