import { Command } from 'commander';
import type { CommandIo } from '../io.js';
import { registerBuild } from './build.js';
import { registerPackage } from './package.js';
import { registerRun } from './run.js';
import { registerStats } from './stats.js';

/** The `isthmus faas` group: build, run, stats, package. */
export function faasCommand(io: CommandIo): Command {
  const group = new Command('faas')
    .description(
      'run functions elastically on a local pool, Slurm, HTTP function runtimes or a Lambda Runtime API runtime',
    )
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  isthmus faas build src/functions.ts -o dist/fns\n' +
        '  isthmus faas run dist/fns square -i 1 -i 2 -i 3 --reduce sum\n' +
        '  isthmus faas run dist/fns gcInRange --inputs ranges.jsonl --backend http --store s3://bucket/tmp --stats stats.json\n' +
        '  isthmus faas stats stats.json --tasks\n' +
        '  isthmus faas package dist/fns -o dist/deploy',
    );
  registerBuild(group, io);
  registerRun(group, io);
  registerStats(group, io);
  registerPackage(group, io);
  return group;
}
