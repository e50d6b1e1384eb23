import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, retryAfterMs, retryDelay } from '../../../src/embedders/openai/retry-delay.js';

describe('retry delays', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('2', now)).toBe(2000);
    expect(retryAfterMs('0.5', now)).toBe(500);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:03 GMT', now)).toBe(3000);
    expect(retryAfterMs('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBe(0);
    expect(retryAfterMs(null, now)).toBe(0);
  });

  it('backs off within the doubling cap, waits at least Retry-After, and at most MAX_RETRY_AFTER_MS for it', () => {
    const timing = { baseDelayMs: 100, maxDelayMs: 1000 };
    for (let i = 0; i < 200; i++) {
      expect(retryDelay(timing, 1)).toBeLessThanOrEqual(100);
      expect(retryDelay(timing, 3)).toBeLessThanOrEqual(400);
      expect(retryDelay(timing, 10)).toBeLessThanOrEqual(1000);
      expect(retryDelay(timing, 1, '3')).toBe(3000);
    }
    expect(retryDelay(timing, 1, '86400')).toBe(MAX_RETRY_AFTER_MS);
  });
});
