import type { DatasetSource } from '../../dataset-source.js';
import { CorruptDataError, InconsistentDataError, TruncatedDataError } from '../../errors.js';
import type { Partition, PartitionFile } from '../../partition.js';
import { partitionFileName } from '../text/text-partition.js';
import { type FastaSequence, pieceBaseRange, pieceByteRange } from './fasta-pieces.js';

/** A piece of a sequence: bases `[start, start + sequence.length)` (0-based) of sequence `name`. */
export interface FastaPiece {
  name: string;
  start: number;
  sequence: string;
}

/** Pieces `[first, first + count)` of one sequence, as a partition's meta lists them. */
export type FastaSegment = { sequence: FastaSequence; first: number; count: number };

/** What a FASTA partition's reader needs besides its byte range. */
export type FastaPartitionMeta = { segments: FastaSegment[]; fromFai: boolean };

/** Reads forward through a stream of bytes that starts at `offset`. */
class ForwardReader {
  #chunk: Uint8Array = new Uint8Array(0);
  #at = 0;
  #position: number;
  readonly #chunks: AsyncIterator<Uint8Array>;

  constructor(chunks: AsyncIterable<Uint8Array>, offset: number) {
    this.#chunks = chunks[Symbol.asyncIterator]();
    this.#position = offset;
  }

  /** The `end - start` bytes from `start` (not before the current position); fewer only at the stream's end. */
  async bytes(start: number, end: number): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let position = start;
    while (position < end) {
      if (this.#at === this.#chunk.length) {
        const next = await this.#chunks.next();
        if (next.done) break;
        this.#chunk = next.value;
        this.#at = 0;
      }
      const skip = Math.min(this.#chunk.length - this.#at, Math.max(0, position - this.#position));
      this.#at += skip;
      this.#position += skip;
      if (this.#position < position) continue;
      const take = Math.min(this.#chunk.length - this.#at, end - position);
      parts.push(this.#chunk.subarray(this.#at, this.#at + take));
      this.#at += take;
      this.#position += take;
      position += take;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  async close(): Promise<void> {
    await this.#chunks.return?.();
  }
}

/** The bases in a piece's bytes: its lines without their terminators, checked against the layout. */
function basesOf(
  bytes: Uint8Array,
  sequence: FastaSequence,
  start: number,
  meta: FastaPartitionMeta,
  key: string,
): string {
  const [name, , , lineBases, lineWidth] = sequence;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  let bases = '';
  for (let at = 0; at < text.length; at += lineWidth) {
    const line = text.slice(at, at + lineBases);
    const terminator = text.slice(at + lineBases, at + lineWidth);
    if (/[\r\n>]/.test(line) || /[^\r\n]/.test(terminator)) {
      const location = { key, offset: pieceByteRange(sequence, 0)[0] + at };
      const detail = `sequence ${name} near base ${start + bases.length} is not laid out in lines of ${lineBases} bases`;
      throw meta.fromFai
        ? new InconsistentDataError(location, `${detail} as its .fai says`)
        : new CorruptDataError(location, detail);
    }
    bases += line;
  }
  return bases;
}

/** The pieces of a FASTA partition, in file order, from one stream of its byte range. */
export async function* readFastaPieces(
  partition: Partition,
  source: DatasetSource,
): AsyncIterable<FastaPiece> {
  const meta = partition.meta as FastaPartitionMeta;
  const range = partition.ranges[0]!;
  if (range.length === 0) return;
  const reader = new ForwardReader(source.stream(range.key, range.offset, range.length), range.offset);
  try {
    for (const { sequence, first, count } of meta.segments) {
      for (let piece = first; piece < first + count; piece++) {
        const [start, end] = pieceBaseRange(sequence, piece);
        const [byteStart, byteEnd] = pieceByteRange(sequence, piece);
        const bytes = await reader.bytes(byteStart, byteEnd);
        if (bytes.length < byteEnd - byteStart) {
          throw new TruncatedDataError(
            { key: range.key, offset: byteStart + bytes.length },
            `sequence ${sequence[0]} ends before base ${end}`,
          );
        }
        const bases = basesOf(bytes, sequence, start, meta, range.key);
        yield { name: sequence[0], start, sequence: bases };
      }
    }
  } finally {
    await reader.close();
  }
}

/**
 * A FASTA partition as a FASTA file: one record per piece, named `name:start-end` (1-based,
 * inclusive, as samtools writes regions), its bases in lines as long as the source's.
 */
export async function fastaPartitionFile(
  partition: Partition,
  source: DatasetSource,
): Promise<PartitionFile[]> {
  const meta = partition.meta as FastaPartitionMeta;
  const widths = new Map(meta.segments.map(({ sequence }) => [sequence[0], sequence[3]]));
  const parts: string[] = [];
  for await (const piece of readFastaPieces(partition, source)) {
    parts.push(`>${piece.name}:${piece.start + 1}-${piece.start + piece.sequence.length}\n`);
    const width = widths.get(piece.name)!;
    for (let at = 0; at < piece.sequence.length; at += width)
      parts.push(`${piece.sequence.slice(at, at + width)}\n`);
  }
  return [{ name: partitionFileName(partition, '.fa'), data: Buffer.from(parts.join(''), 'latin1') }];
}
