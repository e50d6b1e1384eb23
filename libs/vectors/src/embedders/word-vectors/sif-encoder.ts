import type { WordVectorModel } from './cache-file.js';
import { sifWeights } from './sif-weighting.js';
import { foldText, Tokenizer, type TokenSink } from './tokenizer.js';
import { EMPTY_HASH } from './vocabulary.js';

/**
 * Turns one text at a time into its SIF passage vector: the smooth-inverse-frequency weighted sum
 * of its words' vectors (weight a/(a + p(w)), see `sifWeights`), minus its projection on the
 * vocabulary's common direction (see `commonDirection`), scaled to unit length. Reuses its
 * buffers from text to text: one encoder per thread, one text at a time.
 *
 * Words the vocabulary lacks (names, numbers, typos) are left out. A text with no known word at
 * all (only numbers, identifiers, another script) gets, instead of a zero vector that cosine
 * search cannot rank, the sum of one pseudo-random vector per unknown token seeded by the token's
 * hash (with the common direction removed too): the same unknown tokens give the same vector, so
 * such texts still find each other, and they are near-orthogonal to everything else. An empty or
 * white-space-only text gets the vector of the empty token, the same for all such texts.
 */
export class SifEncoder implements TokenSink {
  readonly #model: WordVectorModel;
  readonly #tokenizer: Tokenizer;
  /** Each row's SIF weight times its quantisation step. */
  readonly #rowWeights: Float32Array;
  readonly #sum: Float64Array;
  /** How often each row occurs in the current text (0 for rows not in it). */
  readonly #occurrences: Uint32Array;
  /** The rows of the current text, each once, in order of first occurrence. */
  #rows = new Uint32Array(256);
  /** How many distinct known words the current text has so far. */
  #rowCount = 0;
  #unknownHashes = new Uint32Array(64);
  #unknown = 0;

  constructor(model: WordVectorModel) {
    this.#model = model;
    this.#tokenizer = new Tokenizer(model.vocabulary);
    const weights = sifWeights(model.vocabulary.size);
    this.#rowWeights = Float32Array.from(weights, (weight, row) => weight * model.scales[row]!);
    this.#sum = new Float64Array(model.dimension);
    this.#occurrences = new Uint32Array(model.vocabulary.size);
  }

  /** The unit vector of `text`. */
  encode(text: string): Float32Array {
    this.#sum.fill(0);
    this.#rowCount = 0;
    this.#unknown = 0;
    this.#tokenizer.scan(foldText(text), this);
    this.#sumRows();
    if (this.#rowCount === 0 || !this.#finish()) {
      this.#sum.fill(0);
      if (this.#unknown === 0) addPseudoRandom(this.#sum, EMPTY_HASH);
      for (let i = 0; i < this.#unknown; i++) addPseudoRandom(this.#sum, this.#unknownHashes[i]!);
      this.#finish();
    }
    return Float32Array.from(this.#sum);
  }

  /** Counts a known word (the tokenizer calls it; the vectors are added once per word, in `#sumRows`). */
  known(row: number): void {
    if (this.#occurrences[row]!++ === 0) {
      if (this.#rowCount === this.#rows.length) this.#rows = grown(this.#rows);
      this.#rows[this.#rowCount++] = row;
    }
  }

  /** Adds each word's vector times its weight and its number of occurrences to the sum, and forgets the counts. */
  #sumRows(): void {
    const sum = this.#sum;
    const vectors = this.#model.vectors;
    const dimension = sum.length;
    for (let i = 0; i < this.#rowCount; i++) {
      const row = this.#rows[i]!;
      const weight = this.#rowWeights[row]! * this.#occurrences[row]!;
      this.#occurrences[row] = 0;
      const base = row * dimension;
      for (let d = 0; d < dimension; d++) sum[d] = sum[d]! + weight * vectors[base + d]!;
    }
  }

  /** Remembers an unknown token's hash, for a text with no known word (the tokenizer calls it). */
  unknown(hash: number): void {
    if (this.#unknown === this.#unknownHashes.length) this.#unknownHashes = grown(this.#unknownHashes);
    this.#unknownHashes[this.#unknown++] = hash;
  }

  /** Removes the common direction from the sum and scales it to unit length; false if nothing is left. */
  #finish(): boolean {
    const sum = this.#sum;
    const common = this.#model.commonDirection;
    let projection = 0;
    for (let d = 0; d < sum.length; d++) projection += sum[d]! * common[d]!;
    let squares = 0;
    for (let d = 0; d < sum.length; d++) {
      sum[d] = sum[d]! - projection * common[d]!;
      squares += sum[d]! * sum[d]!;
    }
    if (!(squares > 0) || !Number.isFinite(squares)) return false;
    const inverse = 1 / Math.sqrt(squares);
    for (let d = 0; d < sum.length; d++) sum[d] = sum[d]! * inverse;
    return true;
  }
}

/** A copy of `array` twice as long. */
function grown(array: Uint32Array): Uint32Array<ArrayBuffer> {
  const copy = new Uint32Array(array.length * 2);
  copy.set(array);
  return copy;
}

/** Adds `sum.length` pseudo-random values in [-1, 1), a function of `seed` only (mulberry32), to `sum`. */
function addPseudoRandom(sum: Float64Array, seed: number): void {
  let state = seed | 0;
  for (let d = 0; d < sum.length; d++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    sum[d] = sum[d]! + ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  }
}
