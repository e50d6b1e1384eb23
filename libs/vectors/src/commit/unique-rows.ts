import type { Table as ArrowTable } from 'apache-arrow';
import { chunkBatch } from '../table/chunk-batch.js';
import type { ChunkRow, TableEmbedderInfo } from '../table/chunk-schema.js';

/**
 * The rows of `data` with each id once (its first row): `mergeInsert` would insert every copy of
 * an id that repeats within its input. `data` itself when no id repeats.
 */
export function uniqueRows(data: ArrowTable, embedder: TableEmbedderInfo): ArrowTable {
  const ids = data.getChild('id')!.toArray() as string[];
  if (new Set(ids).size === ids.length) return data;
  const seen = new Set<string>();
  const rows: ChunkRow[] = [];
  for (const row of data) {
    if (seen.has(row.id)) continue;
    seen.add(row.id);
    rows.push({ ...row.toJSON(), vector: row.vector.toArray() } as ChunkRow);
  }
  return new (data.constructor as new (batches: unknown[]) => ArrowTable)([chunkBatch(rows, embedder)]);
}
