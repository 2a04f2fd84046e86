/**
 * `{$NAME}` / `{%NAME%}` substitution (caddyfile replaceEnvVars), semantics doc 1.3.
 */

export type Env = Readonly<Record<string, string | undefined>>;

function replaceRefs(s: string, start: string, end: string, env: Env): string {
  let out = s;
  let index = out.indexOf(start);
  while (index !== -1) {
    const endIndex = out.indexOf(end, index);
    if (endIndex === -1) break;
    // An empty name (`{$}`, `{%%}`) stops substitution for the rest of the string, as in caddy.
    if (endIndex <= index + start.length) return out;
    const name = out.slice(index + start.length, endIndex);
    const value = env[name] ?? '';
    out = out.slice(0, index) + value + out.slice(endIndex + end.length);
    // caddy rescans from the start, so a value containing `{$X}` is expanded again (and
    // one containing itself loops for ever). We continue after the value instead.
    index = out.indexOf(start, index + value.length);
  }
  return out;
}

/** `{%NAME%}` first, then `{$NAME}`; unset variables become `''`. */
export function replaceEnvVars(s: string, env: Env): string {
  if (!s.includes('{')) return s;
  return replaceRefs(replaceRefs(s, '{%', '%}', env), '{$', '}', env);
}
