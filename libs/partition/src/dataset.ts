import { AccessDeniedError, type ObjectStore, type OpenStoreOptions, openStore } from '@isthmus/storage';
import type { RecordBatch } from 'apache-arrow';
import { DatasetSource, type ReadProgress } from './dataset-source.js';
import { splitDatasetUrl } from './dataset-url.js';
import type { AnyFormatHandler, IndexSummary } from './format-handler.js';
import { detectFormat } from './format-registry.js';
import type { JsonObject } from './json.js';
import type { Partition, PartitionFile } from './partition.js';
import { probeDataset } from './probe-dataset.js';
import { read, readBatches, toFile } from './read-partition.js';
import { resolveStrategy } from './resolve-strategy.js';
import { loadSidecar, newSidecar, type SidecarVerdict, saveSidecar } from './sidecar-index.js';
import type { Strategy } from './strategy.js';

/** Options of `openDataset`. */
export interface OpenDatasetOptions {
  /** The format, when detection should not decide (it is still checked against the data). */
  format?: string;
  /** Open the dataset in this store instead of opening its URL's parent. */
  store?: ObjectStore;
  /** Options for opening the store (S3 connection details). */
  storeOptions?: OpenStoreOptions;
  /** Rebuild the index even when a valid sidecar exists. */
  reindex?: boolean;
  /** Skip writing the sidecar (read-only stores); the index is then rebuilt by every open. */
  readOnly?: boolean;
  /** Progress of the index pass. */
  onProgress?: (progress: ReadProgress) => void;
  /** Abort the index pass. */
  signal?: AbortSignal;
}

/** Where a dataset's index came from. */
export type IndexOrigin = 'sidecar' | 'built';

/**
 * A dataset in object storage or on a file system, in one format. `index()` runs the light,
 * read-only index pass once (or loads the sidecar a previous pass stored beside the data), and
 * `partition(strategy)` cuts it into partitions that any worker reads independently.
 */
export class Dataset {
  #index: Promise<JsonObject> | undefined;
  #origin: IndexOrigin | undefined;
  #staleReason: Exclude<SidecarVerdict, { usable: true }>['reason'] | undefined;
  #sidecarDependencies: Record<string, string> | undefined;

  constructor(
    /** The store holding the dataset. */
    readonly store: ObjectStore,
    /** The dataset's key in the store. */
    readonly key: string,
    /** Its format's handler. */
    readonly handler: AnyFormatHandler,
    private readonly options: OpenDatasetOptions = {},
  ) {}

  /** The format's name. */
  get format(): string {
    return this.handler.name;
  }

  /** The dataset's URL. */
  get url(): string {
    return `${this.store.url.replace(/\/+$/, '')}/${this.key}`;
  }

  /** Whether the index came from the sidecar or was built by this object (after `index()`). */
  get indexOrigin(): IndexOrigin | undefined {
    return this.#origin;
  }

  /** Why an existing sidecar was not used, if one was looked at and rejected (`stale`, `missing`, …). */
  get sidecarRejection(): string | undefined {
    return this.#staleReason;
  }

  /** The index: loaded from the sidecar when it is still valid, else built by one pass and stored. */
  index(): Promise<JsonObject> {
    this.#index ??= this.#loadOrBuild();
    return this.#index;
  }

  /** The numbers of the index: records, unit, bytes and format details. */
  async summary(): Promise<IndexSummary> {
    return this.handler.summarize(await this.index());
  }

  /**
   * Cuts the dataset into partitions; the union of their records is the dataset, each record once.
   * The strategy is an object (`{ by: 'count', count: 8 }`) or its short text form (`count=8`,
   * `region=chr1,chr2:1-5000`); the format's `handler.strategies` say which it offers.
   */
  async partition(strategy: Strategy | string): Promise<Partition[]> {
    strategy = resolveStrategy(this.handler, strategy);
    const index = await this.index();
    const dependencies = (await this.#dependencies()) ?? {};
    const plans = this.handler.plan(index, strategy);
    return plans.map((plan, position) => {
      const keys = new Set([this.key, ...plan.ranges.map((range) => range.key)]);
      const etags = Object.fromEntries(Object.entries(dependencies).filter(([key]) => keys.has(key)));
      return {
        format: this.handler.name,
        dataset: { storeUrl: this.store.url, key: this.key },
        index: position,
        total: plans.length,
        strategy,
        etags,
        ...plan,
      };
    });
  }

  /** The records of one partition. */
  read<TRecord = unknown>(partition: Partition): AsyncIterable<TRecord> {
    return read<TRecord>(partition, { store: this.store, signal: this.options.signal });
  }

  /** The records of one partition as Arrow record batches. */
  readBatches(partition: Partition): AsyncIterable<RecordBatch> {
    return readBatches(partition, { store: this.store, signal: this.options.signal });
  }

  /** One partition as a stand-alone file (or file set) in the dataset's format. */
  toFile(partition: Partition): Promise<PartitionFile[]> {
    return toFile(partition, { store: this.store, signal: this.options.signal });
  }

  /** Closes the store if `openDataset` opened it. */
  async close(): Promise<void> {
    if (!this.options.store) await this.store.close();
  }

  async #dependencies(): Promise<Record<string, string> | undefined> {
    await this.index();
    return this.#sidecarDependencies;
  }

  async #loadOrBuild(): Promise<JsonObject> {
    if (!this.options.reindex) {
      const verdict = await loadSidecar(this.store, this.key, this.handler);
      if (verdict.usable) {
        this.#origin = 'sidecar';
        this.#sidecarDependencies = verdict.sidecar.dependencies;
        return verdict.sidecar.index;
      }
      this.#staleReason = verdict.reason;
    }
    const source = new DatasetSource(this.store, this.key, {
      onProgress: this.options.onProgress,
      signal: this.options.signal,
    });
    const index = await this.handler.index(source);
    this.#sidecarDependencies = source.versions();
    if (!this.options.readOnly) {
      try {
        await saveSidecar(this.store, this.key, newSidecar(this.handler, index, this.#sidecarDependencies));
      } catch (error) {
        // A store we may read but not write (a shared archive): the index serves this object only.
        if (!(error instanceof AccessDeniedError)) throw error;
      }
    }
    this.#origin = 'built';
    return index;
  }
}

/**
 * Opens a dataset: `s3://bucket/dir/file.bam`, `file:///dir/file.fastq.gz`, `/dir/store.zarr`.
 * Detects the format from the first bytes (or checks the declared one); the index pass runs on
 * the first `index()` or `partition()`.
 */
export async function openDataset(url: string, options: OpenDatasetOptions = {}): Promise<Dataset> {
  let store: ObjectStore;
  let key: string;
  if (options.store) {
    store = options.store;
    key = url.replace(/^\/+|\/+$/g, '');
  } else {
    const location = splitDatasetUrl(url);
    store = openStore(location.storeUrl, options.storeOptions);
    key = location.key;
  }
  try {
    const handler = await detectFormat(await probeDataset(store, key), options.format);
    return new Dataset(store, key, handler, options);
  } catch (error) {
    if (!options.store) await store.close();
    throw error;
  }
}
