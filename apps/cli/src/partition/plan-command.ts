import { partitionBytes } from '@isthmus/partition';
import type { Command } from 'commander';
import type { CommandIo } from '../io.js';
import { formatBytes } from '../progress-bar.js';
import { type DatasetFlags, openCommandDataset } from './open-dataset.js';

/** `isthmus partition plan <url> --by <strategy>`: the partitions, as a table or as JSON lines. */
export function registerPlan(group: Command, io: CommandIo, flags: () => DatasetFlags): void {
  group
    .command('plan')
    .description('cut a dataset into partitions (indexing it first if needed)')
    .argument('<url>', 'the dataset: s3://bucket/key, file:///path or an absolute path')
    .requiredOption(
      '--by <strategy>',
      "count=8, bytes=64MiB, records=1000, or one of the format's own: region[=chr1,…], tiles[=4x2], bbox=…, spectra=…, pixels=…, chunks[=…]",
    )
    .option('--json', 'one partition per line as JSON (input for isthmus faas run --inputs)')
    .action(async (url: string, options: { by: string; json?: boolean }) => {
      const dataset = await openCommandDataset(url, flags());
      try {
        const partitions = await dataset.partition(options.by);
        if (options.json) {
          for (const partition of partitions) io.stdout.write(`${JSON.stringify(partition)}\n`);
          return;
        }
        io.stdout.write('partition      records        bytes  ranges  label\n');
        for (const partition of partitions) {
          io.stdout.write(
            `${String(partition.index).padStart(9)}  ${String(partition.records ?? '?').padStart(11)}  ${formatBytes(partitionBytes(partition)).padStart(11)}  ${String(partition.ranges.length).padStart(6)}  ${partition.label}\n`,
          );
        }
      } finally {
        await dataset.close();
      }
    });
}
