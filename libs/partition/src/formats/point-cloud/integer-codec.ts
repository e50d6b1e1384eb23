import type { ArithmeticDecoder } from './arithmetic-decoder.js';
import type { ArithmeticEncoder } from './arithmetic-encoder.js';
import { BitModel, SymbolModel } from './arithmetic-models.js';

/** Bits coded through models before the rest go raw (LASzip's default). */
const BITS_HIGH = 8;
/** The LAZ chunk table codes 32-bit integers. */
const BITS = 32;

/**
 * LASzip's integer compressor for 32-bit values (no range limit), as the LAZ chunk table uses
 * it: each value is coded as its difference to a prediction, in `contexts` independent contexts.
 * The difference's bit length is a symbol, then its bits (the high ones through models).
 */
export class IntegerCodec {
  readonly #lengthModels: SymbolModel[];
  readonly #zeroOrOne = new BitModel();
  readonly #correctors: SymbolModel[] = [];

  constructor(contexts: number) {
    this.#lengthModels = Array.from({ length: contexts }, () => new SymbolModel(BITS + 1));
    for (let k = 1; k <= BITS; k++) this.#correctors[k] = new SymbolModel(1 << Math.min(k, BITS_HIGH));
  }

  /** Decodes a value predicted as `prediction` in `context`. */
  decode(decoder: ArithmeticDecoder, prediction: number, context: number): number {
    const k = decoder.decodeSymbol(this.#lengthModels[context]!);
    let correction: number;
    if (k === 0) {
      correction = decoder.decodeBit(this.#zeroOrOne);
    } else if (k < BITS) {
      let c: number;
      if (k <= BITS_HIGH) {
        c = decoder.decodeSymbol(this.#correctors[k]!);
      } else {
        const low = k - BITS_HIGH;
        c = decoder.decodeSymbol(this.#correctors[k]!) * 2 ** low + decoder.readBits(low);
      }
      correction = c >= 2 ** (k - 1) ? c + 1 : c - (2 ** k - 1);
    } else {
      correction = -0x80000000;
    }
    return (prediction + correction) | 0;
  }

  /** Encodes `value` predicted as `prediction` in `context`. */
  encode(encoder: ArithmeticEncoder, prediction: number, value: number, context: number): void {
    const correction = (value - prediction) | 0;
    const lengthModel = this.#lengthModels[context]!;
    if (correction === 0 || correction === 1) {
      encoder.encodeSymbol(lengthModel, 0);
      encoder.encodeBit(this.#zeroOrOne, correction);
      return;
    }
    if (correction === -0x80000000) {
      encoder.encodeSymbol(lengthModel, BITS);
      return;
    }
    // k bits hold corrections in [-(2^k - 1), -2^(k-1)] and [2^(k-1) + 1, 2^k].
    const magnitude = correction > 0 ? correction - 1 : -correction;
    let k = 0;
    while (2 ** k <= magnitude) k++;
    const c = correction > 0 ? correction - 1 : correction + (2 ** k - 1);
    encoder.encodeSymbol(lengthModel, k);
    if (k <= BITS_HIGH) {
      encoder.encodeSymbol(this.#correctors[k]!, c);
    } else {
      const low = k - BITS_HIGH;
      encoder.encodeSymbol(this.#correctors[k]!, Math.floor(c / 2 ** low));
      encoder.writeBits(low, c % 2 ** low);
    }
  }
}
