/**
 * Every plugin README has Syntax and Examples, and every Corefile in its Examples boots
 * (CoreDNS's test/readme_test.go). Keys get port 0; files and directories an example names
 * are created in a temp dir first.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PLUGIN_ORDER } from './order.ts';
import { query } from '../testing/client.ts';
import { startServer, type StartedServer } from '../testing/start.ts';

const DIR = import.meta.dirname;

/** A zone written with `@` and relative names, so it loads under any origin. */
const ANY_ORIGIN_ZONE = '$TTL 300\n@ IN SOA ns.invalid. hostmaster.invalid. 1 7200 3600 1209600 300\n@ IN NS ns.invalid.\nwww IN A 192.0.2.1\n';

function examples(readme: string): string[] {
  const section = readme.split(/^## Examples$/m)[1] ?? '';
  return [...section.matchAll(/^(?:~~~|```) ?corefile\n([\s\S]*?)^(?:~~~|```)$/gm)].map((m) => m[1] ?? '');
}

/** Explicit ports in server-block keys become 0 so examples never collide with real services. */
function withEphemeralPorts(corefile: string): string {
  return corefile.replace(/^(\S[^\n{]*)\{$/gm, (line) => line.replace(/:(\d+)(?=[\s,{]|$)/g, ':0'));
}

function filesFor(corefile: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const m of corefile.matchAll(/^\s*file\s+(\S+)/gm)) if (m[1]) files[m[1]] = ANY_ORIGIN_ZONE;
  for (const m of corefile.matchAll(/^\s*directory\s+(\S+)/gm)) if (m[1]) files[join(m[1], '.keep')] = '';
  return files;
}

const withReadme = PLUGIN_ORDER.filter((p) => existsSync(join(DIR, p, 'README.md')));

let server: StartedServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('plugin READMEs', () => {
  it('every plugin of this helper has a README (so the loop below is not vacuous)', () => {
    expect(withReadme).toEqual(expect.arrayContaining(['errors', 'log', 'file', 'whoami']));
  });

  it.each(withReadme)('%s: README has Syntax and Examples with at least one corefile block', (plugin) => {
    const text = readFileSync(join(DIR, plugin, 'README.md'), 'utf8');
    expect(text).toMatch(/^## Syntax$/m);
    expect(examples(text).length).toBeGreaterThan(0);
  });

  const cases = withReadme.flatMap((plugin) =>
    examples(readFileSync(join(DIR, plugin, 'README.md'), 'utf8')).map((corefile, i) => ({ plugin, i: i + 1, corefile })),
  );
  it.each(cases)('$plugin example $i boots and answers', async ({ corefile }) => {
    const text = withEphemeralPorts(corefile);
    const s = (server = await startServer(text, { files: filesFor(text), defaultPort: 0, timeScale: 0.01 }));
    const inst = s.process.current();
    expect(inst?.listeners().length).toBeGreaterThan(0);
    // Any reply at all (REFUSED included) proves the chain is wired and the socket answers.
    const zone = inst?.listeners()[0]?.zone ?? '.';
    const reply = await query({ port: s.port(), name: zone === '.' ? 'www.example.org.' : `www.${zone}`, type: 'A' });
    expect(reply.response).toBe(true);
  });
});
