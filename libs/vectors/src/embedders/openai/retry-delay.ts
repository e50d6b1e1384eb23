/** How long to wait between attempts at an endpoint. */
export interface RetryTiming {
  /** Cap of the first retry's random delay, doubled on each further retry. */
  baseDelayMs: number;
  /** Upper bound of a backoff delay (a server's `Retry-After` may ask for longer). */
  maxDelayMs: number;
}

/** The longest `Retry-After` honoured (a server asking for more gets retried after this). */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * The wait before retry number `retry` (1-based): exponential backoff with full jitter (uniform in
 * [0, min(maxDelayMs, base·2^(retry-1))]), but never less than the server's `Retry-After` (seconds
 * or an HTTP date, honoured up to `MAX_RETRY_AFTER_MS`).
 */
export function retryDelay(timing: RetryTiming, retry: number, retryAfter?: string | null): number {
  const backoff = Math.random() * Math.min(timing.maxDelayMs, timing.baseDelayMs * 2 ** (retry - 1));
  return Math.max(backoff, Math.min(MAX_RETRY_AFTER_MS, retryAfterMs(retryAfter)));
}

/** A `Retry-After` header in milliseconds (0 when absent or unreadable). */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number {
  if (!header) return 0;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? 0 : Math.max(0, date - now);
}
