/** Who wrote a report: the package name and version, and the git commit of the harness. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPORT_SCHEMA_VERSION, type Report, type ToolInfo } from './schema.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

export function toolInfo(): ToolInfo {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  let gitCommit: string | null = null;
  try {
    gitCommit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
  } catch {
    // not a git checkout (an unpacked tarball): the report says so with null
  }
  return { name: pkg.name, version: pkg.version, gitCommit };
}

/** A run directory name: `2026-12-03T12-31-42-050Z-<suffix>`, sortable by time. */
export function runId(now: Date, suffix: string): string {
  return `${now.toISOString().replace(/[:.]/g, '-')}-${suffix}`;
}

/** The fields every report starts with: schema, kind, run id, tool, Node, platform, times. */
export function reportHeader(kind: Report['kind'], id: string, started: Date, finished: Date): Pick<Report, 'schemaVersion' | 'kind' | 'runId' | 'tool' | 'node' | 'platform' | 'startedAt' | 'finishedAt' | 'durationMs'> {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind,
    runId: id,
    tool: toolInfo(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
  };
}
