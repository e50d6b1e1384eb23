import { fileURLToPath } from 'node:url';
import { ensureBucket, startRgw } from '@isthmus/services';
import { type ObjectStore, openStore } from '@isthmus/storage';

/** The two stacks of an AI factory: a parallel file system (HPC) or S3 object storage (cloud). */
export type Stack = 'hpc' | 'cloud';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * The demo's store: on `hpc`, a `file://` directory standing in for the parallel file system; on
 * `cloud`, a bucket on the local Ceph RGW, started (and installed on first use) here. A `--store`
 * URL overrides both.
 */
export async function openDemoStore(stack: Stack, url?: string): Promise<ObjectStore> {
  if (url) return openStore(url);
  if (stack === 'hpc') return openStore(`${REPO_ROOT}.isthmus/demo/pfs`);
  process.stderr.write('[demo] starting the local S3 server (Ceph RGW; first use installs it, ~1 min)\n');
  const s3 = await startRgw();
  const bucket = await ensureBucket(s3, 'isthmus-demo');
  return openStore(`s3://${bucket}/demo`, { s3 });
}

/** The sample files the demo ingests: real genomics data shipped with the tests. */
export const SAMPLES_DIR = `${REPO_ROOT}test/fixtures/samples`;
