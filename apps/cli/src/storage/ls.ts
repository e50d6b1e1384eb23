import type { Command } from 'commander';
import type { CommandIo } from '../io.js';
import { formatBytes } from '../progress-bar.js';
import { parseLocation } from './location.js';
import { type S3Flags, withStores } from './open.js';

/** `isthmus storage ls <url>`: lists objects and common prefixes under a location. */
export function registerLs(group: Command, io: CommandIo, flags: () => S3Flags): void {
  group
    .command('ls')
    .description('list objects under a prefix (one level; -r for all)')
    .argument('<url>', 's3://bucket/prefix, file:///dir or a local directory')
    .option('-r, --recursive', 'list every key under the prefix, not one level')
    .option('-H, --human', 'sizes in KiB/MiB/GiB')
    .action(async (url: string, options: { recursive?: boolean; human?: boolean }) => {
      const location = parseLocation(url, 'prefix');
      await withStores([location.storeUrl], flags(), async (store) => {
        const listing = store.list({ prefix: location.key, delimiter: options.recursive ? undefined : '/' });
        for await (const entry of listing) {
          if (entry.kind === 'prefix') {
            io.stdout.write(`${'PRE'.padStart(12)}  ${''.padEnd(24)}  ${entry.prefix}\n`);
          } else {
            const size = options.human ? formatBytes(entry.size) : String(entry.size);
            io.stdout.write(`${size.padStart(12)}  ${entry.lastModified.toISOString()}  ${entry.key}\n`);
          }
        }
      });
    });
}
