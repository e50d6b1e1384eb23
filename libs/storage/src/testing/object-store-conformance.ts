import { createHash, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect } from '../body.js';
import type { ListEntry, ListOptions, ObjectStore } from '../object-store.js';

/** How to run the conformance suite against one `ObjectStore` implementation. */
export interface ObjectStoreConformanceOptions {
  /**
   * Opens the store under test, called once before the suite's tests. The store must be empty
   * (a fresh directory, bucket or key prefix): the tests write and list fixed keys.
   */
  open(): Promise<ObjectStore>;
  /** Called once after the tests, after `store.close()`: removes what `open` created. */
  cleanup?(store: ObjectStore): Promise<void>;
  /** Size of the large-object test's body, e.g. one the store writes in several parts (default 12 MiB). */
  largeObjectBytes?: number;
}

/** Racing writers per round, and rounds, of the create-only and compare-and-swap races. */
const RACERS = 32;
const RACE_ROUNDS = 3;
/** Overwrites of one object while readers read it, in the torn-read test. */
const OVERWRITES = 8;

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

/** When an operation was in flight, in `performance.now()` milliseconds. */
interface Interval {
  started: number;
  ended: number;
}

async function timed<T>(intervals: Interval[], operation: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await operation();
  } finally {
    intervals.push({ started, ended: performance.now() });
  }
}

/**
 * Declares the behaviour every `ObjectStore` must share, as a vitest `describe` block: round trips,
 * ranges, streams, conditional writes and races, torn reads, listing order, delimiters and paging,
 * deletes, copies and key validation. Call it from a test file with a factory for your store:
 *
 * ```ts
 * describeObjectStoreConformance('my store', { open: async () => new MyStore(...) });
 * ```
 */
export function describeObjectStoreConformance(name: string, options: ObjectStoreConformanceOptions): void {
  const largeObjectBytes = options.largeObjectBytes ?? 12 * 1024 * 1024;

  describe(`ObjectStore conformance: ${name}`, () => {
    let store: ObjectStore | undefined;
    /** The store under test (opened before the first test). */
    const subject = (): ObjectStore => {
      if (!store) throw new Error('the store under test did not open');
      return store;
    };

    beforeAll(async () => {
      store = await options.open();
    });
    afterAll(async () => {
      if (!store) return;
      await store.close();
      await options.cleanup?.(store);
    });

    describe('put, get, head', () => {
      it('round-trips bytes and text, and head agrees with put', async () => {
        const store = subject();
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
        const store = subject();
        await store.put('basic/empty', new Uint8Array(0));
        expect((await store.get('basic/empty')).byteLength).toBe(0);
        expect((await store.head('basic/empty')).size).toBe(0);
        expect((await collect(await store.getStream('basic/empty'))).length).toBe(0);
      });

      it('overwrites, changing the etag', async () => {
        const store = subject();
        const first = await store.put('basic/overwrite', 'one');
        const second = await store.put('basic/overwrite', 'two, longer');
        expect(second.etag).not.toBe(first.etag);
        expect(Buffer.from(await store.get('basic/overwrite')).toString()).toBe('two, longer');
      });

      it('reports missing keys as NotFoundError', async () => {
        const store = subject();
        await expect(store.get('missing/key')).rejects.toMatchObject({ code: 'ERR_STORAGE_NOT_FOUND' });
        await expect(store.head('missing/key')).rejects.toMatchObject({ code: 'ERR_STORAGE_NOT_FOUND' });
        await expect(store.getStream('missing/key')).rejects.toMatchObject({ code: 'ERR_STORAGE_NOT_FOUND' });
        await expect(store.head('basic')).rejects.toMatchObject({ code: 'ERR_STORAGE_NOT_FOUND' });
      });

      it('streams a large body in and out, reporting progress as it goes', async () => {
        const store = subject();
        const bytes = randomBytes(largeObjectBytes);
        const progress: number[] = [];
        const chunks = Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, i) =>
          bytes.subarray(i * 65536, (i + 1) * 65536),
        );
        const { etag } = await store.put('large/object.bin', Readable.from(chunks), {
          onProgress: (n) => progress.push(n),
        });
        expect(progress.length).toBeGreaterThan(1);
        expect(progress.at(-1)).toBe(bytes.length);
        expect(progress.every((n, i) => i === 0 || n > progress[i - 1]!)).toBe(true);
        expect((await store.head('large/object.bin')).etag).toBe(etag);

        const received: Buffer[] = [];
        for await (const chunk of await store.getStream('large/object.bin')) received.push(chunk);
        expect(received.length).toBeGreaterThan(1);
        expect(sha256(Buffer.concat(received))).toBe(sha256(bytes));
        expect(sha256(await store.get('large/object.bin'))).toBe(sha256(bytes));
      });
    });

    describe('ranges', () => {
      const bytes = Buffer.from('0123456789abcdefghij');
      beforeAll(async () => {
        await subject().put('range/data', bytes);
      });

      it('reads offset+length, open-ended and suffix ranges', async () => {
        const text = async (range: Parameters<ObjectStore['get']>[1]) =>
          Buffer.from(await subject().get('range/data', range)).toString();
        expect(await text({ range: { offset: 3, length: 4 } })).toBe('3456');
        expect(await text({ range: { offset: 15 } })).toBe('fghij');
        expect(await text({ range: { suffix: 3 } })).toBe('hij');
        expect(await text({ range: { suffix: 100 } })).toBe(bytes.toString());
        expect(await text({ range: { offset: 18, length: 10 } })).toBe('ij');
      });

      it('streams a range', async () => {
        const stream = await subject().getStream('range/data', { range: { offset: 10, length: 5 } });
        expect((await collect(stream)).toString()).toBe('abcde');
      });

      it('rejects ranges that do not fit with InvalidRangeError', async () => {
        for (const range of [
          { offset: 20 },
          { offset: 100, length: 1 },
          { offset: -1 },
          { offset: 0, length: 0 },
          { suffix: 0 },
        ]) {
          await expect(subject().get('range/data', { range })).rejects.toMatchObject({
            code: 'ERR_STORAGE_INVALID_RANGE',
          });
        }
      });

      it('honours ifMatch on reads, whole and streamed', async () => {
        const store = subject();
        const { etag } = await store.head('range/data');
        expect((await store.get('range/data', { ifMatch: etag })).byteLength).toBe(bytes.length);
        expect((await collect(await store.getStream('range/data', { ifMatch: etag }))).length).toBe(
          bytes.length,
        );
        await expect(store.get('range/data', { ifMatch: 'not-the-etag' })).rejects.toMatchObject({
          code: 'ERR_STORAGE_PRECONDITION_FAILED',
        });
        await expect(store.getStream('range/data', { ifMatch: 'not-the-etag' })).rejects.toMatchObject({
          code: 'ERR_STORAGE_PRECONDITION_FAILED',
        });
      });
    });

    describe('conditional writes', () => {
      it('creates only when absent with ifNoneMatch *', async () => {
        const store = subject();
        await store.put('cond/create', 'first', { ifNoneMatch: '*' });
        await expect(store.put('cond/create', 'second', { ifNoneMatch: '*' })).rejects.toMatchObject({
          code: 'ERR_STORAGE_PRECONDITION_FAILED',
        });
        expect(Buffer.from(await store.get('cond/create')).toString()).toBe('first');
      });

      it('compares and swaps with ifMatch', async () => {
        const store = subject();
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
        const store = subject();
        for (let round = 0; round < RACE_ROUNDS; round++) {
          const key = `race/create-${round}`;
          const winner = await raceForOneWinner((writer) =>
            store.put(key, `writer ${writer}`, { ifNoneMatch: '*' }),
          );
          expect(Buffer.from(await store.get(key)).toString()).toBe(`writer ${winner}`);
        }
      });

      it(`lets exactly one of ${RACERS} racing compare-and-swap writers win, round after round`, async () => {
        const store = subject();
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

      it('never shows a torn object to readers whose reads overlap every overwrite', async () => {
        const store = subject();
        const key = 'atomic/object';
        // Version v is 1 MiB of the byte 0x41 + v, so a read's first byte names the version it must equal.
        const versions = Array.from({ length: OVERWRITES + 1 }, (_, v) => Buffer.alloc(1 << 20, 0x41 + v));
        await store.put(key, versions[0]!);
        const reads: Interval[] = [];
        const writes: Interval[] = [];
        const seen = new Set<number>();
        let writing = true;
        async function read(streamed: boolean): Promise<void> {
          while (writing) {
            const bytes = await timed(reads, async () =>
              streamed ? collect(await store.getStream(key)) : Buffer.from(await store.get(key)),
            );
            const version = (bytes[0] ?? 0) - 0x41;
            expect(bytes.equals(versions[version] ?? Buffer.alloc(0)), `read ${reads.length} is torn`).toBe(
              true,
            );
            seen.add(version);
          }
        }
        // Both readers have a read in flight before the first overwrite starts, and start the next
        // one as soon as one ends, so every overwrite runs while reads are in flight.
        const readers = Promise.all([read(false), read(true)]);
        try {
          for (let v = 1; v <= OVERWRITES; v++) await timed(writes, () => store.put(key, versions[v]!));
        } finally {
          writing = false;
          await readers;
        }
        const overlappingReads = writes.map(
          (write) => reads.filter((r) => r.started < write.ended && r.ended > write.started).length,
        );
        expect(overlappingReads, 'reads in flight during each overwrite').not.toContain(0);
        expect(seen.size, 'versions the readers saw').toBeGreaterThan(1);
      });
    });

    describe('list', () => {
      // UTF-8 byte order differs from UTF-16 (JavaScript's default sort) for 'ｚ' (U+FF5A) and '😀'
      // (U+1F600), and from directory-by-directory order for 'a-b', 'a.b', 'a/…' ('-' < '.' < '/').
      const keys = [
        'list/a-b',
        'list/a.b',
        'list/a/1',
        'list/a/2/x',
        'list/aa',
        'list/B',
        'list/b/é',
        'list/z',
        'list/😀',
        'list/ｚ',
      ];
      const inByteOrder = [
        'list/B',
        'list/a-b',
        'list/a.b',
        'list/a/1',
        'list/a/2/x',
        'list/aa',
        'list/b/é',
        'list/z',
        'list/ｚ',
        'list/😀',
      ];
      const groupedBySlash = [
        'list/B',
        'list/a-b',
        'list/a.b',
        'list/a/(prefix)',
        'list/aa',
        'list/b/(prefix)',
        'list/z',
        'list/ｚ',
        'list/😀',
      ];
      beforeAll(async () => {
        await Promise.all(keys.map((key) => subject().put(key, key)));
      });

      it('lists every key under a prefix in UTF-8 byte order', async () => {
        expect(await listAll(subject(), { prefix: 'list/' })).toEqual(inByteOrder);
      });

      it('groups by delimiter into common prefixes', async () => {
        const store = subject();
        expect(await listAll(store, { prefix: 'list/', delimiter: '/' })).toEqual(groupedBySlash);
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

      it('lists the same entries in the same order whatever the pageSize', async () => {
        for (const pageSize of [1, 2, 3, 1000]) {
          expect(await listAll(subject(), { prefix: 'list/', pageSize })).toEqual(inByteOrder);
          expect(await listAll(subject(), { prefix: 'list/', delimiter: '/', pageSize })).toEqual(
            groupedBySlash,
          );
        }
      });

      it('starts strictly after a key, inside and outside a common prefix', async () => {
        const store = subject();
        expect(await listAll(store, { prefix: 'list/', startAfter: 'list/a/2/x' })).toEqual(
          inByteOrder.slice(inByteOrder.indexOf('list/a/2/x') + 1),
        );
        expect(await listAll(store, { prefix: 'list/', startAfter: 'list/a/1', pageSize: 2 })).toEqual(
          inByteOrder.slice(inByteOrder.indexOf('list/a/1') + 1),
        );
        expect(await listAll(store, { prefix: 'list/', startAfter: 'list/b' })).toEqual([
          'list/b/é',
          'list/z',
          'list/ｚ',
          'list/😀',
        ]);
        expect(await listAll(store, { prefix: 'list/', startAfter: 'list/😀' })).toEqual([]);
      });

      it('reports object metadata in entries', async () => {
        const store = subject();
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
        expect(await listAll(subject(), { prefix: 'nothing/here/' })).toEqual([]);
      });
    });

    describe('delete and copy', () => {
      it('deletes one key, idempotently', async () => {
        const store = subject();
        await store.put('del/one', 'x');
        await store.delete('del/one');
        await expect(store.head('del/one')).rejects.toMatchObject({ code: 'ERR_STORAGE_NOT_FOUND' });
        await store.delete('del/one');
        expect(await listAll(store, { prefix: 'del/' })).toEqual([]);
      });

      it('deletes many keys', async () => {
        const store = subject();
        const many = Array.from({ length: 25 }, (_, i) => `del/many/${String(i).padStart(2, '0')}`);
        await Promise.all(many.map((key) => store.put(key, key)));
        await store.deleteMany([...many.slice(5), 'del/many/never-existed']);
        expect(await listAll(store, { prefix: 'del/many/' })).toEqual(many.slice(0, 5));
      });

      it('copies objects, conditionally too', async () => {
        const store = subject();
        await store.put('copy/source', 'payload');
        await store.copy('copy/source', 'copy/target');
        expect(Buffer.from(await store.get('copy/target')).toString()).toBe('payload');
        await expect(store.copy('copy/source', 'copy/target', { ifNoneMatch: '*' })).rejects.toMatchObject({
          code: 'ERR_STORAGE_PRECONDITION_FAILED',
        });
        await expect(
          store.copy('copy/source', 'copy/target', { ifMatch: 'not-the-etag' }),
        ).rejects.toMatchObject({ code: 'ERR_STORAGE_PRECONDITION_FAILED' });

        await store.put('copy/source', 'second payload');
        const { etag } = await store.head('copy/target');
        const swapped = await store.copy('copy/source', 'copy/target', { ifMatch: etag });
        expect(swapped.etag).not.toBe(etag);
        expect(Buffer.from(await store.get('copy/target')).toString()).toBe('second payload');
        await store.copy('copy/source', 'copy/created', { ifNoneMatch: '*' });
        expect(Buffer.from(await store.get('copy/created')).toString()).toBe('second payload');

        await expect(store.copy('copy/missing', 'copy/other')).rejects.toMatchObject({
          code: 'ERR_STORAGE_NOT_FOUND',
        });
        await expect(store.head('copy/other')).rejects.toMatchObject({ code: 'ERR_STORAGE_NOT_FOUND' });
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
      it.each(invalid)('rejects the key %j on every operation that takes a key', async (key) => {
        const store = subject();
        await store.put('keys/valid', 'x');
        const operations = [
          () => store.put(key, 'x'),
          () => store.put(key, 'x', { ifNoneMatch: '*' }),
          () => store.get(key),
          () => store.getStream(key),
          () => store.head(key),
          () => store.delete(key),
          () => store.deleteMany(['keys/valid', key]),
          () => store.copy('keys/valid', key),
          () => store.copy(key, 'keys/copy'),
        ];
        for (const operation of operations) {
          await expect(operation()).rejects.toMatchObject({ code: 'ERR_STORAGE_INVALID_KEY' });
        }
        await expect(store.head('keys/copy')).rejects.toMatchObject({ code: 'ERR_STORAGE_NOT_FOUND' });
      });
    });
  });
}
