import type { DatasetSource } from '../../dataset-source.js';
import { TruncatedDataError } from '../../errors.js';
import type { JsonObject } from '../../json.js';
import { type GeoReference, georeferenceOf } from './georeference.js';
import { parseGhostArea } from './ghost-area.js';
import { LoadedBytes, NeedBytes } from './loaded-bytes.js';
import { blockCount, blockSegments, type RasterLevel, rasterLevelOf } from './raster-level.js';
import { layoutOf, type TiffLayout } from './tiff-layout.js';
import { parseTiffDirectories, parseTiffHeader, type TiffDirectory } from './tiff-structure.js';
import { TAG } from './tiff-tags.js';

/** The index of a GeoTIFF: its levels (full resolution first, then overviews) and where it lies. */
export interface RasterIndex extends JsonObject {
  /** The object's key (partition ranges name it). */
  key: string;
  /** Size of the object. */
  size: number;
  bigTiff: boolean;
  layout: TiffLayout;
  /** GDAL's COG ghost area (`LAYOUT`, `BLOCK_ORDER`, …), when the file has one. */
  ghostArea: Record<string, string> | null;
  /** GDAL's no-data value (tag 42113), as written. */
  noData: string | null;
  georeference: GeoReference;
  levels: RasterLevel[];
}

/** Bytes read at once while looking for IFDs: the head, and where an IFD lies elsewhere. */
const WINDOW_BYTES = 64 * 1024;

/** NewSubfileType bits: a reduced-resolution image (overview), a transparency mask. */
const REDUCED_IMAGE = 1;
const MASK_IMAGE = 4;

/**
 * The index pass: reads the header and the IFDs with a few ranged reads (one for a COG, whose
 * IFDs come first; one more per IFD elsewhere in a plain GeoTIFF), never the pixel data, and
 * checks that every block lies inside the object.
 */
export async function indexTiff(source: DatasetSource): Promise<RasterIndex> {
  const { key } = source;
  const { size } = await source.head();
  let expected = Math.min(size, WINDOW_BYTES);
  source.expectBytes(expected);
  const bytes = new LoadedBytes(await source.read(key, 0, expected));
  for (;;) {
    try {
      return indexOf(bytes, key, size);
    } catch (error) {
      if (!(error instanceof NeedBytes)) throw error;
      if (error.offset + error.length > size) {
        throw new TruncatedDataError(
          { key, offset: size },
          `the TIFF structure at byte ${error.offset} needs ${error.length} bytes; the object ends at ${size}`,
        );
      }
      const length = Math.min(Math.max(error.length, WINDOW_BYTES), size - error.offset);
      expected += length;
      source.expectBytes(expected);
      bytes.add(error.offset, await source.read(key, error.offset, length));
    }
  }
}

function indexOf(bytes: LoadedBytes, key: string, size: number): RasterIndex {
  const header = parseTiffHeader(bytes, key);
  const ghostArea = parseGhostArea(bytes, header) ?? null;
  const directories = parseTiffDirectories(bytes, header, key);
  const images = imageDirectories(directories);
  const levels = images.map((directory) => rasterLevelOf(directory, header.littleEndian, key));
  for (const [number, level] of levels.entries()) checkBlocksInside(level, number, key, size);
  const fields = images[0]!.fields;
  const noData = fields.get(TAG.GdalNoData);
  return {
    key,
    size,
    bigTiff: header.bigTiff,
    layout: layoutOf(directories, levels),
    ghostArea,
    noData: typeof noData === 'string' ? noData : null,
    georeference: georeferenceOf(fields),
    levels,
  };
}

/** The first full-resolution image and its overviews, largest first (masks and other pages left out). */
function imageDirectories(directories: TiffDirectory[]): TiffDirectory[] {
  const kind = (directory: TiffDirectory) =>
    (directory.fields.get(TAG.NewSubfileType) as number[] | undefined)?.[0] ?? 0;
  const main = directories.find((directory) => (kind(directory) & (REDUCED_IMAGE | MASK_IMAGE)) === 0);
  const overviews = directories.filter(
    (directory) => (kind(directory) & (REDUCED_IMAGE | MASK_IMAGE)) === REDUCED_IMAGE,
  );
  const width = (directory: TiffDirectory) =>
    (directory.fields.get(TAG.ImageWidth) as number[] | undefined)?.[0] ?? 0;
  overviews.sort((a, b) => width(b) - width(a));
  return [main ?? directories[0]!, ...overviews];
}

function checkBlocksInside(level: RasterLevel, number: number, key: string, size: number): void {
  for (let block = 0; block < blockCount(level); block++) {
    for (const [offset, length] of blockSegments(level, block)) {
      if (length > 0 && offset + length > size) {
        throw new TruncatedDataError(
          { key, offset: size },
          `block ${block} of level ${number} lies at bytes ${offset}–${offset + length}, past the end of the object`,
        );
      }
    }
  }
}
