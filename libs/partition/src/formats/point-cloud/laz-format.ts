import type { DatasetSource } from '../../dataset-source.js';
import {
  CorruptDataError,
  FormatMismatchError,
  InconsistentDataError,
  TruncatedDataError,
} from '../../errors.js';
import { HEADER_PROBE_BYTES, readLayout } from './las-format.js';
import {
  hasLasSignature,
  isCompressedHead,
  type LasLayout,
  parseVlrs,
  VLR_HEADER_BYTES,
  viewOf,
} from './las-header.js';
import { LASZIP_USER_ID, laszipChunkSize, VARIABLE_CHUNK_SIZE } from './las-writer.js';
import { CHUNK_TABLE_HEADER_BYTES, decodeChunkEntries, MAX_CHUNK_ENTRY_BYTES } from './laz-chunk-table.js';
import { pointCloudHandler, readHeaderArea } from './point-cloud-handler.js';
import type { PointBlock, PointCloudIndex } from './point-cloud-index.js';

/** The point formats laz-perf decodes. */
const LAZ_POINT_FORMATS = [0, 1, 2, 3, 6, 7, 8];

/**
 * The header area of a LAZ file and its LASzip chunk size, after checking that laz-perf can
 * decode its points.
 */
export async function readLazHeader(
  source: DatasetSource,
  format: string,
): Promise<{ layout: LasLayout; headerArea: Uint8Array; chunkSize: number }> {
  const { key } = source;
  const layout = await readLayout(source, true, format);
  if (!LAZ_POINT_FORMATS.includes(layout.pointFormat)) {
    throw new FormatMismatchError(
      { key, offset: 104 },
      `point format ${layout.pointFormat} cannot be decompressed (laz-perf reads formats ${LAZ_POINT_FORMATS.join(', ')})`,
    );
  }
  const headerArea = await readHeaderArea(source, layout.pointDataOffset);
  const laszip = parseVlrs(headerArea, layout, key).find((vlr) => vlr.userId === LASZIP_USER_ID);
  if (!laszip)
    throw new CorruptDataError({ key, offset: layout.headerSize }, 'compressed points but no LASzip VLR');
  return { layout, headerArea, chunkSize: laszipChunkSize(headerArea, laszip.start + VLR_HEADER_BYTES) };
}

/**
 * The LAZ index pass: reads the header, the LASzip VLR and the chunk table (a few small ranged
 * reads, never the compressed points), and checks that the chunks' sizes add up to where the
 * table starts and their point counts to the header's.
 */
async function indexLaz(source: DatasetSource): Promise<PointCloudIndex> {
  const { key } = source;
  const { layout, chunkSize } = await readLazHeader(source, 'laz');
  const { size } = await source.head();
  const { pointDataOffset, pointCount } = layout;
  let tableOffset = Number(viewOf(await source.read(key, pointDataOffset, 8)).getBigInt64(0, true));
  if (tableOffset === -1)
    tableOffset = Number(viewOf(await source.read(key, size - 8, 8)).getBigInt64(0, true));
  if (tableOffset < pointDataOffset + 8 || tableOffset + CHUNK_TABLE_HEADER_BYTES > size) {
    throw new TruncatedDataError(
      { key, offset: size },
      `the chunk table should start at byte ${tableOffset}, but the object has ${size} bytes`,
    );
  }
  const chunks = viewOf(await source.read(key, tableOffset, CHUNK_TABLE_HEADER_BYTES)).getUint32(4, true);
  const codedStart = tableOffset + CHUNK_TABLE_HEADER_BYTES;
  const coded = await source.readUpTo(key, codedStart, chunks * MAX_CHUNK_ENTRY_BYTES + 16);
  source.expectBytes(HEADER_PROBE_BYTES + pointDataOffset + 16 + coded.length);
  const variable = chunkSize === VARIABLE_CHUNK_SIZE;
  const entries = decodeChunkEntries(coded, chunks, variable);
  if (!entries) {
    throw new TruncatedDataError(
      { key, offset: codedStart + coded.length },
      `the chunk table of ${chunks} chunks is cut short`,
    );
  }
  const blocks: PointBlock[] = [];
  let offset = pointDataOffset + 8;
  let firstPoint = 0;
  for (const [i, entry] of entries.entries()) {
    const points = variable ? entry.points! : Math.min(chunkSize, pointCount - firstPoint);
    if (!(points > 0 && entry.bytes > 0)) {
      throw new InconsistentDataError(
        { key, offset },
        `chunk ${i} of ${chunks} holds ${points} points in ${entry.bytes} bytes (the header declares ${pointCount} points)`,
      );
    }
    blocks.push({ offset, length: entry.bytes, points, firstPoint });
    offset += entry.bytes;
    firstPoint += points;
  }
  if (offset !== tableOffset || firstPoint !== pointCount) {
    throw new InconsistentDataError(
      { key, offset: tableOffset },
      `the chunk table lists ${firstPoint} points in chunks ending at byte ${offset}, but the header declares ` +
        `${pointCount} points and the table starts at byte ${tableOffset}`,
    );
  }
  return { key, layout, blocks };
}

/** LAZ (LASzip-compressed LAS), point formats 0–3 and 6–8. */
export const lazFormat = pointCloudHandler({
  name: 'laz',
  description: 'LAZ compressed point clouds (LASzip chunks, decoded with laz-perf)',
  indexVersion: 1,
  detect: (probe) => hasLasSignature(probe.head) && isCompressedHead(probe.head),
  index: indexLaz,
});
