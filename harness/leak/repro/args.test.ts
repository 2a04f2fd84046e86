import { describe, expect, it } from 'vitest';
import { parseReproArgs, ReproUsageError, REPRO_DEFAULTS, USAGE } from './args.ts';

describe('repro arguments', () => {
  it.each([
    ['no arguments: the defaults', [], { profile: 'coredns-1.11.3', reloads: 20, zones: 1, out: 'reports', help: false }],
    ['--profile P', ['--profile', 'coredns-1.10.0'], { ...REPRO_DEFAULTS, profile: 'coredns-1.10.0', help: false }],
    ['--profile=P', ['--profile=coredns-1.11.4'], { ...REPRO_DEFAULTS, profile: 'coredns-1.11.4', help: false }],
    ['--reloads N --zones Z', ['--reloads', '3', '--zones', '2'], { ...REPRO_DEFAULTS, reloads: 3, zones: 2, help: false }],
    ['the lower bounds', ['--reloads=1', '--zones=1'], { ...REPRO_DEFAULTS, reloads: 1, zones: 1, help: false }],
    ['the upper bounds', ['--reloads', '500', '--zones', '1000'], { ...REPRO_DEFAULTS, reloads: 500, zones: 1000, help: false }],
    ['--out DIR', ['--out', '/tmp/r'], { ...REPRO_DEFAULTS, out: '/tmp/r', help: false }],
    ['--help', ['--help'], { ...REPRO_DEFAULTS, help: true }],
    ['-h among others', ['--zones', '4', '-h'], { ...REPRO_DEFAULTS, zones: 4, help: true }],
  ])('accepts %s', (_name, argv, want) => {
    expect(parseReproArgs(argv)).toEqual(want);
  });

  it.each([
    ['an unknown flag', ['--frobnicate'], "unknown argument '--frobnicate'"],
    ['a positional', ['coredns-1.11.3'], "unknown argument 'coredns-1.11.3'"],
    ['an unknown profile', ['--profile', 'coredns-9'], "unknown profile 'coredns-9': expected one of coredns-1.10.0, coredns-1.11.3, coredns-1.11.4"],
    ['fixed as the profile', ['--profile', 'fixed'], 'fixed is the baseline'],
    ['zero reloads', ['--reloads', '0'], "--reloads must be a whole number from 1 to 500, not '0'"],
    ['501 reloads', ['--reloads', '501'], "--reloads must be a whole number from 1 to 500, not '501'"],
    ['a fraction', ['--reloads', '2.5'], "not '2.5'"],
    ['a negative number', ['--zones=-1'], "--zones must be a whole number from 1 to 1000, not '-1'"],
    ['an exponent', ['--zones', '1e3'], "not '1e3'"],
    ['trailing letters', ['--zones', '3x'], "not '3x'"],
    ['1001 zones', ['--zones', '1001'], "not '1001'"],
    ['a missing value', ['--reloads'], '--reloads needs a value'],
    ['an empty inline value', ['--zones='], '--zones needs a value'],
    ['a flag where the value should be', ['--reloads', '--zones', '2'], '--reloads needs a value'],
    ['a flag given twice', ['--reloads', '2', '--reloads', '3'], '--reloads given twice'],
    ['a value for --help', ['--help=yes'], '--help takes no value'],
  ])('rejects %s', (_name, argv, message) => {
    let caught: unknown;
    try {
      parseReproArgs(argv);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ReproUsageError);
    expect((caught as ReproUsageError).code).toBe('ERR_USAGE');
    expect((caught as Error).message).toContain(message);
  });

  it('documents every flag, its range and the exit codes', () => {
    for (const s of ['--profile P', '--reloads N', '1..500', '--zones Z', '1..1000', '--out DIR', '--help', 'default coredns-1.11.3', 'Exit: 0', '2 bad usage']) {
      expect(USAGE).toContain(s);
    }
    expect(USAGE).not.toMatch(/^\s+fixed:/m);
  });
});
