// Partition benchmark: @isthmus/partition on the real S3 server (Ceph RGW) against raw GETs and
// against static partitioning, measured in the same run, interleaved, reported as ratios.
//   npm run -w @isthmus/bench bench:partition [-- --quick]
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle, executor, LocalBackend } from '@isthmus/faas';
import { openDataset } from '@isthmus/partition';
import { createUniqueBucket, startRgw } from '@isthmus/services';
import { openStore, s3Environment } from '@isthmus/storage';
import type { Group } from '../compare.js';
import { formatRatioLines, formatTable, progress, writeJsonReport } from '../report.js';
import type * as BenchFunctions from './bench-functions.js';
import { BENCH_INPUTS, ensureInput } from './bench-inputs.js';
import {
  benchDynamicVsStatic,
  benchIndexPass,
  benchPartitionRead,
  type PartitionCase,
} from './partition-cases.js';

const MiB = 1024 * 1024;
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const REPORT_PATH = join(REPO_ROOT, '.isthmus', 'bench', 'partition.json');
const INPUTS_DIR = join(REPO_ROOT, '.isthmus', 'bench', 'partition-inputs');

/** Sizes and repetitions of a full run and of a `--quick` smoke run. */
const SETTINGS = {
  full: { inputBytes: 64 * MiB, partitions: 8, workers: 2, schedule: { rounds: 3, perRound: 1, warmup: 1 } },
  quick: { inputBytes: 8 * MiB, partitions: 4, workers: 2, schedule: { rounds: 1, perRound: 1, warmup: 0 } },
};

const args = process.argv.slice(2);
const only = args.filter((arg) => arg.startsWith('--only=')).flatMap((arg) => arg.slice(7).split(','));
const unknown = args.filter((arg) => arg !== '--quick' && !arg.startsWith('--only='));
if (unknown.length > 0) {
  console.error(
    `unknown argument ${unknown.join(' ')}\nusage: partition-bench.ts [--quick] [--only=fastq,bam,…]`,
  );
  process.exit(2);
}
const quick = args.includes('--quick');
const settings = quick ? SETTINGS.quick : SETTINGS.full;
const inputs = BENCH_INPUTS.filter((input) => only.length === 0 || only.includes(input.format));
const started = Date.now();

progress(`${quick ? 'quick' : 'full'} run: starting the local S3 server (Ceph RGW)`);
const s3 = await startRgw();
Object.assign(process.env, s3Environment(s3));
const bucket = await createUniqueBucket(s3, 'isthmus-bench-partition');
const storeUrl = `s3://${bucket}`;
const store = openStore(storeUrl, { s3 });
const scratch = await mkdtemp(join(tmpdir(), 'isthmus-bench-partition-'));
await mkdir(INPUTS_DIR, { recursive: true });
const bundle = await buildBundle({
  entry: fileURLToPath(new URL('./bench-functions.ts', import.meta.url)),
  outDir: join(scratch, 'bundle'),
});
const ex = await executor<typeof BenchFunctions>({
  backend: new LocalBackend({ maxWorkers: settings.workers }),
  bundle,
  storage: store,
});

const groups: Group[] = [];
try {
  for (const input of inputs) {
    progress(`${input.format}: making ${input.name} of about ${settings.inputBytes / MiB} MiB`);
    const path = await ensureInput(input, INPUTS_DIR, settings.inputBytes);
    const bytes = (await stat(path)).size;
    progress(`${input.format}: uploading ${(bytes / MiB).toFixed(1)} MiB`);
    await store.put(input.name, createReadStream(path));
    const dataset = await openDataset(input.name, { store, format: input.format });
    const records = (await dataset.summary()).records;
    const c: PartitionCase = {
      key: input.name,
      format: input.format,
      bytes,
      indexGoal: input.indexGoal,
      store,
      storeUrl,
      executor: ex,
      workers: settings.workers,
      partitions: settings.partitions,
      scratch,
      schedule: settings.schedule,
      log: progress,
    };
    groups.push(await benchIndexPass(c));
    groups.push(await benchPartitionRead(c, records));
    groups.push(await benchDynamicVsStatic(c, input.piecesKeepRecords ? records : undefined));
  }
} finally {
  await ex.close();
  const keys: string[] = [];
  for await (const entry of store.list()) if (entry.kind === 'object') keys.push(entry.key);
  await store.deleteMany(keys);
  await store.close();
  await rm(scratch, { recursive: true, force: true });
}

const comparisons = groups.flatMap((group) => group.comparisons);
const seconds = (Date.now() - started) / 1000;
await writeJsonReport(REPORT_PATH, {
  date: new Date(started).toISOString(),
  quick,
  seconds,
  environment: { node: process.version, cpus: availableParallelism(), s3Endpoint: s3.endpoint },
  settings,
  comparisons,
  groups,
});
console.log(formatTable(comparisons));
console.log('');
console.log('ratios (subject / baseline throughput: higher is better)');
for (const line of formatRatioLines(comparisons)) console.log(line);
progress(`done in ${seconds.toFixed(0)} s; all numbers in ${REPORT_PATH}`);
