import { randomBytes } from 'node:crypto';
import { createUniqueBucket, FaultInjectingProxy } from '@isthmus/services';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { collect } from '../../src/body.js';
import type { RetryPolicy } from '../../src/retry.js';
import { S3ObjectStore } from '../../src/s3/s3-store.js';

const FAST_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 };

describe('S3ObjectStore under injected faults (real RGW behind a fault-injecting proxy)', () => {
  let proxy: FaultInjectingProxy;
  let bucket: string;
  let direct: S3ObjectStore;
  let faulty: S3ObjectStore;

  beforeAll(async () => {
    const s3 = inject('s3');
    bucket = await createUniqueBucket(s3, 'faults');
    proxy = await FaultInjectingProxy.start(s3.endpoint);
    direct = new S3ObjectStore(bucket, '', s3);
    faulty = new S3ObjectStore(bucket, '', { ...s3, endpoint: proxy.endpoint, retry: FAST_RETRY });
  });
  afterEach(() => {
    proxy.clearFaults();
    proxy.seen.length = 0;
  });
  afterAll(async () => {
    await Promise.all([faulty.close(), direct.close()]);
    await proxy.stop();
  });

  it('resumes a broken read at the first missing byte, each time it breaks', async () => {
    const bytes = randomBytes(3 * 1024 * 1024);
    await direct.put('resume/object', bytes);
    proxy.inject('GET', { kind: 'cut', afterBytes: 100_000 }, 2);
    const read = await collect(await faulty.getStream('resume/object'));
    expect(read.equals(bytes)).toBe(true);
    const gets = proxy.seen.filter((request) => request.method === 'GET');
    expect(gets.length).toBe(3);
    const resumedAt = gets.slice(1).map((get) => {
      expect(get.range).toMatch(/^bytes=\d+-3145727$/);
      return Number(/bytes=(\d+)-/.exec(get.range!)![1]);
    });
    // Each cut response delivered at most 100 000 bytes, so each resume starts at most that far on.
    expect(resumedAt[0]).toBeGreaterThan(0);
    expect(resumedAt[0]).toBeLessThanOrEqual(100_000);
    expect(resumedAt[1]).toBeGreaterThan(resumedAt[0]!);
    expect(resumedAt[1]).toBeLessThanOrEqual(resumedAt[0]! + 100_000);
  });

  it('resumes a broken ranged read within its range', async () => {
    const bytes = randomBytes(1024 * 1024);
    await direct.put('resume/ranged', bytes);
    proxy.inject('GET', { kind: 'cut', afterBytes: 50_000 });
    const read = await faulty.get('resume/ranged', { range: { offset: 1000, length: 500_000 } });
    expect(Buffer.from(read).equals(bytes.subarray(1000, 501_000))).toBe(true);
  });

  it('fails a resumed read with PreconditionFailedError when the object changed meanwhile', async () => {
    await direct.put('resume/changing', randomBytes(2 * 1024 * 1024));
    proxy.inject('GET', { kind: 'cut', afterBytes: 200_000 });
    const stream = await faulty.getStream('resume/changing');
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    await direct.put('resume/changing', 'a new version');
    await expect(
      (async () => {
        for (let next = await iterator.next(); !next.done; next = await iterator.next());
      })(),
    ).rejects.toMatchObject({ code: 'ERR_STORAGE_PRECONDITION_FAILED' });
  });

  it('retries throttling and 5xx answers, then succeeds', async () => {
    await direct.put('retry/object', 'payload');
    proxy.inject('GET', { kind: 'status', status: 503, code: 'SlowDown' });
    proxy.inject('GET', { kind: 'status', status: 500, code: 'InternalError' });
    expect(Buffer.from(await faulty.get('retry/object')).toString()).toBe('payload');
    expect(proxy.seen.filter((request) => request.method === 'GET')).toHaveLength(3);
  });

  it('gives up with StorageUnavailableError after the last attempt', async () => {
    proxy.inject('HEAD', { kind: 'status', status: 503, code: 'SlowDown' }, FAST_RETRY.maxAttempts);
    await expect(faulty.head('retry/object')).rejects.toMatchObject({
      code: 'ERR_STORAGE_UNAVAILABLE',
      attempts: FAST_RETRY.maxAttempts,
    });
  });

  it('does not retry a definite answer such as 404', async () => {
    await expect(faulty.head('retry/absent')).rejects.toMatchObject({ code: 'ERR_STORAGE_NOT_FOUND' });
    expect(proxy.seen).toHaveLength(1);
  });

  it('recognises its own create-only write when the success answer was lost', async () => {
    proxy.inject('PUT', { kind: 'swallow', status: 500 });
    await faulty.put('ambiguous/create', 'mine', { ifNoneMatch: '*' });
    expect(Buffer.from(await direct.get('ambiguous/create')).toString()).toBe('mine');
    expect(proxy.seen.filter((request) => request.method === 'PUT')).toHaveLength(2);
  });

  it('still reports a lost race when the winner was another writer', async () => {
    await direct.put('ambiguous/taken', 'theirs');
    proxy.inject('PUT', { kind: 'status', status: 500, code: 'InternalError' });
    await expect(faulty.put('ambiguous/taken', 'mine', { ifNoneMatch: '*' })).rejects.toMatchObject({
      code: 'ERR_STORAGE_PRECONDITION_FAILED',
    });
  });

  it('retries a failed part of a multipart upload without restarting the upload', async () => {
    const bytes = randomBytes(11 * 1024 * 1024);
    const parts = new S3ObjectStore(bucket, '', {
      ...inject('s3'),
      endpoint: proxy.endpoint,
      retry: FAST_RETRY,
      partSize: 5 * 1024 * 1024,
      multipartThreshold: 5 * 1024 * 1024,
    });
    proxy.inject('PUT', { kind: 'status', status: 503, code: 'SlowDown' });
    await parts.put(
      'multipart/retried',
      (async function* () {
        yield bytes;
      })(),
    );
    await parts.close();
    expect(Buffer.from(await direct.get('multipart/retried')).equals(bytes)).toBe(true);
    const creates = proxy.seen.filter(
      (request) => request.method === 'POST' && request.path.includes('uploads'),
    );
    expect(creates.filter((request) => !request.path.includes('uploadId'))).toHaveLength(1);
  });
});
