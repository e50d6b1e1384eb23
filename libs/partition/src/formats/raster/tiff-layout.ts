import { parseGhostArea } from './ghost-area.js';
import { LoadedBytes } from './loaded-bytes.js';
import type { RasterLevel } from './raster-level.js';
import { parseTiffDirectories, parseTiffHeader, type TiffDirectory } from './tiff-structure.js';
import { TAG } from './tiff-tags.js';

/**
 * How a TIFF is laid out: `cog` when it is tiled and every IFD (with the arrays it points to) lies
 * before the first block, so one read of the header plans everything; `plain` otherwise.
 */
export type TiffLayout = 'cog' | 'plain';

/** The layout of a TIFF from its IFDs and levels. */
export function layoutOf(directories: TiffDirectory[], levels: RasterLevel[]): TiffLayout {
  if (!levels.every((level) => level.tiled)) return 'plain';
  const structureEnd = directories.reduce((end, directory) => Math.max(end, directory.end), 0);
  let firstBlock = Number.POSITIVE_INFINITY;
  for (const level of levels) {
    level.offsets.forEach((offset, i) => {
      if (level.byteCounts[i]! > 0 && offset < firstBlock) firstBlock = offset;
    });
  }
  return structureEnd <= firstBlock ? 'cog' : 'plain';
}

/**
 * Whether the first bytes of a TIFF show a COG: GDAL's ghost area says `LAYOUT=IFDS_BEFORE_DATA`,
 * or all its IFDs lie in these bytes, it is tiled, and its blocks come after them.
 */
export function headLooksLikeCog(head: Uint8Array, key: string): boolean {
  try {
    const bytes = new LoadedBytes(head);
    const header = parseTiffHeader(bytes, key);
    if (parseGhostArea(bytes, header)?.LAYOUT === 'IFDS_BEFORE_DATA') return true;
    const directories = parseTiffDirectories(bytes, header, key);
    const offsets = directories.flatMap((directory) => {
      const tileOffsets = directory.fields.get(TAG.TileOffsets);
      return Array.isArray(tileOffsets) ? [tileOffsets] : [];
    });
    if (offsets.length !== directories.length) return false;
    const structureEnd = directories.reduce((end, directory) => Math.max(end, directory.end), 0);
    return offsets.every((list) => list.every((offset) => offset === 0 || offset >= structureEnd));
  } catch {
    return false;
  }
}
