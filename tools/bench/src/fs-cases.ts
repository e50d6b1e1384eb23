import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileObjectStore } from '@isthmus/storage';
import { compareLatency, compareThroughput, type Group, measureGroup } from './compare.js';
import { expectSize, type Workload } from './measure.js';
import { formatSize } from './report.js';

const WRITE = 'raw writeFile';
const WRITE_SYNC = 'raw writeFile+fsync';
const READ = 'raw readFile';
const PUT = 'isthmus put fsync:false';
const PUT_SYNC = 'isthmus put fsync:true';
const GET = 'isthmus get';

/**
 * The POSIX cases, in a temporary directory under `os.tmpdir()` (removed afterwards): a `file://`
 * store's put with `fsync` off and on vs `fs.promises.writeFile` (and writeFile + fsync), and its get
 * vs `readFile` of the same file; throughput of the large payload, p50/p99 latency of the small one.
 */
export async function benchFs(work: Workload): Promise<Group[]> {
  const root = await mkdtemp(join(tmpdir(), 'isthmus-storage-bench-'));
  try {
    const rawDir = join(root, 'raw');
    await mkdir(rawDir);
    const storeDir = join(root, 'store');
    const durable = new FileObjectStore(storeDir, { fsync: true });
    const volatile = new FileObjectStore(storeDir, { fsync: false });
    const putOps = (payload: Buffer, name: string) => ({
      [WRITE]: () => writeFile(join(rawDir, `${name}-write`), payload),
      [WRITE_SYNC]: () => writeFileSynced(join(rawDir, `${name}-write-sync`), payload),
      [PUT]: () => volatile.put(`${name}-put`, payload),
      [PUT_SYNC]: () => durable.put(`${name}-put-sync`, payload),
    });
    // Both sides read the same file: the one the store wrote.
    const getOps = (key: string, size: number) => ({
      [READ]: async () => expectSize(await readFile(join(storeDir, key)), size),
      [GET]: async () => expectSize(await durable.get(key), size),
    });

    const { large, small, largeSchedule, smallSchedule, log } = work;
    const largeSize = formatSize(large.byteLength);
    const smallSize = formatSize(small.byteLength);
    await durable.put('large', large);
    await durable.put('small', small);

    const putLarge = await measureGroup(
      'fs.put.large',
      `file put ${largeSize}`,
      putOps(large, 'large'),
      largeSchedule,
      log,
    );
    putLarge.comparisons.push(
      compareThroughput(putLarge, large.byteLength, { baseline: WRITE, subject: PUT, tag: 'nosync' }, 0.95),
      compareThroughput(
        putLarge,
        large.byteLength,
        { baseline: WRITE_SYNC, subject: PUT_SYNC, tag: 'sync' },
        0.95,
      ),
      // What durability costs: informational.
      compareThroughput(putLarge, large.byteLength, {
        baseline: WRITE,
        subject: PUT_SYNC,
        tag: 'sync-vs-nosync',
      }),
    );
    const getLarge = await measureGroup(
      'fs.get.large',
      `file get ${largeSize}`,
      getOps('large', large.byteLength),
      largeSchedule,
      log,
    );
    getLarge.comparisons.push(
      compareThroughput(getLarge, large.byteLength, { baseline: READ, subject: GET }, 0.95),
    );

    const putSmall = await measureGroup(
      'fs.put.small',
      `file put ${smallSize}`,
      putOps(small, 'small'),
      smallSchedule,
      log,
    );
    putSmall.comparisons.push(
      // An atomic put is a temporary file, a lock file and a rename: more system calls than one writeFile.
      ...compareLatency(putSmall, { baseline: WRITE, subject: PUT, tag: 'nosync' }, { p50: 3, p99: 3 }),
      ...compareLatency(
        putSmall,
        { baseline: WRITE_SYNC, subject: PUT_SYNC, tag: 'sync' },
        { p50: 1.25, p99: 1.5 },
      ),
    );
    const getSmall = await measureGroup(
      'fs.get.small',
      `file get ${smallSize}`,
      getOps('small', small.byteLength),
      smallSchedule,
      log,
    );
    getSmall.comparisons.push(
      ...compareLatency(getSmall, { baseline: READ, subject: GET }, { p50: 1.25, p99: 1.5 }),
    );
    return [putLarge, getLarge, putSmall, getSmall];
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** writeFile, then fsync before closing: the raw equivalent of a durable put. */
async function writeFileSynced(path: string, data: Buffer): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
