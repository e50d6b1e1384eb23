import { describe, expect, it } from 'vitest';
import { ConcurrencyLimiter } from '../src/concurrency.js';
import { backoffDelay, withRetry } from '../src/retry.js';

const policy = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 4 };

describe('withRetry', () => {
  it('retries transient failures and returns the first success', async () => {
    let calls = 0;
    const result = await withRetry(
      'op',
      policy,
      () => true,
      async () => {
        calls++;
        if (calls < 3) throw new Error('flaky');
        return 'ok';
      },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it('rethrows a non-transient failure at once', async () => {
    let calls = 0;
    const failing = withRetry(
      'op',
      policy,
      () => false,
      async () => {
        calls++;
        throw new Error('definite');
      },
    );
    await expect(failing).rejects.toThrow('definite');
    expect(calls).toBe(1);
  });

  it('gives up after maxAttempts with StorageUnavailableError', async () => {
    const failing = withRetry(
      'op',
      policy,
      () => true,
      async () => {
        throw new Error('down');
      },
    );
    await expect(failing).rejects.toMatchObject({ code: 'ERR_STORAGE_UNAVAILABLE', attempts: 4 });
  });

  it('keeps delays within the exponential cap', () => {
    for (let retry = 1; retry < 10; retry++) {
      const delay = backoffDelay({ maxAttempts: 10, baseDelayMs: 10, maxDelayMs: 1000 }, retry);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(Math.min(1000, 10 * 2 ** (retry - 1)));
    }
  });
});

describe('ConcurrencyLimiter', () => {
  it('never runs more than its limit at once, and runs everything', async () => {
    const limiter = new ConcurrencyLimiter(3);
    let active = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limiter.run(async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((resolve) => setTimeout(resolve, 2));
          active--;
          return i;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('rejects a nonsensical limit', () => {
    expect(() => new ConcurrencyLimiter(0)).toThrow(RangeError);
  });
});
