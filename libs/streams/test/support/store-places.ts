import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUniqueBucket, type S3Endpoint } from '@isthmus/services';

/** Where a test's streams live: a store URL, the S3 connection it needs, and cleanup. */
export interface StorePlace {
  kind: 'file' | 's3';
  /** `file:///tmp/…` or `s3://<fresh bucket>/streams`. */
  url: string;
  /** The S3 connection for `s3://` places. */
  s3?: S3Endpoint;
  dispose(): Promise<void>;
}

/** A fresh folder under the temp directory, or a fresh bucket of the test S3 server. */
export async function storePlace(kind: 'file' | 's3', s3: S3Endpoint, label: string): Promise<StorePlace> {
  if (kind === 'file') {
    const dir = await mkdtemp(join(tmpdir(), `isthmus-streams-${label}-`));
    return { kind, url: `file://${dir}`, dispose: () => rm(dir, { recursive: true, force: true }) };
  }
  const bucket = await createUniqueBucket(s3, `streams-${label}`);
  return { kind, url: `s3://${bucket}/streams`, s3, dispose: async () => {} };
}
