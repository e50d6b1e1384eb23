import type { LasLayout } from './las-header.js';
import { parseVlrs, VLR_HEADER_BYTES, viewOf } from './las-header.js';
import { pointReturnNumber } from './las-point.js';
import { CHUNK_TABLE_HEADER_BYTES, encodeChunkTable, type LazChunkEntry } from './laz-chunk-table.js';
import type { PointRun } from './point-reader.js';

/** The user id of the LASzip VLR (kept in LAZ output, dropped from LAS output). */
export const LASZIP_USER_ID = 'laszip encoded';
/** The user id of COPC's VLRs (dropped: a piece of a COPC file is not a COPC file). */
const COPC_USER_ID = 'copc';
/** The chunk size LASzip writes for variable-size chunks. */
export const VARIABLE_CHUNK_SIZE = 0xffffffff;

/** The LASzip VLR's chunk size (points per chunk, or `VARIABLE_CHUNK_SIZE`) at its payload. */
export function laszipChunkSize(headerArea: Uint8Array, payloadStart: number): number {
  return viewOf(headerArea).getUint32(payloadStart + 12, true);
}

/** Point count, bounds and points per return of some records. */
interface PointStats {
  count: number;
  min: number[];
  max: number[];
  byReturn: number[];
}

function statsOf(runs: PointRun[], layout: LasLayout): PointStats {
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  const byReturn = new Array<number>(16).fill(0);
  let count = 0;
  for (const run of runs) {
    const view = viewOf(run.records);
    for (let i = 0; i < run.count; i++) {
      const at = i * layout.recordLength;
      for (let axis = 0; axis < 3; axis++) {
        const value = view.getInt32(at + 4 * axis, true) * layout.scale[axis]! + layout.offset[axis]!;
        if (value < min[axis]!) min[axis] = value;
        if (value > max[axis]!) max[axis] = value;
      }
      byReturn[pointReturnNumber(view, at, layout.pointFormat >= 6)]!++;
    }
    count += run.count;
  }
  return count === 0 ? { count, min: [0, 0, 0], max: [0, 0, 0], byReturn } : { count, min, max, byReturn };
}

/**
 * A LAS or LAZ file holding `runs`: the original header and VLRs (without COPC's, and without
 * LASzip's for LAS output), with the point count, points per return and bounds of these points
 * and no extended VLRs. LAZ output (when every run is a whole compressed chunk) copies the chunks
 * byte for byte and writes a new chunk table; otherwise the records go uncompressed (LAS).
 */
export function writePointFile(
  headerArea: Uint8Array,
  layout: LasLayout,
  runs: PointRun[],
  key: string,
): { data: Uint8Array; compressed: boolean } {
  const compressed = layout.compressed && runs.every((run) => run.chunk);
  const kept = parseVlrs(headerArea, layout, key).filter(
    (vlr) => vlr.userId !== COPC_USER_ID && (compressed || vlr.userId !== LASZIP_USER_ID),
  );
  const vlrBytes = kept.reduce((total, vlr) => total + VLR_HEADER_BYTES + vlr.length, 0);
  const pointDataOffset = layout.headerSize + vlrBytes;
  const stats = statsOf(runs, layout);
  const points = compressed ? compressedPoints(headerArea, runs, kept, pointDataOffset) : rawPoints(runs);
  const file = new Uint8Array(pointDataOffset + points.length);
  file.set(headerArea.subarray(0, layout.headerSize));
  let at = layout.headerSize;
  for (const vlr of kept) {
    file.set(headerArea.subarray(vlr.start, vlr.start + VLR_HEADER_BYTES + vlr.length), at);
    at += VLR_HEADER_BYTES + vlr.length;
  }
  file.set(points, pointDataOffset);
  writeHeaderFields(viewOf(file), layout, { pointDataOffset, vlrCount: kept.length, compressed, stats });
  return { data: file, compressed };
}

function rawPoints(runs: PointRun[]): Uint8Array {
  const bytes = new Uint8Array(runs.reduce((total, run) => total + run.records.length, 0));
  let at = 0;
  for (const run of runs) {
    bytes.set(run.records, at);
    at += run.records.length;
  }
  return bytes;
}

/** The chunk table's position (8 bytes), the chunks as they were, and a chunk table listing them. */
function compressedPoints(
  headerArea: Uint8Array,
  runs: PointRun[],
  kept: ReturnType<typeof parseVlrs>,
  pointDataOffset: number,
): Uint8Array {
  const laszip = kept.find((vlr) => vlr.userId === LASZIP_USER_ID)!;
  const variable = laszipChunkSize(headerArea, laszip.start + VLR_HEADER_BYTES) === VARIABLE_CHUNK_SIZE;
  const entries: LazChunkEntry[] = runs.map((run) => ({ bytes: run.chunk!.length, points: run.count }));
  const table = encodeChunkTable(entries, variable);
  const chunkBytes = entries.reduce((total, entry) => total + entry.bytes, 0);
  const bytes = new Uint8Array(CHUNK_TABLE_HEADER_BYTES + chunkBytes + table.length);
  viewOf(bytes).setBigInt64(0, BigInt(pointDataOffset + CHUNK_TABLE_HEADER_BYTES + chunkBytes), true);
  let at = CHUNK_TABLE_HEADER_BYTES;
  for (const run of runs) {
    bytes.set(run.chunk!, at);
    at += run.chunk!.length;
  }
  bytes.set(table, at);
  return bytes;
}

function writeHeaderFields(
  view: DataView,
  layout: LasLayout,
  fields: { pointDataOffset: number; vlrCount: number; compressed: boolean; stats: PointStats },
): void {
  const { stats } = fields;
  view.setUint32(96, fields.pointDataOffset, true);
  view.setUint32(100, fields.vlrCount, true);
  view.setUint8(104, layout.pointFormat | (fields.compressed ? 0x80 : 0));
  const legacy = layout.pointFormat < 6 && stats.count <= 0xffffffff;
  view.setUint32(107, legacy ? stats.count : 0, true);
  for (let r = 1; r <= 5; r++) view.setUint32(111 + 4 * (r - 1), legacy ? stats.byReturn[r]! : 0, true);
  for (let axis = 0; axis < 3; axis++) {
    view.setFloat64(179 + 16 * axis, stats.max[axis]!, true);
    view.setFloat64(187 + 16 * axis, stats.min[axis]!, true);
  }
  if (layout.versionMinor >= 4 && layout.headerSize >= 375) {
    view.setBigUint64(235, 0n, true);
    view.setUint32(243, 0, true);
    view.setBigUint64(247, BigInt(stats.count), true);
    for (let r = 1; r <= 15; r++) view.setBigUint64(255 + 8 * (r - 1), BigInt(stats.byReturn[r]!), true);
  }
}
