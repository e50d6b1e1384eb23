import type { Readable } from 'node:stream';
import { NotFoundError, type ObjectInfo, type ObjectStore, PreconditionFailedError } from '@isthmus/storage';
import { MissingPartError, StaleDatasetError, TruncatedDataError } from './errors.js';

/** Progress of a long pass over a dataset. */
export interface ReadProgress {
  /** Bytes read from the store so far. */
  bytesRead: number;
  /** Bytes the pass expects to read in all, when known. */
  bytesTotal: number | undefined;
}

/** Options of a `DatasetSource`. */
export interface DatasetSourceOptions {
  /** Versions the reads must see (from an index or a partition); a changed object is an error. */
  etags?: Record<string, string>;
  /** Called as bytes arrive. */
  onProgress?: (progress: ReadProgress) => void;
  /** Abort long reads. */
  signal?: AbortSignal;
}

/**
 * Read access to the objects of one dataset (the data object, its siblings such as `.bai` or
 * `.ibd`, or the keys under a Zarr prefix). Every read is pinned to the version seen first (or
 * given in `etags`), so a dataset that changes under a reader fails with `StaleDatasetError`
 * instead of mixing versions. It records which objects were read, for the index's staleness check.
 */
export class DatasetSource {
  readonly #etags: Map<string, string>;
  readonly #infos = new Map<string, ObjectInfo>();
  readonly #onProgress: ((progress: ReadProgress) => void) | undefined;
  #bytesRead = 0;
  #bytesTotal: number | undefined;
  /** Abort signal of the pass, if any. */
  readonly signal: AbortSignal | undefined;

  constructor(
    /** The store the dataset lives in. */
    readonly store: ObjectStore,
    /** The dataset's key (for directory datasets such as Zarr: the prefix, without a trailing `/`). */
    readonly key: string,
    options: DatasetSourceOptions = {},
  ) {
    this.#etags = new Map(Object.entries(options.etags ?? {}));
    this.#onProgress = options.onProgress;
    this.signal = options.signal;
  }

  /** Size, etag and date of an object; cached, and pinned like a read. */
  async head(key: string = this.key): Promise<ObjectInfo> {
    const cached = this.#infos.get(key);
    if (cached) return cached;
    let info: ObjectInfo;
    try {
      info = await this.store.head(key);
    } catch (error) {
      if (error instanceof NotFoundError)
        throw new MissingPartError({ key }, 'object not found', { cause: error });
      throw error;
    }
    this.#remember(info);
    return info;
  }

  /** Whether an object exists (not an error when it does not). */
  async exists(key: string): Promise<boolean> {
    try {
      await this.head(key);
      return true;
    } catch (error) {
      if (error instanceof MissingPartError) return false;
      throw error;
    }
  }

  /** Every object under a prefix (remembering their versions). */
  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    for await (const entry of this.store.list({ prefix })) {
      if (entry.kind !== 'object') continue;
      this.#remember(entry);
      yield entry;
    }
  }

  /**
   * Reads `length` bytes at `offset` of an object; fails with `TruncatedDataError` when the
   * object is shorter, with `StaleDatasetError` when it changed.
   */
  async read(key: string, offset: number, length: number): Promise<Uint8Array> {
    if (length === 0) return new Uint8Array(0);
    const bytes = await this.#pinned(key, (ifMatch) =>
      this.store.get(key, { range: { offset, length }, ifMatch, signal: this.signal }),
    );
    this.#count(bytes.length);
    if (bytes.length < length) {
      throw new TruncatedDataError(
        { key, offset: offset + bytes.length },
        `expected ${length} bytes at offset ${offset}, the object ends after ${bytes.length}`,
      );
    }
    return bytes;
  }

  /** Reads up to `length` bytes at `offset`: fewer at the end of the object, never an error for that. */
  async readUpTo(key: string, offset: number, length: number): Promise<Uint8Array> {
    const info = await this.head(key);
    const available = Math.max(0, Math.min(length, info.size - offset));
    return this.read(key, offset, available);
  }

  /** Reads a whole object. */
  async readAll(key: string = this.key): Promise<Uint8Array> {
    const bytes = await this.#pinned(key, (ifMatch) => this.store.get(key, { ifMatch, signal: this.signal }));
    this.#count(bytes.length);
    return bytes;
  }

  /** Streams an object (or `length` bytes of it from `offset`), counting progress. */
  async *stream(key: string = this.key, offset = 0, length?: number): AsyncIterable<Uint8Array> {
    const range = length === undefined ? { offset } : { offset, length };
    const readable: Readable = await this.#pinned(key, (ifMatch) =>
      this.store.getStream(key, { range, ifMatch, signal: this.signal }),
    );
    try {
      for await (const chunk of readable) {
        const bytes = chunk as Uint8Array;
        this.#count(bytes.length);
        yield bytes;
      }
    } catch (error) {
      throw this.#translate(key, error);
    }
  }

  /** Tells progress reports how many bytes the whole pass will read. */
  expectBytes(total: number): void {
    this.#bytesTotal = total;
  }

  /** The versions of every object read so far (the index's dependencies, a partition's etags). */
  versions(): Record<string, string> {
    return Object.fromEntries(this.#etags);
  }

  /** The versions of some objects: what a partition that reads only these needs. */
  versionsOf(keys: Iterable<string>): Record<string, string> {
    const versions: Record<string, string> = {};
    for (const key of keys) {
      const etag = this.#etags.get(key);
      if (etag !== undefined) versions[key] = etag;
    }
    return versions;
  }

  #remember(info: ObjectInfo): void {
    const pinned = this.#etags.get(info.key);
    if (pinned !== undefined && pinned !== info.etag) {
      throw new StaleDatasetError(
        { key: info.key },
        `changed since it was indexed (etag ${pinned} → ${info.etag})`,
      );
    }
    this.#etags.set(info.key, info.etag);
    this.#infos.set(info.key, info);
  }

  async #pinned<T>(key: string, run: (ifMatch: string) => Promise<T>): Promise<T> {
    const etag = this.#etags.get(key) ?? (await this.head(key)).etag;
    try {
      return await run(etag);
    } catch (error) {
      throw this.#translate(key, error);
    }
  }

  #translate(key: string, error: unknown): unknown {
    if (error instanceof PreconditionFailedError) {
      return new StaleDatasetError({ key }, 'changed since it was indexed or planned', { cause: error });
    }
    if (error instanceof NotFoundError)
      return new MissingPartError({ key }, 'object not found', { cause: error });
    return error;
  }

  #count(bytes: number): void {
    this.#bytesRead += bytes;
    this.#onProgress?.({ bytesRead: this.#bytesRead, bytesTotal: this.#bytesTotal });
  }
}
