/** Stable machine-readable codes of every error `@isthmus/vectors` raises. */
export type VectorsErrorCode =
  | 'ERR_VECTORS_DIMENSION_MISMATCH'
  | 'ERR_VECTORS_EMBEDDER_MISMATCH'
  | 'ERR_VECTORS_EMPTY_DOCUMENT'
  | 'ERR_VECTORS_BINARY_DOCUMENT'
  | 'ERR_VECTORS_INVALID_UTF8'
  | 'ERR_VECTORS_UNSUPPORTED_DOCUMENT'
  | 'ERR_VECTORS_MALFORMED_DOCUMENT'
  | 'ERR_VECTORS_BAD_EMBEDDINGS'
  | 'ERR_VECTORS_ENDPOINT'
  | 'ERR_VECTORS_MODEL'
  | 'ERR_VECTORS_READ_ONLY_STORE'
  | 'ERR_VECTORS_NO_CONDITIONAL_PUT'
  | 'ERR_VECTORS_COMMIT_CONFLICT'
  | 'ERR_VECTORS_TABLE_NOT_FOUND'
  | 'ERR_VECTORS_STORE_UNREACHABLE'
  | 'ERR_VECTORS_INVALID_ARGUMENT'
  | 'ERR_VECTORS_MISSING_INDEX';

/** Base class of all vectors errors; `code` is stable across releases, `message` is for people. */
export abstract class VectorsError extends Error {
  abstract readonly code: VectorsErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Vectors of one dimension meet a table, index or query of another (e.g. another embedder's table). */
export class DimensionMismatchError extends VectorsError {
  readonly code = 'ERR_VECTORS_DIMENSION_MISMATCH';
}

/** A table's vectors come from another model than the embedder given (same dimension, different `modelId`). */
export class EmbedderMismatchError extends VectorsError {
  readonly code = 'ERR_VECTORS_EMBEDDER_MISMATCH';
}

/** A document has no text to embed (empty, or only whitespace/markup). */
export class EmptyDocumentError extends VectorsError {
  readonly code = 'ERR_VECTORS_EMPTY_DOCUMENT';
}

/** A document is binary (NUL bytes or mostly control characters), not text. */
export class BinaryDocumentError extends VectorsError {
  readonly code = 'ERR_VECTORS_BINARY_DOCUMENT';
}

/** A text document's bytes are not valid UTF-8. */
export class InvalidUtf8Error extends VectorsError {
  readonly code = 'ERR_VECTORS_INVALID_UTF8';
}

/** A document of a kind ingest cannot read (by its name and first bytes). */
export class UnsupportedDocumentError extends VectorsError {
  readonly code = 'ERR_VECTORS_UNSUPPORTED_DOCUMENT';
}

/**
 * A JSONL or CSV document without the shape asked for: a line that is not JSON, a text field
 * that is not a string, a CSV without the text column.
 */
export class MalformedDocumentError extends VectorsError {
  readonly code = 'ERR_VECTORS_MALFORMED_DOCUMENT';
}

/** An embedder answered with the wrong number of vectors, the wrong dimension, or non-finite values (NaN, ∞). */
export class BadEmbeddingsError extends VectorsError {
  readonly code = 'ERR_VECTORS_BAD_EMBEDDINGS';
}

/** An embeddings endpoint failed after its retries, or refused the request (4xx other than 429). */
export class EndpointError extends VectorsError {
  readonly code = 'ERR_VECTORS_ENDPOINT';
  /** The last HTTP status, when the endpoint answered. */
  readonly status: number | undefined;

  constructor(message: string, options?: { cause?: unknown; status?: number }) {
    super(message, options);
    this.status = options?.status;
  }
}

/** A model cannot be loaded: missing or unreadable files, an ONNX graph without the expected inputs/outputs. */
export class ModelError extends VectorsError {
  readonly code = 'ERR_VECTORS_MODEL';
}

/** The table's store refuses writes (permissions, a read-only mount or bucket policy). */
export class ReadOnlyStoreError extends VectorsError {
  readonly code = 'ERR_VECTORS_READ_ONLY_STORE';
}

/**
 * The store does not honour conditional PUTs (`If-None-Match`/`If-Match`), so concurrent writers
 * cannot be serialised safely; ingest refuses unless told it is the only writer.
 */
export class NoConditionalPutError extends VectorsError {
  readonly code = 'ERR_VECTORS_NO_CONDITIONAL_PUT';
}

/** A commit still conflicted with concurrent writers after every retry. */
export class CommitConflictError extends VectorsError {
  readonly code = 'ERR_VECTORS_COMMIT_CONFLICT';
}

/** The table's store cannot be reached (no server at the endpoint, a name that does not resolve) after LanceDB's retries. */
export class StoreUnreachableError extends VectorsError {
  readonly code = 'ERR_VECTORS_STORE_UNREACHABLE';
}

/** No table at the URL. */
export class TableNotFoundError extends VectorsError {
  readonly code = 'ERR_VECTORS_TABLE_NOT_FOUND';
}

/** An option or argument out of its domain (a chunk size of 0, k < 1, an unknown embedder kind…). */
export class InvalidArgumentError extends VectorsError {
  readonly code = 'ERR_VECTORS_INVALID_ARGUMENT';
}

/** A search needs an index the table lacks (full-text search without a full-text index). */
export class MissingIndexError extends VectorsError {
  readonly code = 'ERR_VECTORS_MISSING_INDEX';
}
