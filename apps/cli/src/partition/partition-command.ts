import { Command } from 'commander';
import type { CommandIo } from '../io.js';
import { registerIndex } from './index-command.js';
import type { DatasetFlags } from './open-dataset.js';
import { registerPlan } from './plan-command.js';
import { registerRead } from './read-command.js';

/** The `isthmus partition` group: index, plan, read. */
export function partitionCommand(io: CommandIo): Command {
  const group = new Command('partition')
    .description(
      'partition scientific files in object storage on the fly: index once, then byte-range partitions',
    )
    .option('-f, --format <name>', 'the format, when detection should not decide (checked against the data)')
    .option('--reindex', 'rebuild the index even if a valid sidecar index exists')
    .option('--endpoint <url>', 'S3 endpoint (default: AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, else AWS)')
    .option('--region <region>', 'S3 region (default: AWS_REGION, else us-east-1)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  isthmus partition index s3://bucket/reads/sample.bam\n' +
        '  isthmus partition index s3://bucket/reads/sample.fastq.gz --backend slurm --store s3://bucket/tmp\n' +
        '  isthmus partition plan s3://bucket/reads/sample.bam --by region\n' +
        '  isthmus partition plan /data/autzen.laz --by count=8 --json > parts.jsonl\n' +
        '  isthmus partition read /data/calls.vcf.gz --by region=2 --limit 5\n' +
        '  isthmus partition read s3://bucket/img/rgb.tif --by tiles=2x2 --partition 3 --to-file ./piece',
    );
  const flags = () => group.opts<DatasetFlags>();
  registerIndex(group, io, flags);
  registerPlan(group, io, flags);
  registerRead(group, io, flags);
  return group;
}
