import type { DatasetSource } from '../../dataset-source.js';
import { FormatMismatchError, InconsistentDataError, TruncatedDataError } from '../../errors.js';
import { hasLasSignature, isCompressedHead, type LasLayout, parseLasHeader } from './las-header.js';
import { pointCloudHandler } from './point-cloud-handler.js';
import type { PointBlock, PointCloudIndex } from './point-cloud-index.js';

/** The most a LAS header block can take (LAS 1.4), read first by every index pass. */
export const HEADER_PROBE_BYTES = 375;
/** Bytes of raw records the index pass groups into one block (with its bounds). */
const BLOCK_BYTES = 2 * 1024 * 1024;

/** The header of a LAS/LAZ/COPC object, after checking whether it is compressed. */
export async function readLayout(
  source: DatasetSource,
  compressed: boolean,
  format: string,
): Promise<LasLayout> {
  const layout = parseLasHeader(await source.readUpTo(source.key, 0, HEADER_PROBE_BYTES), source.key);
  if (layout.compressed !== compressed) {
    throw new FormatMismatchError(
      { key: source.key, offset: 104 },
      `the point format byte says ${layout.compressed ? 'compressed (LAZ)' : 'uncompressed (LAS)'} points, not ${format}`,
    );
  }
  return layout;
}

/**
 * The LAS index pass: checks that the header's point count matches the bytes of point data,
 * then streams the records once, grouping them into blocks of about 2 MiB with their X/Y bounds
 * (so spatial strategies skip blocks) and checking every point lies within the header's bounds.
 */
async function indexLas(source: DatasetSource): Promise<PointCloudIndex> {
  const { key } = source;
  const layout = await readLayout(source, false, 'las');
  const { size } = await source.head();
  const { pointDataOffset, recordLength, pointCount } = layout;
  const dataEnd = layout.evlrStart > 0 ? layout.evlrStart : size;
  const available = dataEnd - pointDataOffset;
  const expected = pointCount * recordLength;
  if (expected !== available) {
    throw new InconsistentDataError(
      { key, offset: pointDataOffset + Math.min(expected, Math.max(0, available)) },
      `the header declares ${pointCount} points of ${recordLength} bytes (${expected} bytes from byte ` +
        `${pointDataOffset}), but ${available} bytes of point data are there`,
    );
  }
  source.expectBytes(HEADER_PROBE_BYTES + expected);
  const blocks = await scanRecords(source, layout);
  return { key, layout, blocks };
}

/** Streams the records, measuring the bounds of each block and checking them against the header's. */
async function scanRecords(source: DatasetSource, layout: LasLayout): Promise<PointBlock[]> {
  const { key } = source;
  const { pointDataOffset, recordLength, pointCount, scale, offset } = layout;
  const perBlock = Math.max(1, Math.floor(BLOCK_BYTES / recordLength));
  // The header's bounds as raw integers, one unit of slack for rounding.
  const [minX, minY, , maxX, maxY] = layout.bounds as [number, number, number, number, number];
  const limits = [
    Math.floor((minX - offset[0]!) / scale[0]!) - 1,
    Math.floor((minY - offset[1]!) / scale[1]!) - 1,
    Math.ceil((maxX - offset[0]!) / scale[0]!) + 1,
    Math.ceil((maxY - offset[1]!) / scale[1]!) + 1,
  ] as [number, number, number, number];
  const blocks: PointBlock[] = [];
  let box = [Infinity, Infinity, -Infinity, -Infinity];
  let point = 0;
  const visit = (view: DataView, at: number) => {
    const x = view.getInt32(at, true);
    const y = view.getInt32(at + 4, true);
    if (x < limits[0] || x > limits[2] || y < limits[1] || y > limits[3]) {
      throw new InconsistentDataError(
        { key, offset: pointDataOffset + point * recordLength },
        `point ${point} (${x * scale[0]! + offset[0]!}, ${y * scale[1]! + offset[1]!}) lies outside the header's bounds`,
      );
    }
    if (x < box[0]!) box[0] = x;
    if (y < box[1]!) box[1] = y;
    if (x > box[2]!) box[2] = x;
    if (y > box[3]!) box[3] = y;
    point++;
    if (point % perBlock === 0 || point === pointCount) {
      const points = point - (blocks.length ? blocks.at(-1)!.firstPoint + blocks.at(-1)!.points : 0);
      const firstPoint = point - points;
      blocks.push({
        offset: pointDataOffset + firstPoint * recordLength,
        length: points * recordLength,
        points,
        firstPoint,
        bounds: [
          box[0]! * scale[0]! + offset[0]!,
          box[1]! * scale[1]! + offset[1]!,
          box[2]! * scale[0]! + offset[0]!,
          box[3]! * scale[1]! + offset[1]!,
        ],
      });
      box = [Infinity, Infinity, -Infinity, -Infinity];
    }
  };
  const carry = new Uint8Array(recordLength);
  const carryView = new DataView(carry.buffer);
  let carried = 0;
  for await (const chunk of source.stream(key, pointDataOffset, pointCount * recordLength)) {
    let at = 0;
    if (carried > 0) {
      const needed = Math.min(recordLength - carried, chunk.length);
      carry.set(chunk.subarray(0, needed), carried);
      carried += needed;
      at = needed;
      if (carried < recordLength) continue;
      visit(carryView, 0);
      carried = 0;
    }
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (; at + recordLength <= chunk.length; at += recordLength) visit(view, at);
    carry.set(chunk.subarray(at), 0);
    carried = chunk.length - at;
  }
  if (point < pointCount) {
    throw new TruncatedDataError(
      { key, offset: pointDataOffset + point * recordLength + carried },
      `the point data ends after ${point} of ${pointCount} points`,
    );
  }
  return blocks;
}

/** LAS 1.0–1.4, point formats 0–10 (uncompressed). */
export const lasFormat = pointCloudHandler({
  name: 'las',
  description: 'LAS point clouds (1.0–1.4, point formats 0–10)',
  indexVersion: 1,
  detect: (probe) => hasLasSignature(probe.head) && !isCompressedHead(probe.head),
  index: indexLas,
});
