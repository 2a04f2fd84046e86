import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../testing/start.ts';

const README = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
const EXAMPLES = [...README.split('## Examples')[1]?.matchAll(/~~~ corefile\n([\s\S]*?)~~~/g) ?? []].map((m) => m[1] ?? '');

describe('reload README', () => {
  it('documents Syntax and Examples', () => {
    expect(README).toContain('## Syntax');
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(3);
  });

  it.each(EXAMPLES.map((text, i) => [i + 1, text] as const))('example %d boots', async (_n, text) => {
    const s = await startServer(text, { defaultPort: 0, timeScale: 0.01 });
    await s.close();
  });
});
