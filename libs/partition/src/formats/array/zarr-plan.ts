import { InvalidStrategyError } from '../../errors.js';
import type { PartitionPlan, PartitionRange } from '../../partition.js';
import type { GenericStrategy } from '../../strategy.js';
import { type ArrayLayout, arrayLayout } from './array-layout.js';
import type { ArrayMetadata } from './chunk-decoder.js';
import { boxCells, gridCoordinates, gridOrdinal } from './chunk-grid.js';
import type { ChunksStrategy } from './chunks-strategy.js';
import type { ZarrIndex } from './zarr-index.js';

/**
 * A record of a partition: `[array, ordinal, range, offset, length]` where `array` is a position
 * in the partition's `arrays`, `ordinal` the chunk's C-order position in that array's chunk grid,
 * and the bytes are `length` bytes at `offset` of the partition's range `range`; `[array, ordinal]`
 * for a chunk the store does not hold (it reads as the fill value).
 */
export type RecordEntry = number[];

/** What a Zarr partition carries for its reader: the metadata of its arrays and its records. */
export type ZarrPartitionMeta = {
  zarrFormat: 2 | 3;
  arrays: ArrayMetadata[];
  records: RecordEntry[];
};

/** A chunk of the store: an array (its position in the index) and the chunk's ordinal in it. */
interface ChunkRef {
  array: number;
  ordinal: number;
}

/** Ranges are merged while contiguous, up to this size, so a shard's chunks come in one read. */
const MAX_MERGED_RANGE = 16 * 1024 * 1024;

/** The layout of every array of an index (the key of its metadata names it in errors). */
export function indexLayouts(index: ZarrIndex): ArrayLayout[] {
  return index.arrays.map((entry) =>
    arrayLayout(index.zarrFormat, metadataKey(index.key, index.zarrFormat, entry.path), entry.document),
  );
}

/** The key of an array's metadata document. */
export function metadataKey(storeKey: string, zarrFormat: 2 | 3, path: string): string {
  return `${storeKey}/${path ? `${path}/` : ''}${zarrFormat === 2 ? '.zarray' : 'zarr.json'}`;
}

/** Every chunk of the store: array after array (key order), each in C order of its chunk grid. */
function allChunks(index: ZarrIndex): ChunkRef[] {
  return index.arrays.flatMap((entry, array) => entry.sizes.map((_, ordinal) => ({ array, ordinal })));
}

/** Where cuts fall so that pieces hold about the same weight: the first record of each piece. */
function evenCuts(weights: readonly number[], pieces: number): number[] {
  const prefix = [0];
  for (const weight of weights) prefix.push(prefix.at(-1)! + weight);
  const total = prefix.at(-1)!;
  const cuts = [0];
  for (let i = 1; i < pieces; i++) {
    const target = (total * i) / pieces;
    let low = 0;
    let high = weights.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (prefix[middle]! < target) low = middle + 1;
      else high = middle;
    }
    const nearest = low > 0 && target - prefix[low - 1]! < prefix[low]! - target ? low - 1 : low;
    if (nearest > cuts.at(-1)! && nearest < weights.length) cuts.push(nearest);
  }
  return cuts;
}

/** The generic strategies over every chunk of the store; sizes weigh `count` and `bytes`. */
function genericPieces(index: ZarrIndex, strategy: GenericStrategy): ChunkRef[][] {
  const chunks = allChunks(index);
  if (chunks.length === 0) return [[]];
  let cuts: number[];
  if (strategy.by === 'records') {
    cuts = [];
    for (let first = 0; first < chunks.length; first += strategy.records) cuts.push(first);
  } else {
    const sizes = chunks.map(({ array, ordinal }) => Math.max(0, index.arrays[array]!.sizes[ordinal]!));
    const bytes = sizes.reduce((total, size) => total + size, 0);
    const weights = bytes > 0 ? sizes : sizes.map(() => 1);
    const wanted = strategy.by === 'count' ? strategy.count : Math.ceil(Math.max(1, bytes) / strategy.bytes);
    cuts = evenCuts(weights, Math.min(chunks.length, wanted));
  }
  return cuts.map((first, i) => chunks.slice(first, cuts[i + 1] ?? chunks.length));
}

/** The position of an array in the index from a strategy's `array` (a path; the first array when omitted). */
function chosenArray(index: ZarrIndex, path: string | undefined): number {
  if (index.arrays.length === 0) throw new InvalidStrategyError('the store holds no array');
  if (path === undefined) return 0;
  const wanted = path.replace(/^\/+|\/+$/g, '');
  const position = index.arrays.findIndex((entry) => entry.path === wanted);
  if (position < 0) {
    const known = index.arrays.map((entry) => JSON.stringify(entry.path)).join(', ');
    throw new InvalidStrategyError(`no array ${JSON.stringify(path)} in the store; its arrays: ${known}`);
  }
  return position;
}

/** The `chunks` strategy: blocks of the chosen array's chunk grid (sharded arrays: a shard each by default). */
function blockPieces(index: ZarrIndex, layouts: ArrayLayout[], strategy: ChunksStrategy): ChunkRef[][] {
  const array = chosenArray(index, strategy.array);
  const { grid, sharding } = layouts[array]!;
  const perBlock = strategy.chunksPerPartition ?? sharding?.perShard ?? grid.map(() => 1);
  if (perBlock.length !== grid.length) {
    throw new InvalidStrategyError(
      `chunksPerPartition has ${perBlock.length} dimensions, array ${JSON.stringify(index.arrays[array]!.path)} has ${grid.length}`,
    );
  }
  const blocks = grid.map((chunks, d): [number, number] => [0, Math.ceil(chunks / perBlock[d]!)]);
  const pieces: ChunkRef[][] = [];
  for (const block of boxCells(blocks)) {
    const box = block.map((b, d): [number, number] => [
      b * perBlock[d]!,
      Math.min(grid[d]!, (b + 1) * perBlock[d]!),
    ]);
    pieces.push([...boxCells(box)].map((chunk) => ({ array, ordinal: gridOrdinal(chunk, grid) })));
  }
  return pieces.length > 0 ? pieces : [[]];
}

/** A short description of a piece: its first and last chunk. */
function pieceLabel(index: ZarrIndex, layouts: ArrayLayout[], piece: ChunkRef[]): string {
  const name = ({ array, ordinal }: ChunkRef) =>
    `${index.arrays[array]!.path || '/'}[${gridCoordinates(ordinal, layouts[array]!.grid).join(',')}]`;
  if (piece.length === 0) return 'no chunks';
  const first = name(piece[0]!);
  return piece.length === 1 ? `chunk ${first}` : `${piece.length} chunks ${first}–${name(piece.at(-1)!)}`;
}

/** The partition of a piece: its records, their byte ranges (contiguous ones merged) and its arrays' metadata. */
function piecePlan(index: ZarrIndex, layouts: ArrayLayout[], piece: ChunkRef[]): PartitionPlan {
  const ranges: PartitionRange[] = [];
  const arrays: number[] = [];
  const records: RecordEntry[] = piece.map(({ array, ordinal }) => {
    if (!arrays.includes(array)) arrays.push(array);
    const position = arrays.indexOf(array);
    const entry = index.arrays[array]!;
    const size = entry.sizes[ordinal]!;
    if (size < 0) return [position, ordinal];
    const layout = layouts[array]!;
    const chunk = gridCoordinates(ordinal, layout.grid);
    const perShard = layout.sharding?.perShard;
    const stored = perShard ? chunk.map((c, d) => Math.floor(c / perShard[d]!)) : chunk;
    const key = `${index.key}/${entry.path ? `${entry.path}/` : ''}${layout.storedKey(stored)}`;
    const offset = entry.offsets?.[ordinal] ?? 0;
    const last = ranges.at(-1);
    if (
      last &&
      last.key === key &&
      last.offset + last.length === offset &&
      last.length + size <= MAX_MERGED_RANGE
    ) {
      last.length += size;
      return [position, ordinal, ranges.length - 1, last.length - size, size];
    }
    ranges.push({ key, offset, length: size });
    return [position, ordinal, ranges.length - 1, 0, size];
  });
  const meta: ZarrPartitionMeta = {
    zarrFormat: index.zarrFormat,
    arrays: arrays.map((array) => {
      const { path, document, attributes } = index.arrays[array]!;
      return { path, document, attributes };
    }),
    records,
  };
  return { ranges, records: records.length, label: pieceLabel(index, layouts, piece), meta };
}

/** The partitions of a Zarr store for a strategy. */
export function planZarr(index: ZarrIndex, strategy: GenericStrategy | ChunksStrategy): PartitionPlan[] {
  const layouts = indexLayouts(index);
  const pieces =
    strategy.by === 'chunks' ? blockPieces(index, layouts, strategy) : genericPieces(index, strategy);
  return pieces.map((piece) => piecePlan(index, layouts, piece));
}

/** The number of chunks of every array. */
export function chunkCount(index: ZarrIndex): number {
  return index.arrays.reduce((total, entry) => total + entry.sizes.length, 0);
}
