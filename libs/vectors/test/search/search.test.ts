import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUniqueBucket } from '@isthmus/services';
import type { S3ConnectionOptions } from '@isthmus/storage';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  DimensionMismatchError,
  EmbedderMismatchError,
  InvalidArgumentError,
  MissingIndexError,
} from '../../src/errors.js';
import { buildIndexes } from '../../src/indexes/build-indexes.js';
import { search } from '../../src/search/search.js';
import {
  bruteForceTopK,
  clusteredVectors,
  fillerTexts,
  LookupEmbedder,
  rowId,
  seededRandom,
  vectorAt,
  writeFixtureTable,
} from '../support/vector-fixtures.js';

const DIMENSION = 48;
const ROWS = 3000;
const SOURCES = 7;
const MODEL = { modelId: 'fixture-clusters-48', dimension: DIMENSION };
const vectors = clusteredVectors(ROWS, DIMENSION, { clusters: 24, noise: 0.6, seed: 7 });
const texts = fillerTexts(ROWS, 11);
const RARE_ROW = 1234;
texts[RARE_ROW] = `${texts[RARE_ROW]} zanzibarite`;

/** Query vectors near (not at) random rows, each registered under its own query text. */
function queries(count: number, seed: number): { text: string; vector: Float32Array }[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, index) => {
    const base = vectorAt(vectors, DIMENSION, Math.floor(random.uniform() * ROWS));
    const vector = Float32Array.from(base, (value) => value + (0.3 * random.normal()) / Math.sqrt(DIMENSION));
    return { text: `query ${seed}-${index}`, vector };
  });
}

const embedder = new LookupEmbedder(MODEL.modelId, DIMENSION);

describe.each(['file', 's3'] as const)('search on %s', (kind) => {
  let dir: string;
  let db: string;
  let s3: S3ConnectionOptions | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-search-'));
    if (kind === 's3') {
      s3 = inject('s3');
      db = `s3://${await createUniqueBucket(inject('s3'), 'search')}/db`;
    } else {
      db = `file://${dir}`;
    }
    await writeFixtureTable(`${db}/docs`, MODEL, { vectors, texts, sources: SOURCES }, s3);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('unindexed vector search is the brute-force top-k, scored by cosine similarity', async () => {
    for (const query of queries(5, 1)) {
      embedder.set(query.text, query.vector);
      const hits = await search(`${db}/docs`, query.text, { k: 10, embedder, s3 });
      const expected = bruteForceTopK(vectors, DIMENSION, query.vector, 10);
      expect(hits.map((hit) => hit.id)).toEqual(expected.map((entry) => rowId(entry.row)));
      for (const [index, hit] of hits.entries())
        expect(hit.score).toBeCloseTo(expected[index]!.similarity, 5);
    }
  });

  it('a filter restricts the ranking to the rows it admits (prefilter)', async () => {
    const [query] = queries(1, 2);
    embedder.set(query!.text, query!.vector);
    const filter = "source = 'doc-3' AND heading = 'odd'";
    const hits = await search(`${db}/docs`, query!.text, { k: 8, embedder, filter, s3 });
    const expected = bruteForceTopK(
      vectors,
      DIMENSION,
      query!.vector,
      8,
      (row) => row % SOURCES === 3 && row % 2 === 1,
    );
    expect(hits.map((hit) => hit.id)).toEqual(expected.map((entry) => rowId(entry.row)));
    expect(hits.every((hit) => hit.source === 'doc-3' && hit.heading === 'odd')).toBe(true);
  });

  it('bad arguments and other models fail with named errors; fts needs its index', async () => {
    const url = `${db}/docs`;
    await expect(search(url, 'anything', { k: 0, embedder, s3 })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(search(url, '  ', { embedder, s3 })).rejects.toBeInstanceOf(InvalidArgumentError);
    const otherDimension = new LookupEmbedder(MODEL.modelId, 12).set('q', new Float32Array(12).fill(1));
    await expect(search(url, 'q', { embedder: otherDimension, s3 })).rejects.toBeInstanceOf(
      DimensionMismatchError,
    );
    const otherModel = new LookupEmbedder('another-model', DIMENSION).set('q', vectors.slice(0, DIMENSION));
    await expect(search(url, 'q', { embedder: otherModel, s3 })).rejects.toBeInstanceOf(
      EmbedderMismatchError,
    );
    await expect(search(url, 'zanzibarite', { mode: 'fts', s3 })).rejects.toBeInstanceOf(MissingIndexError);
  });

  it.each(['ivf_hnsw_sq', 'ivf_pq'] as const)(
    '%s: recall@10 ≥ 0.9 against brute force; BM25 finds a planted rare word',
    async (vector) => {
      const report = await buildIndexes(`${db}/docs`, { vector, s3 });
      expect(report.rows).toBe(ROWS);
      expect(report.indexes.map((index) => index.column).sort()).toEqual(['text', 'vector']);
      let found = 0;
      const asked = queries(20, 3);
      for (const query of asked) {
        embedder.set(query.text, query.vector);
        const hits = await search(`${db}/docs`, query.text, { k: 10, embedder, s3 });
        const truth = new Set(
          bruteForceTopK(vectors, DIMENSION, query.vector, 10).map((entry) => rowId(entry.row)),
        );
        found += hits.filter((hit) => truth.has(hit.id)).length;
      }
      expect(found / (asked.length * 10)).toBeGreaterThanOrEqual(0.9);

      const fts = await search(`${db}/docs`, 'zanzibarite', { mode: 'fts', k: 5, s3 });
      expect(fts.map((hit) => hit.id)).toEqual([rowId(RARE_ROW)]);
      expect(fts[0]!.score).toBeGreaterThan(0);
    },
  );
});

describe('hybrid search and small tables (file)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-hybrid-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('hybrid ranks first the chunk both the vector and the BM25 ranking find, not either one’s best', async () => {
    const rows = 300;
    const small = clusteredVectors(rows, DIMENSION, { clusters: 1, noise: 3, seed: 5 });
    const query = vectorAt(small, DIMENSION, 0).slice();
    const random = seededRandom(9);
    const near = (scale: number) =>
      Float32Array.from(query, (value) => value + (scale * random.normal()) / Math.sqrt(DIMENSION));
    const roomy = fillerTexts(rows, 13);
    // Row 1: nearest vector, no keyword. Row 2: near vector and the keyword. Rows 3, 4: the keyword, opposite vectors.
    small.set(near(0.05), 1 * DIMENSION);
    small.set(near(0.2), 2 * DIMENSION);
    small.set(
      query.map((value) => -value),
      3 * DIMENSION,
    );
    small.set(
      query.map((value) => -value),
      4 * DIMENSION,
    );
    small.set(new Float32Array(DIMENSION).fill(0.01), 0);
    roomy[2] = `${roomy[2]} quetzal`;
    roomy[3] = 'quetzal quetzal quetzal river';
    roomy[4] = `${roomy[4]} quetzal`;
    const url = `file://${dir}/hybrid`;
    await writeFixtureTable(url, MODEL, { vectors: small, texts: roomy, sources: 3 });
    await buildIndexes(url, { vector: 'none' });
    embedder.set('quetzal', query);

    const byVector = await search(url, 'quetzal', { k: 3, embedder });
    const byText = await search(url, 'quetzal', { k: 3, mode: 'fts' });
    const hybrid = await search(url, 'quetzal', { k: 3, mode: 'hybrid', embedder });
    expect(byVector[0]!.id).toBe(rowId(1));
    expect(byText[0]!.id).toBe(rowId(3));
    expect(hybrid[0]!.id).toBe(rowId(2));
    const vectorRank = byVector.findIndex((hit) => hit.id === rowId(2)) + 1;
    const textRank = byText.findIndex((hit) => hit.id === rowId(2)) + 1;
    expect(hybrid[0]!.score).toBeCloseTo(1 / (60 + vectorRank) + 1 / (60 + textRank), 12);

    // Row 3 (the best BM25 match) is in doc-0; filtered out, BM25 ranks only rows 2 and 4.
    const filtered = await search(url, 'quetzal', { k: 3, mode: 'fts', filter: "source != 'doc-0'" });
    expect(filtered.map((hit) => hit.id).sort()).toEqual([rowId(2), rowId(4)]);
  });

  it('a table too small for a vector index gets none (the report says why) and is searched exactly', async () => {
    const rows = 100;
    const tiny = clusteredVectors(rows, DIMENSION, { clusters: 4, noise: 0.5, seed: 21 });
    const url = `file://${dir}/tiny`;
    await writeFixtureTable(url, MODEL, { vectors: tiny, texts: fillerTexts(rows, 3), sources: 2 });
    const report = await buildIndexes(url, { vector: 'ivf_pq' });
    expect(report.indexes.map((index) => index.type)).toEqual(['FTS']);
    expect(report.skipped).toEqual([
      { column: 'vector', kind: 'ivf_pq', reason: expect.stringContaining('100 rows') },
    ]);
    const query = vectorAt(tiny, DIMENSION, 17);
    embedder.set('tiny', query);
    const hits = await search(url, 'tiny', { k: 5, embedder });
    expect(hits.map((hit) => hit.id)).toEqual(
      bruteForceTopK(tiny, DIMENSION, query, 5).map((entry) => rowId(entry.row)),
    );
  });
});
