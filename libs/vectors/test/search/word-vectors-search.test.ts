import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WordVectorEmbedder } from '../../src/embedders/word-vectors/word-vector-embedder.js';
import { buildIndexes } from '../../src/indexes/build-indexes.js';
import { search } from '../../src/search/search.js';
import { rowId, writeFixtureTable } from '../support/vector-fixtures.js';

const PASSAGES = [
  'The cat rested on the carpet near the warm fireplace.',
  'Share prices dropped sharply on the stock exchange this morning.',
  'He cooked spaghetti with a rich tomato sauce for dinner.',
  'The physician prescribed antibiotics to treat the infection.',
  'The orchestra performed a symphony by Beethoven last night.',
  'Heavy rain and strong winds are expected along the coast tomorrow.',
  'The goalkeeper saved a penalty in the last minute of the match.',
  'Install the package with npm and import it from your module.',
];

describe('search with the default embedder (the real wink word vectors)', () => {
  let dir: string;
  let url: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isthmus-word-search-'));
    url = `file://${dir}/passages`;
    const embedder = await WordVectorEmbedder.load();
    const vectors = await embedder.embed(PASSAGES);
    const packed = new Float32Array(PASSAGES.length * embedder.dimension);
    for (const [row, vector] of vectors.entries()) packed.set(vector, row * embedder.dimension);
    const model = { modelId: embedder.modelId, dimension: embedder.dimension };
    await writeFixtureTable(url, model, { vectors: packed, texts: PASSAGES, sources: 1 });
    await buildIndexes(url, { vector: 'none' });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['a kitten sleeping on the rug', 0],
    ['the doctor gave her medicine', 3],
    ['storm and weather forecast', 5],
    ['football game', 6],
  ])('vector search for “%s” finds passage %i first', async (query, row) => {
    const [best] = await search(url, query, { k: 3 });
    expect(best!.id).toBe(rowId(row));
  });

  it('hybrid search with the default embedder fuses both rankings', async () => {
    const hits = await search(url, 'spaghetti dinner', { k: 3, mode: 'hybrid' });
    expect(hits[0]!.id).toBe(rowId(2));
  });
});
