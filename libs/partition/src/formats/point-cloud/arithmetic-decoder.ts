import {
  BIT_LENGTH_SHIFT,
  type BitModel,
  SYMBOL_LENGTH_SHIFT,
  type SymbolModel,
} from './arithmetic-models.js';

const MIN_LENGTH = 0x01000000;
const MAX_LENGTH = 0xffffffff;

/** The LASzip arithmetic decoder over a byte array (what the LAZ chunk table is coded with). */
export class ArithmeticDecoder {
  #value: number;
  #length = MAX_LENGTH;
  #position: number;
  /** Whether decoding read past the end of the bytes (the data is truncated). */
  overrun = false;

  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
  ) {
    this.#position = start;
    this.#value = 0;
    for (let i = 0; i < 4; i++) this.#value = (this.#value * 256 + this.#byte()) >>> 0;
  }

  /** How many bytes decoding has consumed from the start of the array. */
  get position(): number {
    return this.#position;
  }

  /** Decodes one symbol of a model. */
  decodeSymbol(model: SymbolModel): number {
    let symbol: number;
    let x: number;
    let y = this.#length;
    this.#length >>>= SYMBOL_LENGTH_SHIFT;
    const length = this.#length;
    const distribution = model.distribution;
    if (model.decoderTable) {
      const scaled = Math.floor(this.#value / length);
      const t = scaled >>> model.tableShift;
      symbol = model.decoderTable[t]!;
      let n = model.decoderTable[t + 1]! + 1;
      while (n > symbol + 1) {
        const k = (symbol + n) >>> 1;
        if (distribution[k]! > scaled) n = k;
        else symbol = k;
      }
      x = distribution[symbol]! * length;
      if (symbol !== model.lastSymbol) y = distribution[symbol + 1]! * length;
    } else {
      symbol = 0;
      x = 0;
      let n = model.symbols;
      let k = n >>> 1;
      do {
        const z = length * distribution[k]!;
        if (z > this.#value) {
          n = k;
          y = z;
        } else {
          symbol = k;
          x = z;
        }
        k = (symbol + n) >>> 1;
      } while (k !== symbol);
    }
    this.#value -= x;
    this.#length = y - x;
    if (this.#length < MIN_LENGTH) this.#renormalize();
    model.counts[symbol]!++;
    if (--model.untilUpdate === 0) model.update();
    return symbol;
  }

  /** Decodes one bit of a model. */
  decodeBit(model: BitModel): number {
    const x = model.zeroProbability * (this.#length >>> BIT_LENGTH_SHIFT);
    let bit: number;
    if (this.#value < x) {
      bit = 0;
      this.#length = x;
      model.zeroCount++;
    } else {
      bit = 1;
      this.#value -= x;
      this.#length -= x;
    }
    if (this.#length < MIN_LENGTH) this.#renormalize();
    if (--model.untilUpdate === 0) model.update();
    return bit;
  }

  /** Reads `bits` raw bits (up to 32). */
  readBits(bits: number): number {
    if (bits > 19) {
      const low = this.#readRaw(16);
      return this.readBits(bits - 16) * 0x10000 + low;
    }
    return this.#readRaw(bits);
  }

  #readRaw(bits: number): number {
    this.#length >>>= bits;
    const symbol = Math.floor(this.#value / this.#length);
    this.#value -= this.#length * symbol;
    if (this.#length < MIN_LENGTH) this.#renormalize();
    return symbol;
  }

  #renormalize(): void {
    do {
      this.#value = (this.#value * 256 + this.#byte()) >>> 0;
      this.#length = (this.#length * 256) >>> 0;
    } while (this.#length < MIN_LENGTH);
  }

  #byte(): number {
    if (this.#position >= this.bytes.length) {
      this.overrun = true;
      this.#position++;
      return 0;
    }
    return this.bytes[this.#position++]!;
  }
}
