import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { type RetryPolicy, withRetry } from '../retry.js';
import { unquoteEtag } from './etag.js';
import { isTransientS3Error, mapS3Error } from './s3-errors.js';

/** S3's smallest allowed part (all but the last) and largest part count. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const MAX_PARTS = 10_000;

/** One multipart upload: where it goes and how hard to push. */
export interface MultipartTarget {
  client: S3Client;
  bucket: string;
  objectKey: string;
  key: string;
  retry: RetryPolicy;
  /** Parts uploaded at once; also bounds memory to about this many parts. */
  partConcurrency: number;
  contentType?: string;
  signal?: AbortSignal;
  onProgress?: (bytesWritten: number) => void;
}

/**
 * Uploads `parts` (each but the last at least 5 MiB) as one multipart upload, `partConcurrency`
 * parts in flight, reading the next part only when a slot is free, and returns the object's etag
 * ('' when the server sends none). Each part is retried on its own;
 * on failure the upload is aborted so no orphaned parts are left behind.
 */
export async function uploadMultipart(
  target: MultipartTarget,
  parts: AsyncIterable<Buffer>,
): Promise<string> {
  const { client, bucket, objectKey } = target;
  const created = await retrying(target, 'create multipart upload', () =>
    client.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: objectKey, ContentType: target.contentType }),
    ),
  );
  const uploadId = created.UploadId!;
  try {
    const completed = await uploadParts(target, uploadId, parts);
    const completion = await retrying(target, 'complete multipart upload', () =>
      client.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: objectKey,
          UploadId: uploadId,
          MultipartUpload: { Parts: completed },
        }),
      ),
    );
    return unquoteEtag(completion.ETag);
  } catch (error) {
    await client
      .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: objectKey, UploadId: uploadId }))
      .catch(() => undefined);
    throw error;
  }
}

async function uploadParts(target: MultipartTarget, uploadId: string, parts: AsyncIterable<Buffer>) {
  const completed: Array<{ PartNumber: number; ETag: string }> = [];
  const inFlight = new Set<Promise<void>>();
  let written = 0;
  let partNumber = 0;
  let failure: unknown;
  try {
    for await (const part of parts) {
      if (failure !== undefined) break;
      partNumber++;
      if (partNumber > MAX_PARTS) throw new RangeError(`more than ${MAX_PARTS} parts: raise the part size`);
      const number = partNumber;
      const upload = retrying(target, `upload part ${number}`, () =>
        target.client.send(
          new UploadPartCommand({
            Bucket: target.bucket,
            Key: target.objectKey,
            UploadId: uploadId,
            PartNumber: number,
            Body: part,
          }),
          { abortSignal: target.signal },
        ),
      ).then(
        (response) => {
          completed.push({ PartNumber: number, ETag: response.ETag! });
          written += part.length;
          target.onProgress?.(written);
        },
        (error) => {
          failure ??= error;
        },
      );
      const tracked: Promise<void> = upload.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      if (inFlight.size >= target.partConcurrency) await Promise.race(inFlight);
    }
  } finally {
    // settle every part in flight, even when reading the source failed
    await Promise.allSettled(inFlight);
  }
  if (failure !== undefined) throw failure;
  return completed.sort((a, b) => a.PartNumber - b.PartNumber);
}

function retrying<T>(target: MultipartTarget, operation: string, call: () => Promise<T>): Promise<T> {
  return withRetry(
    `${operation} of ${target.key}`,
    target.retry,
    isTransientS3Error,
    async () => {
      try {
        return await call();
      } catch (error) {
        throw mapS3Error(target.key, error);
      }
    },
    target.signal,
  );
}
