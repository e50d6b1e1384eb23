/** FNV-1a's 32-bit offset basis: the hash of the empty string. */
export const EMPTY_HASH = 0x811c9dc5;

/** FNV-1a (32 bit) over the UTF-16 code units `text[start..end)`, without making a substring. */
export function hashSpan(text: string, start: number, end: number): number {
  let hash = EMPTY_HASH;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * The words of a word-vector model in an open-addressing hash table over their UTF-16 code units,
 * so a word is found straight from a span of the text (no substring, no allocation per token),
 * and the table is stored in the cache file as it is (nothing to build when loading).
 */
export class Vocabulary {
  /**
   * @param units every word's UTF-16 code units, one after another in row order
   * @param offsets where row `r`'s word starts in `units` (`offsets[r]`) and ends (`offsets[r + 1]`)
   * @param slots the hash table: a power-of-two number of slots, each 0 (empty) or row + 1
   */
  constructor(
    readonly units: Uint16Array,
    readonly offsets: Uint32Array,
    readonly slots: Uint32Array,
  ) {}

  /** Builds the table for `words` (in row order; a repeated word keeps its first row). */
  static build(words: readonly string[]): Vocabulary {
    const offsets = new Uint32Array(words.length + 1);
    for (let row = 0; row < words.length; row++) offsets[row + 1] = offsets[row]! + words[row]!.length;
    const units = new Uint16Array(offsets[words.length]!);
    let slotCount = 8;
    while (slotCount < 2 * words.length) slotCount *= 2;
    const vocabulary = new Vocabulary(units, offsets, new Uint32Array(slotCount));
    for (let row = 0; row < words.length; row++) {
      const word = words[row]!;
      for (let i = 0; i < word.length; i++) units[offsets[row]! + i] = word.charCodeAt(i);
      const hash = hashSpan(word, 0, word.length);
      if (vocabulary.findHashed(word, 0, word.length, hash) < 0) vocabulary.#insert(hash, row);
    }
    return vocabulary;
  }

  /** How many words. */
  get size(): number {
    return this.offsets.length - 1;
  }

  /** The word of `row`. */
  word(row: number): string {
    return String.fromCharCode(...this.units.subarray(this.offsets[row], this.offsets[row + 1]));
  }

  /** The row of `word`, or -1. */
  find(word: string): number {
    return this.findHashed(word, 0, word.length, hashSpan(word, 0, word.length));
  }

  /** The row of the word `text[start..end)` whose `hashSpan` is `hash`, or -1. */
  findHashed(text: string, start: number, end: number, hash: number): number {
    const { slots, units, offsets } = this;
    const mask = slots.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot]!;
      if (entry === 0) return -1;
      const row = entry - 1;
      const from = offsets[row]!;
      if (offsets[row + 1]! - from !== length) continue;
      let i = 0;
      while (i < length && units[from + i] === text.charCodeAt(start + i)) i++;
      if (i === length) return row;
    }
  }

  #insert(hash: number, row: number): void {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = row + 1;
  }
}
