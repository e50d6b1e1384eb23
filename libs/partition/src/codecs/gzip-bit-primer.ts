/**
 * The bytes to decode before a deflate stream that starts mid-byte, `bits` bits before the end of
 * `previousByte` (the compressed byte before the ones that follow unchanged): an empty, non-final
 * dynamic-Huffman block of `8·k + 8 − bits` bits whose last `8 − bits` bits are the low bits of
 * `previousByte`'s replacement, whose high `bits` bits are kept. A plain inflater (Node's zlib,
 * which has no `inflatePrime`) then starts the real block at exactly the right bit with the
 * original byte alignment, which stored blocks need (their data starts at a byte boundary of the
 * original stream). The empty block outputs nothing, so the window stays the dictionary as is.
 * Empty for `bits` 0 (the stream starts at a byte).
 */
export function bitPrimer(bits: number, previousByte: number): Uint8Array {
  if (bits === 0) return new Uint8Array(0);
  const primer = emptyBlock(bits);
  const bytes = primer.bytes.slice();
  bytes[bytes.length - 1] = primer.bytes.at(-1)! | (previousByte & (0xff << (8 - bits)) & 0xff);
  return bytes;
}

/** Empty blocks by `bits` (1–7), the last byte holding only the block's final `8 − bits` bits. */
const emptyBlocks: Array<{ bytes: Uint8Array }> = [];

/** Code-length-code symbols in the order their lengths are sent (RFC 1951, 3.2.7). */
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1];

/**
 * An empty block of `93 + extra` bits, `extra` chosen to end `8 − bits` bits into a byte:
 * 257 literal/length code lengths (all zero but end-of-block's, 1) sent as two runs of zeros
 * (code-length symbol 18) and a 1; `extra + 1` zero distance code lengths (symbol 0, one bit
 * each); then the end-of-block code. Code-length code: symbol 0 `0`, 1 `10`, 18 `11`.
 */
function emptyBlock(bits: number): { bytes: Uint8Array } {
  const cached = emptyBlocks[bits];
  if (cached) return cached;
  const extra = (((3 - bits) % 8) + 8) % 8;
  const writer = new BitWriter();
  writer.bits(0, 1); // not the last block
  writer.bits(2, 2); // dynamic Huffman codes
  writer.bits(0, 5); // 257 literal/length codes
  writer.bits(extra, 5); // extra + 1 distance codes
  writer.bits(CODE_LENGTH_ORDER.length - 4, 4);
  const codeLengths: Record<number, number> = { 0: 1, 1: 2, 18: 2 };
  for (const symbol of CODE_LENGTH_ORDER) writer.bits(codeLengths[symbol] ?? 0, 3);
  writer.code(0b11, 2); // 138 zeros
  writer.bits(138 - 11, 7);
  writer.code(0b11, 2); // 118 zeros
  writer.bits(118 - 11, 7);
  writer.code(0b10, 2); // end-of-block: length 1
  for (let i = 0; i <= extra; i++) writer.code(0b0, 1); // distance codes: length 0
  writer.code(0b0, 1); // end of block
  const block = { bytes: writer.finish(8 - bits) };
  emptyBlocks[bits] = block;
  return block;
}

/** Writes a deflate bit stream: values from their lowest bit, Huffman codes from their highest. */
class BitWriter {
  readonly #bytes: number[] = [];
  #current = 0;
  #used = 0;

  bits(value: number, count: number): void {
    for (let i = 0; i < count; i++) this.#bit((value >> i) & 1);
  }

  code(code: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) this.#bit((code >> i) & 1);
  }

  /** The bytes, checking that the last one holds `lastBits` bits. */
  finish(lastBits: number): Uint8Array {
    if (this.#used !== lastBits)
      throw new Error(`bit primer ends ${this.#used} bits into a byte, not ${lastBits}`);
    return Uint8Array.from([...this.#bytes, this.#current]);
  }

  #bit(bit: number): void {
    this.#current |= bit << this.#used;
    if (++this.#used === 8) {
      this.#bytes.push(this.#current);
      this.#current = 0;
      this.#used = 0;
    }
  }
}
