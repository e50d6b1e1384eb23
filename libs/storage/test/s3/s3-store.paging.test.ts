import { createUniqueBucket, FaultInjectingProxy, type SeenRequest } from '@isthmus/services';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { ListOptions } from '../../src/object-store.js';
import { S3ObjectStore } from '../../src/s3/s3-store.js';

const KEYS = ['p/a/1', 'p/a/2', 'p/b', 'p/c/1', 'p/d', 'p/e', 'p/f/1', 'p/g'];

/** The query parameters of the ListObjectsV2 requests the proxy passed on. */
function listRequests(seen: SeenRequest[]): URLSearchParams[] {
  return seen
    .map((request) => new URL(request.path, 'http://proxy').searchParams)
    .filter((query) => query.get('list-type') === '2');
}

describe('S3ObjectStore paging (real RGW behind a pass-through proxy that records requests)', () => {
  let proxy: FaultInjectingProxy;
  let store: S3ObjectStore;

  beforeAll(async () => {
    const s3 = inject('s3');
    const bucket = await createUniqueBucket(s3, 'paging');
    proxy = await FaultInjectingProxy.start(s3.endpoint);
    store = new S3ObjectStore(bucket, 'under', { ...s3, endpoint: proxy.endpoint });
    await Promise.all(KEYS.map((key) => store.put(key, key)));
  });
  beforeEach(() => {
    proxy.seen.length = 0;
  });
  afterAll(async () => {
    await store.close();
    await proxy.stop();
  });

  async function list(options: ListOptions): Promise<string[]> {
    const names: string[] = [];
    for await (const entry of store.list(options))
      names.push(entry.kind === 'object' ? entry.key : entry.prefix);
    return names;
  }

  it('asks for pageSize entries per request and follows the continuation tokens to the end', async () => {
    expect(await list({ prefix: 'p/', pageSize: 3 })).toEqual(KEYS);
    const requests = listRequests(proxy.seen);
    expect(requests).toHaveLength(Math.ceil(KEYS.length / 3));
    expect(requests.map((query) => query.get('max-keys'))).toEqual(['3', '3', '3']);
    expect(requests[0]!.has('continuation-token')).toBe(false);
    expect(requests.slice(1).every((query) => query.get('continuation-token'))).toBe(true);
  });

  it('pages common prefixes too, and pages after startAfter', async () => {
    expect(await list({ prefix: 'p/', delimiter: '/', pageSize: 2 })).toEqual([
      'p/a/',
      'p/b',
      'p/c/',
      'p/d',
      'p/e',
      'p/f/',
      'p/g',
    ]);
    expect(listRequests(proxy.seen)).toHaveLength(4);

    proxy.seen.length = 0;
    expect(await list({ prefix: 'p/', startAfter: 'p/c/1', pageSize: 2 })).toEqual([
      'p/d',
      'p/e',
      'p/f/1',
      'p/g',
    ]);
    const requests = listRequests(proxy.seen);
    expect(requests).toHaveLength(2);
    expect(requests[0]!.get('start-after')).toBe('under/p/c/1');
  });

  it('leaves the page size to the server when pageSize is not given', async () => {
    expect(await list({ prefix: 'p/' })).toEqual(KEYS);
    const requests = listRequests(proxy.seen);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.has('max-keys')).toBe(false);
  });
});
