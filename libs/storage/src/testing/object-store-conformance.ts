import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect } from '../body.js';
import type { ListEntry, ListOptions, ObjectStore } from '../object-store.js';

/** What each backend's test file hands the suite: a fresh, empty store and how to dispose of it. */
export interface ConformanceTarget {
  open(): Promise<{ store: ObjectStore; dispose(): Promise<void> }>;
  /** A body size that the backend writes in several parts (multipart on S3). */
  largeObjectBytes: number;
}

/** Racing writers per round, and rounds, of the create-only and compare-and-swap races. */
const RACERS = 32;
const RACE_ROUNDS = 3;

async function listAll(store: ObjectStore, options?: ListOptions): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of store.list(options)) names.push(nameOf(entry));
  return names;
}

function nameOf(entry: ListEntry): string {
  return entry.kind === 'object' ? entry.key : `${entry.prefix}(prefix)`;
}

/**
 * Starts RACERS writers at once and asserts that exactly one succeeded and every other one lost
 * with PreconditionFailedError; returns the winner's number.
 */
async function raceForOneWinner(write: (writer: number) => Promise<unknown>): Promise<number> {
  const outcomes = await Promise.allSettled(Array.from({ length: RACERS }, (_, writer) => write(writer)));
  const winners = outcomes.flatMap((outcome, writer) => (outcome.status === 'fulfilled' ? [writer] : []));
  expect(winners).toHaveLength(1);
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') {
      expect(outcome.reason).toMatchObject({ code: 'ERR_STORAGE_PRECONDITION_FAILED' });
    }
  }
  return winners[0]!;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The behaviour every `ObjectStore` backend must share. Each backend's test file calls this once;
 * the same assertions then hold for S3 and for POSIX file systems.
 */
export function describeObjectStoreConformance(backend: string, target: ConformanceTarget): void {
  describe(`ObjectStore conformance: ${backend}`, () => {
    let store: ObjectStore;
    let dispose: () => Promise<void>;

    beforeAll(async () => {
      ({ store, dispose } = await target.open());
    });
    afterAll(async () => {
      await dispose?.();
    });

    describe('put, get, head', () => {
      it('round-trips bytes and text, and head agrees with put', async () => {
        const bytes = randomBytes(1000);
        const written = await store.put('basic/bytes.bin', bytes);
        expect(Buffer.from(await store.get('basic/bytes.bin')).equals(bytes)).toBe(true);
        const info = await store.head('basic/bytes.bin');
        expect(info).toMatchObject({ key: 'basic/bytes.bin', size: 1000, etag: written.etag });
        expect(info.lastModified.getTime()).toBeGreaterThan(Date.now() - 10 * 60_000);

        await store.put('basic/text.txt', 'héllo wörld');
        expect(Buffer.from(await store.get('basic/text.txt')).toString('utf8')).toBe('héllo wörld');
      });

      it('stores an empty object', async () => {
        await store.put('basic/empty', new Uint8Array(0));
        expect((await store.get('basic/empty')).byteLength).toBe(0);
        expect((await store.head('basic/empty')).size).toBe(0);
        expect((await collect(await store.getStream('basic/empty'))).length).toBe(0);
      });

      it('overwrites, changing the etag', async () => {
        const first = await store.put('basic/overwrite', 'one');
        const second = await store.put('basic/overwrite', 'two, longer');
        expect(second.etag).not.toBe(first.etag);
        expect(Buffer.from(await store.get('basic/overwrite')).toString()).toBe('two, longer');
      });

      it('reports missing keys as NotFoundError', async () => {
        await expect(store.get('missing/key')).rejects.toMatchObject({ code: 'ERR_STORAGE_NOT_FOUND' });
        await expect(store.head('missing/key')).rejects.toMatchObject({ code: 'ERR_STORAGE_NOT_FOUND' });
        await expect(store.getStream('missing/key')).rejects.toMatchObject({ code: 'ERR_STORAGE_NOT_FOUND' });
        await expect(store.head('basic')).rejects.toMatchObject({ code: 'ERR_STORAGE_NOT_FOUND' });
      });

      it('streams a large body in and out, in parts, with progress', async () => {
        const bytes = randomBytes(target.largeObjectBytes);
        const progress: number[] = [];
        const chunks = Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, i) =>
          bytes.subarray(i * 65536, (i + 1) * 65536),
        );
        const { etag } = await store.put('large/object.bin', Readable.from(chunks), {
          onProgress: (n) => progress.push(n),
        });
        expect(progress.at(-1)).toBe(bytes.length);
        expect(progress).toEqual([...progress].sort((a, b) => a - b));
        expect((await store.head('large/object.bin')).etag).toBe(etag);
        expect(sha256(await collect(await store.getStream('large/object.bin')))).toBe(sha256(bytes));
        expect(sha256(await store.get('large/object.bin'))).toBe(sha256(bytes));
      });
    });

    describe('ranges', () => {
      const bytes = Buffer.from('0123456789abcdefghij');
      beforeAll(async () => {
        await store.put('range/data', bytes);
      });

      it('reads offset+length, open-ended and suffix ranges', async () => {
        const text = async (range: Parameters<ObjectStore['get']>[1]) =>
          Buffer.from(await store.get('range/data', range)).toString();
        expect(await text({ range: { offset: 3, length: 4 } })).toBe('3456');
        expect(await text({ range: { offset: 15 } })).toBe('fghij');
        expect(await text({ range: { suffix: 3 } })).toBe('hij');
        expect(await text({ range: { suffix: 100 } })).toBe(bytes.toString());
        expect(await text({ range: { offset: 18, length: 10 } })).toBe('ij');
      });

      it('streams a range', async () => {
        const stream = await store.getStream('range/data', { range: { offset: 10, length: 5 } });
        expect((await collect(stream)).toString()).toBe('abcde');
      });

      it('rejects ranges that do not fit with InvalidRangeError', async () => {
        for (const range of [
          { offset: 20 },
          { offset: 100, length: 1 },
          { offset: -1 },
          { offset: 0, length: 0 },
        ]) {
          await expect(store.get('range/data', { range })).rejects.toMatchObject({
            code: 'ERR_STORAGE_INVALID_RANGE',
          });
        }
        await expect(store.get('range/data', { range: { suffix: 0 } })).rejects.toMatchObject({
          code: 'ERR_STORAGE_INVALID_RANGE',
        });
      });

      it('honours ifMatch on reads', async () => {
        const { etag } = await store.head('range/data');
        expect((await store.get('range/data', { ifMatch: etag })).byteLength).toBe(bytes.length);
        await expect(store.get('range/data', { ifMatch: 'not-the-etag' })).rejects.toMatchObject({
          code: 'ERR_STORAGE_PRECONDITION_FAILED',
        });
      });
    });

    describe('conditional writes', () => {
      it('creates only when absent with ifNoneMatch *', async () => {
        await store.put('cond/create', 'first', { ifNoneMatch: '*' });
        await expect(store.put('cond/create', 'second', { ifNoneMatch: '*' })).rejects.toMatchObject({
          code: 'ERR_STORAGE_PRECONDITION_FAILED',
        });
        expect(Buffer.from(await store.get('cond/create')).toString()).toBe('first');
      });

      it('compares and swaps with ifMatch', async () => {
        const v1 = await store.put('cond/cas', 'v1');
        const v2 = await store.put('cond/cas', 'v2', { ifMatch: v1.etag });
        await expect(store.put('cond/cas', 'stale', { ifMatch: v1.etag })).rejects.toMatchObject({
          code: 'ERR_STORAGE_PRECONDITION_FAILED',
        });
        expect(Buffer.from(await store.get('cond/cas')).toString()).toBe('v2');
        expect((await store.head('cond/cas')).etag).toBe(v2.etag);
        await expect(store.put('cond/absent', 'x', { ifMatch: v2.etag })).rejects.toMatchObject({
          code: 'ERR_STORAGE_PRECONDITION_FAILED',
        });
        await expect(store.head('cond/absent')).rejects.toMatchObject({ code: 'ERR_STORAGE_NOT_FOUND' });
      });

      it(`lets exactly one of ${RACERS} racing create-only writers win, round after round`, async () => {
        for (let round = 0; round < RACE_ROUNDS; round++) {
          const key = `race/create-${round}`;
          const winner = await raceForOneWinner((writer) =>
            store.put(key, `writer ${writer}`, { ifNoneMatch: '*' }),
          );
          expect(Buffer.from(await store.get(key)).toString()).toBe(`writer ${winner}`);
        }
      });

      it(`lets exactly one of ${RACERS} racing compare-and-swap writers win, round after round`, async () => {
        const key = 'race/cas';
        let { etag } = await store.put(key, 'round start');
        for (let round = 0; round < RACE_ROUNDS; round++) {
          const base = etag;
          const winner = await raceForOneWinner((writer) =>
            store.put(key, `round ${round} writer ${writer}`, { ifMatch: base }),
          );
          expect(Buffer.from(await store.get(key)).toString()).toBe(`round ${round} writer ${winner}`);
          etag = (await store.head(key)).etag;
          expect(etag).not.toBe(base);
        }
      });

      it('never shows a torn object to readers during overwrites', async () => {
        const a = Buffer.alloc(1 << 20, 'a');
        const b = Buffer.alloc(1 << 20, 'b');
        await store.put('atomic/object', a);
        const seen = new Set<string>();
        let writing = true;
        const writer = (async () => {
          for (let i = 0; i < 6; i++) await store.put('atomic/object', i % 2 ? a : b);
          writing = false;
        })();
        while (writing) {
          const bytes = Buffer.from(await store.get('atomic/object'));
          expect(bytes.equals(a) || bytes.equals(b)).toBe(true);
          seen.add(bytes.subarray(0, 1).toString());
        }
        await writer;
        expect(seen.size).toBeGreaterThan(0);
      });
    });

    describe('list', () => {
      const keys = [
        'list/a-b',
        'list/a.b',
        'list/a/1',
        'list/a/2/x',
        'list/aa',
        'list/B',
        'list/b/é',
        'list/z',
      ];
      beforeAll(async () => {
        await Promise.all(keys.map((key) => store.put(key, key)));
      });

      it('lists every key under a prefix in UTF-8 byte order', async () => {
        expect(await listAll(store, { prefix: 'list/' })).toEqual([
          'list/B',
          'list/a-b',
          'list/a.b',
          'list/a/1',
          'list/a/2/x',
          'list/aa',
          'list/b/é',
          'list/z',
        ]);
      });

      it('groups by delimiter into common prefixes', async () => {
        expect(await listAll(store, { prefix: 'list/', delimiter: '/' })).toEqual([
          'list/B',
          'list/a-b',
          'list/a.b',
          'list/a/(prefix)',
          'list/aa',
          'list/b/(prefix)',
          'list/z',
        ]);
        expect(await listAll(store, { prefix: 'list/a', delimiter: '/' })).toEqual([
          'list/a-b',
          'list/a.b',
          'list/a/(prefix)',
          'list/aa',
        ]);
        expect(await listAll(store, { prefix: 'list/a/', delimiter: '/' })).toEqual([
          'list/a/1',
          'list/a/2/(prefix)',
        ]);
        expect(await listAll(store, { delimiter: '/' })).toContain('list/(prefix)');
      });

      it('pages through results and starts after a key', async () => {
        expect(await listAll(store, { prefix: 'list/', pageSize: 2 })).toHaveLength(keys.length);
        expect(await listAll(store, { prefix: 'list/', startAfter: 'list/a/2/x' })).toEqual([
          'list/aa',
          'list/b/é',
          'list/z',
        ]);
      });

      it('reports object metadata in entries', async () => {
        const entries: ListEntry[] = [];
        for await (const entry of store.list({ prefix: 'list/z' })) entries.push(entry);
        expect(entries).toEqual([
          {
            kind: 'object',
            key: 'list/z',
            size: 6,
            etag: expect.any(String),
            lastModified: expect.any(Date),
          },
        ]);
        expect((entries[0] as { etag: string }).etag).toBe((await store.head('list/z')).etag);
      });

      it('lists nothing under an absent prefix', async () => {
        expect(await listAll(store, { prefix: 'nothing/here/' })).toEqual([]);
      });
    });

    describe('delete and copy', () => {
      it('deletes one key, idempotently', async () => {
        await store.put('del/one', 'x');
        await store.delete('del/one');
        await expect(store.head('del/one')).rejects.toMatchObject({ code: 'ERR_STORAGE_NOT_FOUND' });
        await store.delete('del/one');
        expect(await listAll(store, { prefix: 'del/' })).toEqual([]);
      });

      it('deletes many keys', async () => {
        const many = Array.from({ length: 25 }, (_, i) => `del/many/${String(i).padStart(2, '0')}`);
        await Promise.all(many.map((key) => store.put(key, key)));
        await store.deleteMany([...many.slice(5), 'del/many/never-existed']);
        expect(await listAll(store, { prefix: 'del/many/' })).toEqual(many.slice(0, 5));
      });

      it('copies objects, conditionally too', async () => {
        await store.put('copy/source', 'payload');
        await store.copy('copy/source', 'copy/target');
        expect(Buffer.from(await store.get('copy/target')).toString()).toBe('payload');
        await expect(store.copy('copy/source', 'copy/target', { ifNoneMatch: '*' })).rejects.toMatchObject({
          code: 'ERR_STORAGE_PRECONDITION_FAILED',
        });
        await expect(store.copy('copy/missing', 'copy/other')).rejects.toMatchObject({
          code: 'ERR_STORAGE_NOT_FOUND',
        });
      });
    });

    describe('keys', () => {
      const invalid = [
        '',
        '/etc/passwd',
        '../escape',
        'a/../../escape',
        'a//b',
        'a/./b',
        'a/',
        'a\\b',
        'x\u0000y',
        '.isthmus-tmp',
      ];
      it.each(invalid)('rejects the key %j on every operation', async (key) => {
        const operations = [
          () => store.put(key, 'x'),
          () => store.get(key),
          () => store.head(key),
          () => store.delete(key),
          () => store.copy('basic/text.txt', key),
        ];
        for (const operation of operations) {
          await expect(operation()).rejects.toMatchObject({ code: 'ERR_STORAGE_INVALID_KEY' });
        }
      });
    });
  });
}
