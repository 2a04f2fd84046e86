/**
 * Creation-site helpers: reduce a V8 stack to the frames in this repository, so a leak
 * report says `harness/dns/plugins/auto/setup.ts:41:12` instead of node internals.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root, with a trailing separator. */
export const REPO_ROOT = path.resolve(fileURLToPath(new URL('../../../', import.meta.url))) + path.sep;

export interface Frame {
  /** Repo-relative file, forward slashes. */
  file: string;
  line: number;
  column: number;
  fn: string;
}

const FRAME = /^\s*at (?:(.*?) \()?(?:file:\/\/)?(\/[^()]*?):(\d+):(\d+)\)?\s*$/;

/** The frames of `stack` that point into this repository (not node_modules), top first. */
export function repoFrames(stack: string | undefined): Frame[] {
  if (!stack) return [];
  const frames: Frame[] = [];
  for (const line of stack.split('\n')) {
    const m = FRAME.exec(line);
    if (!m) continue;
    const abs = decodeURI(m[2] ?? '');
    if (!abs.startsWith(REPO_ROOT) || abs.includes(`${path.sep}node_modules${path.sep}`)) continue;
    frames.push({
      file: abs.slice(REPO_ROOT.length).split(path.sep).join('/'),
      line: Number(m[3]),
      column: Number(m[4]),
      fn: m[1] ?? '<anonymous>',
    });
  }
  return frames;
}

export function formatFrame(f: Frame): string {
  return `${f.file}:${f.line}:${f.column} (${f.fn})`;
}

/**
 * Our own instruments' code: timers created here (retry backoff) are never the subject's.
 * Tests and their fixtures plant leaks on purpose, so they are not instrument code.
 */
export function isInstrumentFrame(f: Frame): boolean {
  return f.file.startsWith('harness/leak/') && !/\.(test|fixture)\.ts$/.test(f.file);
}

/** The Clock itself: the interesting site is whoever called it. */
export function isClockFrame(f: Frame): boolean {
  return f.file === 'harness/dns/server/clock.ts';
}
