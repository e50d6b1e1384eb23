import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKEND_NAMES, buildBundle, createBackend, executor } from '@isthmus/faas';
import { partitionFunctionsEntry } from '@isthmus/partition';
import type * as PartitionFunctions from '@isthmus/partition/functions';
import type { IndexReport } from '@isthmus/partition/functions';
import { openStore } from '@isthmus/storage';
import { type Command, Option } from 'commander';
import type { CommandIo } from '../io.js';
import { formatBytes, ProgressBar } from '../progress-bar.js';
import { type DatasetFlags, openCommandDataset } from './open-dataset.js';

interface IndexOptions {
  backend?: string;
  store?: string;
  json?: boolean;
  progress?: boolean;
}

/** `isthmus partition index <url>`: the index pass (or its sidecar), here or as a function on a backend. */
export function registerIndex(group: Command, io: CommandIo, flags: () => DatasetFlags): void {
  group
    .command('index')
    .description(
      'detect the format, run the index pass once (or reuse a valid sidecar index) and summarise it',
    )
    .argument('<url>', 'the dataset: s3://bucket/key, file:///path or an absolute path')
    .addOption(
      new Option('-b, --backend <name>', 'run the pass as a function on this backend').choices([
        ...BACKEND_NAMES,
      ]),
    )
    .option('-s, --store <url>', 'object storage for task envelopes (needed by --backend slurm)')
    .option('--json', 'print the report as JSON')
    .option('--progress', 'show the progress bar even when stderr is not a terminal')
    .option('--no-progress', 'never show the progress bar')
    .action(async (url: string, options: IndexOptions) => {
      const report = options.backend
        ? await indexAsFunction(url, options.backend, options.store, flags())
        : await indexHere(url, io, flags(), options.progress ?? Boolean(io.stderr.isTTY));
      if (options.json) {
        io.stdout.write(`${JSON.stringify(report)}\n`);
        return;
      }
      const { summary } = report;
      io.stdout.write(
        `format   ${report.format}\n` +
          `index    ${report.origin === 'sidecar' ? 'reused the sidecar index' : 'built'} in ${report.ms.toFixed(0)} ms\n` +
          `records  ${summary.records} ${summary.unit}\n` +
          `bytes    ${summary.bytes} (${formatBytes(summary.bytes)})\n` +
          (summary.details ? `details  ${JSON.stringify(summary.details)}\n` : ''),
      );
    });
}

async function indexHere(
  url: string,
  io: CommandIo,
  flags: DatasetFlags,
  showProgress: boolean,
): Promise<IndexReport> {
  const started = performance.now();
  let bar: ProgressBar | undefined;
  let shown = 0;
  const dataset = await openCommandDataset(url, flags, {
    onProgress: ({ bytesRead, bytesTotal }) => {
      if (!showProgress || bytesTotal === undefined) return;
      bar ??= new ProgressBar(io, 'index pass', bytesTotal, true);
      bar.advance(bytesRead - shown);
      shown = bytesRead;
    },
  });
  try {
    const summary = await dataset.summary();
    bar?.finish();
    return { format: dataset.format, origin: dataset.indexOrigin!, summary, ms: performance.now() - started };
  } finally {
    await dataset.close();
  }
}

async function indexAsFunction(
  url: string,
  backendName: string,
  storeUrl: string | undefined,
  flags: DatasetFlags,
): Promise<IndexReport> {
  const dir = await mkdtemp(join(tmpdir(), 'isthmus-partition-fns-'));
  const storage = storeUrl ? openStore(storeUrl) : undefined;
  try {
    const bundle = await buildBundle({ entry: partitionFunctionsEntry(), outDir: dir });
    const ex = await executor<typeof PartitionFunctions>({
      backend: createBackend(backendName),
      bundle,
      storage,
    });
    try {
      return await ex.call('indexDataset', { url, format: flags.format, reindex: flags.reindex }).result();
    } finally {
      await ex.close();
    }
  } finally {
    await storage?.close();
    await rm(dir, { recursive: true, force: true });
  }
}
