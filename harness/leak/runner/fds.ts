import fs from 'node:fs';

/**
 * Open descriptors of this process that refer to files on disk (Linux: /proc/self/fd).
 * Sockets, pipes, event fds and devices are left out: the server legitimately holds its
 * listening sockets and client connections come and go, while a zone file left open is a leak.
 */
export function openFdCount(): number {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc/self/fd');
  } catch {
    // Not Linux: no fd signal; a scenario's fds checks then compare 0 with 0.
    return 0;
  }
  let n = 0;
  for (const e of entries) {
    let target: string;
    try {
      target = fs.readlinkSync(`/proc/self/fd/${e}`);
    } catch {
      continue; // closed meanwhile, or the directory handle readdir used
    }
    if (target.startsWith('/') && !target.startsWith('/dev/') && !target.startsWith('/proc/')) n++;
  }
  return n;
}
