import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WordVectorModel } from '../../../src/embedders/word-vectors/cache-file.js';
import { SifEncoder } from '../../../src/embedders/word-vectors/sif-encoder.js';
import {
  commonDirection,
  sifWeights,
  zipfProbabilities,
} from '../../../src/embedders/word-vectors/sif-weighting.js';
import { convertWinkVectors } from '../../../src/embedders/word-vectors/wink-conversion.js';
import { type SyntheticWink, writeSyntheticWink } from './support/synthetic-wink.js';

const WORDS = ['the', ',', 'of', 'cat', 'sat', 'mat', 'dog', 'ran'];

let dir: string;
let source: SyntheticWink;
let model: WordVectorModel;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isthmus-sif-'));
  source = await writeSyntheticWink(join(dir, 'wink.json'), WORDS);
  model = await convertWinkVectors(source.path);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('SIF weighting', () => {
  it('estimates word probabilities by Zipf from the rank: decreasing, summing to 1', () => {
    const p = zipfProbabilities(1000);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(p[0]! / p[9]!).toBeCloseTo(10, 10);
  });

  it('weighs frequent words down: a / (a + p)', () => {
    const weights = sifWeights(341_479);
    expect(weights[0]).toBeCloseTo(0.013, 3);
    expect(weights[999]).toBeGreaterThan(0.9);
    for (let row = 1; row < weights.length; row += 997)
      expect(weights[row]!).toBeGreaterThan(weights[row - 1]!);
  });

  it('takes the common direction as the unit Σ p·w·v', () => {
    const vectors = [
      [1, 0],
      [0, 1],
      [-1, 0],
    ];
    const [p, w] = [zipfProbabilities(3), sifWeights(3)];
    const mean = [0, 1].map((d) => vectors.reduce((sum, v, row) => sum + p[row]! * w[row]! * v[d]!, 0));
    const expected = mean.map((value) => value / Math.hypot(...mean));
    const got = commonDirection(3, 2, (row) => vectors[row]!);
    expect(got[0]).toBeCloseTo(expected[0]!, 6);
    expect(got[1]).toBeCloseTo(expected[1]!, 6);
  });
});

describe('SifEncoder', () => {
  it('makes the SIF vector: weighted sum of word vectors, common direction removed, unit length', () => {
    const weights = sifWeights(WORDS.length);
    const text = 'The cat sat, the cat sat; of the mat';
    const counts = new Map<string, number>([
      ['the', 3],
      ['cat', 2],
      ['sat', 2],
      [',', 1],
      ['of', 1],
      ['mat', 1],
    ]);
    const sum = new Array<number>(8).fill(0);
    for (const [word, count] of counts) {
      const row = WORDS.indexOf(word);
      source.vectors[word]!.forEach((value, d) => {
        sum[d]! += count * weights[row]! * value;
      });
    }
    const common = model.commonDirection;
    const projection = sum.reduce((total, value, d) => total + value * common[d]!, 0);
    const removed = sum.map((value, d) => value - projection * common[d]!);
    const expected = removed.map((value) => value / Math.hypot(...removed));
    const got = new SifEncoder(model).encode(text); // ';' is not in the vocabulary: left out
    const cosine = expected.reduce((total, value, d) => total + value * got[d]!, 0);
    expect(cosine).toBeGreaterThan(0.9999); // int8 rows against the exact values
    expect(Math.hypot(...got)).toBeCloseTo(1, 6);
    expect(got.reduce((total, value, d) => total + value * common[d]!, 0)).toBeCloseTo(0, 6);
  });

  it('gives the same vector to a text however often it is encoded, between other texts', () => {
    const encoder = new SifEncoder(model);
    const first = encoder.encode('the dog ran');
    encoder.encode('the cat sat on the mat');
    encoder.encode('xyzzy 42');
    expect(encoder.encode('the dog ran')).toEqual(first);
  });
});
