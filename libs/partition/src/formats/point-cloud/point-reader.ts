import type { DatasetSource } from '../../dataset-source.js';
import type { Partition } from '../../partition.js';
import { viewOf } from './las-header.js';
import { pointXY } from './las-point.js';
import { decompressLazChunk } from './laz-decoder.js';
import { keepsPoint } from './point-filter.js';
import { type PointPartitionMeta, type PointPiece, pointMeta } from './point-plan.js';

/** Bytes of raw LAS records fetched per request (so memory stays bounded for big partitions). */
const RAW_READ_BYTES = 4 * 1024 * 1024;

/** Uncompressed records of a partition, a run at a time. */
export interface PointRun {
  /** `count × recordLength` bytes of LAS point records. */
  records: Uint8Array;
  count: number;
  /** The compressed chunk these records are, whole and unfiltered (LAZ/COPC only). */
  chunk?: Uint8Array;
}

/** A fetch the reader makes, and how its bytes become records. */
interface PointRead {
  offset: number;
  length: number;
  piece: PointPiece;
  /** Raw records: the first record's position in the piece (sub-reads of big pieces). */
  records?: number;
}

function readsOf(meta: PointPartitionMeta): PointRead[] {
  if (meta.layout.compressed)
    return meta.pieces.map((piece) => ({ offset: piece.offset, length: piece.length, piece }));
  const recordLength = meta.layout.recordLength;
  const perRead = Math.max(1, Math.floor(RAW_READ_BYTES / recordLength));
  const reads: PointRead[] = [];
  for (const piece of meta.pieces) {
    for (let first = 0; first < piece.take; first += perRead) {
      const count = Math.min(perRead, piece.take - first);
      reads.push({
        offset: piece.offset + first * recordLength,
        length: count * recordLength,
        piece,
        records: count,
      });
    }
  }
  return reads;
}

/**
 * The partition's points as runs of uncompressed records, in file order: each of its ranges is
 * fetched once (the next one while the current one decodes), LAZ chunks decoded with laz-perf,
 * the points to skip dropped, and a spatial filter applied.
 */
export async function* readPointRuns(partition: Partition, source: DatasetSource): AsyncIterable<PointRun> {
  const meta = pointMeta(partition);
  const { layout, filter } = meta;
  const reads = readsOf(meta);
  const fetch = (read: PointRead) => {
    const bytes = source.read(source.key, read.offset, read.length);
    bytes.catch(() => undefined);
    return bytes;
  };
  let next = reads.length ? fetch(reads[0]!) : undefined;
  for (let i = 0; i < reads.length; i++) {
    const read = reads[i]!;
    const bytes = await next!;
    next = i + 1 < reads.length ? fetch(reads[i + 1]!) : undefined;
    let run: PointRun;
    if (layout.compressed) {
      const { piece } = read;
      const decoded = await decompressLazChunk(
        bytes,
        layout.pointFormat,
        layout.recordLength,
        piece.skip + piece.take,
      );
      const whole = piece.skip === 0 && piece.take === piece.points && !filter;
      run = {
        records: decoded.subarray(piece.skip * layout.recordLength),
        count: piece.take,
        ...(whole ? { chunk: bytes } : {}),
      };
    } else {
      run = { records: bytes, count: read.records! };
    }
    yield filter ? filtered(run, meta) : run;
  }
}

function filtered(run: PointRun, meta: PointPartitionMeta): PointRun {
  const { layout, filter } = meta;
  const size = layout.recordLength;
  const view = viewOf(run.records);
  const kept = new Uint8Array(run.records.length);
  let count = 0;
  for (let i = 0; i < run.count; i++) {
    const [x, y] = pointXY(view, i * size, layout);
    if (keepsPoint(filter!, x, y)) kept.set(run.records.subarray(i * size, (i + 1) * size), size * count++);
  }
  return { records: kept.subarray(0, count * size), count };
}
