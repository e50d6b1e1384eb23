import { afterEach, describe, expect, inject, it } from 'vitest';
import { JsonDocuments } from '../../src/log/json-document.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/test-stores.js';

describe.each(STORE_KINDS)('JsonDocuments on %s', (kind) => {
  let place: TestStore;

  afterEach(async () => {
    await place?.dispose();
  });

  it('reads nothing for a missing key, creates, and updates by compare-and-swap with the etag it read', async () => {
    place = await openTestStore(kind, inject('s3'), 'json-basic');
    const json = new JsonDocuments(place.store);
    expect(await json.read('a/doc.json')).toBeUndefined();
    const created = await json.update<{ n: number }>('a/doc.json', (current) => ({
      n: (current?.n ?? 0) + 1,
    }));
    expect(created?.value).toEqual({ n: 1 });
    const read = await json.read<{ n: number }>('a/doc.json');
    expect(read).toEqual(created);
    const unchanged = await json.update<{ n: number }>('a/doc.json', () => undefined);
    expect(unchanged?.etag).toBe(read?.etag);
    await expect(json.update<unknown>('a/doc.json', () => [1, 2])).rejects.toMatchObject({
      code: 'ERR_STREAMS_INVALID_ARGUMENT',
    });
  });

  it('never loses an increment when many writers in several handles race', async () => {
    place = await openTestStore(kind, inject('s3'), 'json-race');
    const handles = [
      new JsonDocuments(place.store),
      new JsonDocuments(place.open()),
      new JsonDocuments(place.open()),
    ];
    const taken = await Promise.all(
      Array.from({ length: 24 }, (_, i) => handles[i % handles.length]!.takeNext('counter.json')),
    );
    expect([...taken].sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });

  it('retries from a stale known version and gives up with CommitConflictError when it always loses', async () => {
    place = await openTestStore(kind, inject('s3'), 'json-conflict');
    const json = new JsonDocuments(place.store, { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 });
    const stale = await json.update<{ v: string }>('doc.json', () => ({ v: 'first' }));
    await json.update<{ v: string }>('doc.json', () => ({ v: 'second' }));
    const fromStale = await json.update<{ v: string }>(
      'doc.json',
      (current) => ({ v: `${current?.v}+` }),
      stale,
    );
    expect(fromStale?.value).toEqual({ v: 'second+' });

    const rival = new JsonDocuments(place.open());
    let attempts = 0;
    await expect(
      json.update<{ v: string }>('doc.json', async (current) => {
        attempts++;
        await rival.update<{ v: string }>('doc.json', () => ({ v: `rival ${attempts}` }));
        return { v: `${current?.v} mine` };
      }),
    ).rejects.toMatchObject({ code: 'ERR_STREAMS_COMMIT_CONFLICT', kafkaErrorCode: 7 });
    expect(attempts).toBe(3);
    expect((await json.read<{ v: string }>('doc.json'))?.value).toEqual({ v: 'rival 3' });
  });

  it('reports a damaged document as CorruptSegmentError', async () => {
    place = await openTestStore(kind, inject('s3'), 'json-corrupt');
    await place.store.put('bad.json', '{ not json');
    await expect(new JsonDocuments(place.store).read('bad.json')).rejects.toMatchObject({
      code: 'ERR_STREAMS_CORRUPT_SEGMENT',
    });
  });
});
