import type { Command } from 'commander';
import type { CommandIo } from '../io.js';
import { parseLocation } from './location.js';
import { type S3Flags, withStores } from './open.js';

/** `isthmus storage rm <url>`: deletes an object, or every object under a prefix with `-r`. */
export function registerRm(group: Command, io: CommandIo, flags: () => S3Flags): void {
  group
    .command('rm')
    .description('delete an object, or every object under a prefix with -r')
    .argument('<url>', 's3://bucket/key, file:///path or a local path')
    .option('-r, --recursive', 'delete every object under the prefix')
    .action(async (url: string, options: { recursive?: boolean }) => {
      const location = parseLocation(url, options.recursive ? 'prefix' : 'object');
      await withStores([location.storeUrl], flags(), async (store) => {
        if (!options.recursive) {
          await store.head(location.key); // a typo should not pass silently as "deleted"
          await store.delete(location.key);
          io.stderr.write(`deleted ${url}\n`);
          return;
        }
        const keys: string[] = [];
        for await (const entry of store.list({ prefix: location.key })) {
          if (entry.kind === 'object') keys.push(entry.key);
        }
        await store.deleteMany(keys);
        io.stderr.write(`deleted ${keys.length} object(s) under ${url}\n`);
      });
    });
}
