/**
 * mkdir -p that always returns. Node 20's recursive mkdir (sync and promise) loops for ever on
 * some paths (`/proc/nope`): a report directory in the wrong place must be an error, not a hang.
 */
import fs from 'node:fs';
import path from 'node:path';

export class OutDirError extends Error {
  readonly code = 'ERR_OUT_DIR';
}

export function ensureDir(dir: string): void {
  const abs = path.resolve(dir);
  const missing: string[] = [];
  let cur = abs;
  for (;;) {
    let st: fs.Stats | null = null;
    try {
      st = fs.statSync(cur);
    } catch {
      st = null;
    }
    if (st) {
      if (!st.isDirectory()) throw new OutDirError(`cannot create ${abs}: ${cur} is not a directory`);
      break;
    }
    missing.unshift(cur);
    const parent = path.dirname(cur);
    if (parent === cur) break;
    cur = parent;
  }
  for (const d of missing) {
    try {
      fs.mkdirSync(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new OutDirError(`cannot create ${abs}: ${(err as Error).message}`);
      }
    }
  }
  try {
    fs.accessSync(abs, fs.constants.W_OK);
  } catch {
    throw new OutDirError(`cannot write to ${abs}`);
  }
}
