/** How a model's token vectors become one vector per text. */
export type Pooling = 'mean' | 'cls';

/**
 * Pools token vectors laid out `[batch, sequence, dimension]` into one vector per text: the mean of
 * the positions whose `mask` is 1 (padding excluded), or the first position (`[CLS]`).
 */
export function poolTokens(
  tokens: Float32Array,
  mask: ArrayLike<number>,
  shape: { batch: number; sequence: number; dimension: number },
  pooling: Pooling,
): Float32Array[] {
  const { batch, sequence, dimension } = shape;
  return Array.from({ length: batch }, (_, text) => {
    const pooled = new Float32Array(dimension);
    const sums = new Float64Array(dimension);
    const first = text * sequence;
    if (pooling === 'cls') {
      pooled.set(tokens.subarray(first * dimension, (first + 1) * dimension));
      return pooled;
    }
    let count = 0;
    for (let position = 0; position < sequence; position++) {
      if (mask[first + position] !== 1) continue;
      count++;
      const offset = (first + position) * dimension;
      for (let d = 0; d < dimension; d++) sums[d]! += tokens[offset + d]!;
    }
    for (let d = 0; d < dimension; d++) pooled[d] = count > 0 ? sums[d]! / count : 0;
    return pooled;
  });
}

/** Scales `vector` in place to unit Euclidean length (a zero vector stays zero) and returns it. */
export function normalizeL2(vector: Float32Array): Float32Array {
  let squares = 0;
  for (const value of vector) squares += value * value;
  const norm = Math.sqrt(squares);
  if (norm > 0) for (let d = 0; d < vector.length; d++) vector[d]! /= norm;
  return vector;
}
