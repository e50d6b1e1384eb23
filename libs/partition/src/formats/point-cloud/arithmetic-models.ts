/**
 * The adaptive probability models of the LASzip arithmetic coder (after Amir Said's FastAC, as
 * the LAZ specification uses them), shared by its encoder and decoder. Only what the LAZ chunk
 * table needs: symbol models and bit models with the same adaptation schedule as LASzip, so
 * that tables written here are read by every LAZ reader and the other way round.
 */

/** Bits of the length a symbol model's distribution is scaled to. */
export const SYMBOL_LENGTH_SHIFT = 15;
const SYMBOL_MAX_COUNT = 1 << SYMBOL_LENGTH_SHIFT;
/** Bits of the length a bit model's probability is scaled to. */
export const BIT_LENGTH_SHIFT = 13;
const BIT_MAX_COUNT = 1 << BIT_LENGTH_SHIFT;

/** An adaptive model of `symbols` symbols. */
export class SymbolModel {
  /** Cumulative distribution, scaled to 2^15. */
  readonly distribution: Uint32Array;
  readonly counts: Uint32Array;
  /** Lookup table speeding up decoding (models of more than 16 symbols). */
  readonly decoderTable: Uint32Array | undefined;
  readonly tableShift: number;
  readonly lastSymbol: number;
  #totalCount = 0;
  #updateCycle: number;
  /** Symbols coded until the distribution is recomputed. */
  untilUpdate: number;

  constructor(readonly symbols: number) {
    this.lastSymbol = symbols - 1;
    if (symbols > 16) {
      let tableBits = 3;
      while (symbols > 1 << (tableBits + 2)) tableBits++;
      this.decoderTable = new Uint32Array((1 << tableBits) + 2);
      this.tableShift = SYMBOL_LENGTH_SHIFT - tableBits;
    } else {
      this.decoderTable = undefined;
      this.tableShift = 0;
    }
    this.distribution = new Uint32Array(symbols);
    this.counts = new Uint32Array(symbols).fill(1);
    this.#updateCycle = symbols;
    this.untilUpdate = 0;
    this.update();
    this.#updateCycle = (symbols + 6) >> 1;
    this.untilUpdate = this.#updateCycle;
  }

  /** Recomputes the distribution from the counts (and halves them when they grow too big). */
  update(): void {
    this.#totalCount += this.#updateCycle;
    if (this.#totalCount > SYMBOL_MAX_COUNT) {
      this.#totalCount = 0;
      for (let n = 0; n < this.symbols; n++) {
        this.counts[n] = (this.counts[n]! + 1) >>> 1;
        this.#totalCount += this.counts[n]!;
      }
    }
    const scale = Math.floor(0x80000000 / this.#totalCount);
    let sum = 0;
    let s = 0;
    const table = this.decoderTable;
    for (let k = 0; k < this.symbols; k++) {
      this.distribution[k] = (scale * sum) >>> (31 - SYMBOL_LENGTH_SHIFT);
      sum += this.counts[k]!;
      if (table) {
        const w = this.distribution[k]! >>> this.tableShift;
        while (s < w) table[++s] = k - 1;
      }
    }
    if (table) {
      table[0] = 0;
      while (s <= table.length - 2) table[++s] = this.symbols - 1;
    }
    this.#updateCycle = (5 * this.#updateCycle) >>> 2;
    const maxCycle = (this.symbols + 6) << 3;
    if (this.#updateCycle > maxCycle) this.#updateCycle = maxCycle;
    this.untilUpdate = this.#updateCycle;
  }
}

/** An adaptive model of one bit. */
export class BitModel {
  /** Probability of a 0, scaled to 2^13. */
  zeroProbability = 1 << (BIT_LENGTH_SHIFT - 1);
  zeroCount = 1;
  #bitCount = 2;
  #updateCycle = 4;
  /** Bits coded until the probability is recomputed. */
  untilUpdate = 4;

  /** Recomputes the probability from the counts. */
  update(): void {
    this.#bitCount += this.#updateCycle;
    if (this.#bitCount > BIT_MAX_COUNT) {
      this.#bitCount = (this.#bitCount + 1) >>> 1;
      this.zeroCount = (this.zeroCount + 1) >>> 1;
      if (this.zeroCount === this.#bitCount) this.#bitCount++;
    }
    const scale = Math.floor(0x80000000 / this.#bitCount);
    this.zeroProbability = (this.zeroCount * scale) >>> (31 - BIT_LENGTH_SHIFT);
    this.#updateCycle = (5 * this.#updateCycle) >>> 2;
    if (this.#updateCycle > 64) this.#updateCycle = 64;
    this.untilUpdate = this.#updateCycle;
  }
}
