import type { ResourceRecord } from '../record.ts';

/** Where each record of a parsed array came from: parallel to the array. */
export interface RecordSources {
  lines: number[];
  files: string[];
}

// Keyed by the returned array, so parseMasterFile keeps its plain return type and the
// line info lives exactly as long as the records do.
const sources = new WeakMap<ResourceRecord[], RecordSources>();

export function setRecordSources(records: ResourceRecord[], src: RecordSources): void {
  sources.set(records, src);
}

/** Line/file info for an array returned by parseMasterFile, if it is that same array. */
export function recordSources(records: ResourceRecord[]): RecordSources | undefined {
  return sources.get(records);
}
