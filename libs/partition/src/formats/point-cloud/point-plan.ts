import type { Partition, PartitionPlan, PartitionRange } from '../../partition.js';
import { checkpointSpan, planRecordIntervals, type RecordLayout } from '../../record-intervals.js';
import type { GenericStrategy } from '../../strategy.js';
import type { BoundingBoxStrategy, TilesStrategy } from '../spatial-strategies.js';
import type { PointBlock, PointCloudIndex } from './point-cloud-index.js';
import { boxesOverlap, filterRegion, type PointFilter } from './point-filter.js';

/**
 * A byte range a partition reads and the points it takes from it: for raw LAS records, exactly
 * the records (`skip` 0); for a LAZ chunk or COPC node, the whole chunk, of which the reader
 * decodes `skip + take` points and keeps the last `take` (`points` is the chunk's count).
 */
export type PointPiece = { offset: number; length: number; points: number; skip: number; take: number };

/** What a point-cloud partition carries in `meta`. */
export type PointPartitionMeta = {
  layout: PointCloudIndex['layout'];
  pieces: PointPiece[];
  filter?: PointFilter;
};

/** The partitions of a point cloud for any strategy its handler offers. */
export function planPointCloud(
  index: PointCloudIndex,
  strategy: GenericStrategy | TilesStrategy | BoundingBoxStrategy,
): PartitionPlan[] {
  const { key } = index;
  switch (strategy.by) {
    case 'count':
    case 'bytes':
    case 'records':
      return planSequential(index, key, strategy);
    case 'tiles':
      return planTiles(index, key, strategy);
    case 'bbox':
      return planBoundingBox(index, key, strategy);
  }
}

function planSequential(index: PointCloudIndex, key: string, strategy: GenericStrategy): PartitionPlan[] {
  const { layout, blocks } = index;
  const start = blocks[0]?.offset ?? layout.pointDataOffset;
  const end = blocks.length ? blocks.at(-1)!.offset + blocks.at(-1)!.length : start;
  const recordLayout: RecordLayout = {
    records: layout.pointCount,
    start,
    end,
    // Raw records can start anywhere: cuts are interpolated; chunks must be decoded from their start.
    checkpoints: layout.compressed
      ? blocks.map((block) => ({ record: block.firstPoint, byte: block.offset }))
      : [{ record: 0, byte: start }],
  };
  return planRecordIntervals(recordLayout, strategy).map((interval) => {
    const pieces = layout.compressed
      ? chunkPieces(blocks, checkpointSpan(recordLayout, interval))
      : recordPieces(index, interval.first, interval.end);
    return plan(
      key,
      { layout, pieces },
      `points ${interval.first}–${interval.end - 1}`,
      interval.end - interval.first,
    );
  });
}

/** The bytes of raw LAS records `[first, end)`. */
function recordPieces(index: PointCloudIndex, first: number, end: number): PointPiece[] {
  if (end <= first) return [];
  const { pointDataOffset, recordLength } = index.layout;
  const take = end - first;
  return [
    {
      offset: pointDataOffset + first * recordLength,
      length: take * recordLength,
      points: take,
      skip: 0,
      take,
    },
  ];
}

/** The chunks to decode for a span of points, with what to skip and take in each. */
function chunkPieces(blocks: PointBlock[], span: ReturnType<typeof checkpointSpan>): PointPiece[] {
  const pieces: PointPiece[] = [];
  let skip = span.skip;
  let take = span.take;
  let i = blocks.findIndex(
    (block) => block.firstPoint === span.from.record && block.offset === span.from.byte,
  );
  for (; take > 0 && i >= 0 && i < blocks.length; i++) {
    const block = blocks[i]!;
    const skipHere = Math.min(skip, block.points);
    const takeHere = Math.min(take, block.points - skipHere);
    skip -= skipHere;
    take -= takeHere;
    if (takeHere > 0) {
      pieces.push({
        offset: block.offset,
        length: block.length,
        points: block.points,
        skip: skipHere,
        take: takeHere,
      });
    }
  }
  return pieces;
}

/** The pieces of whole blocks. */
function wholeBlocks(blocks: PointBlock[]): PointPiece[] {
  return blocks.map((block) => ({
    offset: block.offset,
    length: block.length,
    points: block.points,
    skip: 0,
    take: block.points,
  }));
}

/** The blocks a filter may keep points of (all of them when blocks have no bounds). */
function blocksFor(index: PointCloudIndex, filter: PointFilter): PointBlock[] {
  const region = filterRegion(filter);
  return index.blocks.filter((block) => !block.bounds || boxesOverlap(block.bounds, region));
}

/** The extent tiles cut: the header's `[minX, minY, maxX, maxY]`. */
function extentOf(index: PointCloudIndex): number[] {
  const [minX, minY, , maxX, maxY] = index.layout.bounds as [number, number, number, number, number];
  return [minX, minY, maxX, maxY];
}

function planTiles(index: PointCloudIndex, key: string, strategy: TilesStrategy): PartitionPlan[] {
  const side = Math.max(1, Math.round(Math.sqrt(index.blocks.length)));
  const [columns, rows] = strategy.grid ?? [side, side];
  const extent = extentOf(index);
  const plans: PartitionPlan[] = [];
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const filter: PointFilter = { kind: 'tile', extent, grid: [columns, rows], tile: [column, row] };
      const pieces = wholeBlocks(blocksFor(index, filter));
      plans.push(
        plan(key, { layout: index.layout, pieces, filter }, `tile ${column},${row} of ${columns}×${rows}`),
      );
    }
  }
  return plans;
}

/**
 * The points inside a bounding box, in at most `count` partitions of whole blocks with about
 * the same number of points (fewer when fewer blocks intersect the box).
 */
function planBoundingBox(
  index: PointCloudIndex,
  key: string,
  strategy: BoundingBoxStrategy,
): PartitionPlan[] {
  const filter: PointFilter = { kind: 'bbox', bbox: [...strategy.bbox] };
  const blocks = blocksFor(index, filter);
  const count = Math.max(1, Math.min(strategy.count ?? 1, blocks.length));
  const total = blocks.reduce((sum, block) => sum + block.points, 0);
  const groups: PointBlock[][] = Array.from({ length: count }, () => []);
  let seen = 0;
  for (const block of blocks) {
    groups[Math.min(count - 1, Math.floor((seen * count) / Math.max(1, total)))]!.push(block);
    seen += block.points;
  }
  return groups
    .filter((group, i) => group.length > 0 || i === 0)
    .map((group, i, kept) =>
      plan(
        key,
        { layout: index.layout, pieces: wholeBlocks(group), filter },
        `bbox ${strategy.bbox.join(',')} part ${i + 1} of ${kept.length}`,
      ),
    );
}

function plan(key: string, meta: PointPartitionMeta, label: string, records?: number): PartitionPlan {
  return {
    ranges: mergedRanges(key, meta.pieces),
    ...(records === undefined ? {} : { records }),
    label,
    meta,
  };
}

/** The pieces' bytes as ranges, adjacent pieces merged (one request each). */
function mergedRanges(key: string, pieces: PointPiece[]): PartitionRange[] {
  const ranges: PartitionRange[] = [];
  for (const piece of pieces) {
    const last = ranges.at(-1);
    if (last && last.offset + last.length === piece.offset) last.length += piece.length;
    else ranges.push({ key, offset: piece.offset, length: piece.length });
  }
  return ranges;
}

/** The meta of a point-cloud partition. */
export function pointMeta(partition: Partition): PointPartitionMeta {
  return partition.meta as PointPartitionMeta;
}
