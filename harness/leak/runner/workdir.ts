/**
 * The run's working directory: a fresh temp dir per run, filled from the scenario's
 * fixtures, changed by the file steps. Every path is checked to stay inside it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Step } from '../scenario/types.ts';

export class WorkDir {
  private constructor(readonly root: string, private readonly fixtures: string) {}

  static create(fixturesDir: string, files: Record<string, string>): WorkDir {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'reloadleak-')));
    const wd = new WorkDir(root, fixturesDir);
    for (const [dest, src] of Object.entries(files)) wd.write(dest, { from: src });
    return wd;
  }

  resolve(rel: string): string {
    const abs = path.resolve(this.root, rel);
    if (abs !== this.root && !abs.startsWith(this.root + path.sep)) throw new Error(`path '${rel}' leaves the working directory`);
    return abs;
  }

  read(rel: string): string {
    return fs.readFileSync(this.resolve(rel), 'utf8');
  }

  /**
   * Writes through a temp file and a rename, so a watcher never reads a half-written file.
   * The mtime is set explicitly (offset from now or ISO date) when asked.
   */
  write(rel: string, what: { from?: string; content?: string; mtime?: string }): void {
    const dest = this.resolve(rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    if (what.from !== undefined && fs.statSync(path.join(this.fixtures, what.from)).isDirectory()) {
      // A fixture directory (e.g. 500 zone files) is copied whole.
      fs.cpSync(path.join(this.fixtures, what.from), dest, { recursive: true });
      return;
    }
    const data = what.from !== undefined ? fs.readFileSync(path.join(this.fixtures, what.from)) : Buffer.from(what.content ?? '');
    const tmp = `${dest}.reloadleak-tmp`;
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, dest);
    if (what.mtime) this.setMtime(rel, what.mtime);
  }

  delete(rel: string): void {
    fs.rmSync(this.resolve(rel), { recursive: true });
  }

  rename(from: string, to: string): void {
    const dest = this.resolve(to);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.renameSync(this.resolve(from), dest);
  }

  /** `target` is stored as written (relative targets resolve against the link's directory). */
  symlink(target: string, link: string): void {
    const abs = this.resolve(link);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    // Swapping a symlink atomically (the ConfigMap `..data` pattern): new link, then rename over.
    const tmp = `${abs}.reloadleak-tmp`;
    fs.rmSync(tmp, { force: true });
    fs.symlinkSync(target, tmp);
    fs.renameSync(tmp, abs);
  }

  mkdir(rel: string): void {
    fs.mkdirSync(this.resolve(rel), { recursive: true });
  }

  touch(rel: string, mtime?: string): void {
    const abs = this.resolve(rel);
    if (!fs.existsSync(abs)) fs.writeFileSync(abs, '');
    this.setMtime(rel, mtime ?? '+0s');
  }

  setMtime(rel: string, spec: string): void {
    const when = parseMtime(spec, Date.now());
    fs.utimesSync(this.resolve(rel), when, when);
  }

  /** Carries out one file step of a scenario. */
  apply(step: Extract<Step, { op: 'write' | 'delete' | 'rename' | 'symlink' | 'mkdir' | 'touch' }>): void {
    switch (step.op) {
      case 'write':
        return this.write(step.path, step);
      case 'delete':
        return this.delete(step.path);
      case 'rename':
        return this.rename(step.from, step.to);
      case 'symlink':
        return this.symlink(step.target, step.link);
      case 'mkdir':
        return this.mkdir(step.path);
      case 'touch':
        return this.touch(step.path, step.mtime);
    }
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** `+2s`, `-1h`, `+500ms` relative to now, or an ISO date. */
export function parseMtime(spec: string, now: number): Date {
  const m = /^([+-])(\d+)(ms|s|m|h)$/.exec(spec);
  if (m) {
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[3] as 'ms' | 's' | 'm' | 'h'];
    const delta = Number(m[2]) * unit * (m[1] === '-' ? -1 : 1);
    return new Date(now + delta);
  }
  return new Date(spec);
}
