// @isthmus/vectors: embeddings into LanceDB tables on object storage or a file system.
export {
  type CommitOptions,
  type CommitResult,
  checkCommitPath,
  commitChunks,
  retryingConflicts,
  underCommitLock,
} from './commit/commit-chunks.js';
export { CommitLock, type CommitLockOptions, commitLockKey } from './commit/commit-lock.js';
export {
  type CompactOptions,
  type CompactReport,
  compactTable,
} from './commit/compact-table.js';
export { probeConditionalPut } from './commit/conditional-put-probe.js';
export { chunkId } from './documents/chunk-id.js';
export { type ChunkingOptions, DEFAULT_MAX_CHARS, DEFAULT_OVERLAP_CHARS } from './documents/chunk-text.js';
export { type ChunkUnitOptions, chunkUnit } from './documents/chunk-unit.js';
export type { DocumentKind, DocumentPart, DocumentUnit, TextChunk } from './documents/document-unit.js';
export { DEFAULT_MAX_UNIT_BYTES, type PlanOptions, planDocuments } from './documents/plan-documents.js';
export { checkEmbeddings, type Embedder } from './embedders/embedder.js';
export {
  createEmbedder,
  type EmbedderSpec,
  type OnnxSpec,
  type OpenAiSpec,
  type WordVectorsSpec,
} from './embedders/embedder-spec.js';
export { OnnxEmbedder } from './embedders/onnx/onnx-embedder.js';
export { type OpenAiConnectOptions, OpenAiEmbedder } from './embedders/openai/openai-embedder.js';
export { type PreparedWordVectors, prepareWordVectors } from './embedders/word-vectors/word-vector-cache.js';
export { WORD_VECTORS_MODEL_ID, WordVectorEmbedder } from './embedders/word-vectors/word-vector-embedder.js';
export * from './errors.js';
export type { EmbedUnitRequest, StagedBatch, UnitChunking } from './functions/embed-unit.js';
export {
  VECTOR_FUNCTIONS_EXTERNALS,
  type VectorFunctionsBundleOptions,
  vectorFunctionsBundle,
  vectorFunctionsEntry,
} from './functions/vector-functions-bundle.js';
export { type BuildIndexesOptions, buildIndexes } from './indexes/build-indexes.js';
export type { BuiltIndex, IndexReport, IndexSettings, SkippedIndex } from './indexes/build-indexes-here.js';
export { MIN_INDEXED_ROWS, type VectorIndexKind } from './indexes/vector-index-plan.js';
export {
  type IngestOptions,
  type IngestProgress,
  type IngestReport,
  ingest,
} from './ingest/ingest.js';
export { search } from './search/search.js';
export {
  SEARCH_MODES,
  type SearchHit,
  type SearchMode,
  type SearchOptions,
  type VectorSearchTuning,
} from './search/search-options.js';
export { type EmbeddingsEndpointOptions, embeddingsEndpoint } from './server/embeddings-endpoint.js';
export { type KMeansOptions, trainKMeans } from './shards/kmeans.js';
export { type SearchShardsOptions, searchShards } from './shards/search-shards.js';
export { type ShardRecall, shardRecall } from './shards/shard-recall.js';
export { readShardSet, type ShardInfo, type ShardingKind, type ShardSet } from './shards/shard-set.js';
export { type ShardTableOptions, shardTable } from './shards/shard-table.js';
export { chunkBatch } from './table/chunk-batch.js';
export { type ChunkRow, chunkSchema, type TableEmbedderInfo } from './table/chunk-schema.js';
export { locateTable, type TableConnectionOptions, type TableLocation } from './table/table-location.js';
export { type OpenTableOptions, VectorTable } from './table/vector-table.js';
