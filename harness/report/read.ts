/** Reading report.json back: a path to the file or to its run directory. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ReportError } from './errors.ts';
import type { Report } from './schema.ts';
import { findJsonError } from './json-error.ts';
import { validateReport } from './validate.ts';
import { REPORT_JSON } from './write.ts';

function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - before.lastIndexOf('\n');
  return `${line}:${col}`;
}

/**
 * Parses and validates report text. `source` names the file in messages.
 *
 * @throws ReportError REPORT_TRUNCATED (the text stops before the JSON does), REPORT_NOT_JSON,
 *   or any code of validateReport
 */
export function parseReport(text: string, source: string): Report {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const found = findJsonError(text);
    // A report that stops while a value is still open was cut while being written or copied,
    // which is a different problem (and a different fix) from a syntax error.
    if (found === null || found.atEnd) {
      throw new ReportError(
        'REPORT_TRUNCATED',
        `${source}: truncated after ${Buffer.byteLength(text)} bytes (the JSON stops before it ends): it was cut off while being written or copied. Use a report from a run that finished.`,
        { cause: err },
      );
    }
    throw new ReportError('REPORT_NOT_JSON', `${source}:${lineCol(text, found.offset)}: not valid JSON: ${found.message}`, { cause: err });
  }
  return validateReport(data, source);
}

/**
 * Reads a report from `report.json` or from the run directory that holds it.
 *
 * @throws ReportError REPORT_NOT_FOUND, REPORT_TRUNCATED, REPORT_NOT_JSON, REPORT_SCHEMA_VERSION,
 *   REPORT_INCOMPLETE or REPORT_INVALID; every message starts with the file name
 */
/** Reports are a few MB at most; a file far bigger is not a report. */
const MAX_REPORT_BYTES = 256 * 1024 * 1024;

export function readReport(pathOrDir: string): Report {
  let file = pathOrDir;
  let isDir = false;
  try {
    isDir = statSync(pathOrDir).isDirectory();
  } catch {
    throw new ReportError('REPORT_NOT_FOUND', `${pathOrDir}: no such file or directory (expected a report.json or a run directory holding one)`);
  }
  if (isDir) {
    file = path.join(pathOrDir, REPORT_JSON);
    let names: string[] = [];
    try {
      names = readdirSync(pathOrDir);
    } catch {
      // Unreadable directory: the read below reports it.
    }
    if (!names.includes(REPORT_JSON)) {
      const unfinished = names.find((n) => n.startsWith(`${REPORT_JSON}.`) && n.endsWith('.tmp'));
      const why = unfinished
        ? `only an unfinished ${unfinished}: the run that was writing it was interrupted`
        : 'a run that did not finish (or was interrupted) leaves none';
      throw new ReportError('REPORT_NOT_FOUND', `${pathOrDir}: no ${REPORT_JSON} in this directory (${why})`);
    }
  }
  let text: string;
  try {
    // Only a regular file of a report's size: a FIFO would block and /dev/zero would fill memory.
    const st = statSync(file);
    if (!st.isFile()) throw new Error('not a regular file');
    if (st.size > MAX_REPORT_BYTES) throw new Error(`${st.size} bytes is more than a report can be (${MAX_REPORT_BYTES})`);
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ReportError('REPORT_NOT_FOUND', `${file}: cannot read: ${(err as Error).message}`, { cause: err });
  }
  return parseReport(text, file);
}
