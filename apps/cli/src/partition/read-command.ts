import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Partition } from '@isthmus/partition';
import { type Command, InvalidArgumentError } from 'commander';
import { parseNonNegativeInt, parsePositiveInt } from '../arguments.js';
import type { CommandIo } from '../io.js';
import { ProgressBar } from '../progress-bar.js';
import { toJsonLine } from './json-lines.js';
import { type DatasetFlags, openCommandDataset } from './open-dataset.js';

interface ReadOptions {
  by: string;
  partition?: number;
  limit?: number;
  toFile?: string;
  progress?: boolean;
}

/** `isthmus partition read <url> --by <strategy>`: records as JSON lines, or partitions as stand-alone files. */
export function registerRead(group: Command, io: CommandIo, flags: () => DatasetFlags): void {
  group
    .command('read')
    .description(
      'read the records of one partition (or all) as JSON lines, or write them as stand-alone files',
    )
    .argument('<url>', 'the dataset: s3://bucket/key, file:///path or an absolute path')
    .option('--by <strategy>', 'how to partition (see plan)', 'count=1')
    .option('-p, --partition <n>', 'only this partition (0-based)', parseNonNegativeInt)
    .option('-n, --limit <n>', 'at most this many records per partition', parsePositiveInt)
    .option(
      '--to-file <dir>',
      'write each partition as a stand-alone file in the same format into this directory',
    )
    .option('--progress', 'show the progress bar even when stderr is not a terminal')
    .option('--no-progress', 'never show the progress bar')
    .action(async (url: string, options: ReadOptions) => {
      const dataset = await openCommandDataset(url, flags());
      try {
        const all = await dataset.partition(options.by);
        const chosen = options.partition === undefined ? all : [all[options.partition]];
        if (chosen[0] === undefined) {
          throw new InvalidArgumentError(`there are ${all.length} partitions (0–${all.length - 1})`);
        }
        const bar = new ProgressBar(
          io,
          'partitions',
          chosen.length,
          options.progress ?? Boolean(io.stderr.isTTY),
          'tasks',
        );
        for (const partition of chosen as Partition[]) {
          if (options.toFile) {
            for (const file of await dataset.toFile(partition)) {
              const path = join(resolve(options.toFile), file.name);
              await mkdir(dirname(path), { recursive: true });
              await writeFile(path, file.data);
              io.stdout.write(`${path}\n`);
            }
          } else {
            let count = 0;
            for await (const record of dataset.read(partition)) {
              if (options.limit !== undefined && count >= options.limit) break;
              io.stdout.write(toJsonLine(record));
              count++;
            }
          }
          bar.advance(1);
        }
        bar.finish();
      } finally {
        await dataset.close();
      }
    });
}
