import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUniqueBucket, type S3Endpoint } from '@isthmus/services';
import { s3Environment } from '@isthmus/storage';

/** A place for test tables: a database URL, the environment its runtimes need, and cleanup. */
export interface TablePlace {
  kind: 'file' | 's3';
  /** Database URL; a table is `${database}/<name>`. */
  database: string;
  /** AWS_* for S3 (what worker processes and LanceDB read), empty for files. */
  env: Record<string, string>;
  dispose(): Promise<void>;
}

/** A fresh database folder under the temp directory, or a fresh bucket of the test S3 server. */
export async function tablePlace(kind: 'file' | 's3', s3: S3Endpoint, label: string): Promise<TablePlace> {
  if (kind === 'file') {
    const dir = await mkdtemp(join(tmpdir(), `isthmus-vectors-${label}-`));
    return {
      kind,
      database: `file://${dir}`,
      env: {},
      dispose: () => rm(dir, { recursive: true, force: true }),
    };
  }
  const bucket = await createUniqueBucket(s3, `vectors-${label}`);
  return { kind, database: `s3://${bucket}/db`, env: s3Environment(s3), dispose: async () => {} };
}
