/** Stable machine-readable codes of every error `@isthmus/partition` raises. */
export type PartitionErrorCode =
  | 'ERR_PARTITION_UNKNOWN_FORMAT'
  | 'ERR_PARTITION_FORMAT_MISMATCH'
  | 'ERR_PARTITION_TRUNCATED'
  | 'ERR_PARTITION_CORRUPT'
  | 'ERR_PARTITION_TRAILING_DATA'
  | 'ERR_PARTITION_INCONSISTENT'
  | 'ERR_PARTITION_PAIR_MISMATCH'
  | 'ERR_PARTITION_MISSING_PART'
  | 'ERR_PARTITION_STALE'
  | 'ERR_PARTITION_UNSUPPORTED_STRATEGY'
  | 'ERR_PARTITION_INVALID_STRATEGY'
  | 'ERR_PARTITION_INVALID_INDEX'
  | 'ERR_PARTITION_NOT_COLUMNAR'
  | 'ERR_PARTITION_FORMAT_REGISTRATION';

/** Base class of all partition errors; `code` is stable across releases, `message` is for people. */
export abstract class PartitionError extends Error {
  abstract readonly code: PartitionErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Where in which object a data error was found. */
export interface DataLocation {
  /** The key of the object, relative to the dataset's store. */
  key: string;
  /** The byte offset in that object (in the compressed bytes for compressed files), if known. */
  offset?: number;
}

function at(location: DataLocation): string {
  return location.offset === undefined ? location.key : `${location.key} at byte ${location.offset}`;
}

/** Base class of errors about the content of a data object; says which object and where. */
export abstract class DataError extends PartitionError {
  readonly key: string;
  readonly offset: number | undefined;

  constructor(location: DataLocation, detail: string, options?: { cause?: unknown }) {
    super(`${at(location)}: ${detail}`, options);
    this.key = location.key;
    this.offset = location.offset;
  }
}

/** No known format matches the object's first bytes and name. */
export class UnknownFormatError extends DataError {
  readonly code = 'ERR_PARTITION_UNKNOWN_FORMAT';
}

/** The object is not in the format the caller declared. */
export class FormatMismatchError extends DataError {
  readonly code = 'ERR_PARTITION_FORMAT_MISMATCH';
}

/** The data ends in the middle of a record, block or structure. */
export class TruncatedDataError extends DataError {
  readonly code = 'ERR_PARTITION_TRUNCATED';
}

/** A block or record cannot be decoded (bad checksum, bad compressed stream, malformed record). */
export class CorruptDataError extends DataError {
  readonly code = 'ERR_PARTITION_CORRUPT';
}

/** Bytes follow the last valid record or block of the format. */
export class TrailingDataError extends DataError {
  readonly code = 'ERR_PARTITION_TRAILING_DATA';
}

/** A header or index disagrees with the data it describes (e.g. a point count that lies). */
export class InconsistentDataError extends DataError {
  readonly code = 'ERR_PARTITION_INCONSISTENT';
}

/** Two objects that belong together do not match (e.g. an imzML whose .ibd has another UUID). */
export class PairMismatchError extends DataError {
  readonly code = 'ERR_PARTITION_PAIR_MISMATCH';
}

/** An object the dataset needs (a Zarr chunk, an .ibd file, …) does not exist. */
export class MissingPartError extends DataError {
  readonly code = 'ERR_PARTITION_MISSING_PART';
}

/** The data changed after the index or the partition was made (its etag differs). */
export class StaleDatasetError extends DataError {
  readonly code = 'ERR_PARTITION_STALE';
}

/** The format does not offer the requested partitioning strategy. */
export class UnsupportedStrategyError extends PartitionError {
  readonly code = 'ERR_PARTITION_UNSUPPORTED_STRATEGY';
  constructor(
    readonly format: string,
    readonly strategy: string,
    readonly supported: readonly string[],
  ) {
    super(`format ${format} cannot be partitioned by ${strategy}; it supports: ${supported.join(', ')}`);
  }
}

/** A strategy with invalid parameters (a count of 0, a malformed region, an empty bounding box, …). */
export class InvalidStrategyError extends PartitionError {
  readonly code = 'ERR_PARTITION_INVALID_STRATEGY';
  constructor(detail: string) {
    super(`invalid partitioning strategy: ${detail}`);
  }
}

/** A sidecar index or a partition description that cannot be used (malformed, another version). */
export class InvalidIndexError extends PartitionError {
  readonly code = 'ERR_PARTITION_INVALID_INDEX';
  constructor(
    readonly key: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`unusable index ${key}: ${detail}`, options);
  }
}

/** The format has no columnar (Arrow) form; read its records with `read` instead. */
export class NotColumnarError extends PartitionError {
  readonly code = 'ERR_PARTITION_NOT_COLUMNAR';
  constructor(readonly format: string) {
    super(`format ${format} has no Arrow form; read its records with read()`);
  }
}

/** A format cannot be registered: its name is taken by another handler, or the handler is malformed. */
export class FormatRegistrationError extends PartitionError {
  readonly code = 'ERR_PARTITION_FORMAT_REGISTRATION';
  constructor(
    readonly format: string,
    detail: string,
  ) {
    super(`format ${format} cannot be registered: ${detail}`);
  }
}
