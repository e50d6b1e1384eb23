import { compareVirtualOffsets, inflateBgzf } from '../../codecs/bgzf.js';
import type { DatasetSource } from '../../dataset-source.js';
import { CorruptDataError, InconsistentDataError } from '../../errors.js';
import type { Partition } from '../../partition.js';
import { decodedPieces } from './decoded-pieces.js';
import { positionOf } from './genomic-index.js';
import type { GenomicPartitionMeta } from './genomic-plan.js';
import type { AnyGenomicRecordSpec, GenomicHeader, RecordLocus } from './genomic-record-spec.js';
import { type GenomicRegion, regionHolds } from './genomic-region.js';
import { type Frame, recordFrames } from './record-frames.js';

/** A partition's header: its raw bytes (for `toFile`) and what the spec parsed from them. */
export interface PartitionHeader<THeader extends GenomicHeader = GenomicHeader> {
  bytes: Uint8Array;
  header: THeader;
}

/** Reads and parses the header of the partition's dataset (a small read at its start). */
export async function readPartitionHeader(
  spec: AnyGenomicRecordSpec,
  partition: Partition,
  source: DatasetSource,
): Promise<PartitionHeader> {
  const meta = partition.meta as GenomicPartitionMeta;
  const key = partition.dataset.key;
  const raw = await source.read(key, 0, meta.headerBytes);
  const bytes = meta.compressed
    ? inflateBgzf(raw, key, positionOf(meta.headerEnd))
    : raw.subarray(0, meta.headerEnd[0]);
  return { bytes, header: spec.parseHeader(bytes, key) };
}

function pastRegion(region: GenomicRegion, locus: RecordLocus): boolean {
  return locus.reference !== region.reference || (region.end !== null && locus.position > region.end);
}

/**
 * The raw records of a partition (with their positions), in file order: decoding starts at its
 * checkpoint, skips and takes the planned numbers of records, keeps those of its region, and
 * fetches only its range.
 */
export async function* partitionRecordBytes(
  spec: AnyGenomicRecordSpec,
  partition: Partition,
  source: DatasetSource,
  header: GenomicHeader,
): AsyncIterable<Frame> {
  const meta = partition.meta as GenomicPartitionMeta;
  const key = partition.dataset.key;
  const range = partition.ranges.at(-1);
  if (meta.take === 0 || !range || range.offset !== meta.from[0] || range.length === 0) return;
  const until = positionOf(meta.until);
  const pieces = decodedPieces(source, {
    key,
    compressed: meta.compressed,
    from: positionOf(meta.from),
    length: range.length,
  });
  const frames = recordFrames(pieces, spec.recordLength, {
    key,
    compressed: meta.compressed,
    acceptCutLastFrame: spec.textLines,
  });
  let skipped = 0;
  let taken = 0;
  for await (const frame of frames) {
    if (compareVirtualOffsets(frame.start, until) >= 0) break;
    if (skipped < meta.skip) {
      skipped++;
      continue;
    }
    if (meta.region) {
      const locus = spec.locate(frame.bytes, header);
      if (typeof locus === 'string') throw new CorruptDataError({ key, offset: frame.start.block }, locus);
      if (!regionHolds(meta.region, locus.reference, locus.position)) {
        if (meta.sorted && pastRegion(meta.region, locus)) break;
        continue;
      }
    }
    yield frame;
    taken++;
    if (taken === meta.take) return;
  }
  if (meta.take !== null && taken < meta.take) {
    throw new InconsistentDataError(
      { key, offset: meta.from[0] },
      `partition ${partition.index} should hold ${meta.take} records, the data has ${taken}`,
    );
  }
}
