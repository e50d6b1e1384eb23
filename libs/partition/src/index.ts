export { Dataset, type IndexOrigin, type OpenDatasetOptions, openDataset } from './dataset.js';
export { DatasetSource, type DatasetSourceOptions, type ReadProgress } from './dataset-source.js';
export { type DatasetLocation, splitDatasetUrl } from './dataset-url.js';
export { detectFormat, probeDataset } from './detect-format.js';
export {
  CorruptDataError,
  DataError,
  type DataLocation,
  FormatMismatchError,
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
export type {
  AnyFormatHandler,
  FormatFamily,
  FormatHandler,
  FormatProbe,
  IndexSummary,
} from './format-handler.js';
export type { ZarrChunk } from './formats/array/zarr-read.js';
export type { AlignmentRecord } from './formats/genomics/alignment-record.js';
export type { FastaPiece } from './formats/genomics/fasta-read.js';
export type { FastqRecord } from './formats/genomics/fastq.js';
export type { VcfRecord } from './formats/genomics/vcf.js';
export type { Pixel } from './formats/mass-spec/imzml-pixels.js';
export type { Spectrum } from './formats/mass-spec/mzml-spectrum.js';
export type { LasPoint } from './formats/point-cloud/las-point.js';
export type { RasterBlock } from './formats/raster/raster-read.js';
export { FORMATS, formatByName } from './formats/registry.js';
export type { CsvRow } from './formats/text/csv.js';
export { partitionFunctionsEntry } from './functions/entry.js';
export type { DatasetRequest, IndexReport } from './functions/partition-functions.js';
export {
  type Json,
  type JsonObject,
  type Partition,
  type PartitionFile,
  type PartitionPlan,
  type PartitionRange,
  partitionBytes,
} from './partition.js';
export { partitionSource, type ReadPartitionOptions, read, readBatches, toFile } from './read-partition.js';
export {
  type Checkpoint,
  type CheckpointSpan,
  checkpointSpan,
  planRecordIntervals,
  type RecordInterval,
  type RecordLayout,
} from './record-intervals.js';
export { SIDECAR_SUFFIX, type SidecarIndex, sidecarKey } from './sidecar-index.js';
export {
  type BoundingBoxStrategy,
  type BytesStrategy,
  type ChunksStrategy,
  type CountStrategy,
  GENERIC_STRATEGIES,
  type PixelsStrategy,
  type RecordsStrategy,
  type RegionStrategy,
  type SpectraStrategy,
  type Strategy,
  type StrategyName,
  type TilesStrategy,
  validateStrategy,
} from './strategy.js';
export { parseStrategy } from './strategy-text.js';
