import type { ObjectStore } from '@isthmus/storage';
import type { ReadCache } from './read-cache.js';

/** A byte range of a segment object. */
export interface SegmentRange {
  segmentKey: string;
  byteOffset: number;
  byteLength: number;
}

/** Ranges of one segment closer than this are fetched by one GET (the gap is read and dropped). */
export const COALESCE_GAP_BYTES = 256 * 1024;

interface Waiting {
  range: SegmentRange;
  resolve: (bytes: Uint8Array) => void;
  reject: (error: unknown) => void;
}

/**
 * Reads byte ranges of segment objects through a cache. Ranges asked for in the same tick (e.g. the
 * partitions of one fetch request, which one flush wrote into one segment) are coalesced: one GET
 * per run of nearby ranges of a segment. Each range read is cached under its exact coordinates, as a
 * view of the bytes its GET returned (the cache counts their buffer once).
 */
export class SegmentRanges {
  readonly #store: ObjectStore;
  readonly #cache: ReadCache;
  #waiting: Waiting[] = [];
  readonly #inFlight = new Map<string, Promise<Uint8Array>>();

  constructor(store: ObjectStore, cache: ReadCache) {
    this.#store = store;
    this.#cache = cache;
  }

  /** Remembers bytes known to be at `range` (e.g. just written), so reading them costs no GET. */
  remember(range: SegmentRange, bytes: Uint8Array): void {
    this.#cache.set(cacheKey(range), bytes);
  }

  /** The bytes of `range`. */
  read(range: SegmentRange): Promise<Uint8Array> {
    const key = cacheKey(range);
    const cached = this.#cache.get(key);
    if (cached) return Promise.resolve(cached);
    const pending = this.#inFlight.get(key);
    if (pending) return pending;
    const promise = new Promise<Uint8Array>((resolve, reject) => {
      if (this.#waiting.length === 0) setImmediate(() => this.#fetchWaiting());
      this.#waiting.push({ range, resolve, reject });
    });
    this.#inFlight.set(key, promise);
    const forget = () => this.#inFlight.delete(key);
    promise.then(forget, forget);
    return promise;
  }

  #fetchWaiting(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    const bySegment = new Map<string, Waiting[]>();
    for (const item of waiting) {
      const list = bySegment.get(item.range.segmentKey) ?? [];
      list.push(item);
      bySegment.set(item.range.segmentKey, list);
    }
    for (const [segmentKey, items] of bySegment) {
      items.sort((a, b) => a.range.byteOffset - b.range.byteOffset);
      let run: Waiting[] = [];
      let runEnd = 0;
      for (const item of items) {
        if (run.length > 0 && item.range.byteOffset - runEnd > COALESCE_GAP_BYTES) {
          void this.#fetchRun(segmentKey, run);
          run = [];
        }
        run.push(item);
        runEnd = Math.max(runEnd, item.range.byteOffset + item.range.byteLength);
      }
      void this.#fetchRun(segmentKey, run);
    }
  }

  async #fetchRun(segmentKey: string, run: Waiting[]): Promise<void> {
    const start = run[0]!.range.byteOffset;
    const end = Math.max(...run.map((item) => item.range.byteOffset + item.range.byteLength));
    try {
      const bytes = await this.#store.get(segmentKey, { range: { offset: start, length: end - start } });
      for (const { range, resolve } of run) {
        const slice = bytes.subarray(range.byteOffset - start, range.byteOffset - start + range.byteLength);
        this.#cache.set(cacheKey(range), slice);
        resolve(slice);
      }
    } catch (error) {
      for (const { reject } of run) reject(error);
    }
  }
}

function cacheKey(range: SegmentRange): string {
  return `${range.segmentKey}@${range.byteOffset}+${range.byteLength}`;
}
