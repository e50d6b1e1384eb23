import { Command } from 'commander';
import type { CommandIo } from '../io.js';
import { registerCompact } from './compact-command.js';
import { registerIndex } from './index-command.js';
import { registerIngest } from './ingest-command.js';
import { registerSearch } from './search-command.js';
import { registerStats } from './stats-command.js';
import type { VectorsFlags } from './vector-flags.js';

/** The `isthmus vectors` group: ingest, index, search, compact, stats. */
export function vectorsCommand(io: CommandIo): Command {
  const group = new Command('vectors')
    .description('embed documents into LanceDB tables on file:// or s3://, index and search them')
    .option('--endpoint <url>', 'S3 endpoint (default: AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, else AWS)')
    .option('--region <region>', 'S3 region (default: AWS_REGION, else us-east-1)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  isthmus vectors ingest file:///data/db/docs /data/manuals/\n' +
        '  isthmus vectors ingest s3://bucket/db/docs s3://bucket/corpus/ --backend slurm --store s3://bucket/tmp\n' +
        '  isthmus vectors index file:///data/db/docs\n' +
        "  isthmus vectors search file:///data/db/docs 'how do I list files by time' --mode hybrid -k 5\n" +
        "  isthmus vectors search s3://bucket/db/docs 'socket options' --filter \"source LIKE '%tcp%'\" --json\n" +
        '  isthmus vectors compact file:///data/db/docs\n' +
        '  isthmus vectors stats file:///data/db/docs --json',
    );
  const flags = () => group.opts<VectorsFlags>();
  registerIngest(group, io, flags);
  registerIndex(group, io, flags);
  registerSearch(group, io, flags);
  registerCompact(group, io, flags);
  registerStats(group, io, flags);
  return group;
}
