import type { JsonObject } from '../../json.js';
import type { TiffValue } from './tiff-structure.js';
import { GEO_KEY, RASTER_PIXEL_IS_POINT, TAG } from './tiff-tags.js';

/**
 * A pixel → map affine in GDAL's geotransform order: a pixel corner `(column, row)` lies at
 * `x = t[0] + t[1]·column + t[2]·row`, `y = t[3] + t[4]·column + t[5]·row`.
 */
export type GeoTransform = [number, number, number, number, number, number];

/** Where a raster lies on the map, as its first IFD's GeoTIFF tags say. */
export interface GeoReference extends JsonObject {
  /** The affine the tags state (tiepoint + scale, or the model transformation); null without one. */
  tagTransform: GeoTransform | null;
  /** Whether the tiepoint names a pixel's centre (`GTRasterTypeGeoKey` = PixelIsPoint). */
  pixelIsPoint: boolean;
  /** The EPSG code of the projected or geographic CRS, when the GeoKeys name one. */
  epsg: number | null;
  /** The GeoKey directory, its doubles and its ASCII parameters, copied as they are into `toFile` output. */
  geoKeys: number[] | null;
  geoDoubles: number[] | null;
  geoAscii: string | null;
}

const IDENTITY: GeoTransform = [0, 1, 0, 0, 0, 1];

function numbers(value: TiffValue | undefined): number[] | null {
  return Array.isArray(value) ? value : null;
}

/** The georeferencing of a raster, from its first IFD's fields. */
export function georeferenceOf(fields: Map<number, TiffValue>): GeoReference {
  const geoKeys = numbers(fields.get(TAG.GeoKeyDirectory));
  const geoAscii = fields.get(TAG.GeoAsciiParams);
  return {
    tagTransform: tagTransformOf(fields),
    pixelIsPoint: geoKeyValue(geoKeys, GEO_KEY.GTRasterTypeGeoKey) === RASTER_PIXEL_IS_POINT,
    epsg:
      geoKeyValue(geoKeys, GEO_KEY.ProjectedCSTypeGeoKey) ??
      geoKeyValue(geoKeys, GEO_KEY.GeographicTypeGeoKey) ??
      null,
    geoKeys,
    geoDoubles: numbers(fields.get(TAG.GeoDoubleParams)),
    geoAscii: typeof geoAscii === 'string' ? geoAscii : null,
  };
}

function tagTransformOf(fields: Map<number, TiffValue>): GeoTransform | null {
  const matrix = numbers(fields.get(TAG.ModelTransformation));
  if (matrix && matrix.length >= 8)
    return [matrix[3]!, matrix[0]!, matrix[1]!, matrix[7]!, matrix[4]!, matrix[5]!];
  const tiepoint = numbers(fields.get(TAG.ModelTiepoint));
  const scale = numbers(fields.get(TAG.ModelPixelScale));
  if (!tiepoint || tiepoint.length < 6 || !scale || scale.length < 2) return null;
  const [column, row, , x, y] = tiepoint as [number, number, number, number, number];
  const [scaleX, scaleY] = scale as [number, number];
  return [x - column * scaleX, scaleX, 0, y + row * scaleY, 0, -scaleY];
}

/** A key's value stored in the directory itself (location 0); undefined when absent. */
function geoKeyValue(directory: number[] | null, key: number): number | undefined {
  if (!directory) return undefined;
  const keys = directory[3] ?? 0;
  for (let i = 0; i < keys; i++) {
    const at = 4 + i * 4;
    if (directory[at] === key && directory[at + 1] === 0) return directory[at + 3];
  }
  return undefined;
}

/**
 * The geotransform GDAL reports for level 0: the tags' affine, moved by half a pixel for
 * PixelIsPoint rasters; the identity (pixel coordinates) for rasters without georeferencing.
 */
export function geoTransformOf(geo: GeoReference): GeoTransform {
  const t = geo.tagTransform;
  if (!t) return [...IDENTITY];
  if (!geo.pixelIsPoint) return [...t];
  return [t[0] - 0.5 * t[1] - 0.5 * t[2], t[1], t[2], t[3] - 0.5 * t[4] - 0.5 * t[5], t[4], t[5]];
}

/**
 * The transform of a window whose top-left pixel is `(x, y)` on a level whose pixels are
 * `scaleX` × `scaleY` level-0 pixels (overviews keep the origin and scale the pixel size).
 */
export function windowTransform(
  t: GeoTransform,
  scaleX: number,
  scaleY: number,
  x: number,
  y: number,
): GeoTransform {
  const a = t[1] * scaleX;
  const b = t[2] * scaleY;
  const d = t[4] * scaleX;
  const e = t[5] * scaleY;
  return [t[0] + a * x + b * y, a, b, t[3] + d * x + e * y, d, e];
}

/** The map bounds `[minX, minY, maxX, maxY]` of a pixel window `[x, y, width, height]`. */
export function windowBounds(t: GeoTransform, window: readonly number[]): [number, number, number, number] {
  const [x, y, width, height] = window as [number, number, number, number];
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [column, row] of [
    [x, y],
    [x + width, y],
    [x, y + height],
    [x + width, y + height],
  ] as const) {
    xs.push(t[0] + t[1] * column + t[2] * row);
    ys.push(t[3] + t[4] * column + t[5] * row);
  }
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}
