import { BadEmbeddingsError } from '../errors.js';

/**
 * Turns texts into vectors: one `Float32Array` of `dimension` finite numbers per text, in order.
 * Every embedder (word vectors, ONNX, an OpenAI-compatible endpoint) implements this.
 */
export interface Embedder {
  /** Names the model and its settings; tables record it, so vectors of two models never mix. */
  readonly modelId: string;
  /** The length of every vector. */
  readonly dimension: number;
  /** Embeds `texts` (any number; the embedder batches as it needs). */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  /** Releases models, sessions or sockets. */
  close?(): Promise<void>;
}

/**
 * Checks an embedder's answer: as many vectors as texts, each of `dimension` finite numbers.
 * @throws {BadEmbeddingsError} naming the model and the first offending vector.
 */
export function checkEmbeddings(
  modelId: string,
  dimension: number,
  texts: readonly string[],
  vectors: readonly Float32Array[],
): Float32Array[] {
  if (vectors.length !== texts.length) {
    throw new BadEmbeddingsError(`${modelId} returned ${vectors.length} vectors for ${texts.length} texts`);
  }
  vectors.forEach((vector, index) => {
    if (vector.length !== dimension) {
      throw new BadEmbeddingsError(
        `${modelId} returned a vector of ${vector.length} numbers for text ${index}, expected ${dimension}`,
      );
    }
    for (const value of vector) {
      if (!Number.isFinite(value)) {
        throw new BadEmbeddingsError(`${modelId} returned a non-finite value (${value}) for text ${index}`);
      }
    }
  });
  return [...vectors];
}
