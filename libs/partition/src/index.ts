// @isthmus/partition, the core: datasets (open, index once, partition), partitions (plain JSON,
// read by any function anywhere), strategies (the generic three; families add their own), the
// format plug-in interface with its registry, and the errors. Every built-in format is known here
// and loaded on first use; a family's record and strategy types come from its subpath
// (`@isthmus/partition/genomics`, `/text`, `/point-cloud`, `/raster`, `/mass-spec`, `/array`).
export { Dataset, type IndexOrigin, type OpenDatasetOptions, openDataset } from './dataset.js';
export { DatasetSource, type DatasetSourceOptions, type ReadProgress } from './dataset-source.js';
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
export { partitionFunctionsEntry } from './functions/entry.js';
export { GENERIC_STRATEGIES } from './generic-strategies.js';
export type { Json, JsonObject } from './json.js';
export {
  type Partition,
  type PartitionFile,
  type PartitionPlan,
  type PartitionRange,
  partitionBytes,
} from './partition.js';
export { type ReadPartitionOptions, read, readBatches, toFile } from './read-partition.js';
export { SIDECAR_SUFFIX } from './sidecar-index.js';
export type {
  BytesStrategy,
  CountStrategy,
  GenericStrategy,
  RecordsStrategy,
  Strategy,
  StrategyDefinition,
} from './strategy.js';
