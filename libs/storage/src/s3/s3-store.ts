import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { chunksOf, collect, normaliseBody } from '../body.js';
import { ConcurrencyLimiter, mapConcurrent } from '../concurrency.js';
import { ObjectTooLargeError, PreconditionFailedError, StorageError } from '../errors.js';
import { assertValidKey, compareKeys } from '../keys.js';
import type {
  GetOptions,
  ListEntry,
  ListOptions,
  ObjectInfo,
  ObjectStore,
  PutBody,
  PutOptions,
  PutResult,
} from '../object-store.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withRetry } from '../retry.js';
import { md5Etag, unquoteEtag } from './etag.js';
import { MIN_PART_SIZE, uploadMultipart } from './multipart-upload.js';
import { openResumableRead, type ReadTarget } from './resumable-read.js';
import { createS3Client, type S3ConnectionOptions } from './s3-client.js';
import { isTransientS3Error, mapS3Error } from './s3-errors.js';

/** Largest single PUT S3 accepts; conditional writes are single PUTs. */
export const MAX_SINGLE_PUT_BYTES = 5 * 1024 ** 3;

/** Options of an `s3://` store. */
export interface S3StoreOptions extends S3ConnectionOptions {
  /** An existing SDK client to use instead of building one (its retries are left as they are). */
  client?: S3Client;
  /** Retries of throttling, 5xx and broken connections. */
  retry?: RetryPolicy;
  /** Requests in flight at once from this store (default 64). */
  maxConcurrency?: number;
  /**
   * Bodies up to this size go up as one PUT (default 64 MiB): on a busy host the extra requests
   * of a multipart upload cost more than its parallel parts gain. Larger ones go in parts.
   */
  multipartThreshold?: number;
  /** Part size of multipart uploads (default 8 MiB, at least 5 MiB). */
  partSize?: number;
  /** Parts uploaded at once per multipart upload (default 4). */
  partConcurrency?: number;
}

/**
 * An object store on an S3-compatible server (AWS S3, Ceph RGW, …), on a bucket and an optional key
 * prefix. Conditional writes map to `If-None-Match` / `If-Match` on PUT.
 */
export class S3ObjectStore implements ObjectStore {
  readonly url: string;
  readonly #client: S3Client;
  readonly #ownsClient: boolean;
  readonly #retry: RetryPolicy;
  readonly #limiter: ConcurrencyLimiter;
  readonly #partSize: number;
  readonly #multipartThreshold: number;
  readonly #partConcurrency: number;

  /** Opens `bucket`, with keys stored under `prefix` (no leading or trailing `/`). */
  constructor(
    readonly bucket: string,
    readonly prefix: string,
    options: S3StoreOptions = {},
  ) {
    this.url = `s3://${bucket}${prefix ? `/${prefix}` : ''}`;
    this.#client = options.client ?? createS3Client(options);
    this.#ownsClient = options.client === undefined;
    this.#retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.#limiter = new ConcurrencyLimiter(options.maxConcurrency ?? 64);
    this.#partSize = Math.max(MIN_PART_SIZE, options.partSize ?? 8 * 1024 * 1024);
    this.#multipartThreshold = Math.min(MAX_SINGLE_PUT_BYTES, options.multipartThreshold ?? 64 * 1024 * 1024);
    this.#partConcurrency = options.partConcurrency ?? 4;
  }

  async get(key: string, options: GetOptions = {}): Promise<Uint8Array> {
    return this.#limiter.run(async () => {
      const read = await openResumableRead(this.#readTarget(key), options);
      const buffer = Buffer.allocUnsafe(read.end - read.start);
      let filled = 0;
      for await (const chunk of read.stream as AsyncIterable<Buffer>) {
        chunk.copy(buffer, filled);
        filled += chunk.length;
      }
      return buffer.subarray(0, filled);
    });
  }

  async getStream(key: string, options: GetOptions = {}): Promise<Readable> {
    return (await openResumableRead(this.#readTarget(key), options)).stream;
  }

  async head(key: string): Promise<ObjectInfo> {
    const response = await this.#send(key, 'HEAD', (signal) =>
      this.#client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.#objectKey(key) }), {
        abortSignal: signal,
      }),
    );
    return {
      key,
      size: response.ContentLength ?? 0,
      etag: unquoteEtag(response.ETag),
      lastModified: response.LastModified ?? new Date(0),
    };
  }

  async put(key: string, body: PutBody, options: PutOptions = {}): Promise<PutResult> {
    const objectKey = this.#objectKey(key);
    const data = normaliseBody(body);
    const conditional = options.ifMatch !== undefined || options.ifNoneMatch !== undefined;
    if (conditional) return this.#putSingle(key, await this.#buffered(key, data), options);
    if (data instanceof Uint8Array && data.byteLength <= this.#multipartThreshold) {
      return this.#putSingle(key, data, options);
    }
    // Read parts until the body proves larger than the threshold (or ends: then one PUT).
    const parts = chunksOf(data instanceof Uint8Array ? [data] : data, this.#partSize)[
      Symbol.asyncIterator
    ]();
    const head: Buffer[] = [];
    let buffered = 0;
    while (buffered <= this.#multipartThreshold) {
      const next = await parts.next();
      if (next.done) return this.#putSingle(key, Buffer.concat(head, buffered), options);
      head.push(next.value);
      buffered += next.value.length;
    }
    async function* all() {
      yield* head;
      for (let next = await parts.next(); !next.done; next = await parts.next()) yield next.value;
    }
    const etag = await uploadMultipart(
      {
        client: this.#client,
        bucket: this.bucket,
        objectKey,
        key,
        retry: this.#retry,
        partConcurrency: this.#partConcurrency,
        contentType: options.contentType,
        signal: options.signal,
        onProgress: options.onProgress,
      },
      all(),
    );
    // Some servers (Ceph RGW) return no etag from CompleteMultipartUpload: then ask for it.
    return { etag: etag || (await this.head(key)).etag };
  }

  async *list(options: ListOptions = {}): AsyncIterable<ListEntry> {
    const base = this.prefix ? `${this.prefix}/` : '';
    let token: string | undefined;
    do {
      const page = await this.#send(options.prefix ?? '', 'LIST', (signal) =>
        this.#client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: base + (options.prefix ?? ''),
            Delimiter: options.delimiter,
            StartAfter: options.startAfter === undefined ? undefined : base + options.startAfter,
            ContinuationToken: token,
            MaxKeys: options.pageSize,
          }),
          { abortSignal: signal },
        ),
      );
      const entries: ListEntry[] = [
        ...(page.Contents ?? []).map(
          (object): ListEntry => ({
            kind: 'object',
            key: object.Key!.slice(base.length),
            size: object.Size ?? 0,
            etag: unquoteEtag(object.ETag),
            lastModified: object.LastModified ?? new Date(0),
          }),
        ),
        ...(page.CommonPrefixes ?? []).map(
          (common): ListEntry => ({ kind: 'prefix', prefix: common.Prefix!.slice(base.length) }),
        ),
      ];
      entries.sort((a, b) => compareKeys(entryName(a), entryName(b)));
      yield* entries;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async delete(key: string): Promise<void> {
    await this.#send(key, 'DELETE', (signal) =>
      this.#client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.#objectKey(key) }), {
        abortSignal: signal,
      }),
    );
  }

  async deleteMany(keys: Iterable<string>): Promise<void> {
    const all = Array.from(keys, (key) => ({ key, objectKey: this.#objectKey(key) }));
    const batches: (typeof all)[] = [];
    for (let i = 0; i < all.length; i += 1000) batches.push(all.slice(i, i + 1000));
    await mapConcurrent(batches, 4, async (batch) => {
      const response = await this.#send(batch[0]!.key, 'DELETE many', (signal) =>
        this.#client.send(
          new DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: batch.map(({ objectKey }) => ({ Key: objectKey })), Quiet: true },
          }),
          { abortSignal: signal },
        ),
      );
      const failed = response.Errors?.[0];
      if (failed) {
        const key = batch.find(({ objectKey }) => objectKey === failed.Key)?.key ?? String(failed.Key);
        throw mapS3Error(
          key,
          Object.assign(new Error(failed.Message ?? 'delete failed'), { name: failed.Code }),
        );
      }
    });
  }

  async copy(sourceKey: string, targetKey: string, options: PutOptions = {}): Promise<PutResult> {
    assertValidKey(targetKey); // before the source is opened, so a bad target leaves no read dangling
    if (options.ifMatch !== undefined || options.ifNoneMatch !== undefined) {
      // Servers differ in honouring conditions on CopyObject; a conditional PUT is honoured everywhere.
      return this.put(targetKey, await this.getStream(sourceKey), options);
    }
    const response = await this.#send(sourceKey, 'COPY', (signal) =>
      this.#client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: this.#objectKey(targetKey),
          CopySource: `${this.bucket}/${this.#objectKey(sourceKey).split('/').map(encodeURIComponent).join('/')}`,
        }),
        { abortSignal: signal },
      ),
    );
    return { etag: unquoteEtag(response.CopyObjectResult?.ETag) };
  }

  async close(): Promise<void> {
    if (this.#ownsClient) this.#client.destroy();
  }

  #objectKey(key: string): string {
    assertValidKey(key);
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  #readTarget(key: string): ReadTarget {
    return {
      client: this.#client,
      bucket: this.bucket,
      objectKey: this.#objectKey(key),
      key,
      retry: this.#retry,
    };
  }

  /** One request under the concurrency limit, retried on transient failures, errors mapped. */
  #send<T>(key: string, operation: string, call: (signal?: AbortSignal) => Promise<T>, signal?: AbortSignal) {
    return this.#limiter.run(() =>
      withRetry(
        `${operation} ${key}`,
        this.#retry,
        isTransientS3Error,
        async () => {
          try {
            return await call(signal);
          } catch (error) {
            throw mapS3Error(key, error);
          }
        },
        signal,
      ),
    );
  }

  /**
   * A single PUT. When an attempt fails ambiguously (a 5xx or a broken connection: it may have
   * landed) and a retry then meets 412, the object is checked: if it holds exactly these bytes, the
   * earlier attempt won and the put succeeded. Ceph RGW also answers 500 to some losers of a race.
   */
  async #putSingle(key: string, bytes: Uint8Array, options: PutOptions): Promise<PutResult> {
    let ambiguous = false;
    try {
      const response = await this.#send(
        key,
        'PUT',
        async (signal) => {
          try {
            return await this.#client.send(
              new PutObjectCommand({
                Bucket: this.bucket,
                Key: this.#objectKey(key),
                Body: bytes,
                ContentLength: bytes.byteLength,
                ContentType: options.contentType,
                IfNoneMatch: options.ifNoneMatch,
                // Ceph RGW compares If-Match against the bare etag: quoting it always fails there.
                IfMatch: options.ifMatch,
              }),
              { abortSignal: signal },
            );
          } catch (error) {
            if (isTransientS3Error(error)) ambiguous = true;
            throw error;
          }
        },
        options.signal,
      );
      options.onProgress?.(bytes.byteLength);
      return { etag: unquoteEtag(response.ETag) };
    } catch (error) {
      const failed = asPreconditionFailure(key, error, options);
      if (failed && ambiguous) {
        const current = await this.head(key).catch(() => undefined);
        if (current?.etag === md5Etag(bytes)) return { etag: current.etag };
      }
      throw failed ?? error;
    }
  }

  async #buffered(key: string, data: Uint8Array | AsyncIterable<Uint8Array>): Promise<Uint8Array> {
    const bytes = data instanceof Uint8Array ? data : await collect(data);
    if (bytes.byteLength > MAX_SINGLE_PUT_BYTES) {
      throw new ObjectTooLargeError(
        key,
        `conditional writes are single PUTs of at most ${MAX_SINGLE_PUT_BYTES} bytes`,
      );
    }
    return bytes;
  }
}

/** A lost condition as `PreconditionFailedError`; an `ifMatch` on a missing key is one too. */
function asPreconditionFailure(key: string, error: unknown, options: PutOptions): StorageError | undefined {
  if (error instanceof PreconditionFailedError) return error;
  if (
    options.ifMatch !== undefined &&
    error instanceof StorageError &&
    error.code === 'ERR_STORAGE_NOT_FOUND'
  ) {
    return new PreconditionFailedError(key, 'the key does not exist', { cause: error });
  }
  return undefined;
}

function entryName(entry: ListEntry): string {
  return entry.kind === 'object' ? entry.key : entry.prefix;
}
