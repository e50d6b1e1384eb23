import { fileURLToPath } from 'node:url';
import { ensureBucket, startRgw } from '@isthmus/services';
import { type ObjectStore, openStore, type S3ConnectionOptions, s3Environment } from '@isthmus/storage';

/** The two stacks of an AI factory: a parallel file system (HPC) or S3 object storage (cloud). */
export type Stack = 'hpc' | 'cloud';

/** The demo's store, and the environment function runtimes need to open it themselves. */
export interface DemoStore {
  store: ObjectStore;
  runtimeEnv: NodeJS.ProcessEnv;
  /** The S3 connection of a cloud-stack store (undefined: the AWS environment's). */
  s3?: S3ConnectionOptions;
}

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Where the demo keeps its bundle and its file:// store. */
export const DEMO_DIR = `${REPO_ROOT}.isthmus/demo`;

/**
 * The demo's store: on `hpc`, a `file://` directory standing in for the parallel file system; on
 * `cloud`, a bucket on the local Ceph RGW, started (and installed on first use) here. A `--store`
 * URL overrides both (S3 settings then come from the standard AWS environment).
 */
export async function openDemoStore(stack: Stack, url?: string): Promise<DemoStore> {
  if (url) return { store: openStore(url), runtimeEnv: {} };
  if (stack === 'hpc') return { store: openStore(`${DEMO_DIR}/pfs`), runtimeEnv: {} };
  process.stderr.write('[demo] starting the local S3 server (Ceph RGW; first use installs it, ~1 min)\n');
  const s3 = await startRgw();
  const bucket = await ensureBucket(s3, 'isthmus-demo');
  const runtimeEnv = s3Environment(s3);
  return { store: openStore(`s3://${bucket}/demo`, { s3 }), runtimeEnv, s3 };
}

/** The sample files the demo ingests (real genomics data, paths under `@isthmus/fixtures`' samples). */
export const DEMO_SAMPLES = [
  'vcf/1kg.vcf.gz',
  'vcf/1kg.vcf.gz.tbi',
  'fastq/ERR127302_2_subset.fastq.gz',
  'fasta/ce.fa',
  'fasta/ce.fa.fai',
];
