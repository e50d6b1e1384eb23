// Test helper: a wrapper over a real ObjectStore that counts the bytes its reads serve, for tests
// that promise a partition reads only its own bytes. Every call goes to the real store and every
// byte comes from it: this measures, it does not mock.
import type { Readable } from 'node:stream';
import { pipeline, Transform } from 'node:stream';
import type {
  GetOptions,
  ListEntry,
  ListOptions,
  ObjectInfo,
  ObjectStore,
  PutBody,
  PutOptions,
  PutResult,
} from '@isthmus/storage';
import type { PartitionRange } from '../../src/partition.js';

/** One read a `ByteCountingStore` served: what was asked, and how many bytes went out. */
export interface ServedRead {
  key: string;
  range: GetOptions['range'];
  /** Bytes delivered so far (a stream's grow as the reader pulls them). */
  bytes: number;
}

/** An ObjectStore that delegates every method to `store` and adds up the bytes of `get` results and streamed chunks. */
export class ByteCountingStore implements ObjectStore {
  /** Every `get` and `getStream`, in the order they were asked. */
  readonly reads: ServedRead[] = [];

  constructor(
    /** The real store. */
    readonly store: ObjectStore,
  ) {}

  /** Bytes served by all reads so far. */
  get bytesServed(): number {
    return this.reads.reduce((total, read) => total + read.bytes, 0);
  }

  /**
   * The reads that served any byte outside `ranges` (a whole-object or suffix read counts as
   * outside unless a range starts at byte 0 of its object and holds all it served).
   */
  readsOutside(ranges: readonly PartitionRange[]): ServedRead[] {
    return this.reads.filter((read) => {
      if (read.bytes === 0) return false;
      if (read.range !== undefined && 'suffix' in read.range) return true;
      const start = read.range?.offset ?? 0;
      const end = start + read.bytes;
      return !ranges.some(
        (range) => range.key === read.key && range.offset <= start && end <= range.offset + range.length,
      );
    });
  }

  get url(): string {
    return this.store.url;
  }

  async get(key: string, options?: GetOptions): Promise<Uint8Array> {
    const bytes = await this.store.get(key, options);
    this.reads.push({ key, range: options?.range, bytes: bytes.length });
    return bytes;
  }

  async getStream(key: string, options?: GetOptions): Promise<Readable> {
    const source = await this.store.getStream(key, options);
    const read: ServedRead = { key, range: options?.range, bytes: 0 };
    this.reads.push(read);
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        read.bytes += chunk.length;
        done(null, chunk);
      },
    });
    // Errors of the source reach the reader through the counter; a reader that stops early
    // destroys the counter, which destroys the source.
    return pipeline(source, counter, () => {});
  }

  head(key: string): Promise<ObjectInfo> {
    return this.store.head(key);
  }

  put(key: string, body: PutBody, options?: PutOptions): Promise<PutResult> {
    return this.store.put(key, body, options);
  }

  list(options?: ListOptions): AsyncIterable<ListEntry> {
    return this.store.list(options);
  }

  delete(key: string): Promise<void> {
    return this.store.delete(key);
  }

  deleteMany(keys: Iterable<string>): Promise<void> {
    return this.store.deleteMany(keys);
  }

  copy(sourceKey: string, targetKey: string, options?: PutOptions): Promise<PutResult> {
    return this.store.copy(sourceKey, targetKey, options);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
