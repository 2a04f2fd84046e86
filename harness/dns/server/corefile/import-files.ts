/**
 * File access for `import`: Go's filepath.Glob subset over node:fs, and the glob checks
 * caddy makes before globbing (semantics doc 1.4).
 */
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { readRegularFile } from '../regular-file.ts';
import { basename, dirname, join } from 'node:path';

/** Thrown by a glob pattern Go's filepath.Match would reject (`ErrBadPattern`). */
export class BadPatternError extends Error {
  constructor() {
    super('syntax error in pattern');
    this.name = 'BadPatternError';
  }
}

/** Go's hasMeta on unix: `*`, `?`, `[` and `\` make a pattern a glob. */
export function hasGlobMeta(path: string): boolean {
  return /[*?[\\]/.test(path);
}

/** One path segment pattern as a RegExp; only `*`, `?` and `\x` (caddy forbids `[...]`). */
function segmentRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? '';
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') throw new BadPatternError();
    else if (ch === '\\') {
      i++;
      if (i >= pattern.length) throw new BadPatternError();
      re += (pattern[i] ?? '').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'su');
}

/** Go's filepath.Glob for absolute patterns: sorted matches per directory, existing paths only. */
export function defaultGlob(pattern: string): string[] {
  if (!hasGlobMeta(pattern)) {
    try {
      lstatSync(pattern);
      return [pattern];
    } catch {
      return [];
    }
  }
  const dir = dirname(pattern);
  const matcher = segmentRegExp(basename(pattern));
  const dirs = hasGlobMeta(dir) && dir !== pattern ? defaultGlob(dir) : [dir];
  const out: string[] = [];
  for (const d of dirs) {
    let names: string[];
    try {
      if (!statSync(d).isDirectory()) continue;
      names = readdirSync(d).sort();
    } catch {
      continue;
    }
    for (const name of names) if (matcher.test(name)) out.push(join(d, name));
  }
  return out;
}

/** Reads an imported file; a directory gives Go's `is a directory`. */
export function defaultReadFile(absPath: string): string {
  try {
    return readRegularFile(absPath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EISDIR') throw new Error('is a directory');
    throw err;
  }
}
