import { stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { mapConcurrent, type ObjectStore } from '@isthmus/storage';
import type { Command } from 'commander';
import { parsePositiveInt } from '../arguments.js';
import type { CommandIo } from '../io.js';
import { ProgressBar } from '../progress-bar.js';
import { type Location, parseLocation } from './location.js';
import { type S3Flags, withStores } from './open.js';

interface CpOptions {
  recursive?: boolean;
  concurrency: number;
  progress?: boolean;
}

/** `isthmus storage cp <source> <target>`: copies objects between any two stores, with progress. */
export function registerCp(group: Command, io: CommandIo, flags: () => S3Flags): void {
  group
    .command('cp')
    .description('copy an object, or every object under a prefix with -r, between any two stores')
    .argument('<source>', 's3://bucket/key, file:///path or a local path')
    .argument('<target>', 'an object, or a prefix ending in "/" (or a local directory) to copy into')
    .option('-r, --recursive', 'copy every object under the source prefix')
    .option('-j, --concurrency <n>', 'objects copied at once with -r', parsePositiveInt, 4)
    .option('--progress', 'show the progress bar even when stderr is not a terminal')
    .option('--no-progress', 'never show the progress bar')
    .action(async (source: string, target: string, options: CpOptions) => {
      const show = options.progress ?? Boolean(io.stderr.isTTY);
      if (options.recursive) await copyPrefix(io, flags(), source, target, options, show);
      else await copyOne(io, flags(), source, target, show);
    });
}

async function copyOne(io: CommandIo, flags: S3Flags, source: string, target: string, show: boolean) {
  const from = parseLocation(source, 'object');
  const to = await intoDirectory(target, posix.basename(from.key));
  await withStores([from.storeUrl, to.storeUrl], flags, async (fromStore, toStore) => {
    const { size } = await fromStore.head(from.key);
    const bar = new ProgressBar(io, posix.basename(from.key), size, show);
    await copyObject(fromStore, from.key, toStore, to.key, bar);
    bar.finish();
  });
}

async function copyPrefix(
  io: CommandIo,
  flags: S3Flags,
  source: string,
  target: string,
  options: CpOptions,
  show: boolean,
) {
  const from = parseLocation(source, 'prefix');
  const to = parseLocation(target, 'prefix');
  const fromPrefix = asDirectoryPrefix(from.key);
  const toPrefix = asDirectoryPrefix(to.key);
  await withStores([from.storeUrl, to.storeUrl], flags, async (fromStore, toStore) => {
    const objects: Array<{ key: string; size: number }> = [];
    for await (const entry of fromStore.list({ prefix: fromPrefix })) {
      if (entry.kind === 'object') objects.push(entry);
    }
    const total = objects.reduce((sum, object) => sum + object.size, 0);
    const bar = new ProgressBar(io, `${objects.length} object(s)`, total, show);
    await mapConcurrent(objects, options.concurrency, (object) =>
      copyObject(fromStore, object.key, toStore, toPrefix + object.key.slice(fromPrefix.length), bar),
    );
    bar.finish();
    io.stderr.write(`copied ${objects.length} object(s) to ${target}\n`);
  });
}

/** Streams one object from store to store, reporting bytes to the bar. */
async function copyObject(
  from: ObjectStore,
  fromKey: string,
  to: ObjectStore,
  toKey: string,
  bar: ProgressBar,
) {
  let reported = 0;
  await to.put(toKey, await from.getStream(fromKey), {
    onProgress: (written) => {
      bar.advance(written - reported);
      reported = written;
    },
  });
}

/** A copy target: an object, or — for a prefix ending in "/" or an existing local directory — `name` inside it. */
async function intoDirectory(target: string, name: string): Promise<Location> {
  const local = parseLocation(target, 'prefix');
  const isDirectory =
    target.endsWith('/') ||
    (local.local && (await stat(new URL(local.storeUrl)).catch(() => undefined))?.isDirectory());
  if (!isDirectory) return parseLocation(target, 'object');
  return { ...local, key: asDirectoryPrefix(local.key) + name };
}

function asDirectoryPrefix(prefix: string): string {
  return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
}
