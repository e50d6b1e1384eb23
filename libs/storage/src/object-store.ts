import type { Readable } from 'node:stream';

/**
 * A byte range of an object: `{ offset, length? }` reads from `offset` (to the end when `length`
 * is omitted; a range running past the end is cut at the end, as S3 does), `{ suffix }` reads the
 * last `suffix` bytes.
 */
export type ByteRange = { offset: number; length?: number } | { suffix: number };

/** What `head` and `list` report about one object. */
export interface ObjectInfo {
  /** The object's key, relative to the store's root. */
  key: string;
  /** Size in bytes. */
  size: number;
  /** Opaque version tag, without quotes; changes whenever the object is rewritten. */
  etag: string;
  /** Time of the last write. */
  lastModified: Date;
}

/** One entry of a listing: an object, or a common prefix when listing with a delimiter. */
export type ListEntry = ({ kind: 'object' } & ObjectInfo) | { kind: 'prefix'; prefix: string };

/** Data accepted by `put`: bytes, text, or a stream of bytes (streamed, multipart when large). */
export type PutBody = Uint8Array | string | Readable | AsyncIterable<Uint8Array>;

/** Options of `get` and `getStream`. */
export interface GetOptions {
  /** Read only this range. */
  range?: ByteRange;
  /** Read only if the object still has this etag (else `PreconditionFailedError`). */
  ifMatch?: string;
  /** Abort the read. */
  signal?: AbortSignal;
}

/** Options of `put` and `copy`. */
export interface PutOptions {
  /** `'*'`: create only; fail with `PreconditionFailedError` if the key exists. */
  ifNoneMatch?: '*';
  /** Compare-and-swap: write only if the current etag equals this one. */
  ifMatch?: string;
  /** MIME type stored with the object where the backend keeps one. */
  contentType?: string;
  /** Called with the total number of bytes written so far. */
  onProgress?: (bytesWritten: number) => void;
  /** Abort the write; nothing becomes visible. */
  signal?: AbortSignal;
}

/** Result of a successful write. */
export interface PutResult {
  /** The etag of the new object version, without quotes. */
  etag: string;
}

/** Options of `list`. */
export interface ListOptions {
  /** Only keys starting with this string. */
  prefix?: string;
  /** Group keys that contain this string after the prefix into `kind: 'prefix'` entries. */
  delimiter?: string;
  /** Only keys (and prefixes) strictly after this one, in byte order. */
  startAfter?: string;
  /** Entries fetched per backend request (S3 caps it at 1000); a file-system store reads whole directories and ignores it. */
  pageSize?: number;
}

/**
 * One object-store API over S3-compatible storage and POSIX / parallel file systems.
 * Keys are `/`-separated relative paths; listings come in UTF-8 byte order on every backend.
 */
export interface ObjectStore {
  /** The URL the store was opened from (without credentials). */
  readonly url: string;
  /** Read a whole object or a range of it into memory. */
  get(key: string, options?: GetOptions): Promise<Uint8Array>;
  /** Read a whole object or a range of it as a stream; S3 reads resume where a connection broke. */
  getStream(key: string, options?: GetOptions): Promise<Readable>;
  /** Size, etag and modification time of an object. */
  head(key: string): Promise<ObjectInfo>;
  /** Write an object atomically: readers see the old or the new version, never a mix. */
  put(key: string, body: PutBody, options?: PutOptions): Promise<PutResult>;
  /** Every entry under a prefix, page by page, in byte order. */
  list(options?: ListOptions): AsyncIterable<ListEntry>;
  /** Delete an object; deleting a missing key is not an error (as on S3). */
  delete(key: string): Promise<void>;
  /** Delete many objects; missing keys are not an error. */
  deleteMany(keys: Iterable<string>): Promise<void>;
  /** Copy an object inside this store. */
  copy(sourceKey: string, targetKey: string, options?: PutOptions): Promise<PutResult>;
  /** Release connections and other resources. */
  close(): Promise<void>;
}
