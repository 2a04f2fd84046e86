/**
 * Opening configuration and zone files safely. Node reads files on the one thread that also
 * serves queries: a FIFO would block `open` for good and `/dev/zero` would be read until the
 * heap is gone (Go blocks only one goroutine there). So every file the server reads is opened
 * without blocking and must be a regular file, or the read fails with a clear error.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';

/** Corefiles and zone files larger than this are refused rather than read (1 GiB). */
export const MAX_FILE_BYTES = 1024 ** 3;

/** Opens `path` for reading; throws unless it is a regular file of a sane size. The caller closes. */
export function openRegular(path: string): number {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) {
      // Go's wording for reading a directory (`read /p: is a directory`), which CoreDNS logs.
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR', syscall: 'read', path, reason: 'is a directory' });
    }
    if (!st.isFile()) {
      const reason = `not a regular file (${kindOf(st)}); refusing to read it`;
      throw Object.assign(new Error(`${path}: ${reason}`), { code: 'ENOTREG', syscall: 'open', path, reason });
    }
    if (st.size > MAX_FILE_BYTES) {
      const reason = `${st.size} bytes is larger than the ${MAX_FILE_BYTES} this server reads`;
      throw Object.assign(new Error(`${path}: ${reason}`), { code: 'EFBIG', syscall: 'read', path, reason });
    }
    return fd;
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/** Reads a regular file whole, as UTF-8. */
export function readRegularFile(path: string): string {
  const fd = openRegular(path);
  try {
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

function kindOf(st: import('node:fs').Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}
