import {
  BIT_LENGTH_SHIFT,
  type BitModel,
  SYMBOL_LENGTH_SHIFT,
  type SymbolModel,
} from './arithmetic-models.js';

const MIN_LENGTH = 0x01000000;
const MAX_LENGTH = 0xffffffff;

/** The LASzip arithmetic encoder, writing into a growing byte array (for LAZ chunk tables). */
export class ArithmeticEncoder {
  #base = 0;
  #length = MAX_LENGTH;
  #bytes: number[] = [];

  /** Encodes one symbol of a model. */
  encodeSymbol(model: SymbolModel, symbol: number): void {
    const distribution = model.distribution;
    if (symbol === model.lastSymbol) {
      const x = distribution[symbol]! * (this.#length >>> SYMBOL_LENGTH_SHIFT);
      this.#base += x;
      this.#length -= x;
    } else {
      this.#length >>>= SYMBOL_LENGTH_SHIFT;
      const x = distribution[symbol]! * this.#length;
      this.#base += x;
      this.#length = distribution[symbol + 1]! * this.#length - x;
    }
    this.#carryIfWrapped();
    if (this.#length < MIN_LENGTH) this.#renormalize();
    model.counts[symbol]!++;
    if (--model.untilUpdate === 0) model.update();
  }

  /** Encodes one bit of a model. */
  encodeBit(model: BitModel, bit: number): void {
    const x = model.zeroProbability * (this.#length >>> BIT_LENGTH_SHIFT);
    if (bit === 0) {
      this.#length = x;
      model.zeroCount++;
    } else {
      this.#base += x;
      this.#length -= x;
      this.#carryIfWrapped();
    }
    if (this.#length < MIN_LENGTH) this.#renormalize();
    if (--model.untilUpdate === 0) model.update();
  }

  /** Writes `bits` raw bits (up to 32) of `value`. */
  writeBits(bits: number, value: number): void {
    if (bits > 19) {
      this.#writeRaw(16, value & 0xffff);
      this.writeBits(bits - 16, Math.floor(value / 0x10000));
      return;
    }
    this.#writeRaw(bits, value);
  }

  /** Flushes the coder and returns everything written (with the trailing bytes decoders read ahead). */
  finish(): Uint8Array {
    let anotherByte = true;
    if (this.#length > 2 * MIN_LENGTH) {
      this.#base += MIN_LENGTH;
      this.#length = MIN_LENGTH >>> 1;
    } else {
      this.#base += MIN_LENGTH >>> 1;
      this.#length = MIN_LENGTH >>> 9;
      anotherByte = false;
    }
    this.#carryIfWrapped();
    this.#renormalize();
    this.#bytes.push(0, 0);
    if (anotherByte) this.#bytes.push(0);
    return Uint8Array.from(this.#bytes);
  }

  #writeRaw(bits: number, value: number): void {
    this.#length >>>= bits;
    this.#base += value * this.#length;
    this.#carryIfWrapped();
    if (this.#length < MIN_LENGTH) this.#renormalize();
  }

  /** Keeps the base a 32-bit value; a wrap is a carry into the bytes already written. */
  #carryIfWrapped(): void {
    if (this.#base < 0x100000000) return;
    this.#base -= 0x100000000;
    let i = this.#bytes.length - 1;
    while (this.#bytes[i] === 0xff) this.#bytes[i--] = 0;
    this.#bytes[i]!++;
  }

  #renormalize(): void {
    do {
      this.#bytes.push(Math.floor(this.#base / 0x1000000));
      this.#base = (this.#base * 256) % 0x100000000;
      this.#length = (this.#length * 256) >>> 0;
    } while (this.#length < MIN_LENGTH);
  }
}
