import type { DatasetSource } from '../../dataset-source.js';
import { CorruptDataError, InconsistentDataError, TruncatedDataError } from '../../errors.js';
import type { FormatProbe } from '../../format-handler.js';
import { asciiField, hasLasSignature, parseVlrs, VLR_HEADER_BYTES, viewOf } from './las-header.js';
import { readLazHeader } from './laz-format.js';
import { pointCloudHandler } from './point-cloud-handler.js';
import type { PointBlock, PointCloudIndex } from './point-cloud-index.js';

/** COPC's info VLR is the first VLR, right after the 375-byte LAS 1.4 header. */
const COPC_INFO_START = 375;
/** Bytes of one hierarchy entry: key (d, x, y, z), offset, byte size, point count. */
const ENTRY_BYTES = 32;

/** Whether the first bytes are a COPC file: LAS 1.4 whose first VLR is `copc` record 1. */
function isCopc(probe: FormatProbe): boolean {
  const { head } = probe;
  return (
    hasLasSignature(head) &&
    head.length >= COPC_INFO_START + VLR_HEADER_BYTES &&
    head[24] === 1 &&
    head[25] === 4 &&
    asciiField(head, COPC_INFO_START + 2, 16) === 'copc' &&
    viewOf(head).getUint16(COPC_INFO_START + 18, true) === 1
  );
}

/** A page of the hierarchy to read. */
interface PageRef {
  offset: number;
  size: number;
}

/**
 * The COPC index pass: the header, the info VLR and every hierarchy page (small ranged reads,
 * a level of pages at a time), checking that the nodes' point counts add up to the header's and
 * their chunks lie in the object. Each node with points is a block, bounded by its octree cube.
 */
async function indexCopc(source: DatasetSource): Promise<PointCloudIndex> {
  const { key } = source;
  const { layout, headerArea } = await readLazHeader(source, 'copc');
  const { size } = await source.head();
  const info = parseVlrs(headerArea, layout, key)[0];
  if (info?.userId !== 'copc' || info.recordId !== 1 || info.length < 160) {
    throw new CorruptDataError({ key, offset: COPC_INFO_START }, 'the first VLR is not the COPC info VLR');
  }
  const infoView = viewOf(headerArea.subarray(info.start + VLR_HEADER_BYTES));
  const [centerX, centerY, , halfSize] = [0, 8, 16, 24].map((at) => infoView.getFloat64(at, true)) as [
    number,
    number,
    number,
    number,
  ];
  const root: PageRef = {
    offset: Number(infoView.getBigUint64(40, true)),
    size: Number(infoView.getBigUint64(48, true)),
  };
  const blocks: PointBlock[] = [];
  let pages = [root];
  let bytesRead = 0;
  while (pages.length > 0) {
    const contents = await Promise.all(pages.map((page) => readPage(source, page, size)));
    pages = [];
    for (const page of contents) {
      bytesRead += page.length;
      const view = viewOf(page);
      for (let at = 0; at + ENTRY_BYTES <= page.length; at += ENTRY_BYTES) {
        const [depth, x, y] = [0, 4, 8].map((field) => view.getInt32(at + field, true)) as [
          number,
          number,
          number,
        ];
        const offset = Number(view.getBigUint64(at + 16, true));
        const length = view.getInt32(at + 24, true);
        const points = view.getInt32(at + 28, true);
        if (points === -1) {
          pages.push({ offset, size: length });
        } else if (points > 0) {
          if (offset + length > size || length <= 0) {
            throw new TruncatedDataError(
              { key, offset: Math.min(size, offset + Math.max(0, length)) },
              `node ${depth}-${x}-${y} should span bytes ${offset}–${offset + length}, beyond the object's ${size} bytes`,
            );
          }
          const side = (2 * halfSize) / 2 ** depth;
          const minX = centerX - halfSize + x * side;
          const minY = centerY - halfSize + y * side;
          blocks.push({
            offset,
            length,
            points,
            firstPoint: 0,
            bounds: [minX, minY, minX + side, minY + side],
          });
        }
      }
    }
  }
  source.expectBytes(bytesRead);
  blocks.sort((a, b) => a.offset - b.offset);
  let firstPoint = 0;
  for (const [i, block] of blocks.entries()) {
    const previous = blocks[i - 1];
    if (previous && previous.offset + previous.length > block.offset) {
      throw new InconsistentDataError(
        { key, offset: block.offset },
        'two hierarchy nodes share compressed bytes',
      );
    }
    block.firstPoint = firstPoint;
    firstPoint += block.points;
  }
  if (firstPoint !== layout.pointCount) {
    throw new InconsistentDataError(
      { key, offset: root.offset },
      `the hierarchy lists ${firstPoint} points, the header declares ${layout.pointCount}`,
    );
  }
  return { key, layout, blocks };
}

async function readPage(source: DatasetSource, page: PageRef, size: number): Promise<Uint8Array> {
  if (page.offset + page.size > size) {
    throw new TruncatedDataError(
      { key: source.key, offset: size },
      `a hierarchy page should span bytes ${page.offset}–${page.offset + page.size}, beyond the object's ${size} bytes`,
    );
  }
  return source.read(source.key, page.offset, page.size);
}

/** COPC: cloud-optimized LAZ 1.4, partitioned by octree nodes. */
export const copcFormat = pointCloudHandler({
  name: 'copc',
  description: 'COPC cloud-optimized point clouds (LAZ 1.4 octree; partitions are sets of nodes)',
  indexVersion: 1,
  detect: isCopc,
  index: indexCopc,
});
