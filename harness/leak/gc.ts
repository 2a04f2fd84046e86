/**
 * Forcing a full GC, and settling the heap before a liveness measurement.
 *
 * Why `settle` yields macrotasks around gc(): a WeakRef created or deref'd in the current
 * job keeps its target alive until the job ends (case 30), and handles being closed need a
 * turn of the loop to go away. FinalizationRegistry is never awaited: its callbacks may never
 * run (node#53805).
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { GcUnavailableError } from './errors.ts';

let cached: (() => void) | null = null;

/** Returns a function that forces a full, synchronous GC, or throws `GcUnavailableError`. */
export function requireGc(): () => void {
  if (cached) return cached;
  const exposed: unknown = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') {
    cached = () => void (exposed as () => void)();
    return cached;
  }
  // setFlagsFromString does not add gc to the existing global (nodejs/node#16595); a new
  // context created after the flag flip does get one.
  try {
    v8.setFlagsFromString('--expose-gc');
    const fromContext: unknown = vm.runInNewContext('gc');
    if (typeof fromContext !== 'function') throw new TypeError('vm context has no gc');
    cached = () => void (fromContext as () => void)();
    return cached;
  } catch (err) {
    throw new GcUnavailableError(err);
  }
}

/** One macrotask turn (after I/O callbacks, so closing handles get their turn). */
export function yieldMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Yields, forces GC, yields again, `rounds` times. Objects only weakly held are gone after it.
 * @default rounds 3
 */
export async function settle(rounds = 3): Promise<void> {
  const gc = requireGc();
  for (let i = 0; i < rounds; i++) {
    await yieldMacrotask();
    gc();
    await yieldMacrotask();
  }
}
