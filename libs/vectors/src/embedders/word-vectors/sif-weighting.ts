/**
 * SIF's smoothing constant `a` in the weight `a / (a + p(w))` (Arora, Liang & Ma 2017, "A simple
 * but tough-to-beat baseline for sentence embeddings", who found 1e-4…1e-3 best). Part of the
 * model id: changing it changes every vector.
 */
export const SIF_SMOOTHING = 1e-3;

/**
 * Each word's probability `p(w)` estimated from its frequency rank, as the vocabulary comes
 * sorted by frequency and carries no counts: Zipf's law with exponent 1,
 * `p(rank r) = 1 / (r · H_N)` for r = 1…N, where `H_N = 1 + 1/2 + … + 1/N` makes them sum to 1.
 * For the wink vectors (N = 341,479, H_N ≈ 13.3): p("the") ≈ 0.075, p(rank 1000) ≈ 7.5e-5.
 */
export function zipfProbabilities(count: number): Float64Array {
  let harmonic = 0;
  for (let rank = count; rank >= 1; rank--) harmonic += 1 / rank;
  const probabilities = new Float64Array(count);
  for (let row = 0; row < count; row++) probabilities[row] = 1 / ((row + 1) * harmonic);
  return probabilities;
}

/**
 * Smooth-inverse-frequency weights `a / (a + p(w))` of the `count` words of a vocabulary sorted by
 * frequency, `p` from `zipfProbabilities`: about 0.013 for "the", 0.5 at rank ~75, 0.93 at rank
 * 1000, → 1 for rare words.
 */
export function sifWeights(count: number, smoothing = SIF_SMOOTHING): Float64Array {
  const weights = zipfProbabilities(count);
  for (let row = 0; row < count; row++) weights[row] = smoothing / (smoothing + weights[row]!);
  return weights;
}

/**
 * The direction SIF removes from every passage vector ("the common discourse vector"), as a unit
 * vector. Arora et al. take the first principal component of the SIF averages of a corpus's
 * sentences; with no corpus at hand we take the expected SIF average of words drawn by frequency,
 * `μ = Σ p(w) · a/(a + p(w)) · v(w)`. For bags of n words drawn so, the (uncentred) second moment of
 * their averages is `μμᵀ + (E[ω²vvᵀ] − μμᵀ)/n`, whose leading eigenvector tends to μ as n grows:
 * for the wink vectors its cosine with μ is 0.9986 at n = 5 and 0.9999 at n = 20.
 * @param vectorOf the vector of row `row` (rows sorted by frequency)
 */
export function commonDirection(
  count: number,
  dimension: number,
  vectorOf: (row: number) => ArrayLike<number>,
): Float32Array {
  const probabilities = zipfProbabilities(count);
  const weights = sifWeights(count);
  const sum = new Float64Array(dimension);
  for (let row = 0; row < count; row++) {
    const scale = probabilities[row]! * weights[row]!;
    const vector = vectorOf(row);
    for (let d = 0; d < dimension; d++) sum[d] = sum[d]! + scale * vector[d]!;
  }
  const length = Math.hypot(...sum);
  return Float32Array.from(sum, (value) => (length > 0 ? value / length : 0));
}
