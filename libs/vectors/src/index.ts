// @isthmus/vectors: embeddings into LanceDB tables on object storage or a file system.

// vectors-rag exports ingest, buildIndexes, compactTable, search, embeddingsEndpoint and vectorFunctionsBundle
// for the RAG app, the CLI and the demo (the lead's index.ts supersedes this).
export { type CompactOptions, type CompactReport, compactTable } from './commit/compact-table.js';
export { checkEmbeddings, type Embedder } from './embedders/embedder.js';
export {
  createEmbedder,
  type EmbedderSpec,
  type OnnxSpec,
  type OpenAiSpec,
  type WordVectorsSpec,
} from './embedders/embedder-spec.js';
export * from './errors.js';
export { vectorFunctionsBundle } from './functions/vector-functions-bundle.js';
export { type BuildIndexesOptions, buildIndexes } from './indexes/build-indexes.js';
export type { BuiltIndex, IndexReport, SkippedIndex } from './indexes/build-indexes-here.js';
export type { VectorIndexKind } from './indexes/vector-index-plan.js';
export { type IngestOptions, type IngestProgress, type IngestReport, ingest } from './ingest/ingest.js';
export { search } from './search/search.js';
export {
  SEARCH_MODES,
  type SearchHit,
  type SearchMode,
  type SearchOptions,
} from './search/search-options.js';
export { type EmbeddingsEndpointOptions, embeddingsEndpoint } from './server/embeddings-endpoint.js';
export { type ChunkRow, chunkSchema, type TableEmbedderInfo } from './table/chunk-schema.js';
export { locateTable, type TableConnectionOptions, type TableLocation } from './table/table-location.js';
export { type OpenTableOptions, VectorTable } from './table/vector-table.js';
