// @isthmus/partition: the core. Every built-in format is known here and loaded on first use; the
// families' record and strategy types come from their subpaths (`@isthmus/partition/genomics`, …).

// Datasets: open one, index it once, cut it into partitions.
export { Dataset, type IndexOrigin, type OpenDatasetOptions, openDataset } from './dataset.js';
// Formats: the plug-in interface and the registry every format joins.
export { DatasetSource, type DatasetSourceOptions, type ReadProgress } from './dataset-source.js';
// Errors: one class per failure, each with a stable `code`.
export {
  CorruptDataError,
  DataError,
  type DataLocation,
  FormatMismatchError,
  FormatRegistrationError,
  InconsistentDataError,
  InvalidIndexError,
  InvalidStrategyError,
  MissingPartError,
  NotColumnarError,
  PairMismatchError,
  PartitionError,
  type PartitionErrorCode,
  StaleDatasetError,
  TrailingDataError,
  TruncatedDataError,
  UnknownFormatError,
  UnsupportedStrategyError,
} from './errors.js';
export type { AnyFormatHandler, FormatHandler, FormatProbe, IndexSummary } from './format-handler.js';
export { findFormat, listFormats, registerFormat } from './format-registry.js';
// The library's own passes as functions (`@isthmus/partition/functions`).
export { partitionFunctionsEntry } from './functions/entry.js';
// Strategies: the generic three every format has; families add their own.
export { GENERIC_STRATEGIES } from './generic-strategies.js';
export type { PartitionPlan, PartitionRange } from './partition.js';
// Partitions: plain JSON, read by any function anywhere.
export {
  type Json,
  type JsonObject,
  type Partition,
  type PartitionFile,
  partitionBytes,
} from './partition.js';
export { type ReadPartitionOptions, read, readBatches, toFile } from './read-partition.js';
export type {
  BytesStrategy,
  CountStrategy,
  GenericStrategy,
  RecordsStrategy,
  Strategy,
  StrategyDefinition,
} from './strategy.js';
