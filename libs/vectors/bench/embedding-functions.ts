// The function the embedding benchmark runs on the faas local backend: embed a slice of the corpus
// with the default model, as an ingest function embeds the chunks of the unit it reads itself.
import { WordVectorEmbedder } from '../src/embedders/word-vectors/word-vector-embedder.js';
import { corpusChunk } from './embedding-corpus.js';

/** Embeds corpus chunks `first`…`first + count - 1`; answers the vectors packed one after another (Float32). */
export async function embedCorpusSlice(slice: { first: number; count: number }): Promise<Uint8Array> {
  const embedder = await WordVectorEmbedder.load();
  const texts = Array.from({ length: slice.count }, (_, i) => corpusChunk(slice.first + i));
  const vectors = await embedder.embed(texts);
  const packed = new Float32Array(vectors.length * embedder.dimension);
  vectors.forEach((vector, i) => {
    packed.set(vector, i * embedder.dimension);
  });
  return new Uint8Array(packed.buffer);
}
