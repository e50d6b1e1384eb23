import type { Embedder } from '../embedders/embedder.js';
import { createEmbedder, type EmbedderSpec } from '../embedders/embedder-spec.js';
import type { TableEmbedderInfo } from '../table/chunk-schema.js';
import { checkSameEmbedder } from '../table/vector-table.js';

/** The default query embedder: the offline word vectors. */
export const DEFAULT_EMBEDDER: EmbedderSpec = { kind: 'word-vectors' };

/**
 * Embeds `query` with the embedder given (a spec is built and closed again; a loaded embedder is
 * left open), after checking it is the model the table's vectors come from.
 * @throws {DimensionMismatchError} / {EmbedderMismatchError} another model than the table's.
 */
export async function embedQuery(
  url: string,
  recorded: TableEmbedderInfo,
  query: string,
  given: EmbedderSpec | Embedder = DEFAULT_EMBEDDER,
): Promise<Float32Array> {
  const loaded = isEmbedder(given);
  const embedder = loaded ? given : await createEmbedder(given);
  try {
    checkSameEmbedder(url, recorded, embedder);
    const [vector] = await embedder.embed([query]);
    return vector!;
  } finally {
    if (!loaded) await embedder.close?.();
  }
}

function isEmbedder(value: EmbedderSpec | Embedder): value is Embedder {
  return typeof (value as Embedder).embed === 'function';
}
