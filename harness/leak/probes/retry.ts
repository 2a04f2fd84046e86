/**
 * goleak-style patience: teardown is asynchronous, so a count above the expected value is
 * measured again with exponential backoff before it is reported.
 */

export interface RetryOptions {
  /** Measurements in total, including the first. @default 6 */
  attempts?: number;
  /** Delay before the second measurement. @default 2 */
  initialDelayMs?: number;
  /** Cap of the doubling delay. @default 100 */
  maxDelayMs?: number;
}

export interface RetryResult<T> {
  value: T;
  ok: boolean;
  attempts: number;
}

export async function retryUntil<T>(
  measure: () => Promise<T>,
  ok: (value: T) => boolean,
  opts: RetryOptions = {},
): Promise<RetryResult<T>> {
  const attempts = Math.max(1, opts.attempts ?? 6);
  const cap = opts.maxDelayMs ?? 100;
  let delay = opts.initialDelayMs ?? 2;
  let value = await measure();
  let n = 1;
  while (!ok(value) && n < attempts) {
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(cap, delay * 2);
    value = await measure();
    n++;
  }
  return { value, ok: ok(value), attempts: n };
}
