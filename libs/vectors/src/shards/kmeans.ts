/** Options of `trainKMeans`. */
export interface KMeansOptions {
  /** Clusters wanted (≥ 1). */
  k: number;
  /** Lloyd iterations at most (default 10); stops early when no assignment changes. */
  iterations?: number;
  /** Seed of the k-means++ draws (default 1), so the same sample gives the same centroids. */
  seed?: number;
}

/**
 * Spherical k-means (cosine similarity) over `count` vectors of `dimension` packed in `vectors`:
 * k-means++ seeding, then Lloyd iterations. Returns k unit-length centroids packed the same way.
 * Vectors are compared by direction only; zero vectors count as far from everything.
 */
export function trainKMeans(vectors: Float32Array, dimension: number, options: KMeansOptions): Float32Array {
  const count = vectors.length / dimension;
  const k = Math.min(options.k, count);
  const points = normalised(vectors, dimension);
  const random = mulberry32(options.seed ?? 1);
  const centroids = seedPlusPlus(points, dimension, k, random);
  const assignment = new Int32Array(count).fill(-1);
  for (let iteration = 0; iteration < (options.iterations ?? 10); iteration++) {
    let changed = 0;
    for (let i = 0; i < count; i++) {
      const nearest = nearestCentroid(centroids, dimension, points, i * dimension);
      if (assignment[i] !== nearest) changed++;
      assignment[i] = nearest;
    }
    if (changed === 0) break;
    const sums = new Float64Array(k * dimension);
    for (let i = 0; i < count; i++) {
      const base = assignment[i]! * dimension;
      for (let d = 0; d < dimension; d++) sums[base + d]! += points[i * dimension + d]!;
    }
    for (let c = 0; c < k; c++) {
      const sum = sums.subarray(c * dimension, (c + 1) * dimension);
      const norm = Math.hypot(...sum);
      // An emptied cluster keeps its centroid.
      if (norm > 0) for (let d = 0; d < dimension; d++) centroids[c * dimension + d] = sum[d]! / norm;
    }
  }
  return centroids;
}

/** The index of the centroid most similar (cosine) to the vector at `offset` of `vectors`. */
export function nearestCentroid(
  centroids: Float32Array,
  dimension: number,
  vectors: Float32Array,
  offset: number,
): number {
  let best = 0;
  let bestDot = Number.NEGATIVE_INFINITY;
  for (let c = 0; c * dimension < centroids.length; c++) {
    const dot = dotAt(centroids, c * dimension, vectors, offset, dimension);
    if (dot > bestDot) {
      bestDot = dot;
      best = c;
    }
  }
  return best;
}

/** Centroid indexes ordered by cosine similarity to `vector`, most similar first. */
export function centroidsBySimilarity(
  centroids: Float32Array,
  dimension: number,
  vector: Float32Array,
): number[] {
  const count = centroids.length / dimension;
  const dots = Array.from({ length: count }, (_, c) => dotAt(centroids, c * dimension, vector, 0, dimension));
  return dots.map((_, c) => c).sort((a, b) => dots[b]! - dots[a]! || a - b);
}

function dotAt(
  a: Float32Array,
  aOffset: number,
  b: Float32Array,
  bOffset: number,
  dimension: number,
): number {
  let dot = 0;
  for (let d = 0; d < dimension; d++) dot += a[aOffset + d]! * b[bOffset + d]!;
  return dot;
}

function normalised(vectors: Float32Array, dimension: number): Float32Array {
  const result = new Float32Array(vectors.length);
  for (let offset = 0; offset < vectors.length; offset += dimension) {
    const norm = Math.sqrt(dotAt(vectors, offset, vectors, offset, dimension));
    if (norm === 0) continue;
    for (let d = 0; d < dimension; d++) result[offset + d] = vectors[offset + d]! / norm;
  }
  return result;
}

/** k-means++: each next centroid drawn with probability ∝ (cosine distance to the nearest chosen one)². */
function seedPlusPlus(
  points: Float32Array,
  dimension: number,
  k: number,
  random: () => number,
): Float32Array {
  const count = points.length / dimension;
  const centroids = new Float32Array(k * dimension);
  const pick = (c: number, i: number) =>
    centroids.set(points.subarray(i * dimension, (i + 1) * dimension), c * dimension);
  pick(0, Math.floor(random() * count));
  const weight = new Float64Array(count).fill(Number.POSITIVE_INFINITY);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < count; i++) {
      const distance = 1 - dotAt(centroids, (c - 1) * dimension, points, i * dimension, dimension);
      weight[i] = Math.min(weight[i]!, distance * distance);
      total += weight[i]!;
    }
    let target = random() * total;
    let chosen = count - 1;
    for (let i = 0; i < count; i++) {
      target -= weight[i]!;
      if (target <= 0) {
        chosen = i;
        break;
      }
    }
    pick(c, chosen);
  }
  return centroids;
}

/** A small seeded PRNG (mulberry32): uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
