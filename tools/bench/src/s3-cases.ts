import { Agent } from 'node:http';
import { DeleteBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createUniqueBucket, type S3Endpoint } from '@isthmus/services';
import { S3ObjectStore } from '@isthmus/storage';
import { compareLatency, compareThroughput, type Group, measureGroup } from './compare.js';
import { expectSize, type Workload } from './measure.js';
import { formatSize } from './report.js';

const RAW_PUT = 'raw PutObject';
const RAW_GET = 'raw GetObject';
const PUT = 'isthmus put';
const GET = 'isthmus get';

/**
 * The S3 cases, on a fresh bucket of `s3` (removed afterwards): `@isthmus/storage` put and get vs
 * the raw SDK client (throughput of the large payload, p50/p99 latency of the small one), and
 * `rangedReads` concurrent ranged gets of the large object vs one sequential raw GET of all of it.
 */
export async function benchS3(s3: S3Endpoint, work: Workload, rangedReads: number): Promise<Group[]> {
  const bucket = await writable(s3, createUniqueBucket(s3, 'isthmus-bench'));
  const raw = rawClient(s3);
  const store = new S3ObjectStore(bucket, '', {
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: s3.credentials,
  });
  const { large, small } = work;
  const putOps = (payload: Buffer, name: string) => ({
    [RAW_PUT]: () => rawPut(raw, bucket, `raw-${name}`, payload),
    [PUT]: () => store.put(`isthmus-${name}`, payload),
  });
  const getOps = (key: string, size: number) => ({
    [RAW_GET]: async () => expectSize(await rawGet(raw, bucket, key), size),
    [GET]: async () => expectSize(await store.get(key), size),
  });
  const rangeLength = Math.ceil(large.byteLength / rangedReads);
  const ranges = Array.from({ length: rangedReads }, (_, i) => ({
    offset: i * rangeLength,
    length: rangeLength,
  }));
  const readRanges = () => Promise.all(ranges.map((range) => store.get('large', { range })));
  const rangedGet = async () => expectSize(await readRanges(), large.byteLength);
  const RANGED = `isthmus ${rangedReads} concurrent ranged gets`;

  try {
    await store.put('large', large);
    await store.put('small', small);
    await checkContents(large, [
      () => rawGet(raw, bucket, 'large'),
      () => store.get('large'),
      async () => Buffer.concat(await readRanges()),
    ]);

    const largeSize = formatSize(large.byteLength);
    const smallSize = formatSize(small.byteLength);
    const { largeSchedule, smallSchedule, log } = work;
    const putLarge = await measureGroup(
      's3.put.large',
      `S3 put ${largeSize}`,
      putOps(large, 'large'),
      largeSchedule,
      log,
    );
    putLarge.comparisons.push(
      compareThroughput(putLarge, large.byteLength, { baseline: RAW_PUT, subject: PUT }, 0.95),
    );
    const getLarge = await measureGroup(
      's3.get.large',
      `S3 get ${largeSize}`,
      { ...getOps('large', large.byteLength), [RANGED]: rangedGet },
      largeSchedule,
      log,
    );
    getLarge.comparisons.push(
      compareThroughput(getLarge, large.byteLength, { baseline: RAW_GET, subject: GET }, 0.95),
      compareThroughput(
        getLarge,
        large.byteLength,
        { baseline: RAW_GET, subject: RANGED, tag: 'ranged', title: `S3 ranged read ${largeSize}` },
        1.5,
      ),
    );
    const latencyGoals = { p50: 1.1, p99: 1.25 };
    const putSmall = await measureGroup(
      's3.put.small',
      `S3 put ${smallSize}`,
      putOps(small, 'small'),
      smallSchedule,
      log,
    );
    putSmall.comparisons.push(...compareLatency(putSmall, { baseline: RAW_PUT, subject: PUT }, latencyGoals));
    const getSmall = await measureGroup(
      's3.get.small',
      `S3 get ${smallSize}`,
      getOps('small', small.byteLength),
      smallSchedule,
      log,
    );
    getSmall.comparisons.push(...compareLatency(getSmall, { baseline: RAW_GET, subject: GET }, latencyGoals));
    return [putLarge, getLarge, putSmall, getSmall];
  } finally {
    await store.deleteMany(await keysOf(store));
    await raw.send(new DeleteBucketCommand({ Bucket: bucket }));
    raw.destroy();
    await store.close();
  }
}

/**
 * The baseline: a plain SDK client configured as the store configures its own — path-style,
 * checksums only where required, keep-alive sockets (64) — with nothing of `@isthmus/storage` in
 * between.
 */
function rawClient(s3: S3Endpoint): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: s3.credentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }),
      connectionTimeout: 10_000,
      requestTimeout: 120_000,
    },
  });
}

/**
 * `creation`, or a clear error if it hangs: a full Ceph OSD blocks every write without answering,
 * which would otherwise stall the benchmark silently.
 */
async function writable<T>(s3: S3Endpoint, creation: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `the S3 server at ${s3.endpoint} accepted no write in 30 s (creating a bucket). A full OSD ` +
              'blocks writes silently: see `ceph -c .isthmus/rgw/ceph.conf health detail`.',
          ),
        ),
      30_000,
    );
  });
  try {
    return await Promise.race([creation, stalled]);
  } finally {
    clearTimeout(timer);
  }
}

/** One single-request PutObject of the whole payload. */
async function rawPut(client: S3Client, bucket: string, key: string, body: Buffer): Promise<void> {
  await client.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: body.length }),
  );
}

/** One GetObject of the whole object, its body copied into one buffer of the announced length. */
async function rawGet(client: S3Client, bucket: string, key: string): Promise<Buffer> {
  const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const buffer = Buffer.allocUnsafe(response.ContentLength ?? 0);
  let filled = 0;
  for await (const chunk of response.Body as AsyncIterable<Buffer>) {
    chunk.copy(buffer, filled);
    filled += chunk.length;
  }
  return buffer.subarray(0, filled);
}

/** Fails unless every read returns exactly `expected`: the cases must time correct reads. */
async function checkContents(expected: Buffer, reads: Array<() => Promise<Uint8Array>>): Promise<void> {
  for (const [i, read] of reads.entries()) {
    if (!expected.equals(await read())) throw new Error(`read #${i + 1} of the check returned other bytes`);
  }
}

async function keysOf(store: S3ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const entry of store.list()) if (entry.kind === 'object') keys.push(entry.key);
  return keys;
}
