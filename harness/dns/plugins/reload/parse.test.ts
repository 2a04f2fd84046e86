import { describe, expect, it } from 'vitest';
import { Dispenser } from '../../server/corefile/dispenser.ts';
import { lex } from '../../server/corefile/lexer.ts';
import { withPluginPrefix } from './plugin-error.ts';
import { effectiveInterval, parseReload, type ReloadConfig } from './parse.ts';

function parse(text: string): ReloadConfig {
  try {
    return parseReload(new Dispenser(lex(text), 'Testfile'));
  } catch (err) {
    throw withPluginPrefix('reload', err);
  }
}

/** The range [min, max) of effective intervals: random() at 0 and just below 1. */
function range(cfg: ReloadConfig): [number, number] {
  return [effectiveInterval(cfg, () => 0), effectiveInterval(cfg, () => 1 - 1e-12)];
}

describe('reload parses INTERVAL and JITTER with upstream defaults and caps (vectors D1-D4)', () => {
  it.each([
    { id: 'D1', input: 'reload', interval: 30_000, jitter: 15_000, min: 22_500, max: 37_500 },
    { id: 'D2', input: 'reload 10s', interval: 10_000, jitter: 5_000, min: 7_500, max: 12_500 },
    { id: 'D3', input: 'reload 10s 2s', interval: 10_000, jitter: 2_000, min: 9_000, max: 11_000 },
    { id: 'D4', input: 'reload 2s 0s', interval: 2_000, jitter: 0, min: 2_000, max: 2_000 },
    { id: 'K1', input: 'reload 2s 1s', interval: 2_000, jitter: 1_000, min: 1_500, max: 2_500 },
  ])('$id: $input', (c) => {
    const cfg = parse(c.input);
    expect(cfg).toEqual({ intervalMs: c.interval, jitterMs: c.jitter });
    const [lo, hi] = range(cfg);
    expect(lo).toBeCloseTo(c.min, 6);
    // random() < 1 never reaches the upper bound itself.
    expect(hi).toBeLessThanOrEqual(c.max);
    expect(hi).toBeGreaterThan(c.max - 1e-3 - (c.jitter === 0 ? 1 : 0));
  });
});

describe('reload refuses bad input with the upstream message and plugin prefix (vectors D5-D10)', () => {
  it.each([
    { id: 'D5', input: 'reload foo', contains: 'plugin/reload: Testfile:1 - Error during parsing: time: invalid duration "foo"' },
    { id: 'D6', input: 'reload 10s foo', contains: 'time: invalid duration "foo"' },
    { id: 'D7', input: 'reload 10s 5s foo', contains: "plugin/reload: Testfile:1 - Error during parsing: Wrong argument count or unexpected line ending after 'foo'" },
    { id: 'D8', input: 'reload 1s', contains: 'plugin/reload: Testfile:1 - Error during parsing: interval value must be greater or equal to 2s' },
    { id: 'D9', input: 'reload 0s', contains: 'interval value must be greater or equal to 2s' },
    { id: 'D10', input: 'reload 3s 0.5s', contains: 'plugin/reload: Testfile:1 - Error during parsing: jitter value must be 0 or greater or equal to 1s' },
  ])('$id: $input', (c) => {
    expect(() => parse(c.input)).toThrow(c.contains);
  });
});

describe('effectiveInterval', () => {
  it('uses whole nanoseconds of jitter around the interval, like rand.Int63n', () => {
    const cfg = { intervalMs: 10_000, jitterMs: 2_000 };
    expect(effectiveInterval(cfg, () => 0.5)).toBe(10_000);
    expect(effectiveInterval(cfg, () => 0.25)).toBe(9_500);
  });
});
