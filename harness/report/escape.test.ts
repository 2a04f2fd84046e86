import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown, escapeTerminal, fenceFor } from './escape.ts';

describe('escaping', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    [`a"b'c&d`, 'a&quot;b&#39;c&amp;d'],
  ])('escapeHtml(%j)', (input, out) => expect(escapeHtml(input)).toBe(out));

  it.each([
    ['example.org.', 'example.org.'],
    ['a|b', 'a\\|b'],
    ['*x* _y_ [l](u) `c` ~~s~~', '\\*x\\* \\_y\\_ \\[l\\](u) \\`c\\` \\~\\~s\\~\\~'],
    ['<b>&', '&lt;b&gt;&amp;'],
    ['two\nlines', 'two lines'],
  ])('escapeMarkdown(%j)', (input, out) => expect(escapeMarkdown(input)).toBe(out));

  it('fences a body with a fence it does not contain', () => {
    expect(fenceFor('plain')).toBe('```');
    expect(fenceFor('has ```` four')).toBe('`````');
  });

  it('shows control characters to a terminal instead of obeying them', () => {
    expect(escapeTerminal('zone\u001b[2Jx\n')).toBe('zone\\x1b[2Jx\\x0a');
    expect(escapeTerminal('a\nb', true)).toBe('a\nb');
  });
});
