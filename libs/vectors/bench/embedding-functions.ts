// The functions the embedding benchmark runs on the faas local backend: embed a batch of texts
// with the default model, as an ingest function would.
import { WordVectorEmbedder } from '../src/embedders/word-vectors/word-vector-embedder.js';

/** Embeds `texts` with the default model; answers the vectors packed one after another (Float32, little endian). */
export async function embedTexts(texts: string[]): Promise<Uint8Array> {
  const embedder = await WordVectorEmbedder.load();
  const vectors = await embedder.embed(texts);
  const packed = new Float32Array(vectors.length * embedder.dimension);
  vectors.forEach((vector, i) => {
    packed.set(vector, i * embedder.dimension);
  });
  return new Uint8Array(packed.buffer);
}
