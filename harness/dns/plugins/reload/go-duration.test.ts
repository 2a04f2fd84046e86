import { describe, expect, it } from 'vitest';
import { formatGoDuration, parseGoDuration } from './go-duration.ts';

describe("parseGoDuration follows Go's time.ParseDuration", () => {
  it.each([
    ['0', 0],
    ['30s', 30_000],
    ['0.01s', 10],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
    ['2us', 0.002],
    ['2µs', 0.002],
    ['100ns', 0.0001],
    ['-1s', -1000],
    ['+2s', 2000],
    ['.5s', 500],
    ['1.s', 1000],
  ])('%j = %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 9);
  });

  it.each([
    ['foo', 'time: invalid duration "foo"'],
    ['', 'time: invalid duration ""'],
    ['10', 'time: missing unit in duration "10"'],
    ['1x', 'time: unknown unit "x" in duration "1x"'],
    ['.s', 'time: invalid duration ".s"'],
    ['-', 'time: invalid duration "-"'],
    ['s', 'time: invalid duration "s"'],
  ])('%j fails with %j', (text, message) => {
    expect(() => parseGoDuration(text)).toThrow(message);
  });
});

describe('formatGoDuration prints like Go', () => {
  it.each([
    [0, '0s'],
    [2000, '2s'],
    [90_000, '1m30s'],
    [3_600_000, '1h0m0s'],
    [500, '500ms'],
    [22_500, '22.5s'],
  ])('%d ms -> %j', (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
  });
});
