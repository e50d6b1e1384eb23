import { setTimeout as delay } from 'node:timers/promises';

/** Exponential backoff with full jitter: how long to wait before retry `attempt` (1, 2, …). */
export interface Backoff {
  /** First delay's ceiling in ms. */
  baseMs: number;
  /** No delay above this many ms. */
  maxMs: number;
}

/**
 * Waits a random time in [0, min(maxMs, baseMs·2^(attempt-1))) (full jitter, so waiting writers
 * spread out). Rejects with the signal's reason when `signal` aborts.
 */
export function backoff(attempt: number, policy: Backoff, signal?: AbortSignal): Promise<void> {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return delay(Math.random() * ceiling, undefined, { signal });
}
