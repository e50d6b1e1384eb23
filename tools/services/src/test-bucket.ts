import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Endpoint } from './rgw.js';

/** Creates the bucket `name` unless this user already owns it. */
export async function ensureBucket(s3: S3Endpoint, name: string): Promise<string> {
  const client = new S3Client({ ...s3, forcePathStyle: true });
  try {
    await client.send(new CreateBucketCommand({ Bucket: name }));
  } catch (error) {
    if ((error as Error).name !== 'BucketAlreadyOwnedByYou') throw error;
  } finally {
    client.destroy();
  }
  return name;
}

/** Creates a bucket with a unique name (`<label>-<random>`) and returns its name. */
export function createUniqueBucket(s3: S3Endpoint, label: string): Promise<string> {
  return ensureBucket(s3, `${label}-${randomBytes(5).toString('hex')}`.toLowerCase());
}
