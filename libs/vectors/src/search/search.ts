import { InvalidArgumentError } from '../errors.js';
import { VectorTable } from '../table/vector-table.js';
import { embedQuery } from './query-embedder.js';
import { fuseByReciprocalRank } from './reciprocal-rank-fusion.js';
import {
  checkedK,
  checkedQuery,
  SEARCH_MODES,
  type SearchHit,
  type SearchOptions,
} from './search-options.js';
import { searchText, searchVector } from './table-queries.js';

/**
 * Searches the table at `table` for `query`: by the cosine similarity of its embedding (`vector`,
 * the default), by BM25 (`fts`), or both fused by reciprocal rank (`hybrid`), each over the rows
 * `filter` admits. Best hit first.
 * @throws {InvalidArgumentError} k < 1 or an empty query.
 * @throws {TableNotFoundError} no vectors table at the URL.
 * @throws {DimensionMismatchError} / {EmbedderMismatchError} the embedder is not the table's model.
 * @throws {MissingIndexError} `fts`/`hybrid` on a table without a full-text index.
 */
export async function search(
  table: string,
  query: string,
  options: SearchOptions = {},
): Promise<SearchHit[]> {
  const k = checkedK(options.k);
  checkedQuery(query);
  const mode = options.mode ?? 'vector';
  if (!SEARCH_MODES.includes(mode)) {
    throw new InvalidArgumentError(
      `unknown search mode ${JSON.stringify(mode)} (${SEARCH_MODES.join(', ')})`,
    );
  }
  const opened = await VectorTable.open(table, { s3: options.s3 });
  try {
    const queryOptions = { k, filter: options.filter, tuning: options.tuning };
    if (mode === 'fts') return await searchText(opened, query, queryOptions);
    const vector = await embedQuery(opened.location.url, opened.embedder, query, options.embedder);
    if (mode === 'vector') return await searchVector(opened, vector, queryOptions);
    // Each ranking looks deeper than k, so a hit ranked moderately by both can surface.
    const depth = { ...queryOptions, k: Math.max(50, 4 * k) };
    const [byVector, byText] = await Promise.all([
      searchVector(opened, vector, depth),
      searchText(opened, query, depth),
    ]);
    return fuseByReciprocalRank([byVector, byText], k);
  } finally {
    opened.close();
  }
}
