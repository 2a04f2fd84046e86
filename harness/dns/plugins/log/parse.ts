/**
 * `log [NAMES...] [FORMAT] { class CLASSES... }` as CoreDNS's logParse reads it
 * (plugin/log/setup.go). Pure: tokens in, rules out.
 */
import type { Dispenser } from '../../server/corefile/dispenser.ts';

export const COMMON_LOG_FORMAT = '{remote}:{port} - {>id} "{type} {class} {name} {proto} {size} {>do} {>bufsize}" {rcode} {>rflags} {rsize} {duration}';
export const COMBINED_LOG_FORMAT = `${COMMON_LOG_FORMAT} "{>opcode}"`;
export const DEFAULT_LOG_FORMAT = COMMON_LOG_FORMAT;

export type ResponseClass = 'all' | 'success' | 'denial' | 'error';

export interface LogRule {
  /** Names this rule logs (`.` = everything). */
  nameScope: string;
  format: string;
  classes: ReadonlySet<ResponseClass>;
}

const CLASSES: ReadonlySet<string> = new Set(['all', 'success', 'denial', 'error']);

function fqdn(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

export function parseLog(d: Dispenser): LogRule[] {
  const rules: LogRule[] = [];
  while (d.next()) {
    let args = d.remainingArgs();
    const pending: Array<{ nameScope: string; format: string }> = [];
    if (args.length === 0) {
      pending.push({ nameScope: '.', format: DEFAULT_LOG_FORMAT });
    } else if (args.length === 1) {
      pending.push({ nameScope: fqdn(args[0] ?? '.'), format: DEFAULT_LOG_FORMAT });
    } else {
      let format = DEFAULT_LOG_FORMAT;
      const last = args[args.length - 1] ?? '';
      if (last.includes('{')) {
        format = last === '{common}' ? COMMON_LOG_FORMAT : last === '{combined}' ? COMBINED_LOG_FORMAT : last;
        args = args.slice(0, -1);
      }
      for (const name of args) pending.push({ nameScope: fqdn(name), format });
    }
    const classes = new Set<ResponseClass>();
    while (d.nextBlock()) {
      if (d.val() !== 'class') throw d.argErr();
      const names = d.remainingArgs();
      if (names.length === 0) throw d.argErr();
      for (const c of names) {
        if (!CLASSES.has(c)) throw new Error(`invalid Class: ${c}`);
        classes.add(c as ResponseClass);
      }
    }
    if (classes.size === 0) classes.add('all');
    for (const p of pending) rules.push({ ...p, classes });
  }
  return rules;
}
