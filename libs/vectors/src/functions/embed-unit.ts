import { createHash } from 'node:crypto';
import { type ObjectStore, openStore } from '@isthmus/storage';
import { type ChunkUnitOptions, chunkUnit } from '../documents/chunk-unit.js';
import type { DocumentUnit, TextChunk } from '../documents/document-unit.js';
import type { Embedder } from '../embedders/embedder.js';
import { createEmbedder, type EmbedderSpec } from '../embedders/embedder-spec.js';
import { batchesToIpc, chunkBatch } from '../table/chunk-batch.js';
import type { ChunkRow } from '../table/chunk-schema.js';

/** Input of `embedUnit`. */
export interface EmbedUnitRequest {
  /** The document (or part of one) to read. */
  unit: DocumentUnit;
  /** The model to embed with. */
  embedder: EmbedderSpec;
  /** How to cut the text into chunks (and which JSONL field / CSV column holds it). */
  chunking?: UnitChunking;
  /** Store URL of the staging folder the rows go to (`<database>/_isthmus/<table>/staging`). */
  stagingUrl: string;
}

/** How `embedUnit` cuts a unit into chunks: `chunkUnit`'s options but the S3 connection (workers use their environment). */
export type UnitChunking = Omit<ChunkUnitOptions, 's3'>;

/** What `embedUnit` staged: small JSON, the rows themselves stay in the store. */
export interface StagedBatch {
  /** Key of the Arrow IPC object in the staging store. */
  key: string;
  /** Rows in it. */
  rows: number;
  /** Chunks the unit was cut into (= rows). */
  chunks: number;
}

/** Texts embedded per call of the embedder. */
const EMBED_BATCH = 256;

const embedders = new Map<string, Promise<Embedder>>();
const stores = new Map<string, ObjectStore>();

/**
 * Reads one document unit, cuts it into chunks, embeds them and stages the rows as ONE Arrow IPC
 * object (schema `chunkSchema`) in the staging store. Its key is a hash of the unit (which pins
 * the document's etag), the model and the chunking, so a retried or re-run task rewrites the same
 * object instead of leaving another. The embedder is built once per worker process.
 */
export async function embedUnit(request: EmbedUnitRequest): Promise<StagedBatch> {
  const embedder = await embedderFor(request.embedder);
  const info = { modelId: embedder.modelId, dimension: embedder.dimension };
  const rows: ChunkRow[] = [];
  let pending: TextChunk[] = [];
  const flush = async () => {
    const vectors = await embedder.embed(pending.map((chunk) => chunk.text));
    for (const [at, chunk] of pending.entries()) rows.push({ ...chunk, vector: vectors[at]! });
    pending = [];
  };
  for await (const chunk of chunkUnit(request.unit, request.chunking)) {
    pending.push(chunk);
    if (pending.length >= EMBED_BATCH) await flush();
  }
  if (pending.length > 0) await flush();
  const key = `${stagingKey(request)}.arrow`;
  await storeFor(request.stagingUrl).put(key, batchesToIpc([chunkBatch(rows, info)]));
  return { key, rows: rows.length, chunks: rows.length };
}

function stagingKey(request: EmbedUnitRequest): string {
  const identity = JSON.stringify([request.unit, request.embedder, request.chunking ?? {}]);
  return createHash('sha256').update(identity).digest('hex').slice(0, 32);
}

/** The embedder of `spec`, made once per process. */
export function embedderFor(spec: EmbedderSpec): Promise<Embedder> {
  const id = JSON.stringify(spec);
  let embedder = embedders.get(id);
  if (!embedder) {
    embedder = createEmbedder(spec);
    embedders.set(id, embedder);
    embedder.catch(() => embedders.delete(id));
  }
  return embedder;
}

function storeFor(url: string): ObjectStore {
  let store = stores.get(url);
  if (!store) {
    store = openStore(url);
    stores.set(url, store);
  }
  return store;
}
