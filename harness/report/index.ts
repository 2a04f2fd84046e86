/** The report layer's public surface: schema, write/read, render, compare. */
export * from './schema.ts';
export { ReportError, type ReportErrorCode } from './errors.ts';
export { validateReport } from './validate.ts';
export { prepareReportDir, serializeReport, writeReport, REPORT_HTML, REPORT_JSON, REPORT_MD, type ReportDraft, type WrittenReport } from './write.ts';
export { parseReport, readReport } from './read.ts';
export { appendStepSummary, renderMarkdown, STEP_SUMMARY_LIMIT_BYTES } from './markdown.ts';
export { renderHtml } from './html.ts';
export { compareProfiles, compareReports, outcomeOk, renderComparison, type ComparisonFormat } from './compare.ts';
export { THRESHOLDS } from './rules.ts';
export { countRuns, leakMessage, verdictText, type RunCounts } from './summary.ts';
