import { RecordBatch, Uint32, vectorFromArray } from 'apache-arrow';
import type { FormatHandler } from '../../format-handler.js';
import { GENERIC_STRATEGIES } from '../../generic-strategies.js';
import type { PartitionPlan } from '../../partition.js';
import { type Checkpoint, planRecordIntervals } from '../../record-intervals.js';
import type { GenericStrategy } from '../../strategy.js';
import { utf8Batch } from '../text/utf8-batch.js';
import { type FastaIndex, indexFasta } from './fasta-index.js';
import { pieceBaseRange, pieceByteRange, pieceCount } from './fasta-pieces.js';
import {
  type FastaPartitionMeta,
  type FastaPiece,
  type FastaSegment,
  fastaPartitionFile,
  readFastaPieces,
} from './fasta-read.js';

/** Every piece of the file as a checkpoint (each piece starts at a line start, so reading can start there). */
function pieceCheckpoints(index: FastaIndex): {
  checkpoints: Checkpoint[];
  pieces: Array<[sequence: number, piece: number]>;
} {
  const checkpoints: Checkpoint[] = [];
  const pieces: Array<[number, number]> = [];
  index.sequences.forEach((sequence, i) => {
    for (let piece = 0; piece < pieceCount(sequence); piece++) {
      checkpoints.push({ record: checkpoints.length, byte: pieceByteRange(sequence, piece)[0] });
      pieces.push([i, piece]);
    }
  });
  return { checkpoints, pieces };
}

/** Pieces per Arrow batch (about 1 MiB of bases). */
const BATCH_PIECES = 64;

/** Pieces as an Arrow batch: `name` (Utf8), `start` (Uint32, 0-based), `sequence` (Utf8). */
function pieceBatch(pieces: FastaPiece[]): RecordBatch {
  const text = utf8Batch({
    name: pieces.map((piece) => piece.name),
    sequence: pieces.map((piece) => piece.sequence),
  });
  return new RecordBatch({
    name: text.getChild('name')!.data[0]!,
    start: vectorFromArray(
      pieces.map((piece) => piece.start),
      new Uint32(),
    ).data[0]!,
    sequence: text.getChild('sequence')!.data[0]!,
  });
}

/**
 * FASTA, with or without a `.fai` sibling (used when present, so the sequence lines are not
 * scanned): records are sequence pieces `{ name, start, sequence }` of whole lines, about
 * 16 Ki bases each (`PIECE_BASES`), so a long chromosome splits across partitions at line
 * boundaries and the pieces of all partitions join to every sequence exactly. `records` counts
 * pieces. Partition files are FASTA with one `>name:start-end` record per piece.
 */
export const fastaFormat: FormatHandler<FastaIndex, FastaPiece, GenericStrategy> = {
  name: 'fasta',
  family: 'genomics',
  description:
    'FASTA sequences (plain, with or without .fai); a record is a piece of a sequence of up to 16 Ki bases',
  indexVersion: 1,
  strategies: GENERIC_STRATEGIES,
  detect: (probe) => probe.size !== undefined && probe.head[0] === 0x3e,
  index: indexFasta,
  summarize(index) {
    const bases = index.sequences.reduce((total, sequence) => total + sequence[1], 0);
    return {
      records: pieceCheckpoints(index).checkpoints.length,
      unit: 'sequence pieces',
      bytes: index.size,
      details: { sequences: index.sequences.length, bases, fromFai: index.fromFai },
    };
  },
  plan(index, strategy): PartitionPlan[] {
    const { checkpoints, pieces } = pieceCheckpoints(index);
    const layout = { records: pieces.length, start: checkpoints[0]?.byte ?? 0, end: index.size, checkpoints };
    return planRecordIntervals(layout, strategy).map(({ first, end }) => {
      const segments: FastaSegment[] = [];
      for (let record = first; record < end; record++) {
        const [i, piece] = pieces[record]!;
        const last = segments.at(-1);
        if (last && last.sequence === index.sequences[i]) last.count++;
        else segments.push({ sequence: index.sequences[i]!, first: piece, count: 1 });
      }
      const meta: FastaPartitionMeta = { segments, fromFai: index.fromFai };
      if (segments.length === 0)
        return { ranges: [{ key: index.key, offset: 0, length: 0 }], records: 0, label: 'no records', meta };
      const head = segments[0]!;
      const tail = segments.at(-1)!;
      const offset = pieceByteRange(head.sequence, head.first)[0];
      const length = pieceByteRange(tail.sequence, tail.first + tail.count - 1)[1] - offset;
      const [start] = pieceBaseRange(head.sequence, head.first);
      const [, stop] = pieceBaseRange(tail.sequence, tail.first + tail.count - 1);
      return {
        ranges: [{ key: index.key, offset, length }],
        records: end - first,
        label: `${head.sequence[0]}:${start + 1} – ${tail.sequence[0]}:${stop}`,
        meta,
      };
    });
  },
  read: readFastaPieces,
  async *readBatches(partition, source) {
    let pieces: FastaPiece[] = [];
    for await (const piece of readFastaPieces(partition, source)) {
      pieces.push(piece);
      if (pieces.length === BATCH_PIECES) {
        yield pieceBatch(pieces);
        pieces = [];
      }
    }
    if (pieces.length > 0) yield pieceBatch(pieces);
  },
  toFile: fastaPartitionFile,
};
