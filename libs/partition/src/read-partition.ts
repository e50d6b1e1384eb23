import { type ObjectStore, type OpenStoreOptions, openStore } from '@isthmus/storage';
import type { RecordBatch } from 'apache-arrow';
import { DatasetSource } from './dataset-source.js';
import { NotColumnarError } from './errors.js';
import { findFormat } from './format-registry.js';
import type { Partition, PartitionFile } from './partition.js';

/** Where a partition's reader gets its store. */
export interface ReadPartitionOptions {
  /** The dataset's store; by default `openStore(partition.dataset.storeUrl)`, kept open per URL. */
  store?: ObjectStore;
  /** Options for opening the store (S3 connection details). */
  storeOptions?: OpenStoreOptions;
  /** Abort the read. */
  signal?: AbortSignal;
}

const openStores = new Map<string, ObjectStore>();

function storeOf(partition: Partition, options: ReadPartitionOptions): ObjectStore {
  if (options.store) return options.store;
  const url = partition.dataset.storeUrl;
  let store = openStores.get(url);
  if (!store) {
    store = openStore(url, options.storeOptions);
    openStores.set(url, store);
  }
  return store;
}

/** The source a partition reads from, pinned to the versions it was planned against. */
function partitionSource(partition: Partition, options: ReadPartitionOptions): DatasetSource {
  return new DatasetSource(storeOf(partition, options), partition.dataset.key, {
    etags: partition.etags,
    signal: options.signal,
  });
}

/**
 * The records of a partition, in file order, read straight from the dataset's bytes. Needs only
 * the partition (plain JSON), so any function on any backend can call it.
 */
export async function* read<TRecord = unknown>(
  partition: Partition,
  options: ReadPartitionOptions = {},
): AsyncIterable<TRecord> {
  const handler = await findFormat(partition.format, partition.dataset.key);
  yield* handler.read(partition, partitionSource(partition, options)) as AsyncIterable<TRecord>;
}

/** The records of a partition as Arrow record batches (formats with a natural columnar form). */
export async function* readBatches(
  partition: Partition,
  options: ReadPartitionOptions = {},
): AsyncIterable<RecordBatch> {
  const handler = await findFormat(partition.format, partition.dataset.key);
  if (!handler.readBatches) throw new NotColumnarError(handler.name);
  yield* handler.readBatches(partition, partitionSource(partition, options));
}

/**
 * A stand-alone file in the dataset's format holding exactly the partition's records (header
 * included), so existing tools can process one piece; a set of files (imzML + .ibd, a Zarr
 * store) comes as several, the main one first.
 */
export async function toFile(
  partition: Partition,
  options: ReadPartitionOptions = {},
): Promise<PartitionFile[]> {
  const handler = await findFormat(partition.format, partition.dataset.key);
  return handler.toFile(partition, partitionSource(partition, options));
}
