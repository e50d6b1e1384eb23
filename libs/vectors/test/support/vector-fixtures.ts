import type { S3ConnectionOptions } from '@isthmus/storage';
import { Table } from 'apache-arrow';
import type { Embedder } from '../../src/embedders/embedder.js';
import { chunkBatch } from '../../src/table/chunk-batch.js';
import type { TableEmbedderInfo } from '../../src/table/chunk-schema.js';
import { VectorTable } from '../../src/table/vector-table.js';

/** A seeded PRNG (mulberry32) and a normal draw from it, so test data is the same every run. */
export function seededRandom(seed: number): { uniform: () => number; normal: () => number } {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

/** `count` vectors of `dimension` around `clusters` random centres (noise σ relative to unit centres), packed. */
export function clusteredVectors(
  count: number,
  dimension: number,
  options: { clusters: number; noise: number; seed: number },
): Float32Array {
  const random = seededRandom(options.seed);
  const centres = Array.from({ length: options.clusters }, () =>
    Float32Array.from({ length: dimension }, () => random.normal() / Math.sqrt(dimension)),
  );
  const vectors = new Float32Array(count * dimension);
  for (let row = 0; row < count; row++) {
    const centre = centres[Math.floor(random.uniform() * options.clusters)]!;
    for (let d = 0; d < dimension; d++) {
      vectors[row * dimension + d] = centre[d]! + (options.noise * random.normal()) / Math.sqrt(dimension);
    }
  }
  return vectors;
}

/** Vector `row` of packed `vectors`. */
export function vectorAt(vectors: Float32Array, dimension: number, row: number): Float32Array {
  return vectors.subarray(row * dimension, (row + 1) * dimension);
}

/** The test's brute force: row indexes of the `k` most cosine-similar vectors (double precision), with similarities. */
export function bruteForceTopK(
  vectors: Float32Array,
  dimension: number,
  query: Float32Array,
  k: number,
  admit: (row: number) => boolean = () => true,
): { row: number; similarity: number }[] {
  const queryNorm = Math.sqrt(query.reduce((sum, value) => sum + value * value, 0));
  const scored: { row: number; similarity: number }[] = [];
  for (let row = 0; row * dimension < vectors.length; row++) {
    if (!admit(row)) continue;
    let dot = 0;
    let norm = 0;
    for (let d = 0; d < dimension; d++) {
      const value = vectors[row * dimension + d]!;
      dot += value * query[d]!;
      norm += value * value;
    }
    scored.push({ row, similarity: dot / (Math.sqrt(norm) * queryNorm) });
  }
  return scored.sort((a, b) => b.similarity - a.similarity).slice(0, k);
}

/** The rows a fixture table holds: row `i` has id `row-i`, source `doc-(i mod sources)`, text `texts[i]`. */
export interface FixtureRows {
  vectors: Float32Array;
  texts: string[];
  sources: number;
}

/** The id of fixture row `row`. */
export const rowId = (row: number): string => `row-${String(row).padStart(6, '0')}`;

/** Writes a vectors table of the fixture rows (created with `embedder`'s schema), one append per `batchRows` (default 1,000). */
export async function writeFixtureTable(
  url: string,
  embedder: TableEmbedderInfo,
  rows: FixtureRows,
  s3?: S3ConnectionOptions,
  batchRows = 1000,
): Promise<void> {
  const table = await VectorTable.open(url, { embedder, s3 });
  try {
    const count = rows.texts.length;
    for (let start = 0; start < count; start += batchRows) {
      const end = Math.min(count, start + batchRows);
      const batch = Array.from({ length: end - start }, (_, index) => {
        const row = start + index;
        return {
          id: rowId(row),
          text: rows.texts[row]!,
          source: `doc-${row % rows.sources}`,
          chunk: Math.floor(row / rows.sources),
          heading: row % 2 === 0 ? 'even' : 'odd',
          vector: vectorAt(rows.vectors, embedder.dimension, row),
        };
      });
      await table.lance.add(new Table(chunkBatch(batch, embedder)));
    }
  } finally {
    table.close();
  }
}

/** A vocabulary of common filler words the fixture texts are made of. */
const FILLER =
  'the of and data table vector index query search shard block store river stone cloud light'.split(' ');

/** `count` texts of 12 filler words each (seeded). */
export function fillerTexts(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () =>
    Array.from({ length: 12 }, () => FILLER[Math.floor(random.uniform() * FILLER.length)]).join(' '),
  );
}

/**
 * A test fixture embedder (not a model): answers each query text with the vector the test
 * registered for it, so searches by text exercise the real path with known query vectors.
 */
export class LookupEmbedder implements Embedder {
  readonly #vectors = new Map<string, Float32Array>();

  constructor(
    readonly modelId: string,
    readonly dimension: number,
  ) {}

  /** Registers the vector `text` embeds to. */
  set(text: string, vector: Float32Array): this {
    this.#vectors.set(text, vector);
    return this;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((text) => {
      const vector = this.#vectors.get(text);
      if (!vector) throw new Error(`LookupEmbedder: no vector registered for ${JSON.stringify(text)}`);
      return vector;
    });
  }
}
