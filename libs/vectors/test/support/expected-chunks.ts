import type { S3ConnectionOptions } from '@isthmus/storage';
import { chunkUnit } from '../../src/documents/chunk-unit.js';
import { planDocuments } from '../../src/documents/plan-documents.js';

/** The ids of every chunk of the documents under `source`, read in this process (the oracle of ingest tests). */
export async function expectedChunkIds(source: string, s3?: S3ConnectionOptions): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const unit of await planDocuments(source, { s3 })) {
    for await (const chunk of chunkUnit(unit, { s3 })) ids.add(chunk.id);
  }
  return ids;
}
