import type { VirtualOffset } from '../../codecs/bgzf.js';
import { CorruptDataError, TruncatedDataError } from '../../errors.js';

/** What a .bai or .tbi says about one reference sequence. */
export interface BinnedReference {
  /** The linear index: the smallest virtual offset of records overlapping each 16 kbp window. */
  linear: VirtualOffset[];
  /** Records counted by the index's pseudo-bin (mapped + unmapped), when it has one. */
  records: number | undefined;
}

/** A parsed BAI or TBI index (the SAM/BAM specification, 5.2; the tabix format). */
export interface BinningIndex {
  kind: 'bai' | 'tbi';
  /** Reference names (TBI); a BAI's references are the BAM header's, in order. */
  names: string[] | undefined;
  references: BinnedReference[];
  /** Unplaced records (`n_no_coor`), when the index says. */
  unplaced: number | undefined;
}

/** The width of a linear-index window (2^14 bp). */
export const LINEAR_WINDOW = 16384;

/** The pseudo-bin holding a reference's offsets and record counts. */
const PSEUDO_BIN = 37450;

class IndexReader {
  at = 0;
  readonly #view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly key: string,
  ) {
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  #need(length: number): void {
    if (this.at + length > this.bytes.length) {
      throw new TruncatedDataError({ key: this.key, offset: this.at }, 'the index ends early');
    }
  }
  get remaining(): number {
    return this.bytes.length - this.at;
  }
  int32(): number {
    this.#need(4);
    const value = this.#view.getInt32(this.at, true);
    this.at += 4;
    return value;
  }
  uint32(): number {
    this.#need(4);
    const value = this.#view.getUint32(this.at, true);
    this.at += 4;
    return value;
  }
  /** A 64-bit count (exact below 2^53). */
  uint64(): number {
    const low = this.uint32();
    return this.uint32() * 2 ** 32 + low;
  }
  virtualOffset(): VirtualOffset {
    const low = this.uint32();
    const high = this.uint32();
    return { block: high * 65536 + (low >>> 16), within: low & 0xffff };
  }
  count(what: string): number {
    const value = this.int32();
    if (value < 0) throw new CorruptDataError({ key: this.key, offset: this.at - 4 }, `negative ${what}`);
    return value;
  }
  skip(length: number): void {
    this.#need(length);
    this.at += length;
  }
}

function readReference(reader: IndexReader): BinnedReference {
  let records: number | undefined;
  const bins = reader.count('bin count');
  for (let b = 0; b < bins; b++) {
    const bin = reader.uint32();
    const chunks = reader.count('chunk count');
    if (bin === PSEUDO_BIN && chunks === 2) {
      reader.skip(16);
      records = reader.uint64() + reader.uint64();
    } else {
      reader.skip(16 * chunks);
    }
  }
  const windows = reader.count('interval count');
  const linear: VirtualOffset[] = [];
  for (let w = 0; w < windows; w++) linear.push(reader.virtualOffset());
  return { linear, records };
}

/** Parses a BAI (`BAI\1`) or TBI (`TBI\1`, already inflated) index; named errors for bad bytes. */
export function parseBinningIndex(bytes: Uint8Array, key: string): BinningIndex {
  const magic = Buffer.from(bytes.subarray(0, 4)).toString('latin1');
  if (magic !== 'BAI\x01' && magic !== 'TBI\x01') {
    throw new CorruptDataError({ key, offset: 0 }, 'not a BAI or TBI index (bad magic)');
  }
  const reader = new IndexReader(bytes, key);
  reader.skip(4);
  const count = reader.count('reference count');
  let names: string[] | undefined;
  if (magic === 'TBI\x01') {
    reader.skip(24);
    const namesLength = reader.count('names length');
    const start = reader.at;
    reader.skip(namesLength);
    names = Buffer.from(bytes.subarray(start, start + namesLength))
      .toString('utf8')
      .split('\0')
      .slice(0, count);
  }
  const references: BinnedReference[] = [];
  for (let r = 0; r < count; r++) references.push(readReference(reader));
  const unplaced = reader.remaining >= 8 ? reader.uint64() : undefined;
  return { kind: magic === 'BAI\x01' ? 'bai' : 'tbi', names, references, unplaced };
}
