// GDAL as the independent oracle of the raster tests: gdalinfo, gdal_translate and Debian's
// python3 with osgeo.gdal + numpy, run through the oracle runner of @isthmus/fixtures. A missing
// tool fails the test (never a skip).
import { pythonJson, runTool } from '@isthmus/fixtures';

/** What the tests read from `gdalinfo -json`. */
export interface GdalInfo {
  size: [number, number];
  geoTransform: number[];
  coordinateSystem: { wkt: string };
  bands: Array<{
    block: [number, number];
    checksum?: number;
    mean?: number;
    overviews?: Array<{ size: [number, number]; checksum?: number }>;
  }>;
}

/** `gdalinfo -json` of a file, with extra flags such as `-checksum` or `-stats`. */
export async function gdalInfo(path: string, ...flags: string[]): Promise<GdalInfo> {
  return JSON.parse((await runTool('gdalinfo', ['-json', ...flags, path])).toString('utf8')) as GdalInfo;
}

/** `gdal_translate -srcwin` of a window `[x, y, width, height]` into `out`. */
export async function gdalTranslateWindow(path: string, window: number[], out: string): Promise<void> {
  await runTool('gdal_translate', ['-q', '-srcwin', ...window.map(String), path, out]);
}

/** Runs a GDAL Python program whose one argument is `input` as JSON. */
function python<T>(script: string, input: unknown): Promise<T> {
  return pythonJson<T>(script, JSON.stringify(input));
}

const WINDOW_MEANS = `
import json, sys
from osgeo import gdal
args = json.loads(sys.argv[1])
ds = gdal.Open(args['path'])
out = []
for x, y, w, h in args['windows']:
    means = []
    for b in range(1, ds.RasterCount + 1):
        band = ds.GetRasterBand(b)
        if args['level'] > 0:
            band = band.GetOverview(args['level'] - 1)
        means.append(float(band.ReadAsArray(x, y, w, h).astype('float64').mean()))
    out.append(means)
print(json.dumps(out))
`;

/** Per window, the mean of each band (read by GDAL at `level`: 0 full resolution, then overviews). */
export function windowMeans(path: string, level: number, windows: number[][]): Promise<number[][]> {
  return python(WINDOW_MEANS, { path, level, windows });
}

const WINDOWS_EQUAL = `
import json, sys
import numpy
from osgeo import gdal
args = json.loads(sys.argv[1])
original = gdal.Open(args['original']).ReadAsArray()
part = gdal.Open(args['part']).ReadAsArray()
left, top = args['origin']
ok = all(
    numpy.array_equal(original[:, y:y + h, x:x + w], part[:, y - top:y - top + h, x - left:x - left + w])
    for x, y, w, h in args['windows']
)
print(json.dumps(ok))
`;

/**
 * Whether the pixels of `windows` (full-resolution pixel windows of the original) are the same in
 * `part`, a file whose pixel (0, 0) is the original's `origin`.
 */
export function windowsEqual(
  original: string,
  part: string,
  origin: [number, number],
  windows: number[][],
): Promise<boolean> {
  return python(WINDOWS_EQUAL, { original, part, origin, windows });
}

const BLOCK_OFFSET = `
import json, sys
from osgeo import gdal
args = json.loads(sys.argv[1])
ds = gdal.Open(args['path'])
band = ds.GetRasterBand(1)
print(json.dumps(int(band.GetMetadataItem('BLOCK_OFFSET_%d_%d' % (args['column'], args['row']), 'TIFF'))))
`;

/** Where GDAL says block `(column, row)` of band 1 starts in the file. */
export function blockOffset(path: string, column: number, row: number): Promise<number> {
  return python(BLOCK_OFFSET, { path, column, row });
}

/** A file made from a window of an original, and what GDAL says of both. */
export interface WindowComparison {
  /** Size, per-band checksums (as `gdalinfo -checksum`), geotransform and CRS of the file. */
  file: { size: [number, number]; checksums: number[]; geoTransform: number[]; wkt: string };
  /** The same of `gdal_translate -srcwin` of the original's window. */
  srcwin: { size: [number, number]; checksums: number[]; geoTransform: number[]; wkt: string };
}

const COMPARE_WINDOWS = `
import json, sys
from osgeo import gdal
gdal.UseExceptions()
args = json.loads(sys.argv[1])
def describe(ds):
    return {
        'size': [ds.RasterXSize, ds.RasterYSize],
        'checksums': [ds.GetRasterBand(b).Checksum() for b in range(1, ds.RasterCount + 1)],
        'geoTransform': list(ds.GetGeoTransform()),
        'wkt': ds.GetSpatialRef().ExportToWkt(),
    }
out = []
for part in args['parts']:
    cut = gdal.Translate('/vsimem/srcwin.tif', args['original'], srcWin=part['window'])
    out.append({'file': describe(gdal.Open(part['path'])), 'srcwin': describe(cut)})
    cut = None
    gdal.Unlink('/vsimem/srcwin.tif')
print(json.dumps(out))
`;

/**
 * For each file made from a window `[x, y, width, height]` of `original`: what GDAL reads in it
 * and in `gdal_translate -srcwin` of that window (one Python process for all of them).
 */
export function compareWindows(
  original: string,
  parts: Array<{ path: string; window: number[] }>,
): Promise<WindowComparison[]> {
  return python(COMPARE_WINDOWS, { original, parts });
}
