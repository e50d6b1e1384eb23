import type { LoadedBytes } from './loaded-bytes.js';
import type { TiffHeader } from './tiff-structure.js';

const GHOST_MARK = 'GDAL_STRUCTURAL_METADATA_SIZE=';

/**
 * GDAL's COG "ghost area" right after the header (`GDAL_STRUCTURAL_METADATA_SIZE=… bytes`, then
 * `KEY=VALUE` lines such as `LAYOUT=IFDS_BEFORE_DATA`), as key–value pairs; `undefined` when the
 * file has none. Throws `NeedBytes` when the area is not loaded.
 */
export function parseGhostArea(bytes: LoadedBytes, header: TiffHeader): Record<string, string> | undefined {
  const start = header.bigTiff ? 16 : 8;
  if (header.firstIfd > 0 && header.firstIfd < start + GHOST_MARK.length) return undefined;
  const text = (offset: number, length: number) =>
    new TextDecoder('latin1').decode(bytes.view(offset, length));
  if (text(start, GHOST_MARK.length) !== GHOST_MARK) return undefined;
  const sizeText = /^(\d+)/.exec(text(start + GHOST_MARK.length, 12))?.[1];
  if (sizeText === undefined) return undefined;
  const firstLine = `${GHOST_MARK}${sizeText} bytes\n`;
  const body = text(start + firstLine.length, Number(sizeText));
  const values: Record<string, string> = {};
  for (const line of body.split('\n')) {
    const equals = line.indexOf('=');
    if (equals > 0) values[line.slice(0, equals).trim()] = line.slice(equals + 1).trim();
  }
  return values;
}
