/**
 * Writing a run's report files so that an interrupted run never leaves a report.json that
 * reads as valid (design in reports/README.md, "Atomic writes"):
 *
 * 1. an existing report.json in the directory is removed first: from then on the directory
 *    holds no finished report until this one is;
 * 2. report.md and report.html are each written to a temp file, fsynced, renamed into place;
 * 3. report.json, validated and stamped `complete: true`, goes the same way LAST. rename(2) is
 *    atomic on one filesystem: a reader sees the whole file or none, and its presence means the
 *    .md and .html beside it belong to it.
 *
 * A kill at any point leaves at most `*.tmp` files, which nothing reads.
 */
import { open, readdir, rename, rm } from 'node:fs/promises';
import { ensureDir } from './ensure-dir.ts';
import path from 'node:path';
import { ReportError } from './errors.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { REPORT_SCHEMA_VERSION, type Report } from './schema.ts';
import { validateReport } from './validate.ts';

export const REPORT_JSON = 'report.json';
export const REPORT_MD = 'report.md';
export const REPORT_HTML = 'report.html';
const TMP_SUFFIX = '.tmp';

/** A report as a runner builds it: the writer stamps the version and the completion marker. */
export type ReportDraft = Omit<Report, 'schemaVersion' | 'complete'> & { schemaVersion?: Report['schemaVersion']; complete?: true };

export interface WrittenReport {
  json: string;
  md: string;
  html: string;
}

/**
 * The canonical bytes of report.json: schemaVersion first, `complete: true` last, two-space
 * indent, trailing newline. Validates first, so a writer bug fails here and not in a later
 * compare. Deterministic: serialize(read(serialize(r))) === serialize(r).
 */
export function serializeReport(report: Report | ReportDraft, source = REPORT_JSON): string {
  const { schemaVersion: _v, complete: _c, ...rest } = report;
  const stamped = { schemaVersion: REPORT_SCHEMA_VERSION, ...rest, complete: true };
  validateReport(stamped, `${source} (refusing to write)`);
  return `${JSON.stringify(stamped, null, 2)}\n`;
}

/** Write, fsync, rename: the target is either the old file, absent, or the whole new one. */
async function writeAtomic(target: string, data: string): Promise<void> {
  const tmp = `${target}.${process.pid}${TMP_SUFFIX}`;
  try {
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new ReportError('REPORT_WRITE_FAILED', `cannot write ${target}: ${(err as Error).message}`, { cause: err });
  }
}

/** Makes the rename durable across a power cut; some filesystems refuse fsync on a directory. */
async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Durability is a bonus here; atomicity does not depend on it.
  }
}

/**
 * Readies a run directory before a run starts: creates it, removes a report from an earlier
 * run in it (report.json first) and stale temp files. A run that is then interrupted leaves
 * no report.json at all, so `compare` cannot mistake the old one for this run's.
 */
export async function prepareReportDir(dir: string): Promise<void> {
  ensureDir(dir);
  await rm(path.join(dir, REPORT_JSON), { force: true });
  await rm(path.join(dir, REPORT_MD), { force: true });
  await rm(path.join(dir, REPORT_HTML), { force: true });
  for (const name of await readdir(dir)) {
    if (name.startsWith('report.') && name.endsWith(TMP_SUFFIX)) await rm(path.join(dir, name), { force: true });
  }
}

/**
 * Writes report.md, report.html, then report.json (see the file comment for why in that order).
 * Does not touch `$GITHUB_STEP_SUMMARY`: call appendStepSummary with the markdown for that.
 *
 * @throws ReportError REPORT_INVALID if the report does not match the schema (nothing is written),
 *   REPORT_WRITE_FAILED if the filesystem refuses.
 */
export async function writeReport(dir: string, report: Report | ReportDraft): Promise<WrittenReport> {
  const jsonPath = path.join(dir, REPORT_JSON);
  const json = serializeReport(report, jsonPath);
  const stamped = JSON.parse(json) as Report;
  const out: WrittenReport = { json: jsonPath, md: path.join(dir, REPORT_MD), html: path.join(dir, REPORT_HTML) };
  ensureDir(dir);
  await rm(jsonPath, { force: true });
  await writeAtomic(out.md, renderMarkdown(stamped));
  await writeAtomic(out.html, renderHtml(stamped));
  await writeAtomic(out.json, json);
  await syncDir(dir);
  return out;
}
