import { describe, expect, it } from 'vitest';
import { formatMB, liveLine, parseProgress } from './live.ts';

describe('live lines', () => {
  it.each([
    ['probe (line 47): zones alive 8, zone timers 8, walk 1, watch 1, fds 0', { kind: 'probe', line: 47, zonesAlive: 8, zoneTimers: 8, walkTimers: 1, watchTimers: 1, fds: 0 }],
    ['stop (line 373): zones alive 21, zone timers 21, walk 0, watch 0, fds -1', { kind: 'stop', line: 373, zonesAlive: 21, zoneTimers: 21, walkTimers: 0, watchTimers: 0, fds: -1 }],
    ['probe (line 9 #2): zones alive 1, zone timers 1, walk 1, watch 1, fds 0', null],
    ['zones alive 1', null],
  ])('reads the runner\'s progress line %j', (line, want) => {
    expect(parseProgress(line)).toEqual(want);
  });

  it.each([
    [{ kind: 'reload', k: 7 } as const, 20, false, '  reload  7/20  zones alive  8  zone timers  8  heap  12.3 MB'],
    [{ kind: 'start' } as const, 20, false, '  started       zones alive  8  zone timers  8  heap  12.3 MB'],
    [{ kind: 'stop' } as const, 3, true, '  stopped     zones alive  8  zone timers  8  walk  1  watch  1  heap  12.3 MB'],
  ])('formats %j of %i reloads (tickers %s)', (moment, reloads, tickers, want) => {
    const reading = { kind: 'probe' as const, line: 1, zonesAlive: 8, zoneTimers: 8, walkTimers: 1, watchTimers: 1, fds: 0 };
    expect(`  ${liveLine(moment, reading, 12_345_678, { reloads, countWidth: 2, tickers })}`).toBe(want);
  });

  it('shows heap in MB with one decimal', () => {
    expect(formatMB(12_345_678)).toBe('12.3 MB');
    expect(formatMB(0)).toBe('0.0 MB');
  });
});
