import { Readable } from 'node:stream';
import { GetObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { StorageUnavailableError } from '../errors.js';
import type { GetOptions } from '../object-store.js';
import { assertWellFormedRange, toHttpRange } from '../range.js';
import { backoffDelay, type RetryPolicy, withRetry } from '../retry.js';
import { unquoteEtag } from './etag.js';
import { isTransientS3Error, mapS3Error } from './s3-errors.js';

/** Where an object lives and how to retry reading it. */
export interface ReadTarget {
  client: S3Client;
  bucket: string;
  /** The full S3 key (store prefix included). */
  objectKey: string;
  /** The key as the caller named it, for errors. */
  key: string;
  retry: RetryPolicy;
}

/** An open read: the byte span it covers, the object's etag, and the bytes as a stream. */
export interface OpenRead {
  start: number;
  end: number;
  etag: string;
  stream: Readable;
}

/**
 * Opens a read of an object or a range of it. If the connection breaks mid-body, the rest is
 * requested again from the first missing byte, pinned with `If-Match` to the etag of the first
 * response, so a resumed read never mixes two versions of an object.
 */
export async function openResumableRead(target: ReadTarget, options: GetOptions): Promise<OpenRead> {
  if (options.range) assertWellFormedRange(target.key, options.range);
  const first = await withRetry(
    `GET ${target.key}`,
    target.retry,
    isTransientS3Error,
    () => send(target, options.range ? toHttpRange(options.range) : undefined, options),
    options.signal,
  );
  const { start, end } = spanOf(first);
  const etag = unquoteEtag(first.ETag);
  const resume = (from: number) => send(target, `bytes=${from}-${end - 1}`, { ...options, ifMatch: etag });
  const stream = Readable.from(resumingBody(target, first.Body as Readable, start, end, resume), {
    objectMode: false,
  });
  return { start, end, etag, stream };
}

async function send(target: ReadTarget, range: string | undefined, options: GetOptions) {
  try {
    return await target.client.send(
      new GetObjectCommand({
        Bucket: target.bucket,
        Key: target.objectKey,
        Range: range,
        IfMatch: options.ifMatch,
      }),
      { abortSignal: options.signal },
    );
  } catch (error) {
    throw mapS3Error(target.key, error);
  }
}

async function* resumingBody(
  target: ReadTarget,
  firstBody: Readable,
  start: number,
  end: number,
  resume: (from: number) => Promise<GetObjectCommandOutput>,
): AsyncGenerator<Buffer> {
  let body: Readable | undefined = firstBody;
  let position = start;
  let failures = 0;
  while (position < end) {
    try {
      body ??= (await resume(position)).Body as Readable;
      for await (const chunk of body) {
        position += chunk.length;
        failures = 0;
        yield chunk as Buffer;
      }
      body = undefined;
      if (position < end) throw Object.assign(new Error('premature close'), { code: 'ECONNRESET' });
    } catch (error) {
      body?.destroy();
      body = undefined;
      if (!isTransientS3Error(error)) throw mapS3Error(target.key, error);
      failures++;
      if (failures >= target.retry.maxAttempts) {
        throw new StorageUnavailableError(`GET ${target.key} at byte ${position}`, failures, {
          cause: error,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, backoffDelay(target.retry, failures)));
    }
  }
}

/** The `[start, end)` span a GET response covers, from its Content-Range or Content-Length. */
function spanOf(response: GetObjectCommandOutput): { start: number; end: number } {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.ContentRange ?? '');
  if (match) return { start: Number(match[1]), end: Number(match[2]) + 1 };
  return { start: 0, end: response.ContentLength ?? 0 };
}
