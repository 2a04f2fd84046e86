/**
 * Escaping for every place report data is printed. Scenario, profile, zone, plugin and file
 * names come from Corefiles, zone files and file names: in a report they are data, never markup.
 */

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or attribute value inside HTML or inline SVG. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}

/**
 * Inline text in GitHub-flavoured markdown, including table cells: no HTML (GitHub renders
 * some tags in a step summary), no emphasis, links or cell breaks, one line.
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/[&<>]/g, (c) => HTML_ENTITIES[c] ?? c)
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`);
}

/** A backtick fence longer than any backtick run in `body`, so the body cannot close it. */
export function fenceFor(body: string): string {
  const longest = Math.max(0, ...Array.from(body.matchAll(/`+/g), (m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/**
 * Text for a terminal: control characters (ANSI escapes in a zone name could rewrite the
 * screen or hide a regression line) are shown as `\xNN`. Newlines are kept only if asked.
 */
export function escapeTerminal(s: string, keepNewlines = false): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) =>
    keepNewlines && c === '\n' ? c : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
