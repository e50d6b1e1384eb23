import { inflateIfBgzf, isBgzfBlockStart, type VirtualOffset } from '../../codecs/bgzf.js';
import type { DatasetSource } from '../../dataset-source.js';
import { CorruptDataError } from '../../errors.js';
import { type BinningIndex, LINEAR_WINDOW, parseBinningIndex } from './binning-index.js';
import { checkBinningIndex } from './check-binning-index.js';
import { type DecodedPiece, decodedPieces } from './decoded-pieces.js';
import type { AnyGenomicRecordSpec, GenomicHeader } from './genomic-record-spec.js';
import { type FrameLength, recordFrames } from './record-frames.js';

/** A virtual offset as JSON: `[block, within]`. */
export type JsonPosition = [block: number, within: number];

/** Records of one reference sequence, as the index pass counted them. */
export type ReferenceRecords = {
  name: string;
  /** Its length from the header, if declared. */
  length: number | null;
  records: number;
  /** File-order number of its first record; -1 without records. */
  first: number;
};

/**
 * The index of a SAM, BAM or VCF file (plain or BGZF): where the header ends and the data ends,
 * per-reference record counts, and checkpoints every few hundred KiB to a few MiB (compact).
 */
export type GenomicIndex = {
  /** The data object's key (partition ranges name it). */
  key: string;
  compressed: boolean;
  /** Where the first record starts (the header is everything before). */
  headerEnd: JsonPosition;
  /** Compressed bytes from 0 that hold the whole header. */
  headerBytes: number;
  /** Where the data ends (BGZF: the start of the EOF block). */
  dataEnd: JsonPosition;
  records: number;
  references: ReferenceRecords[];
  unplaced: { records: number; first: number };
  /** Coordinate-sorted: each reference's records together, in POS order, unplaced ones last. */
  sorted: boolean;
  /** `[record, block, within, blockEnd, reference (-1: unplaced), position]`, the first at record 0. */
  checkpoints: number[][];
  /** The .bai/.tbi sibling used, if any. */
  binningIndex: string | null;
  /** Per reference: `[window start (1-based), block, within]` from the binning index's linear index. */
  seeks: number[][][];
};

/** Checkpoint spacing: a thousandth of the object, between 64 KiB and 4 MiB. */
export function checkpointSpacing(size: number): number {
  return Math.min(4 * 2 ** 20, Math.max(64 * 1024, Math.floor(size / 1024)));
}

/** A virtual offset from its JSON form. */
export function positionOf([block, within]: JsonPosition | number[]): VirtualOffset {
  return { block: block!, within: within! };
}

async function* endTracked(
  pieces: AsyncIterable<DecodedPiece>,
  onEnd: (end: number) => void,
): AsyncIterable<DecodedPiece> {
  for await (const piece of pieces) {
    onEnd(piece.blockEnd);
    yield piece;
  }
}

/** Tracks whether records come coordinate-sorted. */
class SortednessTracker {
  sorted = true;
  #current: number | undefined;
  #position = 0;
  readonly #finished = new Set<number>();

  see(reference: number, position: number): void {
    if (reference !== this.#current) {
      if (this.#current !== undefined) this.#finished.add(this.#current);
      if (this.#finished.has(reference) || this.#current === -1) this.sorted = false;
      this.#current = reference;
    } else if (reference !== -1 && position < this.#position) {
      this.sorted = false;
    }
    this.#position = position;
  }
}

/**
 * The index pass of a SAM, BAM or VCF file: streams it once (bounded memory), checks every
 * record's framing and locus, counts records per reference, keeps checkpoints, and checks the
 * .bai/.tbi sibling (if any) against the counts.
 */
export async function indexGenomicRecords(
  spec: AnyGenomicRecordSpec,
  source: DatasetSource,
): Promise<GenomicIndex> {
  const key = source.key;
  const info = await source.head();
  source.expectBytes(info.size);
  const compressed =
    spec.compression === 'detect'
      ? isBgzfBlockStart(await source.readUpTo(key, 0, 18))
      : spec.compression === 'bgzf';
  const spacing = checkpointSpacing(info.size);
  let dataEnd = 0;
  const pieces = endTracked(
    decodedPieces(source, { key, compressed, from: { block: 0, within: 0 }, wholeObject: true }),
    (end) => {
      dataEnd = end;
    },
  );
  let header: GenomicHeader | undefined;
  const length: FrameLength = (buffer, at, frameNumber) =>
    header === undefined && spec.headerLength && frameNumber === 0
      ? spec.headerLength(buffer, at, frameNumber)
      : spec.recordLength(buffer, at, frameNumber);
  const headerParts: Uint8Array[] = [];
  let headerEnd: JsonPosition | undefined;
  let headerBytes = 0;
  const references: ReferenceRecords[] = [];
  const referenceNumbers = new Map<string, number>();
  const declare = (name: string, referenceLength: number | null) => {
    referenceNumbers.set(name, references.length);
    references.push({ name, length: referenceLength, records: 0, first: -1 });
  };
  const unplaced = { records: 0, first: -1 };
  const sortedness = new SortednessTracker();
  const checkpoints: number[][] = [];
  let nextCheckpoint = 0;
  let records = 0;
  const frames = recordFrames(pieces, length, { key, compressed, acceptCutLastFrame: spec.textLines });
  for await (const frame of frames) {
    if (header === undefined) {
      const isHeader = spec.headerLength ? headerParts.length === 0 : spec.isHeaderLine!(frame.bytes);
      if (isHeader) {
        headerParts.push(frame.bytes);
        continue;
      }
      header = spec.parseHeader(Buffer.concat(headerParts), key) as GenomicHeader;
      for (const reference of header.references) declare(reference.name, reference.length);
      headerEnd = [frame.start.block, frame.start.within];
      headerBytes = frame.start.within > 0 ? frame.blockEnd : frame.start.block;
    }
    const locus = spec.locate(frame.bytes, header);
    if (typeof locus === 'string') {
      throw new CorruptDataError({ key, offset: frame.start.block }, `record ${records}: ${locus}`);
    }
    let reference = -1;
    if (locus.reference === null) {
      if (unplaced.first < 0) unplaced.first = records;
      unplaced.records++;
    } else {
      if (!referenceNumbers.has(locus.reference)) {
        if (!spec.undeclaredReferences) {
          throw new CorruptDataError(
            { key, offset: frame.start.block },
            `record ${records} is on ${locus.reference}, which the header does not declare`,
          );
        }
        declare(locus.reference, null);
      }
      reference = referenceNumbers.get(locus.reference)!;
      const counts = references[reference]!;
      if (counts.first < 0) counts.first = records;
      counts.records++;
    }
    sortedness.see(reference, locus.position);
    if (records === 0 || frame.start.block >= nextCheckpoint) {
      checkpoints.push([
        records,
        frame.start.block,
        frame.start.within,
        frame.blockEnd,
        reference,
        locus.position,
      ]);
      nextCheckpoint = frame.start.block + spacing;
    }
    records++;
  }
  if (header === undefined) {
    header = spec.parseHeader(Buffer.concat(headerParts), key) as GenomicHeader;
    for (const reference of header.references) declare(reference.name, reference.length);
  }
  const index: GenomicIndex = {
    key,
    compressed,
    headerEnd: headerEnd ?? [dataEnd, 0],
    headerBytes: headerEnd ? headerBytes : dataEnd,
    dataEnd: [dataEnd, 0],
    records,
    references,
    unplaced,
    sorted: sortedness.sorted,
    checkpoints,
    binningIndex: null,
    seeks: references.map(() => []),
  };
  if (compressed) await useBinningIndex(spec, source, index, spacing);
  return index;
}

async function useBinningIndex(
  spec: AnyGenomicRecordSpec,
  source: DatasetSource,
  index: GenomicIndex,
  spacing: number,
): Promise<void> {
  for (const key of spec.siblingIndexKeys(source.key)) {
    if (!(await source.exists(key))) continue;
    const binning = parseBinningIndex(inflateIfBgzf(await source.readAll(key), key), key);
    const byReference = checkBinningIndex(binning, index, key);
    index.binningIndex = key;
    index.seeks = index.references.map((_, r) => seekPoints(binning, byReference[r], spacing));
    return;
  }
}

/** Linear-index entries about `spacing` compressed bytes apart, as `[window start, block, within]`. */
function seekPoints(binning: BinningIndex, reference: number | undefined, spacing: number): number[][] {
  if (reference === undefined) return [];
  const seeks: number[][] = [];
  let next = 0;
  for (const [window, offset] of binning.references[reference]!.linear.entries()) {
    if ((offset.block === 0 && offset.within === 0) || offset.block < next) continue;
    seeks.push([window * LINEAR_WINDOW + 1, offset.block, offset.within]);
    next = offset.block + spacing;
  }
  return seeks;
}
