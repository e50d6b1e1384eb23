import { pipeline } from 'node:stream/promises';
import type { ByteRange } from '@isthmus/storage';
import { type Command, InvalidArgumentError } from 'commander';
import type { CommandIo } from '../io.js';
import { parseLocation } from './location.js';
import { type S3Flags, withStores } from './open.js';

/** Parses `--range`: `START-END` (inclusive, as in HTTP), `START-` or `-SUFFIX`. */
export function parseRange(text: string): ByteRange {
  const match = /^(\d*)-(\d*)$/.exec(text);
  if (match && match[1] !== '' && match[2] !== '' && Number(match[2]) >= Number(match[1])) {
    return { offset: Number(match[1]), length: Number(match[2]) - Number(match[1]) + 1 };
  }
  if (match && match[1] !== '' && match[2] === '') return { offset: Number(match[1]) };
  if (match && match[1] === '' && match[2] !== '') return { suffix: Number(match[2]) };
  throw new InvalidArgumentError('expected START-END, START- or -SUFFIX (bytes, END inclusive)');
}

/** `isthmus storage cat <url>`: writes an object, or a byte range of it, to stdout. */
export function registerCat(group: Command, io: CommandIo, flags: () => S3Flags): void {
  group
    .command('cat')
    .description('write an object (or a byte range of it) to stdout')
    .argument('<url>', 's3://bucket/key, file:///path or a local path')
    .option('--range <range>', 'bytes START-END (inclusive), START- or -SUFFIX', parseRange)
    .action(async (url: string, options: { range?: ByteRange }) => {
      const location = parseLocation(url, 'object');
      await withStores([location.storeUrl], flags(), async (store) => {
        await pipeline(await store.getStream(location.key, { range: options.range }), io.stdout, {
          end: false,
        });
      });
    });
}
