import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Endpoint } from './rgw.js';

/** Creates a bucket with a unique name (`<label>-<random>`) on the given server and returns its name. */
export async function createUniqueBucket(s3: S3Endpoint, label: string): Promise<string> {
  const name = `${label}-${randomBytes(5).toString('hex')}`.toLowerCase();
  const client = new S3Client({ ...s3, forcePathStyle: true });
  try {
    await client.send(new CreateBucketCommand({ Bucket: name }));
  } finally {
    client.destroy();
  }
  return name;
}
