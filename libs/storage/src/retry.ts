import { StorageUnavailableError } from './errors.js';

/** How transient failures are retried: exponential backoff with full jitter. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Delay cap of the first retry, doubled on each further one. */
  baseDelayMs: number;
  /** Upper bound of any single delay. */
  maxDelayMs: number;
}

/** The default: 6 attempts, 50 ms doubling up to 5 s (about 10 s of patience in the worst case). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 50, maxDelayMs: 5_000 };

/** The delay before retry number `retry` (1-based): uniform in [0, min(max, base·2^(retry-1))]. */
export function backoffDelay(policy: RetryPolicy, retry: number): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.random() * cap;
}

/**
 * Runs `attempt` until it succeeds, fails with an error `isTransient` rejects, or the attempts run
 * out; then throws `StorageUnavailableError` with the last error as its cause.
 */
export async function withRetry<T>(
  operation: string,
  policy: RetryPolicy,
  isTransient: (error: unknown) => boolean,
  attempt: (attemptNumber: number) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (!isTransient(error) || signal?.aborted) throw error;
      if (attemptNumber >= policy.maxAttempts) {
        throw new StorageUnavailableError(operation, attemptNumber, { cause: error });
      }
      await sleep(backoffDelay(policy, attemptNumber), signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
