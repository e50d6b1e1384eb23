import { writeFile } from 'node:fs/promises';

/** A small JSON of the wink-embeddings shape, written by `writeSyntheticWink`. */
export interface SyntheticWink {
  path: string;
  words: string[];
  /** Each word's values as written (5 significant digits, like the real file). */
  vectors: Record<string, number[]>;
}

/**
 * Writes a wink-format JSON (`{precision, l2NormIndex, wordIndex, size, dimensions, words,
 * vectors: {word: [...values, l2norm, index]}, unkVector}`) of `words` (most frequent first) with
 * pseudo-random vectors, so the conversion can be tested on a file of a few kilobytes.
 */
export async function writeSyntheticWink(
  path: string,
  words: string[],
  dimension = 8,
): Promise<SyntheticWink> {
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return Number(((state / 2 ** 32) * 2 - 1).toPrecision(5));
  };
  const vectors: Record<string, number[]> = {};
  for (const word of words) vectors[word] = Array.from({ length: dimension }, next);
  const json = {
    precision: 8,
    l2NormIndex: dimension,
    wordIndex: dimension + 1,
    size: words.length,
    dimensions: dimension,
    words,
    vectors: Object.fromEntries(
      words.map((word, index) => [word, [...vectors[word]!, Math.hypot(...vectors[word]!), index]]),
    ),
    unkVector: [...Array.from({ length: dimension + 1 }, () => 0), -1],
  };
  await writeFile(path, JSON.stringify(json));
  return { path, words, vectors };
}
