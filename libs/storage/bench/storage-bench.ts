// @isthmus/storage benchmark: each case against its raw baseline, measured in the same run and
// interleaved (A/B/A/B), reported as ratios. Against the local Ceph RGW and a POSIX directory.
//   node --conditions=@isthmus/source --import tsx libs/storage/bench/storage-bench.ts [--quick]
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createUniqueBucket, startRgw } from '@isthmus/services';
import { createS3Client, FileObjectStore, mapConcurrent, S3ObjectStore } from '../src/index.js';
import { abRounds, quantile } from './measure.js';

const quick = process.argv.includes('--quick');
const MIB = 1024 * 1024;
const LARGE = (quick ? 16 : 64) * MIB;
const ROUNDS = quick ? 2 : 5;
const SMALL_OPS = quick ? 50 : 200;
const report: Array<{ name: string; baseline: string; subject: string; ratio: number; goal?: string }> = [];

function throughputRatio(
  name: string,
  bytes: number,
  samples: { baseline: number[]; subject: number[] },
  goal?: number,
) {
  const base = bytes / MIB / (quantile(samples.baseline, 0.5) / 1000);
  const subject = bytes / MIB / (quantile(samples.subject, 0.5) / 1000);
  const ratio = subject / base;
  report.push({
    name,
    baseline: `${base.toFixed(0)} MiB/s`,
    subject: `${subject.toFixed(0)} MiB/s`,
    ratio,
    goal: goal === undefined ? undefined : `≥ ${goal}× ${ratio >= goal ? 'PASS' : 'BELOW'}`,
  });
}

function latencyRatio(name: string, samples: { baseline: number[]; subject: number[] }) {
  for (const q of [0.5, 0.99]) {
    const base = quantile(samples.baseline, q);
    const subject = quantile(samples.subject, q);
    report.push({
      name: `${name} p${q * 100}`,
      baseline: `${base.toFixed(2)} ms`,
      subject: `${subject.toFixed(2)} ms`,
      ratio: subject / base,
    });
  }
}

/** Runs `op` SMALL_OPS times per round, baseline and subject interleaved op by op. */
async function smallOps(baseline: (i: number) => Promise<unknown>, subject: (i: number) => Promise<unknown>) {
  const samples = { baseline: [] as number[], subject: [] as number[] };
  for (let i = 0; i < SMALL_OPS; i++) {
    const a = await abRounds(
      1,
      () => baseline(i),
      () => subject(i),
    );
    samples.baseline.push(...a.baseline);
    samples.subject.push(...a.subject);
  }
  return samples;
}

const log = (text: string) => process.stderr.write(`[bench] ${text}\n`);
const large = randomBytes(LARGE);
const small = randomBytes(4096);

// --- S3 (Ceph RGW) ---
log('starting the local S3 server (Ceph RGW)');
const s3 = await startRgw();
const bucket = await createUniqueBucket(s3, 'bench');
const raw = createS3Client({ ...s3 });
const store = new S3ObjectStore(bucket, 'isthmus', s3);
const rawGet = async (key: string) =>
  (await raw.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray();

log(`S3 put/get of ${LARGE / MIB} MiB, ${ROUNDS} rounds`);
throughputRatio(
  `S3 put ${LARGE / MIB} MiB (isthmus / raw PutObject)`,
  LARGE,
  await abRounds(
    ROUNDS,
    () => raw.send(new PutObjectCommand({ Bucket: bucket, Key: 'raw/large', Body: large })),
    () => store.put('large', large),
  ),
  0.95,
);
throughputRatio(
  `S3 get ${LARGE / MIB} MiB (isthmus / raw GetObject)`,
  LARGE,
  await abRounds(
    ROUNDS,
    () => rawGet('raw/large'),
    () => store.get('large'),
  ),
  0.95,
);
log('S3 ranged reads: 8 concurrent ranges vs one sequential GET');
const part = Math.ceil(LARGE / 8);
throughputRatio(
  `S3 8-way ranged get / one sequential raw GET (${LARGE / MIB} MiB)`,
  LARGE,
  await abRounds(
    ROUNDS,
    () => rawGet('raw/large'),
    () =>
      mapConcurrent([0, 1, 2, 3, 4, 5, 6, 7], 8, (i) =>
        store.get('large', { range: { offset: i * part, length: part } }),
      ),
  ),
  1.5,
);
log(`S3 4 KiB latency, ${SMALL_OPS} ops each`);
latencyRatio(
  'S3 put 4 KiB (isthmus / raw)',
  await smallOps(
    (i) => raw.send(new PutObjectCommand({ Bucket: bucket, Key: `raw/small-${i}`, Body: small })),
    (i) => store.put(`small-${i}`, small),
  ),
);
latencyRatio(
  'S3 get 4 KiB (isthmus / raw)',
  await smallOps(
    (i) => rawGet(`raw/small-${i}`),
    (i) => store.get(`small-${i}`),
  ),
);
await store.close();
raw.destroy();

// --- POSIX ---
const dir = await mkdtemp(join(tmpdir(), 'isthmus-storage-bench-'));
try {
  await mkdir(join(dir, 'raw'));
  const durable = new FileObjectStore(join(dir, 'durable'));
  const fast = new FileObjectStore(join(dir, 'fast'), { fsync: false });
  const rawWriteSynced = async (path: string, data: Uint8Array) => {
    const handle = await open(path, 'w');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
  };
  log(`POSIX put/get of ${LARGE / MIB} MiB`);
  throughputRatio(
    `POSIX put ${LARGE / MIB} MiB, fsync (isthmus / raw write+fsync)`,
    LARGE,
    await abRounds(
      ROUNDS,
      () => rawWriteSynced(join(dir, 'raw', 'large'), large),
      () => durable.put('large', large),
    ),
  );
  throughputRatio(
    `POSIX put ${LARGE / MIB} MiB, no fsync (isthmus / raw writeFile)`,
    LARGE,
    await abRounds(
      ROUNDS,
      () => writeFile(join(dir, 'raw', 'large'), large),
      () => fast.put('large', large),
    ),
  );
  throughputRatio(
    `POSIX get ${LARGE / MIB} MiB (isthmus / raw readFile)`,
    LARGE,
    await abRounds(
      ROUNDS,
      () => readFile(join(dir, 'raw', 'large')),
      () => fast.get('large'),
    ),
  );
  log(`POSIX 4 KiB latency, ${SMALL_OPS} ops each`);
  latencyRatio(
    'POSIX put 4 KiB, no fsync (isthmus / raw writeFile)',
    await smallOps(
      (i) => writeFile(join(dir, 'raw', `small-${i}`), small),
      (i) => fast.put(`small-${i}`, small),
    ),
  );
  latencyRatio(
    'POSIX get 4 KiB (isthmus / raw readFile)',
    await smallOps(
      (i) => readFile(join(dir, 'raw', `small-${i}`)),
      (i) => fast.get(`small-${i}`),
    ),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}

const width = Math.max(...report.map((row) => row.name.length));
console.log(
  `@isthmus/storage benchmark (${quick ? 'quick' : 'full'}: ${LARGE / MIB} MiB objects, ${ROUNDS} rounds, ${SMALL_OPS} small ops)`,
);
for (const row of report) {
  console.log(
    `${row.name.padEnd(width)}  raw ${row.baseline.padStart(10)}  isthmus ${row.subject.padStart(10)}  ${row.ratio.toFixed(2)}×${row.goal ? `  (goal ${row.goal})` : ''}`,
  );
}
const out = join(new URL('../../..', import.meta.url).pathname, '.isthmus', 'bench');
await mkdir(out, { recursive: true });
await writeFile(
  join(out, 'storage.json'),
  `${JSON.stringify({ quick, largeBytes: LARGE, rounds: ROUNDS, report }, null, 2)}\n`,
);
