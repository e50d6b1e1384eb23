// @isthmus/vectors: embeddings into LanceDB tables on object storage or a file system.
export { checkEmbeddings, type Embedder } from './embedders/embedder.js';
export {
  createEmbedder,
  type EmbedderSpec,
  type OnnxSpec,
  type OpenAiSpec,
  type WordVectorsSpec,
} from './embedders/embedder-spec.js';
export * from './errors.js';
export { type ChunkRow, chunkSchema, type TableEmbedderInfo } from './table/chunk-schema.js';
export { locateTable, type TableConnectionOptions, type TableLocation } from './table/table-location.js';
export { type OpenTableOptions, VectorTable } from './table/vector-table.js';
