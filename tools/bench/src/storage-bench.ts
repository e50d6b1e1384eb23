// Storage benchmark: @isthmus/storage against raw baselines measured in the same run, interleaved,
// reported as ratios (the machine is shared and noisy: absolute numbers drift, ratios hold).
//   npm run -w @isthmus/bench bench:storage [-- --quick]
import { randomBytes } from 'node:crypto';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRgw } from '@isthmus/services';
import { benchFs } from './fs-cases.js';
import type { Schedule, Workload } from './measure.js';
import { formatRatioLines, formatTable, progress, writeJsonReport } from './report.js';
import { benchS3 } from './s3-cases.js';

const MiB = 1024 * 1024;
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const REPORT_PATH = join(REPO_ROOT, '.isthmus', 'bench', 'storage.json');

/** Sizes and repetitions of a full run and of a `--quick` smoke run. */
const SETTINGS = {
  full: {
    largeBytes: 64 * MiB,
    smallBytes: 4 * 1024,
    rangedReads: 8,
    large: { rounds: 11, perRound: 1, warmup: 1 },
    small: { rounds: 10, perRound: 50, warmup: 20 },
  },
  quick: {
    largeBytes: 16 * MiB,
    smallBytes: 4 * 1024,
    rangedReads: 8,
    large: { rounds: 5, perRound: 1, warmup: 1 },
    small: { rounds: 4, perRound: 25, warmup: 5 },
  },
} satisfies Record<
  string,
  { largeBytes: number; smallBytes: number; rangedReads: number; large: Schedule; small: Schedule }
>;

const args = process.argv.slice(2);
const unknown = args.filter((arg) => arg !== '--quick');
if (unknown.length > 0) {
  console.error(`unknown argument ${unknown.join(' ')}\nusage: storage-bench.ts [--quick]`);
  process.exit(2);
}
const quick = args.includes('--quick');
const settings = quick ? SETTINGS.quick : SETTINGS.full;
const started = Date.now();

progress(`${quick ? 'quick' : 'full'} run: starting the local S3 server (Ceph RGW)`);
const s3 = await startRgw();
const work: Workload = {
  large: randomBytes(settings.largeBytes),
  small: randomBytes(settings.smallBytes),
  largeSchedule: settings.large,
  smallSchedule: settings.small,
  log: progress,
};
const groups = [...(await benchS3(s3, work, settings.rangedReads)), ...(await benchFs(work))];
const comparisons = groups.flatMap((group) => group.comparisons);
const seconds = (Date.now() - started) / 1000;

await writeJsonReport(REPORT_PATH, {
  date: new Date(started).toISOString(),
  quick,
  seconds,
  environment: {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    s3Endpoint: s3.endpoint,
  },
  settings,
  comparisons,
  groups,
});

console.log(formatTable(comparisons));
console.log('');
console.log(`ratios (subject / baseline; throughput: higher is better, latency: lower is better)`);
for (const line of formatRatioLines(comparisons)) console.log(line);
progress(`done in ${seconds.toFixed(0)} s; all numbers in ${REPORT_PATH}`);
