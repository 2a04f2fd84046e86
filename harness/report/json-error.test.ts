import { describe, expect, it } from 'vitest';
import { findJsonError } from './json-error.ts';

describe('findJsonError', () => {
  it.each([
    ['{"a": [1, 2, {"b": "c\\u00e9"}], "d": -1.5e3, "e": null, "f": true}'],
    ['  [ ]  '],
    ['"just a string"'],
  ])('finds no error in valid JSON %s', (text) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(findJsonError(text)).toBeNull();
  });

  it.each([
    ['{"a": leak}', 6, false],
    ['{"a": 1,}', 8, false],
    ['{"a" 1}', 5, false],
    ['[1 2]', 3, false],
    ['{"a": 1} x', 9, false],
    ['{"a": "b\\q"}', 9, false],
    ['', 0, true],
    ['{', 1, true],
    ['{"a": [1, 2', 11, true],
    ['{"a": "unterminated', 19, true],
    ['{"a": tr', 8, true],
    ['{"a": 1.', 8, true],
  ])('locates the error in %j at offset %i (stops early: %s)', (text, offset, atEnd) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(findJsonError(text)).toMatchObject({ offset, atEnd });
  });
});
