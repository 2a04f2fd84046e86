import { describe, expect, it } from 'vitest';
import { foldRepeats } from './heap.ts';

describe('foldRepeats', () => {
  it('folds consecutive repeated edges of a timer list into one with a count', () => {
    expect(foldRepeats(['Context.zone', 'Timeout._onTimeout', 'Timeout._idlePrev', 'Timeout._idlePrev', 'Timeout._idlePrev', 'TimersList._idlePrev', 'Timeout._idlePrev']))
      .toEqual(['Context.zone', 'Timeout._onTimeout', 'Timeout._idlePrev (×3)', 'TimersList._idlePrev', 'Timeout._idlePrev']);
  });
  it('leaves a path without repeats as it is', () => {
    expect(foldRepeats(['a', 'b', 'a'])).toEqual(['a', 'b', 'a']);
    expect(foldRepeats([])).toEqual([]);
  });
});
