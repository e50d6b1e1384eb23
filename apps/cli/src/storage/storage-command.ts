import { Command } from 'commander';
import type { CommandIo } from '../io.js';
import { registerCat } from './cat.js';
import { registerCp } from './cp.js';
import { registerLs } from './ls.js';
import type { S3Flags } from './open.js';
import { registerRm } from './rm.js';

/** The `isthmus storage` group: ls, cat, cp, rm over any store URL. */
export function storageCommand(io: CommandIo): Command {
  const group = new Command('storage')
    .description('list, read, copy and delete objects in s3:// and file:// stores')
    .option('--endpoint <url>', 'S3 endpoint (default: AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, else AWS)')
    .option('--region <region>', 'S3 region (default: AWS_REGION, else us-east-1)')
    .addHelpText(
      'after',
      '\nCredentials come from the standard AWS environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, profiles).\n' +
        'Examples:\n' +
        '  isthmus storage ls s3://bucket/prefix/\n' +
        '  isthmus storage cp ./ce.fa s3://bucket/genomes/\n' +
        '  isthmus storage cat s3://bucket/genomes/ce.fa --range 0-99\n' +
        '  isthmus storage cp -r s3://bucket/genomes/ /scratch/genomes/\n' +
        '  isthmus storage rm -r s3://bucket/tmp/',
    );
  const flags = () => group.opts<S3Flags>();
  registerLs(group, io, flags);
  registerCat(group, io, flags);
  registerCp(group, io, flags);
  registerRm(group, io, flags);
  return group;
}
